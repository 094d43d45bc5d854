"""Province and country outlines (geoBoundaries 2007, public domain) in ``geodata/boundaries``.

Used as the offline context layer of the map and to derive the centroids that the gazetteer
cites for provinces and for the country. Not for point-in-province decisions: the 2007 outlines
are coarse (see geodata/boundaries/SOURCE.md).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

BOUNDARY_DIR = Path(__file__).resolve().parents[2] / "geodata" / "boundaries"
ADM1_FILE = "geoBoundaries-AFG-ADM1.geojson"
ADM0_FILE = "geoBoundaries-AFG-ADM0_simplified.geojson"
ATTRIBUTION = "Boundaries: geoBoundaries AFG ADM0/ADM1 (2007), public domain"
EARTH_RADIUS_KM = 6371.0088


@lru_cache(maxsize=4)
def load(name: str = ADM1_FILE, directory: Path = BOUNDARY_DIR) -> dict:
    """The GeoJSON FeatureCollection, parsed once per process."""
    return json.loads((directory / name).read_text(encoding="utf-8"))


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon (holes are ignored: none matter here)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    raise ValueError(f"unsupported geometry {geometry['type']}")


def centroid_and_area(geometry: dict) -> tuple[float, float, float]:
    """Area-weighted centroid ``(lat, lon)`` and area in km² of a (Multi)Polygon.

    Computed on an equirectangular projection around the shape, which is accurate to well under
    a kilometre for shapes the size of a province.
    """
    rings = _rings(geometry)
    lat0 = math.radians(sum(p[1] for r in rings for p in r) / sum(len(r) for r in rings))
    kx = EARTH_RADIUS_KM * math.cos(lat0) * math.pi / 180
    ky = EARTH_RADIUS_KM * math.pi / 180
    total_a = cx = cy = 0.0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            cross = x1 * y2 - x2 * y1
            total_a += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    total_a /= 2
    lon, lat = cx / (6 * total_a), cy / (6 * total_a)
    return lat, lon, abs(total_a) * kx * ky


def feature_by_iso(iso: str, name: str = ADM1_FILE) -> dict | None:
    for feature in load(name)["features"]:
        if feature["properties"].get("shapeISO") == iso:
            return feature
    return None


def equivalent_radius_km(area_km2: float) -> float:
    """Radius of the circle with the same area: the uncertainty drawn for an area place."""
    return math.sqrt(area_km2 / math.pi)


def _simplify_ring(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on a closed ring (planar, in degrees); keeps at least 4 points."""
    if len(points) <= 4:
        return points

    def perpendicular(p, a, b) -> float:
        (x, y), (x1, y1), (x2, y2) = p, a, b
        dx, dy = x2 - x1, y2 - y1
        if dx == dy == 0:
            return math.hypot(x - x1, y - y1)
        return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)

    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    out = [p for p, k in zip(points, keep, strict=True) if k]
    return out if len(out) >= 4 else points


@lru_cache(maxsize=4)
def simplified(name: str = ADM1_FILE, tolerance: float = 0.008, digits: int = 3) -> dict:
    """Outlines simplified for display: about 0.8 km tolerance, coordinates to ~100 m.

    The map sends the outlines to the browser on every rerun; the full file is 160 KB, this
    is a fraction of it and looks the same at the zooms the map uses.
    """
    source = load(name)
    features = []
    for feature in source["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        simple = [
            [
                [[round(x, digits), round(y, digits)] for x, y in _simplify_ring(ring, tolerance)]
                for ring in polygon
            ]
            for polygon in polygons
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {k: feature["properties"].get(k) for k in ("shapeName", "shapeISO")},
                "geometry": {"type": "MultiPolygon", "coordinates": simple},
            }
        )
    return {"type": "FeatureCollection", "features": features}
