"""Cached access to the data set for every page.

The cache key includes a stamp of the data files (size and modification time of each), so a
save from the editor pages, a ``git pull`` or a hand edit is picked up on the next rerun without
anyone clearing anything. ``refresh()`` exists for callers that want it immediately.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.dataset import Dataset, Paths, data_dir, load_dataset


def _stamp(root: Path) -> tuple:
    paths = Paths(root)
    files = [paths.events, paths.gazetteer, *sorted(paths.articles.glob("*"))]
    stamp = []
    for path in files:
        try:
            info = path.stat()
        except FileNotFoundError:
            continue
        stamp.append((path.name, info.st_size, info.st_mtime_ns))
    return tuple(stamp)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(root: str, stamp: tuple) -> Dataset:
    # cache_resource: the Dataset is shared read-only between sessions (frozen dataclasses),
    # which avoids unpickling it on every rerun. Never mutate what this returns.
    return load_dataset(Path(root))


def dataset() -> Dataset:
    """The current data set, reloaded whenever a data file changed on disk."""
    root = data_dir()
    return _load(str(root), _stamp(root))


def refresh() -> None:
    """Drop every cached copy (after a save, to free memory at once)."""
    _load.clear()
    _frame.clear()
    _mentions.clear()


@st.cache_resource(show_spinner=False, max_entries=4)
def _frame(root: str, stamp: tuple):
    # cache_resource, not cache_data: cache_data unpickles a copy on every rerun, which cost
    # most of a slider step at 100,000 events. Shared read-only: callers derive new frames
    # (filtering, pandas copy-on-write) and never assign into this one.
    from lib.timeline import events_frame

    data = _load(root, stamp)
    return events_frame(data.events.events, data.gazetteer)


def frame():
    """The events as a DataFrame, one row per (event, place); see lib.timeline.events_frame."""
    root = data_dir()
    return _frame(str(root), _stamp(root))


@st.cache_resource(show_spinner=False, max_entries=4)
def _mentions(root: str, stamp: tuple):
    from lib.mentions import build_index, by_place

    data = _load(root, stamp)
    index = build_index(data.articles.values(), data.gazetteer)
    by_article: dict[str, list] = {}
    for mention in index:
        by_article.setdefault(mention.article_id, []).append(mention)
    return by_place(index), by_article


def mentions():
    """``(by place id, by article id)`` lists of lib.mentions.Mention, shared read-only."""
    root = data_dir()
    return _mentions(str(root), _stamp(root))
