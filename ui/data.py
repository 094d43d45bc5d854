"""Cached access to the data set for every page.

The cache key includes a stamp of the data files (size and modification time of each), so a
save from the editor pages, a ``git pull`` or a hand edit is picked up on the next rerun without
anyone clearing anything. ``refresh()`` exists for callers that want it immediately.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import streamlit as st

from lib.data.dataset import Dataset, Paths, data_dir, load_dataset
from lib.editing.corpus import recover_once

#: How long a stamp is reused: stat()ing every article and hashing the result as a cache key
#: on every rerun cost about half of a slider step at 10,000 articles. A change to the files an
#: editor's save writes is seen at once, whatever the age of the stamp (``_quick``).
STAMP_TTL_S = 1.0
_stamps: dict[str, tuple[float, str, tuple]] = {}


def _quick(paths: Paths) -> tuple:
    """What the app's saves change, in three stat() calls: events.csv, the gazetteer, and the
    articles folder (a save replaces a file, which changes its folder)."""
    out = []
    for path in (paths.events, paths.gazetteer, paths.articles):
        try:
            info = path.stat()
            out.append((info.st_ino, info.st_size, info.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def _stamp(root: Path) -> str:
    """Digest of every data file's name, size and mtime; recomputed at most every STAMP_TTL_S,
    or at once when ``_quick`` sees a save (a reader's next settle then shows it)."""
    now = time.monotonic()
    paths = Paths(root)
    quick = _quick(paths)
    hit = _stamps.get(str(root))
    if hit and now - hit[0] < STAMP_TTL_S and hit[2] == quick:
        return hit[1]
    entries = []
    for path in (paths.events, paths.gazetteer):
        try:
            entries.append((path.name, path.stat()))
        except OSError:  # missing, or a broken path: the loader reports it
            pass
    try:
        # follow_symlinks=False: a dangling link in articles/ must not hide every other file.
        with os.scandir(paths.articles) as found:
            entries += sorted(
                ((e.name, e.stat(follow_symlinks=False)) for e in found), key=lambda e: e[0]
            )
    except OSError:  # articles/ missing or not a directory: the loader reports it
        pass
    digest = hashlib.blake2b(digest_size=16)
    for name, info in entries:
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    _stamps[str(root)] = (now, digest.hexdigest(), quick)
    return _stamps[str(root)][1]


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(root: str, stamp: str) -> Dataset:
    # cache_resource: the Dataset is shared read-only between sessions (frozen dataclasses),
    # which avoids unpickling it on every rerun. Never mutate what this returns.
    return _validated(Path(root))


def _validated(root: Path) -> Dataset:
    """The data set, validated once per content: the first visitor after a server start need
    not wait for 100,000 events to be parsed and checked again (about 10 s). The pickle sits in
    lib.pictures.export's cache directory, keyed by the SHA-256 of every data file and the loaders' code
    (``export.data_fingerprint``); a cache that cannot be read or written is only slower."""
    import pickle

    from lib.pictures import export

    key = export.data_fingerprint(root, dt.date.today())
    file = export.cache_dir() / f"dataset-{key}.pickle"
    try:
        with file.open("rb") as handle:
            cached = pickle.load(handle)
        if isinstance(cached, Dataset):
            return cached
    except Exception:  # noqa: BLE001 - missing or unreadable cache: load as usual
        pass
    data = load_dataset(root)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        for old in file.parent.glob("dataset-*.pickle"):
            old.unlink(missing_ok=True)  # one data set at a time: the cache never grows
        tmp = file.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except Exception:  # noqa: BLE001 - a read-only home: no cache
        pass
    return data


def stamp() -> str:
    """The data files' stamp now (changes with any save, on any replica sharing the files)."""
    return _stamp(data_dir())


def dataset() -> Dataset:
    """The current data set, reloaded whenever a data file changed on disk."""
    root = data_dir()
    # Once per process: roll back an Add article a crash interrupted, remove stale temp files.
    recover_once(root)
    return _load(str(root), _stamp(root))


def refresh() -> None:
    """Drop every cached copy (after a save, to free memory at once)."""
    _stamps.clear()
    _load.clear()
    _frame.clear()
    _mentions.clear()
    _headlines.clear()
    _per_day.clear()
    _engine_data.clear()
    _engine_json.clear()
    _records.clear()
    _chart.clear()


@st.cache_resource(show_spinner=False, max_entries=4)
def _frame(root: str, stamp: str):
    # cache_resource, not cache_data: cache_data unpickles a copy on every rerun, which cost
    # most of a slider step at 100,000 events. Shared read-only: callers derive new frames
    # (filtering, pandas copy-on-write) and never assign into this one.
    from lib.data.events import for_readers
    from lib.map.panel import with_corroboration
    from lib.map.viewstate import events_frame

    data = _load(root, stamp)
    # Readers see approved rows only (lib.data.events.for_readers); drafts stay with editors.
    frame = events_frame(for_readers(data.events.events), data.gazetteer)
    # For the cards: how many outlets report each event, computed from the articles.
    return with_corroboration(frame, data.articles)


def frame():
    """The events as a DataFrame, one row per (event, place); see lib.map.viewstate.events_frame."""
    root = data_dir()
    return _frame(str(root), _stamp(root))


@st.cache_resource(show_spinner=False, max_entries=4)
def _mentions(root: str, stamp: str):
    from lib.data.mentions import build_index, by_place

    data = _load(root, stamp)
    index = build_index(data.articles.values(), data.gazetteer)
    by_article: dict[str, list] = {}
    for mention in index:
        by_article.setdefault(mention.article_id, []).append(mention)
    return by_place(index), by_article


def mentions():
    """``(by place id, by article id)`` lists of lib.data.mentions.Mention, shared read-only."""
    root = data_dir()
    return _mentions(str(root), _stamp(root))


@st.cache_resource(show_spinner=False, max_entries=4)
def _headlines(root: str, stamp: str) -> dict[str, str]:
    return {a.id: a.headline for a in _load(root, stamp).articles.values()}


def headlines() -> dict[str, str]:
    """Article id -> headline, computed once per data set (not per rerun)."""
    root = data_dir()
    return _headlines(str(root), _stamp(root))


@st.cache_data(show_spinner=False, max_entries=64)
def _per_day(root: str, stamp: str, types: tuple, claimants: tuple, articles: tuple):
    from lib.map.viewstate import ViewState, counts_per_day, filter_events

    state = ViewState(end=dt.date.max, types=types, claimants=claimants, articles=articles)
    return counts_per_day(filter_events(_frame(root, stamp), state, ignore_dates=True))


def per_day(types: tuple, claimants: tuple, articles: tuple):
    """Events per day and type under the filters (dates ignored): the chart under the slider."""
    root = data_dir()
    return _per_day(str(root), _stamp(root), types, claimants, articles)


@st.cache_resource(show_spinner=False, max_entries=4)
def _engine_data(root: str, stamp: str) -> dict:
    # Built once per data set, shared read-only. (The folium map itself is built per run: a
    # folium element rendered twice loses its variables in the page.)
    from lib.map import engine, mapview
    from lib.map.viewstate import Bounds

    data = _load(root, stamp)
    frame = _frame(root, stamp)
    bounds = Bounds.of(frame, data.articles, data.gazetteer.places)
    payload = engine.engine_data(
        frame,
        first=bounds.first,
        last=bounds.last,
        type_labels=mapview.TYPE_LABELS,
        colours=mapview.TYPE_COLOURS,
        headlines=_headlines(root, stamp),
        popup_note="The panel beside the map lists every source and passage for this place.",
    )
    return payload


@st.cache_resource(show_spinner=False, max_entries=4)
def _records(root: str, stamp: str) -> tuple[dict[str, list], dict[str, list[str]]]:
    # The place panel's event records (lib.map.panel.event_record) of every event, and the
    # event ids at each place: built once per data set, so opening a place costs a lookup.
    from lib.map.panel import event_records
    from lib.map.viewstate import Bounds

    data = _load(root, stamp)
    frame = _frame(root, stamp)
    first = Bounds.of(frame, data.articles, data.gazetteer.places).first
    at = {p: list(ids) for p, ids in frame.groupby("place_id")["event_id"].unique().items()}
    return event_records(frame, first), at


def place_panel(place_id: str) -> dict | None:
    """What the place panel shows for ``place_id`` (lib.map.panel.place_data: its events at
    every date, the rival claims they answer, every passage naming it), with who changed each
    of its events last; ``None`` for a place the gazetteer does not have. Drawn in the browser
    by static/newsmap/panel.js, as the reader edition draws it."""
    from lib.map.panel import place_data

    root = data_dir()
    stamp = _stamp(root)
    data = _load(str(root), stamp)
    place = data.gazetteer.places.get(place_id)
    if place is None:
        return None
    records, at = _records(str(root), stamp)
    by_place, _ = _mentions(str(root), stamp)
    panel = place_data(
        place, at.get(place_id, []), records, by_place.get(place_id, []), data.articles
    )
    changes = last_changes()
    ids = [r[0] for r in (*panel["events"], *panel["rivals"])]
    panel["changes"] = {i: list(changes[i]) for i in ids if i in changes}
    return panel


@st.cache_resource(show_spinner=False, max_entries=64)
def _chart(root: str, stamp: str, types: tuple, claimants: tuple, articles: tuple) -> dict:
    from lib.map import engine
    from lib.map.viewstate import Bounds, ViewState, filter_events

    data = _load(root, stamp)
    frame = _frame(root, stamp)
    first = Bounds.of(frame, data.articles, data.gazetteer.places).first
    state = ViewState(end=dt.date.max, types=types, claimants=claimants, articles=articles)
    return engine.chart(filter_events(frame, state, ignore_dates=True), first)


def chart(types: tuple, claimants: tuple, articles: tuple) -> dict:
    """The timeline's chart under these filters (lib.map.engine.chart), once per data set and
    filters: a settle, which changes only the dates, does not rebuild it."""
    root = data_dir()
    return _chart(str(root), _stamp(root), tuple(types), tuple(claimants), tuple(articles))


def warm() -> str:
    """Fill every cache the main page reads (before any reader asks: ``ui.replica``); returns
    the data stamp they hold."""
    root = data_dir()
    current = _stamp(root)
    dataset()
    frame()
    headlines()
    mentions()
    _engine_data(str(root), current)
    _engine_json(str(root), current)
    _records(str(root), current)
    chart((), (), ())
    return current


def engine_data() -> dict:
    """The time engine's data of the current data set (lib.map.engine.engine_data), as the
    live map sends it: what the browser filters, counts and lists the events from."""
    root = data_dir()
    return _engine_data(str(root), _stamp(root))


@st.cache_resource(show_spinner=False, max_entries=4)
def _engine_json(root: str, stamp: str) -> str:
    from lib.map.engine import script_json

    return script_json(_engine_data(root, stamp))


def live_map(tiles: bool, static_url: str):
    """The dashboard's folium map with the time engine and every event (see lib.map.mapview).

    The same data and settings give the same map arguments, so streamlit-folium keeps the
    iframe (and the reader's pan and zoom) across reruns.
    """
    from lib.map import mapview

    root = data_dir()
    # The engine data as JSON, made once per data set (not on every run of the page).
    data = _engine_json(str(root), _stamp(root))
    return mapview.live_map(data, tiles=tiles, static_url=static_url)


@st.cache_data(show_spinner=False, max_entries=4)
def _last_changes(root: str, stamp: str) -> dict[str, tuple[str, str]]:
    from lib.editing import history

    return history.last_change_by_event(Path(root))


def last_changes() -> dict[str, tuple[str, str]]:
    """``{event id: (who, when)}`` from the editors' history (lib.editing.history), per log change."""
    from lib.editing import history

    root = data_dir()
    return _last_changes(str(root), history.log_stamp(root))
