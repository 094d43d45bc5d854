"""The one way untrusted text reaches a Streamlit element that renders Markdown.

``st.warning``, ``st.caption``, ``st.subheader`` and ``st.markdown`` all run Markdown over their
argument: a place name ``[Log in](http://evil.example)`` would become a live link, ``![x](...)``
a request from every reader's browser, and ``&lt;`` an entity. Each function here takes plain
text (from the data or the URL), escapes it with ``lib.data.text.markdown_escape`` and renders it.
Only the ``label`` of ``field`` is trusted Markdown, and it must be a literal in the page.

HTML fragments go through ``st.html`` with ``lib.data.text.escape`` instead (``ui/render.py``).
"""

from __future__ import annotations

import streamlit as st

from lib.data.text import markdown_escape


def warning(text: object) -> None:
    """``st.warning`` showing ``text`` exactly."""
    st.warning(markdown_escape(text))


def success(text: object) -> None:
    """``st.success`` showing ``text`` exactly."""
    st.success(markdown_escape(text))


def error(text: object) -> None:
    """``st.error`` showing ``text`` exactly."""
    st.error(markdown_escape(text))


def info(text: object) -> None:
    """``st.info`` showing ``text`` exactly."""
    st.info(markdown_escape(text))


def caption(text: object) -> None:
    """``st.caption`` showing ``text`` exactly."""
    st.caption(markdown_escape(text))


def subheader(text: object) -> None:
    """``st.subheader`` showing ``text`` exactly (no anchor link built from it)."""
    st.subheader(markdown_escape(text), anchor=False)


def markdown_text(text: object) -> None:
    """A paragraph showing ``text`` exactly."""
    st.markdown(markdown_escape(text))


def field(label: str, value: object) -> None:
    """``**label:** value``: the literal label in bold, the untrusted value as text."""
    st.markdown(f"**{label}:** {markdown_escape(value)}")
