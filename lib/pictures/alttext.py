"""A plain-language description of what an export shows, generated from the data (alt text).

``alt_text`` is a pure function of the events and the view: the same view gives the same
words. It goes beside the download buttons (to paste into a CMS), into the PNG's metadata, into
the ``title``/``aria-label`` of the embeddable HTML, and out of ``python -m lib export alt``.

It says what a sighted reader takes from the picture: the dates, how many events at how many
places, the places with most events, and the contested claims with who makes them. It does not
describe colours or positions, which mean nothing read aloud.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from lib.data.articles import Article
from lib.data.events import is_contested
from lib.data.gazetteer import Place
from lib.map import mapview
from lib.map.viewstate import PlaceGroup, ViewState, filter_events, group_by_place
from lib.pictures.captions import and_list, filter_caption

#: What the description reads from the events frame (and what ``filter_events`` needs).
_COLUMNS = [
    "event_id", "day", "event_type", "status", "claimant", "contested_with", "place_name",
    "articles",
]  # fmt: skip
#: Places named as having most events; the rest are counted.
TOP_PLACES = 3
#: Claimants named for the contested claims; the rest are counted.
TOP_CLAIMANTS = 3


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _dates(state: ViewState) -> str:
    """The view's dates as they read in a sentence: "up to 2 September 2021", "from … to …"."""
    start, end = state.first_day, state.end
    if start is None:
        return f"up to {_day(end)}"
    if start == end:
        return f"on {_day(end)}"
    return f"from {_day(start) if start.year != end.year else f'{start:%-d %B}'} to {_day(end)}"


def claims_by(ranked: list[tuple[str, int]]) -> list[str]:
    """The claims per claimant as phrases, ``ranked`` most first: "3 by Taliban", and the
    claimants past ``TOP_CLAIMANTS`` together ("one each by 10 other claimants").

    Regression: the rest read "10 by 10 other claimants"; one claimant left over is named.
    """
    if len(ranked) <= TOP_CLAIMANTS + 1:
        return [f"{n:,} by {who}" for who, n in ranked]
    named = [f"{n:,} by {who}" for who, n in ranked[:TOP_CLAIMANTS]]
    rest = ranked[TOP_CLAIMANTS:]
    claims = sum(n for _, n in rest)
    how_many = "one each" if claims == len(rest) else f"{claims:,} in all"
    named.append(f"{how_many} by {len(rest):,} other claimants")
    return named


def _contested(visible: pd.DataFrame) -> str:
    flagged = is_contested(visible["contested_with"], visible["status"])
    contested = visible[flagged].drop_duplicates("event_id")
    if contested.empty:
        return "No claim in view is contested."
    claimants = contested["claimant"].where(contested["claimant"] != "", "unattributed reports")
    counts = claimants.value_counts()
    # Most claims first, then alphabetical, so the sentence is the same on every run.
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    named = claims_by(ranked)
    places = sorted(set(visible.loc[flagged, "place_name"]))
    where = f" at {and_list(places)}" if len(places) <= TOP_PLACES else ""
    return (
        f"{_plural(len(contested), 'claim')} {'is' if len(contested) == 1 else 'are'} "
        f"contested{where}: {and_list(named)}."
    )


def alt_text(
    frame: pd.DataFrame,
    state: ViewState,
    places: Mapping[str, Place] | None = None,
    articles: Mapping[str, Article] | None = None,
    *,
    title: str = "",
    groups: list[PlaceGroup] | None = None,
) -> str:
    """The description of the view ``state`` of ``frame`` (all events, one row per event and place).

    One paragraph of plain sentences, no markup (escape it where it enters HTML). ``places``
    (the gazetteer's) names a selected place that has no events in the view; ``articles``
    names the article of an article filter; ``title`` starts the text when given. ``groups``,
    when the caller has them, are ``group_by_place`` of the view (saves regrouping).
    """
    if groups is None:
        groups = group_by_place(filter_events(frame, state))
    # Only the columns used: copying every column of 100,000 rows was most of the cost.
    visible = filter_events(frame[_COLUMNS], state)
    subject = f"Map: {title.rstrip('.')}. " if title else "Map. "
    filters = filter_caption(state, articles or {})
    scope = f" ({filters[:1].lower() + filters[1:]})" if filters else ""
    events = int(visible["event_id"].nunique())
    if not events:
        return f"{subject}No events {_dates(state)}{scope}."
    parts = [
        f"{subject}{_plural(events, 'event')} at {_plural(len(groups), 'place')} "
        f"{_dates(state)}{scope}."
    ]
    top = sorted(groups, key=lambda g: (-g.count, g.name))[:TOP_PLACES]
    if len(groups) > 1:
        parts.append(
            "Most events: " + and_list([f"{g.name} ({g.count:,})" for g in top]) + "."
            if len(groups) > TOP_PLACES
            else "Events by place: " + and_list([f"{g.name} ({g.count:,})" for g in top]) + "."
        )
    types = visible.drop_duplicates("event_id")["event_type"].value_counts()
    ranked_types = sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))
    parts.append(
        "Most common: "
        + and_list([f"{mapview.TYPE_LABELS.get(t, t)} ({n:,})" for t, n in ranked_types[:3]])
        + "."
    )
    parts.append(_contested(visible))
    if state.place:
        group = next((g for g in groups if g.place_id == state.place), None)
        if group:
            parts.append(f"Highlighted: {group.name}, {_plural(group.count, 'event')}.")
        else:
            place = (places or {}).get(state.place)
            name = place.name if place else state.place
            parts.append(f"Highlighted: {name}, with no events in these dates.")
    return " ".join(parts)
