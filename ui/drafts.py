"""Unsaved working copies that survive a reload, by (login token nonce, file path).

A reload starts a new Streamlit session (session state is gone) but the browser sends the same
login cookie, so the editor's unsaved edits are kept here, in process memory, bounded; a restart
loses them (the ``beforeunload`` warning still asks first). Its own module so that ``ui.auth``
(which forgets a login's drafts at logout) and ``ui.editor_state`` (which keeps them) do not
import each other.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

#: At most this many drafts in a process; the oldest goes first.
MAX_DRAFTS = 20
_DRAFTS: OrderedDict[tuple[str, str], Any] = OrderedDict()
_lock = threading.Lock()


def put(nonce: str, path: str, draft: Any) -> None:
    key = (nonce, path)
    with _lock:
        _DRAFTS[key] = draft
        _DRAFTS.move_to_end(key)
        while len(_DRAFTS) > MAX_DRAFTS:
            _DRAFTS.popitem(last=False)


def drop(nonce: str, path: str) -> None:
    with _lock:
        _DRAFTS.pop((nonce, path), None)


def get(nonce: str, path: str) -> Any:
    with _lock:
        return _DRAFTS.get((nonce, path))


def forget(nonce: str) -> None:
    """Drop every draft of a login (at logout)."""
    with _lock:
        for key in [k for k in _DRAFTS if k[0] == nonce]:
            del _DRAFTS[key]
