"""``python -m lib publish OUT_DIR``: the reader edition, a folder any web server or CDN serves.

What it writes (every URL in it relative, so the folder works under any path of any host, from
``file://`` and offline)::

    OUT_DIR/index.html                       the page (short cache: it names everything else)
    OUT_DIR/assets/<name>.<hash>.js|css       the engine (static/newsmap/) and Leaflet, as the app has them
    OUT_DIR/assets/images/                    Leaflet's own images (leaflet.css names them)
    OUT_DIR/data/engine.<hash>.js             the first paint: lib.map.engine.engine_data
    OUT_DIR/data/manifest.<hash>.js           where each place's and article's file is (after the paint)
    OUT_DIR/data/places/<hash>.js             a place: its events, rival claims, passages
    OUT_DIR/data/articles/<hash>.js           an article: text, metadata, names to highlight
    OUT_DIR/data/outlines.<hash>.js           province outlines and names
    OUT_DIR/data/events.csv                   the approved events, one row per event and place
    OUT_DIR/datapackage.json                  its Frictionless Data Package (lib.data.package)
    OUT_DIR/edition.json                      this publication's time, history position, files

Data files are scripts that hand their JSON to ``Newsmap.receive(key, data)``
(``static/newsmap/edition.js``), not ``.json`` read with ``fetch``: Chromium refuses ``fetch``
on ``file://`` but runs a ``<script src>`` there. Every name but ``index.html``,
``edition.json`` and the data package's two files carries the SHA-256 of its bytes (16 hex
digits), so a CDN may cache them for a year; the CSV keeps one address for whoever reuses it. The folder is built beside ``OUT_DIR`` and swapped in at the end (one ``renameat2``
exchange on Linux), so a publish that fails or is killed leaves the previous edition whole;
the previous edition's hashed files stay one more publication, for readers who have it open.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import settings, story
from lib.data.articles import Article
from lib.data.dataset import Dataset, data_dir, load_dataset
from lib.data.events import for_readers
from lib.data.gazetteer import Gazetteer
from lib.data.mentions import Mention, build_index, by_place
from lib.data.package import events_package, package_json
from lib.data.text import escape
from lib.editing import history
from lib.edition.corrections import Correction, corrections_since
from lib.map import engine, mapview
from lib.map.panel import event_records, headline, place_data, with_corroboration
from lib.map.viewstate import FRAME_COLUMNS, Bounds, events_frame, group_by_place
from lib.pictures.export import events_csv
from lib.pictures.presentation import FIT_MAX_ZOOM, fit_bounds
from lib.places import boundaries

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
#: The engine's files as the app loads them, then the edition's own; in this order.
JS_FILES = (
    "vendor/leaflet-1.9.3/leaflet.js",
    *mapview.ENGINE_JS,
    "newsmap/timeline.js",
    "newsmap/basemap.js",
    "newsmap/params.js",
    "newsmap/panel.js",
    "newsmap/edition.js",
)
CSS_FILES = (
    "vendor/leaflet-1.9.3/leaflet.css",
    *mapview.ENGINE_CSS,
    "newsmap/timeline.css",
    "newsmap/edition.css",
)
LEAFLET_IMAGES = STATIC_DIR / "vendor" / "leaflet-1.9.3" / "images"
STATE_FILE = "edition.json"
#: The approved events for reuse, under a name that stays (datapackage.json names it).
EVENTS_CSV = "data/events.csv"
HASH_LENGTH = 16
#: The page's title: the story's (story.toml), as the app and the pictures have it.
DEFAULT_TITLE = story.current().title


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def data_script(key: str, value: object) -> bytes:
    """A data file: ``Newsmap.receive(key, JSON.parse("..."))``.

    JSON text in a string, not an object literal: browsers parse ``JSON.parse`` of a string
    faster than the same data as script (V8's guidance for anything over 10 KB). Both go
    through ``script_json``, so the file holds no ``<``, no line separators, no Jinja pair."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        f"Newsmap.receive({engine.script_json(key)},JSON.parse({engine.script_json(text)}));\n"
    ).encode()


def read_data_script(data: bytes) -> tuple[str, object]:
    """The key and value of a ``data_script`` file (for tests and benchmarks)."""
    text = data.decode()
    prefix, call = "Newsmap.receive(", ",JSON.parse("
    if not text.startswith(prefix):
        raise ValueError("not a data script")
    decoder = json.JSONDecoder()
    key, end = decoder.raw_decode(text, len(prefix))
    if not text.startswith(call, end):
        raise ValueError("not a data script")
    inner, _ = decoder.raw_decode(text, end + len(call))
    return key, json.loads(inner)


