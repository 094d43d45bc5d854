"""The view of the events: shareable view state, the date filter, grouping by place.

All pure functions of their inputs. The events are handled as a pandas DataFrame with one row per
(event, place) pair, so an event reported at two places shows at both and the filters are
vectorised (they must stay fast at 100,000 events).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.data.events import Event, contest_groups, is_contested
from lib.data.gazetteer import Gazetteer
from lib.data.schema import EVENT_TYPES

MODES = ("cumulative", "window")

#: Columns of the frame ``events_frame`` returns.
FRAME_COLUMNS = [
    "event_id",
    "date",
    "date_precision",
    "date_basis",
    "place_id",
    "place_name",
    "lat",
    "lon",
    "precision",
    "uncertainty_km",
    "event_type",
    "status",
    "claimant",
    "actors",
    "casualties",
    "summary",
    "articles",
    "first_article",
    "quote",
    "contested_with",
    "day",
]


def events_frame(events: Iterable[Event], gazetteer: Gazetteer) -> pd.DataFrame:
    """One row per (event, place). ``date`` is a plain ``datetime.date`` column (object dtype).

    Plain dates, not ``datetime64``: they compare directly with the ``datetime.date`` values a
    Streamlit slider returns (pandas 3 raises ``TypeError`` on datetime64 vs ``date``).
    ``day`` is the same date as an integer (``date.toordinal()``), for fast filtering.
    """
    events = list(events)
    groups = contest_groups(events)
    rows = []
    for event in events:
        contested = ";".join(sorted(groups.get(event.id, ())))
        for place_id in event.places:
            place = gazetteer.places.get(place_id)
            if place is None:
                continue
            rows.append(
                (
                    event.id,
                    event.date,
                    event.date_precision,
                    event.date_basis,
                    place.id,
                    place.name,
                    place.lat,
                    place.lon,
                    place.precision,
                    place.uncertainty_km,
                    event.event_type,
                    event.status,
                    event.claimant,
                    "; ".join(event.actors),
                    "; ".join(str(c) for c in event.casualties),
                    event.summary,
                    "; ".join(event.articles),
                    event.articles[0],
                    event.quote,
                    contested,
                    event.date.toordinal(),
                )
            )
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    return frame.astype({"day": "int64"})


@dataclass(frozen=True)
class ViewState:
    """What a reader would share: dates, filters and the selected place.

    ``start`` is ignored in cumulative mode (everything up to ``end``).
    Empty filter tuples mean "no filter".
    """

    end: dt.date
    start: dt.date | None = None
    mode: str = "cumulative"
    types: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    place: str | None = None

    @property
    def first_day(self) -> dt.date | None:
        return self.start if self.mode == "window" else None


@dataclass(frozen=True)
class Bounds:
    """What the data allows: the date range and the known values of each filter."""

    first: dt.date
    last: dt.date
    types: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, frame: pd.DataFrame, articles: Iterable[str] = (), places: Iterable[str] = ()
    ) -> Bounds:
        if frame.empty:
            today = dt.date.today()
            return cls(today, today, tuple(EVENT_TYPES), (), tuple(articles), tuple(places))
        present = set(frame["event_type"].unique())
        return cls(
            first=dt.date.fromordinal(int(frame["day"].min())),
            last=dt.date.fromordinal(int(frame["day"].max())),
            types=tuple(t for t in EVENT_TYPES if t in present),
            claimants=tuple(sorted(c for c in frame["claimant"].unique() if c)),
            articles=tuple(articles) or tuple(sorted(frame["first_article"].unique())),
            places=tuple(places) or tuple(sorted(frame["place_id"].unique())),
        )


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in values:
        out.extend(part.strip() for part in str(item).split(",") if part.strip())
    return out


def state_from_params(
    params: Mapping[str, str | list[str]], bounds: Bounds
) -> tuple[ViewState, list[str]]:
    """Read a view from URL query parameters, clamping what is out of range.

    Parameters: ``from``, ``to`` (ISO dates; ``from`` switches to window mode), ``mode``
    (cumulative|window), ``place`` (gazetteer id), ``type``, ``claimant``, ``article``
    (comma-separated or repeated). Returns the state and a message for each value ignored.
    """
    notes: list[str] = []
    end = _parse_date(params.get("to") if isinstance(params.get("to"), str) else None)
    if params.get("to") and end is None:
        notes.append(
            f"'to={params.get('to')}' is not a date (YYYY-MM-DD); showing up to the last day"
        )
    start = _parse_date(params.get("from") if isinstance(params.get("from"), str) else None)
    if params.get("from") and start is None:
        notes.append(f"'from={params.get('from')}' is not a date (YYYY-MM-DD); ignored")
    for name, value in (("to", end), ("from", start)):
        if value and not bounds.first <= value <= bounds.last:
            notes.append(
                f"'{name}={value.isoformat()}' is outside the data "
                f"({bounds.first.isoformat()} to {bounds.last.isoformat()}); clamped"
            )
    clamp = lambda d: min(max(d, bounds.first), bounds.last)  # noqa: E731
    end = clamp(end) if end else bounds.last
    start = clamp(start) if start else None
    mode = (
        params.get("mode") if params.get("mode") in MODES else ("window" if start else "cumulative")
    )
    if mode == "window":
        start = start or bounds.first
        if start > end:
            notes.append("'from' is after 'to'; swapped")
            start, end = end, start

    def pick(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        chosen = []
        for value in _as_list(params.get(name)):
            if value in allowed:
                chosen.append(value)
            else:
                notes.append(f"'{name}={value}' is not known; ignored")
        return tuple(dict.fromkeys(chosen))

    place = params.get("place") if isinstance(params.get("place"), str) else None
    if place and place not in bounds.places:
        notes.append(f"'place={place}' is not a known place; ignored")
        place = None
    state = ViewState(
        end=end,
        start=start if mode == "window" else None,
        mode=mode,
        types=pick("type", bounds.types),
        claimants=pick("claimant", bounds.claimants),
        articles=pick("article", bounds.articles),
        place=place,
    )
    return state, notes


def state_to_params(state: ViewState) -> dict[str, str]:
    """The query parameters that reproduce ``state`` (only what differs from "no filter")."""
    params = {"to": state.end.isoformat()}
    if state.mode == "window" and state.start:
        params["from"] = state.start.isoformat()
        params["mode"] = "window"
    if state.types:
        params["type"] = ",".join(state.types)
    if state.claimants:
        params["claimant"] = ",".join(state.claimants)
    if state.articles:
        params["article"] = ",".join(state.articles)
    if state.place:
        params["place"] = state.place
    return params


def filter_events(
    frame: pd.DataFrame, state: ViewState, *, ignore_dates: bool = False
) -> pd.DataFrame:
    """Rows of ``frame`` in the state's dates and filters (the place selection is not a filter)."""
    mask = pd.Series(True, index=frame.index)
    if not ignore_dates:
        mask &= frame["day"] <= state.end.toordinal()
        if state.first_day:
            mask &= frame["day"] >= state.first_day.toordinal()
    if state.types:
        mask &= frame["event_type"].isin(state.types)
    if state.claimants:
        mask &= frame["claimant"].isin(state.claimants)
    if state.articles:
        # An event counts for an article if that article is among its sources.
        wanted = set(state.articles)
        mask &= frame["articles"].map(lambda cell: bool(wanted & set(cell.split("; "))))
    return frame[mask]


