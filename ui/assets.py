"""The app's custom components' code, as files of ``static/`` that the browser loads once.

Streamlit sends a component's inline JavaScript and CSS with every run of the script that
draws it, a fragment's rerun included. The inline part of our components is therefore only
two lines that import ``static/newsmap/mount.js``, a loader, and name the files (URLs with a
hash of their content, so a browser's cached copy is never stale) and the entry function
(``window.Newsmap.components[entry]``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache

import streamlit as st

from lib.map.offline import STATIC_DIR, static_base_url


@cache
def _digest(name: str) -> str:
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def url(name: str) -> str:
    """The URL of ``static/<name>`` under this server's ``server.baseUrlPath``, versioned."""
    base = static_base_url(st.get_option("server.baseUrlPath"))
    return f"{base}/{name}?v={_digest(name)}"


def component_js(entry: str, scripts: Sequence[str], styles: Sequence[str] = ()) -> str:
    """The inline JavaScript of a component whose code is ``scripts`` (loaded in order) and
    whose entry function is ``Newsmap.components[entry]``; ``styles`` are linked in its root."""
    args = ", ".join(
        json.dumps(x) for x in ([url(s) for s in scripts], [url(s) for s in styles], entry)
    )
    return (
        # A blob module: a root-relative specifier must be made absolute against the page.
        f"const loader = import(new URL({json.dumps(url('newsmap/mount.js'))}, location.href).href);\n"
        f"export default (component) => loader.then((m) => m.mount({args})(component));\n"
    )
