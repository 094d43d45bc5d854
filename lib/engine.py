"""The data the client-side time engine (``static/newsmap/engine.js``) receives, once.

Both the live map and the standalone HTML export send the browser every day's events in one
compact, columnar form and let the engine filter and restyle per view: the server sends
nothing per slider step. One row per (event, place) pair, sorted by day, as integer codes:

- ``places``: ``[id, name, lat, lon, pin (0|1), radius_m]`` in drawing order (large areas
  first, pins last, so smaller things stay on top), as ``lib.mapview`` has always drawn them;
- ``rows``: columns ``d`` (day offset from ``first``), ``p`` (place index), ``t`` (type index),
  ``c`` (claimant index, -1 for none), ``e`` (event index);
- ``events``: per event, ``x`` (1 if contested or disputed) and its articles as CSR
  (``ao`` offsets into ``ai`` article indices), so an article filter is one pass;
- ``info``: per event ``[date, claimant, status, summary, sources]`` for popups, plain text
  (the engine escapes it), or ``None`` above ``INFO_MAX`` events, where popups show counts and
  the panel beside the map lists the sources.

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

from lib.schema import EVENT_TYPES, PIN_PRECISIONS

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
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


def _day_label(day: dt.date, precision: str) -> str:
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
) -> dict:
    """Everything the engine needs for ``frame`` (one row per event and place; see
    ``lib.timeline.events_frame``), for days ``first`` to ``last`` inclusive."""
    types = list(EVENT_TYPES)
    if frame.empty:
        places_rows = frame
    else:
        places_rows = frame.drop_duplicates("place_id")
    order = sorted(
        places_rows.itertuples(index=False),
        key=lambda p: (p.precision in PIN_PRECISIONS, -float(p.uncertainty_km), p.place_id),
    )
    place_index = {p.place_id: i for i, p in enumerate(order)}
    places = [
        [
            p.place_id,
            str(p.place_name),
            round(float(p.lat), 5),
            round(float(p.lon), 5),
            1 if p.precision in PIN_PRECISIONS else 0,
            round(float(p.uncertainty_km) * 1000),
        ]
        for p in order
    ]
    claimants = sorted({c for c in frame["claimant"].unique() if c}) if not frame.empty else []
    claimant_index = {c: i for i, c in enumerate(claimants)}
    article_ids = (
        sorted({a for cell in frame["articles"].unique() for a in cell.split("; ") if a})
        if not frame.empty
        else []
    )
    article_index = {a: i for i, a in enumerate(article_ids)}

    # Events in a stable order (by day, then id), so the same data gives the same bytes.
    unique = (
        frame.drop_duplicates("event_id").sort_values(["day", "event_id"])
        if not frame.empty
        else frame
    )
    event_ids = unique["event_id"].tolist() if not frame.empty else []
    event_index = {e: i for i, e in enumerate(event_ids)}
    contested = (
        ((unique["contested_with"] != "") | (unique["status"] == "disputed")).astype(int).tolist()
        if not frame.empty
        else []
    )
    offsets, indices = [0], []
    for cell in unique["articles"].tolist() if not frame.empty else []:
        indices.extend(article_index[a] for a in cell.split("; ") if a in article_index)
        offsets.append(len(indices))

    if frame.empty:
        rows = {"d": [], "p": [], "t": [], "c": [], "e": []}
    else:
        ordered = frame.assign(_e=frame["event_id"].map(event_index)).sort_values(
            ["day", "_e", "place_id"], kind="stable"
        )
        type_code = {t: i for i, t in enumerate(types)}
        rows = {
            "d": (ordered["day"].to_numpy(dtype=np.int64) - first.toordinal()).tolist(),
            "p": ordered["place_id"].map(place_index).astype(int).tolist(),
            "t": ordered["event_type"].map(type_code).fillna(len(types) - 1).astype(int).tolist(),
            "c": ordered["claimant"].map(claimant_index).fillna(-1).astype(int).tolist(),
            "e": ordered["_e"].astype(int).tolist(),
        }

    info = None
    if len(event_ids) <= info_max and not frame.empty:
        heads = headlines or {}
        info = [
            [
                _day_label(r.date, r.date_precision),
                str(r.claimant),
                str(r.status),
                str(r.summary),
                "; ".join(heads.get(a, a) for a in str(r.articles).split("; ") if a),
            ]
            for r in unique.itertuples(index=False)
        ]
    return {
        "v": 1,
        "first": first.isoformat(),
        "ndays": (last - first).days + 1,
        "title": title,
        "types": types,
        "typeLabels": [type_labels.get(t, t) for t in types],
        "colours": [colours.get(t, "#333333") for t in types],
        "claimants": claimants,
        "articles": article_ids,
        "places": places,
        "rows": rows,
        "events": {"x": contested, "ao": offsets, "ai": indices},
        "info": info,
        "popupEvents": POPUP_EVENTS,
        "popupNote": popup_note,
    }


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


def timeline_config(
    kept: pd.DataFrame,
    *,
    first: dt.date,
    last: dt.date,
    end: dt.date,
    start: dt.date | None = None,
    type_labels: Mapping[str, str],
    colours: Mapping[str, str],
) -> dict:
    """What the timeline control (``static/newsmap/timeline.js``) draws: the days, the view's
    dates as offsets from ``first`` (clamped to the days), and the per-day chart of ``kept``
    (the events under the view's filters). ``start`` given means window mode."""
    end = min(max(end, first), last)
    window_start = min(max(start, first), end) if start else first
    return {
        "first": first.isoformat(),
        "ndays": (last - first).days + 1,
        "mode": "window" if start else "cumulative",
        "start": (window_start - first).days if start else 0,
        "end": (end - first).days,
        "firstEventDay": first_event_day(kept, first),
        "types": list(colours),
        "colours": list(colours.values()),
        "typeLabels": [type_labels.get(t, t) for t in colours],
        "perDay": per_day(kept, first),
        "label": "Show events up to",
    }
