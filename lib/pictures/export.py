"""Exports for journalists: the events as CSV and GeoJSON, the map as PNG, GIF, MP4, PDF, SVG
and HTML, and the alt text that goes with every picture.

Pure functions (``events_csv``, ``events_geojson``, ``export_filename``, ``embed_snippet``,
``with_metadata``), the browser side (``open_page``, ``capture``, ``render_png``; the
animations are in ``lib.pictures.animation``, PDF and SVG in ``lib.pictures.vector``), ``render`` (any format for
one view) and a command line with the same options as the dashboard's URL parameters::

    python -m lib export png --from 2021-08-30 --to 2021-09-04 --size 1600x900 --out map.png
    python -m lib export gif --size 1080x1080 --day-ms 800 --hold-ms 2500 --out timeline.gif
    python -m lib export mp4 --size 1080x1350 --out timeline.mp4
    python -m lib export pdf --out map.pdf            # vector, text stays text
    python -m lib export svg --out map.svg
    python -m lib export alt --to 2021-09-02          # the alt text, on standard output
    python -m lib export html --out map.html          # standalone map with its own timeline
    python -m lib export csv --type clash,attack --out events.csv
    python -m lib export geojson --to 2021-09-02 --out events.geojson

The command validates the data once per version of its files and caches it
(``load_export_data``).
Playwright is imported only when a picture is rendered, so the rest works without it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lib.data import package, story
from lib.data.text import escape
from lib.pictures.capture import (  # noqa: F401 (the export API)
    DEFAULT_SCALE,
    READY_TIMEOUT_S,
    Capture,
    capture,
    open_page,
    render_png,
    with_metadata,
)

if TYPE_CHECKING:
    import pandas as pd
    from playwright.sync_api import Browser

    from lib.data.gazetteer import Gazetteer
    from lib.data.mentions import Mention
    from lib.map.viewstate import ViewState
    from lib.pictures.browser import BrowserThread
    from lib.pictures.presentation import Size

# pandas, folium and the rest are imported where they are used: the command starts Chromium
# first, so that it starts while they load (about a second each).

#: The title on every picture (story.toml), as lib.pictures.presentation.DEFAULT_TITLE.
DEFAULT_TITLE = story.current().title

#: A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
#: tab and carriage return come from OWASP's list: some spreadsheets strip them first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Animations are made at the preset's own pixels: 1080x1080 is what social platforms show.
ANIMATION_SCALE = 1.0


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula; other text is unchanged.

    Leading spaces are looked through: some spreadsheets trim them before deciding.
    """
    stripped = value.lstrip(" ")
    if stripped[:1] in FORMULA_STARTS or value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _cell(value: object) -> object:
    if isinstance(value, str):
        return neutralise_cell(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def events_csv(frame: pd.DataFrame) -> str:
    """The events as CSV: one row per event and place, columns ``timeline.FRAME_COLUMNS``.

    An event at two places has two rows with the same ``event_id``. Dates are ISO
    (YYYY-MM-DD); ``lat``/``lon`` are WGS84 degrees, ``uncertainty_km`` kilometres. Text that a
    spreadsheet would run as a formula is prefixed with ``'`` (see ``neutralise_cell``);
    numbers are written as numbers. Write it as UTF-8 with a BOM (``encoding="utf-8-sig"``)
    for Excel, which otherwise misreads accented names.
    """
    from lib.map.viewstate import FRAME_COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FRAME_COLUMNS)
    for row in frame[FRAME_COLUMNS].itertuples(index=False, name=None):
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()


