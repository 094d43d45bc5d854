"""The story file (``story.toml``): title, region, credits and export file names, as data.

A newsroom starts its next story by replacing the data and this one file, not by editing Python.
The file sits in the data directory (``DASHBOARD_DATA_DIR``) if there is one there, else at the
repository root. A missing or malformed key is an error that names the file and the key; there
are no silent defaults, because a wrong region would mis-geocode every new place.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from lib.data.dataset import REPO_ROOT, data_dir

FILE_NAME = "story.toml"


class StoryError(ValueError):
    """The story file is missing, unreadable or lacks a key; the message names file and key."""


@dataclass(frozen=True)
class Story:
    title: str
    subtitle: str
    file_stem: str
    #: (lat, lon) the geocoder measures "in the region" from.
    centre: tuple[float, float]
    #: (lat, lon) and zoom where the map opens.
    map_centre: tuple[float, float]
    zoom: int
    radius_km: float
    countries: tuple[str, ...]
    credit_boundaries: str
    credit_places: str
    credit_tiles: str


def path() -> Path:
    """``story.toml`` of the data directory if it has one, else the repository's."""
    candidate = data_dir() / FILE_NAME
    return candidate if candidate.is_file() else REPO_ROOT / FILE_NAME


def _get(table: dict, dotted: str, kind: type, file: Path):
    node: object = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise StoryError(f"{file}: key '{dotted}' is missing")
        node = node[part]
    if kind is float and isinstance(node, int) and not isinstance(node, bool):
        node = float(node)
    if not isinstance(node, kind) or isinstance(node, bool):
        raise StoryError(f"{file}: key '{dotted}' must be a {kind.__name__}, not {node!r}")
    return node


def _pair(table: dict, dotted: str, file: Path) -> tuple[float, float]:
    value = _get(table, dotted, list, file)
    if len(value) != 2 or not all(isinstance(v, int | float) for v in value):
        raise StoryError(f"{file}: key '{dotted}' must be [latitude, longitude]")
    lat, lon = float(value[0]), float(value[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise StoryError(f"{file}: key '{dotted}' = {value} is not a latitude and longitude")
    return lat, lon


def parse(text: str, file: Path) -> Story:
    """The story in ``text`` (the contents of ``file``, named in messages)."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StoryError(f"{file}: not valid TOML: {exc}") from None
    countries = _get(table, "region.countries", list, file)
    if not all(isinstance(c, str) and len(c) == 2 and c.isalpha() for c in countries):
        raise StoryError(f"{file}: key 'region.countries' must list two-letter country codes")
    radius = _get(table, "region.radius_km", float, file)
    if radius <= 0:
        raise StoryError(f"{file}: key 'region.radius_km' must be positive")
    return Story(
        title=_get(table, "title", str, file),
        subtitle=_get(table, "subtitle", str, file),
        file_stem=_get(table, "file_stem", str, file),
        centre=_pair(table, "region.centre", file),
        map_centre=_pair(table, "region.map_centre", file),
        zoom=_get(table, "region.zoom", int, file),
        radius_km=radius,
        countries=tuple(c.upper() for c in countries),
        credit_boundaries=_get(table, "credits.boundaries", str, file),
        credit_places=_get(table, "credits.places", str, file),
        credit_tiles=_get(table, "credits.tiles", str, file),
    )


def load(file: Path | None = None) -> Story:
    """Read and check the story file (default: ``path()``)."""
    file = Path(file) if file else path()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoryError(f"{file}: cannot be read ({exc})") from None
    return parse(text, file)


@functools.cache
def current() -> Story:
    """The story of this process (read once; restart to pick up an edit of story.toml)."""
    return load()
