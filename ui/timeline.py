"""The timeline control as a Streamlit custom component (Custom Components v2).

Its JavaScript runs in the app page (``static/newsmap/core.js``, ``timeline.js`` and
``component.js``, read from disk here, not kept as Python strings): the slider, Play and the
chart repaint in the browser and post each view straight to the map iframe. Python hears from
it only when the scrub settles (state ``view``) or a place is picked on the map (trigger
``select``); call it inside the ``st.fragment`` that renders what depends on the dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from lib.offline import STATIC_DIR

_FILES = ("newsmap/core.js", "newsmap/timeline.js", "newsmap/component.js")


def _read(name: str) -> str:
    return (Path(STATIC_DIR) / name).read_text(encoding="utf-8")


_component = st.components.v2.component(
    "newsmap_timeline",
    js="\n".join(_read(f) for f in _FILES),
    css=_read("newsmap/timeline.css"),
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


def timeline(
    config: dict,
    filters: dict,
    place: str | None,
    *,
    key: str,
    on_select: Callable[[str], None] | None = None,
) -> Settled:
    """Draw the control; return what it reported since the last run.

    ``config``: the timeline's data (``first``, ``ndays``, ``mode``, ``start``, ``end``, chart);
    ``filters``: ``types``, ``claimants``, ``articles`` as lists of names, sent on to the map.
    ``on_select(place_id)`` runs before the rerun that a click on the map causes, so the
    caller can make the clicked place the one passed as ``place`` in that very run: a place
    applied only after this call would be sent to the map as the previous one, and the map
    would show the old selection again.
    """

    def selected() -> None:
        select = _field(st.session_state.get(key), "select")
        if on_select is not None and isinstance(select, str):
            on_select(select)

    result = _component(
        key=key,
        data={"timeline": config, "filters": filters, "place": place},
        default={"view": None},
        on_view_change=lambda: None,
        on_select_change=selected,
    )
    view = _field(result, "view")
    select = _field(result, "select")
    view = view or {}
    mode = view.get("mode") if view.get("mode") in ("cumulative", "window") else None
    return Settled(
        mode=mode,
        start=_date(view.get("start")),
        end=_date(view.get("end")),
        select=select if isinstance(select, str) else None,
    )
