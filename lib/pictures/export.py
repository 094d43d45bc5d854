"""Exports for journalists: the events as CSV and GeoJSON, the map as PNG, GIF, MP4, PDF, SVG
and HTML, and the alt text that goes with every picture. The names the app, the pages and the
tests use, from the modules of each concern:

- ``lib.pictures.tables``: ``events_csv``, ``events_geojson``, ``neutralise_cell``;
- ``lib.pictures.sharing``: ``export_filename``, ``embed_snippet``;
- ``lib.pictures.datacache``: ``ExportData``, ``load_export_data`` (validated once per version
  of the files, cached under ``cache_dir()`` by ``data_fingerprint``);
- ``lib.pictures.capture``: the browser page (``open_page``, ``capture``, ``render_png``,
  ``with_metadata``); animations are in ``lib.pictures.animation``, PDF and SVG in
  ``lib.pictures.vector``;
- ``lib.pictures.render``: ``render`` (any format for one view), ``animation_frames``,
  ``encode_animation``;
- ``lib.pictures.command``: the command line, ``python -m lib export`` (``main``).
"""

from __future__ import annotations

from lib.pictures.capture import (
    DEFAULT_SCALE,
    READY_TIMEOUT_S,
    Capture,
    capture,
    open_page,
    render_png,
    with_metadata,
)
from lib.pictures.command import BINARY_FORMATS, BROWSER_FORMATS, FORMATS, main, params_from_args
from lib.pictures.datacache import ExportData, cache_dir, data_fingerprint, load_export_data
from lib.pictures.render import (
    ANIMATION_SCALE,
    DEFAULT_TITLE,
    animation_frames,
    encode_animation,
    render,
)
from lib.pictures.sharing import embed_snippet, export_filename
from lib.pictures.tables import FORMULA_STARTS, events_csv, events_geojson, neutralise_cell

__all__ = [
    "ANIMATION_SCALE",
    "BINARY_FORMATS",
    "BROWSER_FORMATS",
    "DEFAULT_SCALE",
    "DEFAULT_TITLE",
    "FORMATS",
    "FORMULA_STARTS",
    "READY_TIMEOUT_S",
    "Capture",
    "ExportData",
    "animation_frames",
    "cache_dir",
    "capture",
    "data_fingerprint",
    "embed_snippet",
    "encode_animation",
    "events_csv",
    "events_geojson",
    "export_filename",
    "load_export_data",
    "main",
    "neutralise_cell",
    "open_page",
    "params_from_args",
    "render",
    "render_png",
    "with_metadata",
]

if __name__ == "__main__":
    raise SystemExit(main())