def events_geojson(frame: pd.DataFrame, gazetteer: Gazetteer | None = None) -> dict:
    """The events as a GeoJSON FeatureCollection: one Point per event and place.

    Coordinates are ``[lon, lat]`` (WGS84, as GeoJSON requires). Properties are the frame's
    other columns (dates as ISO strings) plus, when the gazetteer knows the place, its
    ``place_kind`` and ``place_source`` (where the coordinate comes from, with its licence).
    ``precision`` and ``uncertainty_km`` say how exact the point is: an area place is
    somewhere within ``uncertainty_km`` of it, not at it.
    """
    from lib.map.viewstate import FRAME_COLUMNS

    places = gazetteer.places if gazetteer else {}
    features = []
    for row in frame[FRAME_COLUMNS].to_dict("records"):
        props = {k: _json_value(v) for k, v in row.items() if k not in ("lat", "lon")}
        place = places.get(row["place_id"])
        if place is not None:
            props["place_kind"] = place.kind
            props["place_source"] = place.source
        features.append(
            {
                "type": "Feature",
                "id": f"{row['event_id']}@{row['place_id']}",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["lon"]), float(row["lat"])],
                },
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _json_value(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def export_filename(
    state: ViewState, extension: str, stem: str | None = None, preset: str | None = None
) -> str:
    """A file name that says which view it holds: ``panjshir-map_2021-08-30_2021-09-04.png``,
    and for a picture its size preset: ``panjshir-map_to_2021-09-04_1080x1350.png`` (two
    presets of one view used to share a name, and the second download replaced the first).

    ``stem`` defaults to the story's ``file_stem`` (story.toml)."""
    stem = stem or story.current().file_stem
    dates = (
        f"{state.first_day.isoformat()}_{state.end.isoformat()}"
        if state.first_day
        else f"to_{state.end.isoformat()}"
    )
    place = f"_{state.place}" if state.place else ""
    size = f"_{preset}" if preset else ""
    return f"{stem}_{dates}{place}{size}.{extension.lstrip('.')}"


def embed_snippet(src: str, title: str, description: str = "", aspect: str = "4 / 3") -> str:
    """HTML to embed the interactive map in a CMS: an iframe that keeps its aspect on phones.

    The wrapper's ``aspect-ratio`` sets the height from the width, so the map is as wide as
    the column and never a strip; ``min-height`` keeps room for the slider and legend on a
    narrow phone. ``description`` (the alt text) becomes the iframe's ``aria-label``.
    """
    label = f' aria-label="{escape(description)}"' if description else ""
    return (
        f'<div style="position:relative;width:100%;aspect-ratio:{escape(aspect)};'
        'min-height:480px">\n'
        f'  <iframe src="{escape(src)}" title="{escape(title)}"{label}\n'
        '    style="position:absolute;inset:0;width:100%;height:100%;border:0"'
        ' loading="lazy"></iframe>\n</div>'
    )


# --- PNG --------------------------------------------------------------------------------------


# --- data for the command line ----------------------------------------------------------------


@dataclass
class ExportData:
    """What the exports need from the data set: the events frame, articles (their metadata
    and headline; ``load_export_data`` leaves the text out) and places."""

    frame: pd.DataFrame
    articles: dict
    gazetteer: Gazetteer
    errors: int
    #: Per place id, every passage naming it (the mention index, made before the text is left
    #: out): the standalone HTML's place panel shows them.
    mentions: dict[str, list[Mention]] = field(default_factory=dict)


#: Code whose change changes what loading produces: part of the cache key.
_LOADER_SOURCES = (
    "data/dataset",
    "data/events",
    "data/gazetteer",
    "data/articles",
    "data/schema",
    "map/viewstate",
    "data/csvio",
    "data/mentions",
)


def cache_dir() -> Path:
    """Where validated data sets are cached: ``$XDG_CACHE_HOME/panjshir-timeline`` (or
    ``~/.cache/...``), outside the repository."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "panjshir-timeline"


def data_fingerprint(root: Path, today: dt.date) -> str:
    """SHA-256 of the loaders' code, every data file's path, size, modification time and
    inode, and ``today``.

    Data files are known by what the file system says of them, not by their bytes: reading
    10,000 articles took most of a second per export. Any save changes the time (an editor's
    save is a new file, a new inode), so a changed file is never taken for the cached one.
    Validation depends on the date (an event may not be dated after its article could be
    published), so a new day is a new key.
    """
    digest = hashlib.sha256(today.isoformat().encode())
    lib_dir = Path(__file__).resolve().parents[1]
    for name in _LOADER_SOURCES:
        code = lib_dir / f"{name}.py"
        digest.update(str(code).encode() + b"\0" + code.read_bytes() + b"\0")
    files = [root / "events.csv", root / "geodata" / "gazetteer.csv"]
    articles = root / "articles"
    if articles.is_dir():
        files += sorted(p for p in articles.rglob("*") if p.is_file())
    for file in files:
        try:
            st = file.stat()
            facts = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"
        except OSError:
            facts = "(missing)"
        digest.update(f"{file}\0{facts}\0".encode())
    return digest.hexdigest()


def load_export_data(root: Path | None = None, *, cache: bool = True) -> ExportData:
    """The data set as the exports use it, validated once per version of its files (cached by
    ``data_fingerprint``).

    Loading and validating 100,000 events takes about 10 s; the result is pickled under
    ``cache_dir()`` keyed by ``data_fingerprint``, so a second export of the same files
    starts in well under a second. Any change to a data file (or to the loaders) misses the
    cache. A cache that cannot be read or written is ignored: the data is loaded as usual.
    """
    from lib.data.dataset import data_dir, load_dataset
    from lib.data.events import for_readers
    from lib.data.mentions import build_index, by_place
    from lib.map.viewstate import events_frame

    root = Path(root) if root else data_dir()
    key = data_fingerprint(root, dt.date.today()) if cache else ""
    file = cache_dir() / f"data-{key}.pickle"
    if cache and file.is_file():
        try:
            with file.open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, ExportData):
                return cached
        except Exception:  # noqa: BLE001 - a broken cache is only a slower start
            pass
    dataset = load_dataset(root)
    data = ExportData(
        # Journalists export what readers see: approved rows only.
        frame=events_frame(for_readers(dataset.events.events), dataset.gazetteer),
        # Without their text: exports name articles by headline, outlet and date, and 10,000
        # texts were most of the cache's size and of the time it took to read.
        articles={k: replace(a, title=a.headline, text="") for k, a in dataset.articles.items()},
        gazetteer=dataset.gazetteer,
        errors=sum(1 for p in dataset.problems if p.severity == "error"),
        mentions=by_place(build_index(dataset.articles.values(), dataset.gazetteer)),
    )
    if cache:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            for old in file.parent.glob("data-*.pickle"):
                old.unlink(missing_ok=True)  # one data set at a time: the cache never grows
            tmp = file.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(file)
        except OSError:
            pass
    return data


# --- command line -----------------------------------------------------------------------------


#: What each format is; png, gif, mp4, pdf and svg are rendered in headless Chromium.
FORMATS = {
    "png": "the picture (2x pixels by default), with the alt text in its metadata",
    "gif": "the view day by day, a looping GIF",
    "mp4": "the view day by day, H.264 video (yuv420p)",
    "pdf": "the picture as vector PDF with real text, for print",
    "svg": "the picture as SVG with <text> labels, for graphics desks",
    "html": "an interactive map with its own date slider (works offline)",
    "csv": "the events in view, one row per event and place",
    "geojson": "the events in view as points",
    "alt": "the alt text (a plain-language description of the view)",
}
BROWSER_FORMATS = ("png", "gif", "mp4", "pdf", "svg")
BINARY_FORMATS = ("png", "gif", "mp4", "pdf")


def _parser() -> argparse.ArgumentParser:
    from lib.map.viewstate import MODES
    from lib.pictures.presentation import DEFAULT_PRESET, PRESETS

    parser = argparse.ArgumentParser(
        prog="python -m lib export",
        description="Export the map or the filtered events. The filter options are the "
        "dashboard's URL parameters.",
        epilog="formats: " + "; ".join(f"{k}: {v}" for k, v in FORMATS.items()),
    )
    parser.add_argument("format", choices=list(FORMATS))
    parser.add_argument(
        "--out",
        help="file to write; '-' for standard output (text formats). Default: standard "
        "output for alt, required otherwise",
    )
    parser.add_argument(
        "--from", dest="from_", metavar="YYYY-MM-DD", help="first day: a window of days"
    )
    parser.add_argument(
        "--to", metavar="YYYY-MM-DD", help="last day (default: the last day of the data)"
    )
    parser.add_argument(
        "--mode", choices=MODES, help="cumulative (everything up to --to) or window"
    )
    for name, help_text in (
        ("type", "event type(s), comma-separated or repeated"),
        ("claimant", "who makes the claim, comma-separated or repeated"),
        ("article", "article id(s), comma-separated or repeated"),
    ):
        parser.add_argument(f"--{name}", action="append", help=help_text)
    parser.add_argument("--place", help="gazetteer id of the place to highlight")
    parser.add_argument(
        "--size",
        default=DEFAULT_PRESET,
        help=f"page size in CSS pixels, WIDTHxHEIGHT (presets: {', '.join(PRESETS)}; "
        f"default {DEFAULT_PRESET})",
    )
    parser.add_argument(
        "--scale",
        type=float,
        help=f"device pixels per CSS pixel (default {DEFAULT_SCALE:g} for png, "
        f"{ANIMATION_SCALE:g} for gif and mp4, whose pixels are the preset's)",
    )
    parser.add_argument(
        "--day-ms",
        type=int,
        default=None,
        help="gif/mp4: milliseconds per day (default 800)",
    )
    parser.add_argument(
        "--hold-ms",
        type=int,
        default=None,
        help="gif/mp4: extra milliseconds on the last day (default 2500)",
    )
    parser.add_argument(
        "--tiles",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="OpenStreetMap tiles under the outlines (needs internet; default: outlines only)",
    )
    parser.add_argument("--title", default=DEFAULT_TITLE, help="the title on the map")
    return parser


def params_from_args(args: argparse.Namespace) -> dict[str, str | list[str]]:
    """The URL parameters that the command-line options stand for."""
    params: dict[str, str | list[str]] = {}
    for key, value in (
        ("from", args.from_),
        ("to", args.to),
        ("mode", args.mode),
        ("place", args.place),
    ):
        if value:
            params[key] = value
    for key in ("type", "claimant", "article"):
        if getattr(args, key):
            params[key] = list(getattr(args, key))
    return params


def _write(out: str, data: str | bytes) -> None:
    if out == "-":
        if isinstance(data, bytes):
            raise SystemExit("a binary file cannot go to standard output; give a file name")
        sys.stdout.write(data)
        return
    path = Path(out)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        # The BOM tells Excel the CSV is UTF-8; other formats do not want one.
        path.write_text(data, encoding="utf-8-sig" if path.suffix.lower() == ".csv" else "utf-8")


def _browser_hint(error: Exception) -> str:
    text = str(error)
    if "Executable doesn't exist" in text or "executable" in text.lower():
        return (
            "\nInstall a browser: `python -m playwright install chromium`, or set "
            "CHROMIUM_PATH to a Chromium binary."
        )
    return ""


def render(
    kind: str,
    data: ExportData,
    state: ViewState,
    *,
    size: Size,
    scale: float | None = None,
    tiles: bool = False,
    title: str = DEFAULT_TITLE,
    day_ms: int | None = None,
    hold_ms: int | None = None,
    browser: Browser | None = None,
) -> bytes | str:
    """The file of format ``kind`` (see ``FORMATS``) for the view ``state`` of ``data``."""
    from lib.map.viewstate import filter_events, group_by_place
    from lib.pictures import presentation, vector
    from lib.pictures.alttext import alt_text

    frame, articles, places = data.frame, data.articles, data.gazetteer.places
    if kind == "alt":
        return alt_text(frame, state, places, articles, title=title) + "\n"
    if kind == "csv":
        return events_csv(filter_events(frame, state))
    if kind == "geojson":
        collection = events_geojson(filter_events(frame, state), data.gazetteer)
        return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    if kind == "html":
        places = presentation.panel_places(
            frame, state, data.gazetteer.places, data.mentions, articles
        )
        return presentation.standalone_html(
            frame, state, articles, tiles=tiles, title=title, places=places
        )
    if kind in ("gif", "mp4"):
        frames, description = animation_frames(
            data, state, size=size, scale=scale, tiles=tiles, title=title, browser=browser
        )
        return encode_animation(
            kind, frames, day_ms=day_ms, hold_ms=hold_ms, description=description
        )
    groups = group_by_place(filter_events(frame, state))
    description = alt_text(frame, state, places, articles, title=title, groups=groups)
    html = presentation.presentation_html(
        frame, state, articles, places, size=size, tiles=tiles, title=title,
        description=description, popups=False, groups=groups,
    )  # fmt: skip
    if kind == "png":
        return render_png(
            html, size, scale=scale or DEFAULT_SCALE, browser=browser,
            title=title, description=description,
        )  # fmt: skip
    if kind == "pdf":
        return vector.render_pdf(html, size, browser=browser)
    return vector.render_svg(html, size, browser=browser)


def animation_frames(
    data: ExportData,
    state: ViewState,
    *,
    size: Size,
    scale: float | None = None,
    tiles: bool = False,
    title: str = DEFAULT_TITLE,
    browser: Browser | None = None,
) -> tuple[list, str]:
    """The RGB frames (PIL images, one per day) that ``render("gif" | "mp4", ...)`` encodes,
    and the view's alt text (the files' comment)."""
    from lib.map.viewstate import filter_events, group_by_place
    from lib.pictures import animation, presentation
    from lib.pictures.alttext import alt_text

    frame, articles, places = data.frame, data.articles, data.gazetteer.places
    days = presentation.view_days(frame, state)
    animation.check_days(days)
    groups = group_by_place(filter_events(frame, state))
    description = alt_text(frame, state, places, articles, title=title, groups=groups)
    html = presentation.presentation_html(
        frame, state, articles, places, size=size, tiles=tiles, title=title, animate=True,
        description=description, popups=False, groups=groups,
    )  # fmt: skip
    frames = animation.capture_days(
        html, size, [d.isoformat() for d in days], scale=scale or ANIMATION_SCALE, browser=browser
    )
    return frames, description


def encode_animation(
    kind: str,
    frames: list,
    *,
    day_ms: int | None = None,
    hold_ms: int | None = None,
    description: str = "",
) -> bytes:
    """``frames`` as a GIF or MP4 (``kind``), timed by ``day_ms``/``hold_ms`` or the defaults."""
    from lib.pictures import animation

    timing = {
        "day_ms": animation.DAY_MS if day_ms is None else day_ms,
        "hold_ms": animation.HOLD_MS if hold_ms is None else hold_ms,
    }
    if kind == "gif":
        return animation.encode_gif(frames, **timing, description=description)
    return animation.encode_mp4(frames, **timing, description=description)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not (argv[:1] and argv[0] in BROWSER_FORMATS):
        return _command(argv, None)
    # Chromium takes about a second to start, as long as the imports and the data take to
    # load: it starts first, in a thread of its own, and is ready when the page is.
    from lib.pictures.browser import BrowserThread

    with BrowserThread() as browser:
        return _command(argv, browser)


def _command(argv: list[str], browser: BrowserThread | None) -> int:
    """Parse and check the options (exit status 2 on a bad one), then export."""
    from lib.pictures.presentation import Size

    args = _parser().parse_args(argv)
    try:
        size = Size.parse(args.size)
    except ValueError as error:
        print(f"error: --size {error}", file=sys.stderr)
        return 2
    if args.scale is not None and not 0.5 <= args.scale <= 4:
        print("error: --scale must be between 0.5 and 4", file=sys.stderr)
        return 2
    for name, value, low in (("--day-ms", args.day_ms, 40), ("--hold-ms", args.hold_ms, 0)):
        if value is not None and not low <= value <= 60_000:
            print(f"error: {name} must be between {low} and 60000", file=sys.stderr)
            return 2
    out = args.out or ("-" if args.format == "alt" else None)
    if out is None:
        print("error: --out is required (a file name)", file=sys.stderr)
        return 2
    if out == "-" and args.format in BINARY_FORMATS:
        print(f"error: a {args.format} cannot go to standard output; give a file name",
              file=sys.stderr)  # fmt: skip
        return 2
    return _export(args, out, size, browser)


def _export(args: argparse.Namespace, out: str, size: Size, browser: BrowserThread | None) -> int:
    """Load the data, render the view the options describe, write it."""
    from lib.map.viewstate import Bounds, state_from_params

    data = load_export_data()
    if data.errors:
        print(f"warning: {data.errors} data problem(s); some rows are left out "
              "(python -m lib check lists them)", file=sys.stderr)  # fmt: skip
    bounds = Bounds.of(data.frame, data.articles, data.gazetteer.places)
    state, notes = state_from_params(params_from_args(args), bounds)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    options = {
        "size": size, "scale": args.scale, "tiles": args.tiles, "title": args.title,
        "day_ms": args.day_ms, "hold_ms": args.hold_ms,
    }  # fmt: skip
    try:
        if browser is None:
            result = render(args.format, data, state, **options)
        else:
            result = browser.run(render, args.format, data, state, **options)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - reported to the user, with what to do
        if args.format not in BROWSER_FORMATS:
            raise
        print(f"error: could not render the {args.format} in Chromium: {error}"
              f"{_browser_hint(error)}", file=sys.stderr)  # fmt: skip
        return 1
    _write(out, result)
    if out != "-":
        print(f"wrote {out}", file=sys.stderr)
    if args.format == "csv" and out != "-":
        from lib.map.viewstate import FRAME_COLUMNS

        described = package.write_beside(Path(out), FRAME_COLUMNS, args.title)
        print(f"wrote {described}, its data package (docs/data.md)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    # Run the imported module's main, not this copy's: the data cache pickles ExportData, and
    # a class of ``__main__`` cannot be unpickled by the app, the tests or the benchmarks.
    from lib.pictures.export import main as module_main

    raise SystemExit(module_main())
