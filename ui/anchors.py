"""Scroll to the passage a link names (``#m<offset>``) once the Articles page has drawn it.

A browser jumps to a fragment when the page loads; Streamlit draws the article later, over its
websocket, so the jump finds nothing and the reader lands at the top, thousands of pixels above
the passage on a phone. ``st.html`` runs no scripts, so a JavaScript-only custom component
(Components v2 run in the app page itself, not an iframe) waits for the element and scrolls to
it; see static/a11y/passage-target.js.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_JS = Path(__file__).resolve().parent.parent / "static" / "a11y" / "passage-target.js"
_scroller = st.components.v2.component("newsmap_passage_target", js=_JS.read_text("utf-8"))


def scroll_to_fragment() -> None:
    """Mount the scroller; call it after the content holding the ids is on the page."""
    _scroller(key="newsmap-passage-target")