@dataclass
class Edition:
    """The files of one edition: relative path -> bytes."""

    files: dict[str, bytes] = field(default_factory=dict)

    def add_hashed(self, folder: str, stem: str, ext: str, data: bytes) -> str:
        """Store ``data`` under a content-hashed name; returns its relative path."""
        name = f"{stem}.{content_hash(data)}.{ext}" if stem else f"{content_hash(data)}.{ext}"
        path = f"{folder}/{name}"
        self.files[path] = data
        return path


# --- what a place and an article carry ------------------------------------------------------


def article_data(article: Article, mentions: list[Mention], gazetteer: Gazetteer) -> dict:
    """The article reader's content: text, metadata, the publication-date reasoning, the
    boilerplate lines, and each place name in it (``[start, end, place id]``)."""
    return {
        "id": article.id,
        "headline": article.headline,
        "label": headline(article, article.id),
        "outlet": article.outlet,
        "outletEvidence": article.outlet_evidence,
        "published": article.published_label,
        "reasoning": article.date_reasoning,
        "notes": article.notes,
        "text": article.text,
        "boilerplate": sorted(article.boilerplate_lines),
        "mentions": [[m.start, m.end, m.place_id] for m in mentions],
        "places": {
            m.place_id: gazetteer.places[m.place_id].name
            for m in mentions
            if m.place_id in gazetteer.places
        },
    }


def _outlines() -> dict:
    labels = []
    for feature in boundaries.load(boundaries.ADM1_FILE)["features"]:
        lat, lon, _ = boundaries.centroid_and_area(feature["geometry"])
        # Plain text: edition.js escapes it, as it does every other string.
        labels.append([feature["properties"]["shapeName"], round(lat, 4), round(lon, 4)])
    return {"geojson": boundaries.simplified(), "labels": labels}


# --- the page ---------------------------------------------------------------------------------


def index_html(
    title: str,
    css: list[str],
    js: list[str],
    engine_file: str,
    manifest: str,
    published: dt.datetime,
) -> str:
    """The page: a shell the scripts fill. Only ``title`` is data, escaped here. Scripts are
    deferred (run in order once the page is parsed), so the heading paints before them."""
    links = "".join(f'<link rel="stylesheet" href="{escape(c)}">' for c in css)
    scripts = "".join(f'<script src="{escape(s)}" defer></script>' for s in js)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title>"
        f'<meta name="description" content="{escape(title)}: an interactive map of the events '
        'as reported, with every article they come from.">'
        # Loaded once the map is painted: the first paint does not wait for it.
        f'<meta name="nm-manifest" content="{escape(manifest)}">'
        f"{links}</head>"
        '<body class="nme">'
        '<a class="nme-skip" href="#nme-panel">Skip to the place panel</a>'
        f'<header class="nme-head"><h1>{escape(title)}</h1>'
        f'<p class="nme-published" id="nme-published">Last published '
        f"{published:%-d %B %Y %H:%M} UTC.</p>"
        '<div id="nme-notes" class="nme-notes"></div>'
        '<noscript><p class="nme-note">This map needs JavaScript.</p></noscript></header>'
        '<main id="nme-main" class="nme-app">'
        '<section class="nme-mapcol" aria-label="Map and timeline">'
        '<div id="nme-timeline"></div><div id="nme-filters"></div>'
        '<div id="nme-map" class="nme-map"></div></section>'
        '<aside id="nme-panel" class="nme-panel" tabindex="-1" aria-label="Place panel"></aside>'
        # What a choice of place opened, said to screen readers (the panel itself is not live).
        '<p id="nme-status" class="nm-sr" role="status" aria-live="polite"></p>'
        '<section id="nme-table" class="nme-table" aria-label="Events in view"></section>'
        "</main>"
        # A second <main>, hidden until it replaces the first (one main is shown at a time).
        '<main id="nme-reader" class="nme-reader" hidden aria-label="Article reader"></main>'
        '<footer class="nme-foot" id="nme-foot"></footer>'
        f"{scripts}"
        f'<script src="{escape(engine_file)}" defer></script>'
        "</body></html>\n"
    )


