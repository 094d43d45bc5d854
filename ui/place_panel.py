"""On a phone, scroll the place panel into view when the reader picks a place on the map.

Below the map on a narrow screen, the panel changed out of sight. ``st.html`` runs no scripts,
so a JavaScript-only custom component (run in the app page itself) does it; see
static/a11y/place-panel.js.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_JS = Path(__file__).resolve().parent.parent / "static" / "a11y" / "place-panel.js"
_scroller = st.components.v2.component("newsmap_place_panel", js=_JS.read_text("utf-8"))


def bring_into_view(place_id: str | None) -> None:
    """Mount the scroller after the panel; it scrolls when ``place_id`` changes on a phone."""
    _scroller(data={"place": place_id or ""}, key="newsmap-place-panel")
