"""The data the client-side time engine (``static/newsmap/engine.js``) receives, once.

Both the live map and the standalone HTML export send the browser every day's events in one
compact, columnar form and let the engine filter and restyle per view: the server sends
nothing per slider step. One row per (event, place) pair, sorted by day, as integer codes:

- ``places``: ``[id, name, lat, lon, pin (0|1), radius_m]`` in drawing order (large areas
  first, pins last, so smaller things stay on top), as ``lib.map.mapview`` has always drawn them;
- ``rows``: columns ``d`` (day offset from ``first``), ``p`` (place index), ``t`` (type index),
  ``c`` (claimant index, -1 for none), ``e`` (event index);
- ``events``: per event, ``x`` (1 if contested or disputed) and its articles as CSR
  (``ao`` offsets into ``ai`` article indices), so an article filter is one pass;
- ``info``: per event ``[date, claimant, status, summary, sources, id]`` for popups and the
  events table, plain text (the engine escapes it), or ``None`` above ``INFO_MAX`` events,
  where popups show counts and the panel beside the map lists the sources.

Strings are plain text here: the browser escapes them at one point (``Newsmap.esc``). The
JSON goes into a ``<script>`` through ``script_json``, which cannot close the script.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from lib.data.events import is_contested
from lib.data.schema import EVENT_TYPES, PIN_PRECISIONS
from lib.data.text import strip_bidi
from lib.map.colour import text_on

#: Above this many events, popups carry no event text (it would dominate the page's weight).
INFO_MAX = 2000
#: Events a popup lists (newest first).
POPUP_EVENTS = 5


def script_json(value: object) -> str:
    """JSON that is safe inside ``<script>`` and inside a Jinja template.

    No ``</script`` or ``<!--`` once ``<`` is escaped. And no Jinja syntax: folium/branca render
    a map's scripts as Jinja templates (more than once), so ``{{ ... }}`` or ``{% ... %}`` in an
    event's summary would run as template code on the server. JSON's own braces are never
    followed by ``{``, ``%`` or ``#``, so each such pair is inside a string, where ``\\u007b``
    reads back as ``{``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # Bidi overrides in a place name would show the map's label reversed (issue 21): dropped
    # here, where all data enters the page, as lib.data.text.escape drops them from HTML.
    text = strip_bidi(text)
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


def _day_label(day: dt.date, precision: str) -> str:
    if precision == "undated":  # context the text does not date: true by this day
        return f"by {day:%-d %b %Y} (undated)"
    return f"{day:%-d %b %Y}" + ("" if precision == "day" else " (approx.)")


def engine_data(
    frame: pd.DataFrame,
    *,
    first: dt.date,
    last: dt.date,
    type_labels: Mapping[str, str],
    colours: Mapping[str, str],
    headlines: Mapping[str, str] | None = None,
    title: str = "",
    popup_note: str = "",
    info_max: int = INFO_MAX,
    article_filter: bool = True,
) -> dict:
    """Everything the engine needs for ``frame`` (one row per event and place; see
    ``lib.map.viewstate.events_frame``), for days ``first`` to ``last`` inclusive.

    ``article_filter=False`` leaves out what only an article filter uses (``articles`` and
    the events' ``ao``/``ai``): a page whose events are filtered already does not need it."""
    types = list(EVENT_TYPES)
    return {
        "v": 1,
        "first": first.isoformat(),
        "ndays": (last - first).days + 1,
        "title": title,
        "types": types,
        "typeLabels": [type_labels.get(t, t) for t in types],
        "colours": [colours.get(t, "#333333") for t in types],
        # The type tags' text colour on each colour, at WCAG AA (the panel's cards).
        "textOn": [text_on(colours.get(t, "#333333")) for t in types],
        **_coded(frame, first, types, headlines or {}, info_max, article_filter),
        "popupEvents": POPUP_EVENTS,
        "popupNote": popup_note,
    }


def _coded(
    frame: pd.DataFrame,
    first: dt.date,
    types: list[str],
    headlines: Mapping[str, str],
    info_max: int,
    article_filter: bool,
) -> dict:
    """The data's parts of ``engine_data``: claimants, articles, places, rows, events, info."""
    if frame.empty:
        return {"claimants": [], "articles": [], "places": [],
                "rows": {k: [] for k in "dptce"}, "events": {"x": [], "ao": [0], "ai": []},
                "info": None}  # fmt: skip
    # Columns are coded once with factorize (Arrow does it in C) and put in order with
    # lexsort on integers: mapping 100,000 strings through dicts took seconds.
    day = frame["day"].to_numpy(dtype=np.int64)
    ev_code, ev_ids = pd.factorize(frame["event_id"])
    pl_code, pl_ids = pd.factorize(frame["place_id"])
    ev_first = _first_rows(ev_code, len(ev_ids))
    pl_first = _first_rows(pl_code, len(pl_ids))

    # Places: large areas first, pins last, so smaller things stay on top.
    pl = frame.iloc[pl_first]
    meta = list(zip(pl["place_id"].tolist(), pl["place_name"].tolist(), pl["lat"].tolist(),
                    pl["lon"].tolist(), pl["precision"].tolist(), pl["uncertainty_km"].tolist(),
                    strict=True))  # fmt: skip
    order = sorted(
        range(len(meta)),
        key=lambda k: (meta[k][4] in PIN_PRECISIONS, -float(meta[k][5]), meta[k][0]),
    )
    place_of_code = np.empty(len(meta), dtype=np.int64)
    place_of_code[order] = np.arange(len(meta))
    places = [
        [m[0], str(m[1]), round(float(m[2]), 5), round(float(m[3]), 5),
         1 if m[4] in PIN_PRECISIONS else 0, round(float(m[5]) * 1000)]
        for m in (meta[k] for k in order)
    ]  # fmt: skip

    # Events in a stable order (by day, then id), so the same data gives the same bytes.
    ev_rank = _string_rank(ev_ids)
    ev_order = np.lexsort((ev_rank, day[ev_first]))
    event_of_code = np.empty(len(ev_ids), dtype=np.int64)
    event_of_code[ev_order] = np.arange(len(ev_ids))
    unique_rows = ev_first[ev_order]
    contested = is_contested(frame["contested_with"], frame["status"])
    contested = contested.to_numpy(dtype=bool)[unique_rows].astype(int).tolist()

    article_ids, offsets, indices = (
        _article_index(frame, unique_rows) if article_filter else ([], [0], [])
    )

    cl_code, cl_names = pd.factorize(frame["claimant"])
    claimants = sorted({str(c) for c in cl_names.tolist() if c})
    claimant_index = {c: i for i, c in enumerate(claimants)}
    cl_lut = np.array(
        [claimant_index.get(str(c), -1) if c else -1 for c in cl_names.tolist()], dtype=np.int64
    )
    ty_code, ty_names = pd.factorize(frame["event_type"])
    type_code = {t: i for i, t in enumerate(types)}
    ty_lut = np.array(
        [type_code.get(str(t), len(types) - 1) for t in ty_names.tolist()], dtype=np.int64
    )

    e = event_of_code[ev_code]
    rows_order = np.lexsort((_string_rank(pl_ids)[pl_code], e, day))
    rows = {
        "d": (day[rows_order] - first.toordinal()).tolist(),
        "p": place_of_code[pl_code][rows_order].tolist(),
        "t": _lookup(ty_lut, ty_code, missing=len(types) - 1)[rows_order].tolist(),
        "c": _lookup(cl_lut, cl_code, missing=-1)[rows_order].tolist(),
        "e": e[rows_order].tolist(),
    }

    info = None
    if len(ev_ids) <= info_max:
        info = [
            [
                _day_label(r.date, r.date_precision),
                str(r.claimant),
                str(r.status),
                str(r.summary),
                "; ".join(headlines.get(a, a) for a in str(r.articles).split("; ") if a),
                str(r.event_id),
            ]
            for r in frame.iloc[unique_rows].itertuples(index=False)
        ]
    return {
        "claimants": claimants,
        "articles": article_ids,
        "places": places,
        "rows": rows,
        "events": {"x": contested, "ao": offsets, "ai": indices},
        "info": info,
    }


def _first_rows(codes: np.ndarray, count: int) -> np.ndarray:
    """Per code, the index of the first row that has it."""
    first = np.full(count, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return first


def _string_rank(values) -> np.ndarray:
    """Per value, its position in sorted (code point) order."""
    values = [str(v) for v in values.tolist()]
    order = sorted(range(len(values)), key=values.__getitem__)
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values))
    return rank


def _lookup(lut: np.ndarray, codes: np.ndarray, *, missing: int) -> np.ndarray:
    """``lut[codes]``, where factorize's code for a missing value (-1) gives ``missing``."""
    known = lut[np.maximum(codes, 0)] if len(lut) else np.zeros(len(codes), dtype=np.int64)
    return np.where(codes < 0, missing, known)


def _article_index(frame: pd.DataFrame, unique_rows: np.ndarray) -> tuple[list, list, list]:
    """Every article id, and per event (rows ``unique_rows``) its articles as CSR offsets and
    indices into them. Each distinct cell of ``articles`` is split once."""
    cell_code, cells = pd.factorize(frame["articles"])
    cell_lists = [[a for a in str(c).split("; ") if a] for c in cells.tolist()]
    article_ids = sorted({a for lst in cell_lists for a in lst})
    article_index = {a: i for i, a in enumerate(article_ids)}
    cell_indices = [[article_index[a] for a in lst] for lst in cell_lists]
    offsets, indices = [0], []
    for code in cell_code[unique_rows].tolist():
        indices.extend(cell_indices[code])
        offsets.append(len(indices))
    return article_ids, offsets, indices


def per_day(frame: pd.DataFrame, first: dt.date) -> list[list[int]]:
    """``[[day offset, type index, distinct events], ...]`` for the timeline's chart."""
    if frame.empty:
        return []
    type_code = {t: i for i, t in enumerate(EVENT_TYPES)}
    unique = frame.drop_duplicates("event_id")
    counts = unique.groupby(["day", "event_type"]).size()
    return [
        [int(day) - first.toordinal(), type_code.get(t, len(EVENT_TYPES) - 1), int(n)]
        for (day, t), n in counts.items()
    ]


def first_event_day(frame: pd.DataFrame, first: dt.date) -> int:
    """Offset of the first day that has an event in ``frame`` (0 if none)."""
    return 0 if frame.empty else int(frame["day"].min()) - first.toordinal()


def chart(kept: pd.DataFrame, first: dt.date) -> dict:
    """The timeline's chart of ``kept`` (the events under the view's filters): ``perDay`` and
    ``firstEventDay`` of ``timeline_config``, which a caller may cache per filter."""
    return {"firstEventDay": first_event_day(kept, first), "perDay": per_day(kept, first)}


def timeline_config(
    kept: pd.DataFrame | None,
    *,
    first: dt.date,
    last: dt.date,
    end: dt.date,
    start: dt.date | None = None,
    type_labels: Mapping[str, str],
    colours: Mapping[str, str],
    drawn: dict | None = None,
) -> dict:
    """What the timeline control (``static/newsmap/timeline.js``) draws: the days, the view's
    dates as offsets from ``first`` (clamped to the days), and the per-day chart of ``kept``
    (the events under the view's filters), or ``drawn``, that chart as ``chart`` made it."""
    drawn = drawn if drawn is not None else chart(kept, first)
    end = min(max(end, first), last)
    window_start = min(max(start, first), end) if start else first
    return {
        "first": first.isoformat(),
        "ndays": (last - first).days + 1,
        "mode": "window" if start else "cumulative",
        "start": (window_start - first).days if start else 0,
        "end": (end - first).days,
        "firstEventDay": drawn["firstEventDay"],
        "types": list(colours),
        "colours": list(colours.values()),
        "typeLabels": [type_labels.get(t, t) for t in colours],
        "perDay": drawn["perDay"],
        "label": "Show events up to",
    }