def counts_per_day(frame: pd.DataFrame) -> pd.DataFrame:
    """Distinct events per day and type: columns ``date``, ``event_type``, ``events``."""
    if frame.empty:
        return pd.DataFrame(columns=["date", "event_type", "events"])
    unique = frame.drop_duplicates("event_id")
    return unique.groupby(["date", "event_type"]).size().reset_index(name="events")


@dataclass(frozen=True)
class PlaceGroup:
    place_id: str
    name: str
    lat: float
    lon: float
    precision: str
    uncertainty_km: float
    count: int
    type_counts: tuple[tuple[str, int], ...]  # most frequent first
    contested: int  # how many of the events are contested
    event_ids: tuple[str, ...]  # newest first

    @property
    def main_type(self) -> str:
        return self.type_counts[0][0]


def group_by_place(frame: pd.DataFrame) -> list[PlaceGroup]:
    """One group per place in ``frame``: what the map draws. Ordered by place id.

    Vectorised (one sort, then numpy over group boundaries): at 100,000 events and 2,000
    places a per-group pandas loop took seconds per slider step.
    """
    if frame.empty:
        return []
    order = {t: i for i, t in enumerate(EVENT_TYPES)}
    other = len(EVENT_TYPES)  # code for a type outside the vocabulary
    # Integer sort keys (place code, newest day first, then table order): sorting the string
    # columns themselves was most of the cost.
    place_codes, _ = pd.factorize(frame["place_id"], sort=True)
    idx = np.lexsort((np.arange(len(frame)), -frame["day"].to_numpy(), place_codes))
    codes_sorted = place_codes[idx]
    starts = np.flatnonzero(np.r_[True, codes_sorted[1:] != codes_sorted[:-1]])
    ends = np.r_[starts[1:], len(idx)]
    n = len(starts)

    def col(name: str, dtype=None) -> np.ndarray:
        return frame[name].to_numpy(dtype=dtype)[idx]

    place = col("place_id")
    codes = frame["event_type"].map(order).fillna(other).to_numpy(dtype=np.int64)[idx]
    group = np.repeat(np.arange(n), ends - starts)
    type_counts = np.bincount(group * (other + 1) + codes, minlength=n * (other + 1)).reshape(
        n, other + 1
    )
    contested = is_contested(frame["contested_with"], frame["status"]).to_numpy(np.int64)[idx]
    contested_counts = np.add.reduceat(contested, starts)
    names = col("place_name")
    lats, lons = col("lat", float), col("lon", float)
    precisions, radii = col("precision"), col("uncertainty_km", float)
    event_ids = col("event_id")
    type_names = [*EVENT_TYPES, "other"]
    groups = []
    for k in range(n):
        s, e = starts[k], ends[k]
        counts = type_counts[k]
        present = np.flatnonzero(counts)
        # Most frequent first; ties broken by the vocabulary's order so the colour is stable.
        ranked = sorted(present, key=lambda i: (-counts[i], i))  # noqa: B023
        groups.append(
            PlaceGroup(
                place_id=str(place[s]),
                name=str(names[s]),
                lat=float(lats[s]),
                lon=float(lons[s]),
                precision=str(precisions[s]),
                uncertainty_km=float(radii[s]),
                count=int(e - s),
                type_counts=tuple((type_names[i], int(counts[i])) for i in ranked),
                contested=int(contested_counts[k]),
                event_ids=tuple(event_ids[s:e].tolist()),
            )
        )
    return groups
