"""``python -m lib export``: the map or the filtered events to a file, with the same options as
the dashboard's URL parameters::

    python -m lib export png --from 2021-08-30 --to 2021-09-04 --size 1600x900 --out map.png
    python -m lib export gif --size 1080x1080 --day-ms 800 --hold-ms 2500 --out timeline.gif
    python -m lib export mp4 --size 1080x1350 --out timeline.mp4
    python -m lib export pdf --out map.pdf            # vector, text stays text
    python -m lib export svg --out map.svg
    python -m lib export alt --to 2021-09-02          # the alt text, on standard output
    python -m lib export html --out map.html          # standalone map with its own timeline
    python -m lib export csv --type clash,attack --out events.csv
    python -m lib export geojson --to 2021-09-02 --out events.geojson

The data is validated once per version of its files and cached (``lib.pictures.datacache``).
The command is of one concern, so it lives here, as ``users`` and ``history`` live in their
packages (``lib.commands`` holds the commands that join several).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from lib.data import package
from lib.pictures.capture import DEFAULT_SCALE
from lib.pictures.datacache import load_export_data
from lib.pictures.render import ANIMATION_SCALE, DEFAULT_TITLE, render

if TYPE_CHECKING:
    from lib.pictures.browser import BrowserThread
    from lib.pictures.presentation import Size

# pandas, folium and the rest are imported where they are used: the command starts Chromium
# first, so that it starts while they load (about a second each).


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
