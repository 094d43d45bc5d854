"""The reader UI of the main page, drawn in the browser: the place panel and the events table.

They are drawn by ``static/newsmap/panel.js``, the functions the reader edition and the
single-file export use, in a custom component (``static/newsmap/reader.js``) that runs in the
app page: the table from the map's own data (the engine in the map's iframe), the panel from
the chosen place's data (``lib.map.panel.place_data`` via ``ui.data.place_panel``), sent once
per place and data version. A settle of the timeline redraws both in the browser; Python sends
a place's data when a place is chosen, and nothing else.
"""

from __future__ import annotations

import streamlit as st

from lib.map.viewstate import ViewState
from ui import assets, exports
from ui import data as store

#: The ``key`` of the place data this session was last sent (so a settle does not resend it).
SENT = "reader.sent"

_component = st.components.v2.component(
    "newsmap_reader",
    js=assets.component_js(
        "reader",
        ["newsmap/core.js", "newsmap/params.js", "newsmap/panel.js", "newsmap/reader.js"],
        ["newsmap/edition.css", "app/reader.css"],
    ),
)


def _resend() -> None:
    """The browser lost a place's data (a new page, a reload): send it on this rerun."""
    st.session_state.pop(SENT, None)


def panel(state: ViewState, *, key: str, resend: bool = True) -> None:
    """The place panel of ``state.place`` (or the hint and the list of places without one).

    The place's data is sent when the place or the data changed, or with ``resend`` (a run of
    the whole page, which may have a new panel element): not on a settle, which only moves
    the dates the browser filters the panel by."""
    place = state.place or ""
    sent_key = f"{store.stamp()}:{place}"
    data = None
    if place and (resend or st.session_state.get(SENT) != sent_key):
        data = store.place_panel(place)
        st.session_state[SENT] = sent_key
    _component(
        key=key,
        data={
            "role": "panel",
            "place": place,
            "key": sent_key,
            "panel": data,
        },
        default={"need": None},
        on_need_change=_resend,
    )


def table(*, key: str) -> None:
    """The events in view, one row each (drawn in the browser from the map's data)."""
    _component(key=key, data={"role": "table"})


def screenshot_link(*, key: str) -> None:
    """A link to Screenshot mode showing the view (its address follows the timeline)."""
    _component(key=key, data={"role": "shot", "page": f"./{exports.SCREENSHOT_PAGE}"})
