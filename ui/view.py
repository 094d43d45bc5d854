"""State of the main view: URL query parameters <-> widgets, under one key prefix.

A reader's shareable view (dates, mode, filters, selected place) lives in the URL; the widgets
are initialised from it on a session's first run and write it back on every run. Everything
page-private sits in ``st.session_state`` under keys named here, nowhere else.

The dates are not a Streamlit widget (the timeline component owns the live slider): ``END`` and
``RANGE`` are plain session values, set when the scrub settles. Streamlit forgets the state of
widgets that a page does not draw, so going to Articles and back would reset the filters: every
run saves the view (``SAVED``), and a return without URL parameters restores it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.map.viewstate import Bounds, ViewState, state_from_params, state_to_params

PREFIX = "view."
END = PREFIX + "end"
RANGE = PREFIX + "range"
MODE = PREFIX + "mode"
TYPES = PREFIX + "types"
CLAIMANTS = PREFIX + "claimants"
ARTICLES = PREFIX + "articles"
PLACE = PREFIX + "place"
NOTES = PREFIX + "notes"
INITIALISED = PREFIX + "initialised"
MAP = PREFIX + "map"
TIMELINE = PREFIX + "timeline"
#: The component's last settled view that was applied (so a stale one is not re-applied).
SETTLED = PREFIX + "settled"
#: The view of the last run, as URL parameters: restored when a page link drops them.
SAVED = PREFIX + "saved"
PENDING = PREFIX + "pending"
#: Set by a run of the whole page, cleared by the fragment: a rerun of the fragment alone
#: (a settle) finds it unset, and sends the browser only what changed.
WHOLE_RUN = PREFIX + "whole_run"
#: Set when the session's map has painted (the timeline's trigger): until then the page draws
#: the map, the timeline and the title only, and leaves the filters, the place panel, the
#: table and the downloads to the run that the paint asks for.
MAP_PAINTED = PREFIX + "map_painted"


def map_painted() -> bool:
    """Whether this session's map has painted once (see ``MAP_PAINTED``)."""
    return bool(st.session_state.get(MAP_PAINTED))


def mark_map_painted() -> None:
    st.session_state[MAP_PAINTED] = True


def query_params() -> dict[str, str | list[str]]:
    """``st.query_params`` as ``lib.map.viewstate.state_from_params`` reads them (repeats as lists)."""
    out: dict[str, str | list[str]] = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        out[key] = values[0] if len(values) == 1 else values
    return out


def saved_params() -> dict[str, str | list[str]]:
    """The URL's view parameters, or, when a link dropped them, those of the last view shown."""
    params = query_params()
    if not params and isinstance(st.session_state.get(SAVED), dict):
        return dict(st.session_state[SAVED])
    return params


def init(bounds: Bounds) -> None:
    """Seed the widgets from the URL once per session (and again when the data's range moves).

    Also when the page comes back from another page, whose run made Streamlit drop the
    widgets' state: then from the URL if it has a view, else from the last view shown.
    """
    if (
        st.session_state.get(INITIALISED) == (bounds.first, bounds.last)
        and MODE in st.session_state
    ):
        return
    state, notes = state_from_params(saved_params(), bounds)
    st.session_state[END] = state.end
    st.session_state[RANGE] = (state.start or bounds.first, state.end)
    st.session_state[MODE] = state.mode
    st.session_state[TYPES] = list(state.types)
    st.session_state[CLAIMANTS] = list(state.claimants)
    st.session_state[ARTICLES] = list(state.articles)
    st.session_state[PLACE] = state.place
    st.session_state[NOTES] = notes
    st.session_state[INITIALISED] = (bounds.first, bounds.last)


def current(bounds: Bounds) -> ViewState:
    """The view as the widgets now say, clamped to the data."""
    mode = st.session_state.get(MODE, "cumulative")

    def clamp(day: dt.date) -> dt.date:
        return min(max(day, bounds.first), bounds.last)

    if mode == "window":
        start, end = st.session_state.get(RANGE, (bounds.first, bounds.last))
        start, end = clamp(start), clamp(end)
    else:
        start, end = None, clamp(st.session_state.get(END, bounds.last))
    return ViewState(
        end=end,
        start=start,
        mode=mode,
        types=tuple(st.session_state.get(TYPES, ())),
        claimants=tuple(st.session_state.get(CLAIMANTS, ())),
        articles=tuple(st.session_state.get(ARTICLES, ())),
        place=st.session_state.get(PLACE),
    )


def write_url(state: ViewState) -> None:
    """Make the address bar reproduce ``state`` (no rerun is triggered)."""
    wanted = state_to_params(state)
    st.session_state[SAVED] = wanted
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def settle(mode: str | None, start: dt.date | None, end: dt.date | None) -> bool:
    """Apply a view the timeline settled on, once; ``True`` if the dates changed."""
    key = (mode, start, end)
    if end is None or st.session_state.get(SETTLED) == key:
        return False
    st.session_state[SETTLED] = key
    if mode == "window" and start is not None:
        st.session_state[RANGE] = (start, end)
    else:
        st.session_state[END] = end
    return True


def request(**changes: object) -> None:
    """Change widget values on the next run (a widget's value cannot change after it is drawn).

    Keyword names are the constants' suffixes: ``request(end=day, mode="cumulative")``.
    Call ``st.rerun()`` afterwards.
    """
    pending = st.session_state.setdefault(PENDING, {})
    pending.update({PREFIX + name: value for name, value in changes.items()})


def apply_pending() -> None:
    """Apply what ``request`` asked for; call before any widget is drawn."""
    for key, value in st.session_state.pop(PENDING, {}).items():
        st.session_state[key] = value
