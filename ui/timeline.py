"""The timeline control as a Streamlit custom component (Custom Components v2).

Its JavaScript runs in the app page (``static/newsmap/core.js``, ``timeline.js`` and
``component.js``, loaded as files by ``ui.assets``, so a rerun does not resend them): the slider, Play and the
chart repaint in the browser and post each view straight to the map iframe. Python hears from
it only when the scrub settles (state ``view``), a place is picked on the map (trigger
``select``), or the map has painted for the first time (trigger ``painted``: the page draws
the map first and the rest after); call it inside the ``st.fragment`` that renders what
depends on the dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ui import assets

#: The fields of the timeline's config that a settle changes (the rest is sent when it changes).
VIEW_FIELDS = ("mode", "start", "end")

_component = st.components.v2.component(
    "newsmap_timeline",
    js=assets.component_js(
        "timeline",
        ["newsmap/core.js", "newsmap/timeline.js", "newsmap/component.js"],
        ["newsmap/timeline.css"],
    ),
    isolate_styles=False,
)


@dataclass(frozen=True)
class Settled:
    """What the reader settled on: the view's dates, and a place picked on the map."""

    mode: str | None
    start: dt.date | None
    end: dt.date | None
    select: str | None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _field(value: object, name: str) -> object:
    return value.get(name) if hasattr(value, "get") else getattr(value, name, None)


def _settled(result: object) -> Settled:
    view = _field(result, "view") or {}
    select = _field(result, "select")
    mode = _field(view, "mode")
    return Settled(
        mode=mode if mode in ("cumulative", "window") else None,
        start=_date(_field(view, "start")),
        end=_date(_field(view, "end")),
        select=select if isinstance(select, str) else None,
    )


def timeline(
    config: dict,
    filters: dict,
    place: str | None,
    *,
    key: str,
    on_settle: Callable[[Settled], None] | None = None,
    on_select: Callable[[str], None] | None = None,
    on_painted: Callable[[], None] | None = None,
    resend: bool = True,
    chart_key: str | None = None,
) -> Settled:
    """Draw the control; return what it reported since the last run.

    ``config``: the timeline's data (``first``, ``ndays``, ``mode``, ``start``, ``end``, chart);
    ``filters``: ``types``, ``claimants``, ``articles`` as lists of names, sent on to the map.

    ``on_settle(settled)`` and ``on_select(place_id)`` run *before* the rerun that a settle or
    a click on the map causes, so the caller can apply them to what it passes in that very
    run. Applied only after this call, the control would be drawn with the previous dates
    (or place) and send them to the map: after a second scrub the map jumped back to the
    first one's day, and a clicked place lost its selection to the previous one.

    ``on_painted()`` runs when the map beside the control has painted for the first time (or,
    if it never says so, a few seconds after the control appeared), before the rerun it causes.

    ``resend=False`` (a rerun of the fragment alone, whose control is still in the page) sends
    only the view's dates when the rest of ``config`` (the days and the chart) is what this
    session was last sent: a settle then costs a few hundred bytes, not the chart again.
    ``chart_key`` names the chart (the data's stamp and the filters), so that it need not be
    hashed (at 100,000 events it is long).
    """
    sent_key = f"{key}.sent"
    skip = (*VIEW_FIELDS, "perDay") if chart_key else VIEW_FIELDS
    chart = {k: v for k, v in config.items() if k not in skip}
    text = json.dumps(chart, sort_keys=True) + (chart_key or "")
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    if not resend and st.session_state.get(sent_key) == digest:
        config = {**{k: config[k] for k in VIEW_FIELDS}, "partial": digest}
    st.session_state[sent_key] = digest

    def need() -> None:
        st.session_state.pop(sent_key, None)

    def settled() -> None:
        if on_settle is not None:
            on_settle(_settled(st.session_state.get(key)))

    def selected() -> None:
        select = _field(st.session_state.get(key), "select")
        if on_select is not None and isinstance(select, str):
            on_select(select)

    def painted() -> None:
        if on_painted is not None:
            on_painted()

    result = _component(
        key=key,
        data={"timeline": config, "filters": filters, "place": place},
        default={"view": None},
        on_view_change=settled,
        on_select_change=selected,
        on_need_change=need,
        on_painted_change=painted,
    )
    return _settled(result)