def build(
    dataset: Dataset,
    *,
    title: str = DEFAULT_TITLE,
    published: dt.datetime,
    corrections: Sequence[Correction] = (),
    progress: Callable[[str], None] = lambda _: None,
) -> Edition:
    """Every file of the edition of ``dataset``, in memory (nothing is written here)."""
    edition = Edition()
    progress("assets")
    css = [
        edition.add_hashed("assets", Path(f).stem, "css", (STATIC_DIR / f).read_bytes())
        for f in CSS_FILES
    ]
    js = [
        edition.add_hashed("assets", Path(f).stem, "js", (STATIC_DIR / f).read_bytes())
        for f in JS_FILES
    ]
    for image in sorted(LEAFLET_IMAGES.iterdir()):
        edition.files[f"assets/images/{image.name}"] = image.read_bytes()

    progress("engine data")
    events = for_readers(dataset.events.events)
    frame = with_corroboration(events_frame(events, dataset.gazetteer), dataset.articles)
    articles = dataset.articles
    bounds = Bounds.of(frame, articles=sorted(articles), places=sorted(dataset.gazetteer.places))
    headlines = {a: headline(articles.get(a), a) for a in articles}
    data = engine.engine_data(
        frame,
        first=bounds.first,
        last=bounds.last,
        type_labels=mapview.TYPE_LABELS,
        colours=mapview.TYPE_COLOURS,
        headlines=headlines,
        title=title,
        popup_note="Open the place for every event and passage.",
    )
    # Where the map opens: the pictures' fit (no whole country, no lone far statement).
    data["fit"] = fit_bounds(group_by_place(frame))
    data["fitMaxZoom"] = FIT_MAX_ZOOM
    data["perDay"] = engine.per_day(frame, bounds.first)
    data["firstEventDay"] = engine.first_event_day(frame, bounds.first)
    data["articleLabels"] = {a: headlines[a] for a in data["articles"] if a in headlines}
    engine_file = edition.add_hashed("data", "engine", "js", data_script("engine", data))
    edition.files.update(data_package(frame, title))

    progress("places")
    index = build_index(articles.values(), dataset.gazetteer)
    mentions = by_place(index)
    records = event_records(frame, bounds.first)
    events_at = frame.groupby("place_id")["event_id"].unique() if not frame.empty else {}
    place_files = {}
    # Every place of the gazetteer, as the app's ``place`` parameter accepts any of them.
    for place_id, place in sorted(dataset.gazetteer.places.items()):
        here = events_at[place_id] if place_id in events_at else ()
        record = place_data(place, here, records, mentions.get(place_id, []), articles)
        place_files[place_id] = edition.add_hashed(
            "data/places", "", "js", data_script("place:" + place_id, record)
        )

    progress("articles")
    by_article: dict[str, list[Mention]] = {}
    for mention in index:
        by_article.setdefault(mention.article_id, []).append(mention)
    article_files = {
        article_id: edition.add_hashed(
            "data/articles",
            "",
            "js",
            data_script(
                "article:" + article_id,
                article_data(article, by_article.get(article_id, []), dataset.gazetteer),
            ),
        )
        for article_id, article in sorted(articles.items())
    }
    outlines = edition.add_hashed("data", "outlines", "js", data_script("outlines", _outlines()))

    manifest = {
        "title": title,
        "published": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "places": place_files,
        "articles": article_files,
        "placeNames": {p: dataset.gazetteer.places[p].name for p in place_files},
        "outlines": outlines,
        "corrections": [c.as_json() for c in corrections],
    }
    manifest_file = edition.add_hashed("data", "manifest", "js", data_script("manifest", manifest))
    progress("page")
    edition.files["index.html"] = index_html(
        title, css, js, engine_file, manifest_file, published
    ).encode()
    return edition


def data_package(frame, title: str) -> dict[str, bytes]:
    """``data/events.csv`` (the events in ``frame``, as the CSV export writes them: UTF-8 with
    a BOM for Excel) and the ``datapackage.json`` that describes it, for anyone reusing the data
    with standard tools."""
    return {
        EVENTS_CSV: events_csv(frame).encode("utf-8-sig"),
        "datapackage.json": package_json(events_package(EVENTS_CSV, FRAME_COLUMNS, title)).encode(),
    }


# --- writing it atomically --------------------------------------------------------------------


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_folder(files: Mapping[str, bytes], out: Path) -> None:
    """Write ``files`` as ``out``, swapping it in whole once every byte is on disk.

    The new folder is built beside ``out`` (``.<name>.building-<pid>``); ``out`` is replaced in
    one exchange, so at every instant ``out`` is the old edition or the new one, never a mix.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one publish into ``out`` at a time
        _swap_in(files, out)
    finally:
        os.close(lock)


def _swap_in(files: Mapping[str, bytes], out: Path) -> None:
    old_copies = sorted(out.parent.glob(f".{out.name}.old-*"))
    if not out.exists() and old_copies:
        old_copies[-1].rename(out)  # a publish killed between its two renames: put it back
    for stale in [*out.parent.glob(f".{out.name}.building-*"), *old_copies]:
        shutil.rmtree(stale, ignore_errors=True)  # left by a publish that was killed
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    tmp.mkdir()
    try:
        for rel, data in files.items():
            _write_file(tmp / rel, data)
        os.chmod(tmp, 0o755)  # mkdir's mode follows the umask; a web server must read it
        os.sync()  # every byte on disk before the swap (one call: an fsync per file took seconds)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # a kill leaves it; the next publish removes it
        raise
    if out.exists() and _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # now the old edition
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def read_state(out: Path) -> dict:
    """The previous publication's ``edition.json`` (``{}`` when there is none or it is broken)."""
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


