"""Exports for journalists: the filtered events as CSV and GeoJSON, the map as PNG and HTML.

Pure functions (``events_csv``, ``events_geojson``, ``export_filename``), the PNG renderer
(``render_png``: headless Chromium through ``lib.browser``), and a command line with the same
options as the dashboard's URL parameters::

    python -m lib.export png --from 2021-08-30 --to 2021-09-04 --size 1600x900 --out map.png
    python -m lib.export html --out map.html          # standalone map with its own timeline
    python -m lib.export csv --type clash,attack --out events.csv
    python -m lib.export geojson --to 2021-09-02 --out events.geojson

Playwright is imported only when a PNG is rendered, so the rest works without it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lib.gazetteer import Gazetteer
from lib.presentation import DEFAULT_PRESET, DEFAULT_TITLE, PRESETS, Size
from lib.timeline import FRAME_COLUMNS, MODES, ViewState

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
#: tab and carriage return come from OWASP's list: some spreadsheets strip them first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Seconds to wait for the page to say it is ready (tiles on a slow network take longest).
READY_TIMEOUT_S = 60
DEFAULT_SCALE = 2.0


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


def export_filename(state: ViewState, extension: str, stem: str = "panjshir-map") -> str:
    """A file name that says which view it holds: ``panjshir-map_2021-08-30_2021-09-04.png``."""
    dates = (
        f"{state.first_day.isoformat()}_{state.end.isoformat()}"
        if state.first_day
        else f"to_{state.end.isoformat()}"
    )
    place = f"_{state.place}" if state.place else ""
    return f"{stem}_{dates}{place}.{extension.lstrip('.')}"


# --- PNG --------------------------------------------------------------------------------------


@dataclass
class Capture:
    """A rendered presentation: the PNG and what the page reported before the capture.

    ``markers`` hold, per place drawn, ``place_id``, ``colour``, ``pin``, ``contested``,
    ``in_frame`` (false for a place labelled at the frame's edge) and its centre ``x``/``y``
    and radius ``r`` in CSS pixels of the page (multiply by the scale for PNG pixels).
    ``text`` is every text on the page (title, caption, legend, labels, credits).
    """

    png: bytes
    markers: list[dict] = field(default_factory=list)
    caption: str = ""
    text: str = ""


def capture(
    html: str, size: Size, *, scale: float = DEFAULT_SCALE, browser: Browser | None = None
) -> Capture:
    """Render ``presentation_html`` output in headless Chromium and photograph it.

    The PNG is ``size`` times ``scale`` device pixels (1600x900 at 2 gives 3200x1800). Waits
    for the page's ready flag (labels placed; tiles loaded or failed), so the same HTML gives
    the same pixels on the same machine. Starts its own Chromium unless ``browser`` is given.
    """
    if browser is None:
        from lib.browser import new_browser

        with new_browser() as own:
            return capture(html, size, scale=scale, browser=own)
    context = browser.new_context(
        viewport={"width": size.width, "height": size.height},
        device_scale_factor=scale,
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        page.set_content(html, wait_until="load")
        page.wait_for_function(
            "() => window.newsmapExport && window.newsmapExport.ready === true",
            timeout=READY_TIMEOUT_S * 1000,
        )
        report = page.evaluate("() => window.newsmapExport")
        text = page.inner_text("body")
        png = page.screenshot(type="png", animations="disabled", caret="hide")
    finally:
        context.close()
    return Capture(
        png=png, markers=report.get("markers", []), caption=report.get("caption", ""), text=text
    )


def render_png(
    html: str, size: Size, *, scale: float = DEFAULT_SCALE, browser: Browser | None = None
) -> bytes:
    """The PNG bytes of ``capture``."""
    return capture(html, size, scale=scale, browser=browser).png


# --- command line -----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib.export",
        description="Export the map (PNG, standalone HTML) or the filtered events (CSV, GeoJSON). "
        "The filter options are the dashboard's URL parameters.",
    )
    parser.add_argument("format", choices=["png", "html", "csv", "geojson"])
    parser.add_argument(
        "--out", required=True, help="file to write; '-' for standard output (not png)"
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
        help=f"png: page size in CSS pixels, WIDTHxHEIGHT (presets: {', '.join(PRESETS)}; "
        f"default {DEFAULT_PRESET})",
    )
    parser.add_argument(
        "--scale", type=float, default=DEFAULT_SCALE, help="png: device pixel ratio (default 2)"
    )
    parser.add_argument(
        "--tiles",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="OpenStreetMap tiles under the outlines (needs internet; default: outlines only)",
    )
    parser.add_argument("--title", default=DEFAULT_TITLE, help="png/html: the title on the map")
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
            raise SystemExit("a PNG cannot go to standard output; give a file name")
        sys.stdout.write(data)
        return
    path = Path(out)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        # The BOM tells Excel the CSV is UTF-8; other formats do not want one.
        path.write_text(data, encoding="utf-8-sig" if path.suffix.lower() == ".csv" else "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        size = Size.parse(args.size)
    except ValueError as error:
        print(f"error: --size {error}", file=sys.stderr)
        return 2
    if not 0.5 <= args.scale <= 4:
        print("error: --scale must be between 0.5 and 4", file=sys.stderr)
        return 2

    from lib import presentation
    from lib.dataset import load_dataset
    from lib.timeline import Bounds, events_frame, filter_events, state_from_params

    dataset = load_dataset()
    errors = [p for p in dataset.problems if p.severity == "error"]
    if errors:
        print(f"warning: {len(errors)} data problem(s); some rows are left out "
              "(python -m lib.check lists them)", file=sys.stderr)  # fmt: skip
    frame = events_frame(dataset.events.events, dataset.gazetteer)
    bounds = Bounds.of(frame, dataset.articles, dataset.gazetteer.places)
    state, notes = state_from_params(params_from_args(args), bounds)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)

    if args.format == "csv":
        _write(args.out, events_csv(filter_events(frame, state)))
    elif args.format == "geojson":
        data = events_geojson(filter_events(frame, state), dataset.gazetteer)
        _write(args.out, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "html":
        html = presentation.standalone_html(
            frame, state, dataset.articles, tiles=args.tiles, title=args.title
        )
        _write(args.out, html)
    else:
        html = presentation.presentation_html(
            frame, state, dataset.articles, dataset.gazetteer.places,
            size=size, tiles=args.tiles, title=args.title,
        )  # fmt: skip
        try:
            png = render_png(html, size, scale=args.scale)
        except Exception as error:  # noqa: BLE001 - reported to the user, with what to do
            hint = (
                "\nInstall a browser: `python -m playwright install chromium`, or set "
                "CHROMIUM_PATH to a Chromium binary."
                if "Executable doesn't exist" in str(error) or "executable" in str(error).lower()
                else ""
            )
            print(f"error: could not render the PNG in Chromium: {error}{hint}", file=sys.stderr)
            return 1
        _write(args.out, png)
    if args.out != "-":
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
