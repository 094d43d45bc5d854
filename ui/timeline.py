"""The timeline control as a Streamlit custom component (Custom Components v2).

Its JavaScript runs in the app page (``static/newsmap/core.js``, ``timeline.js`` and
``component.js``, read from disk here, not kept as Python strings): the slider, Play and the
chart repaint in the browser and post each view straight to the map iframe. Python hears from
it only when the scrub settles (state ``view``) or a place is picked on the map (trigger
``select``); call it inside the ``st.fragment`` that renders what depends on the dates.
"""

from __future__ import annotations

import datetime as dt
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


def timeline(config: dict, filters: dict, place: str | None, *, key: str) -> Settled:
    """Draw the control; return what it reported since the last run.

    ``config``: the timeline's data (``first``, ``ndays``, ``mode``, ``start``, ``end``, chart);
    ``filters``: ``types``, ``claimants``, ``articles`` as lists of names, sent on to the map.
    """
    result = _component(
        key=key,
        data={"timeline": config, "filters": filters, "place": place},
        default={"view": None},
        on_view_change=lambda: None,
        on_select_change=lambda: None,
    )
    view = result.get("view") if hasattr(result, "get") else getattr(result, "view", None)
    select = result.get("select") if hasattr(result, "get") else getattr(result, "select", None)
    view = view or {}
    mode = view.get("mode") if view.get("mode") in ("cumulative", "window") else None
    return Settled(
        mode=mode,
        start=_date(view.get("start")),
        end=_date(view.get("end")),
        select=select if isinstance(select, str) else None,
    )
