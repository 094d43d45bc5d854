"""A page-level guard: an unexpected error shows a short message, never a traceback.

Readers must not see server paths or code. ``.streamlit/config.toml`` sets
``client.showErrorDetails = "none"`` for whatever escapes a page; this guard catches the error
first, logs it with its traceback on the server (``logging``, logger ``newsmap.pages``), and
shows a one-line message with a reference that matches the log line, then stops the page.
Streamlit's own control flow (``st.stop``, ``st.rerun``, ``st.switch_page``) passes through:
those are ``BaseException``s, not ``Exception``s.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

LOG = logging.getLogger("newsmap.pages")
#: The start of every message the guard shows; tests look for it to prove a page did not fail.
MESSAGE = "Something went wrong while showing"


@contextmanager
def page(what: str) -> Iterator[None]:
    """Run the block; on an unexpected error, log it, say so in one line and stop the page.

    ``what`` names what was being shown, for the reader ("this article", "the picture").
    """
    try:
        yield
    except Exception:
        reference = secrets.token_hex(4)
        LOG.exception("page error %s while showing %s", reference, what)
        st.error(
            f"{MESSAGE} {what}. The details are in the server log (reference {reference}); "
            "reloading the page or choosing another view may help."
        )
        st.stop()
