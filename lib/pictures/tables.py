"""The events as files a journalist opens in a spreadsheet or a GIS: CSV (one row per event and
place, safe against formula injection) and GeoJSON (one point per event and place)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from lib.data.gazetteer import Gazetteer

#: A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
#: tab and carriage return come from OWASP's list: some spreadsheets strip them first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