@dataclass
class Published:
    out: Path
    files: int
    places: int
    articles: int
    events: int
    correction: Correction | None


def publish(
    out: Path,
    root: Path | None = None,
    *,
    title: str = DEFAULT_TITLE,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] = lambda _: None,
    dataset: Dataset | None = None,
) -> Published:
    """Build the edition of the data under ``root`` (``dataset``: loaded from it already) and
    swap it in at ``out``."""
    root = Path(root) if root else data_dir()
    now = (now or utc_now()).astimezone(dt.UTC).replace(microsecond=0)
    progress("loading data")
    dataset = dataset or load_dataset(root)
    previous = read_state(out)
    log = history.entries(root)
    correction = None
    past = [Correction.from_json(c) for c in previous.get("corrections", [])]
    past = [c for c in past if c is not None]
    if previous:
        correction = corrections_since(log, previous.get("history"), now)
    listed = ([correction] if correction else []) + past
    edition = build(dataset, title=title, published=now, corrections=listed, progress=progress)
    own = sorted(f for f in edition.files if _hashed(f))
    state = {
        "published": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "history": log[-1].id if log else None,
        "corrections": [c.as_json() for c in listed],
        "files": own,
    }
    files = {**_kept_from(out, previous, edition.files), **edition.files}
    files[STATE_FILE] = (json.dumps(state, ensure_ascii=False, indent=1) + "\n").encode()
    progress("writing")
    write_folder(files, out)
    return Published(
        out=out,
        files=len(edition.files) + 1,
        places=sum(1 for f in own if f.startswith("data/places/")),
        articles=sum(1 for f in own if f.startswith("data/articles/")),
        events=len(for_readers(dataset.events.events)),
        correction=correction,
    )


def _hashed(name: str) -> bool:
    return (
        name.startswith(("assets/", "data/"))
        and not name.startswith("assets/images/")
        and name != EVENTS_CSV
    )


def _kept_from(out: Path, previous: Mapping, new: Mapping[str, bytes]) -> dict[str, bytes]:
    """The previous edition's own hashed files that the new one does not have.

    They stay one more publication: a reader who opened the previous ``index.html`` loads a
    place's or an article's file only when it asks for it, possibly after the swap."""
    kept = {}
    for name in previous.get("files") or []:
        if not isinstance(name, str) or name in new or not _hashed(name) or ".." in name:
            continue
        with contextlib.suppress(OSError):
            kept[name] = (out / name).read_bytes()
    return kept


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def edition_dir() -> Path:
    """Where the app's Publish page writes: ``DASHBOARD_EDITION_DIR``, else ``edition/`` in the
    data folder."""
    return Path(settings.value("DASHBOARD_EDITION_DIR") or data_dir() / "edition")


def last_published(out: Path) -> dt.datetime | None:
    """When the edition in ``out`` was published (UTC), or None."""
    value = read_state(out).get("published")
    with contextlib.suppress(TypeError, ValueError):
        return dt.datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib publish",
        description="Write the reader edition: static files for any web server or CDN "
        "(see docs/publishing.md). A failed publish leaves the previous edition in place.",
    )
    parser.add_argument("out", metavar="OUT_DIR", help="folder to write (replaced whole)")
    parser.add_argument("--data", help="data folder (default: DASHBOARD_DATA_DIR or the repo)")
    parser.add_argument("--title", default=DEFAULT_TITLE, help="the page's title")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = Path(args.data) if args.data else data_dir()
    dataset = load_dataset(root)
    for problem in dataset.problems:
        print(problem, file=sys.stderr)
    try:
        done = publish(Path(args.out), root, title=args.title, dataset=dataset)
    except OSError as error:
        print(f"publish failed, the previous edition is unchanged: {error}", file=sys.stderr)
        return 1
    print(
        f"published {done.events} events, {done.places} places, {done.articles} articles "
        f"({done.files} files) to {done.out}"
    )
    if done.correction:
        print(f"corrections log: {done.correction.text}")
    return 0
