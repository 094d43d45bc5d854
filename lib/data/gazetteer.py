"""The curated gazetteer, ``geodata/gazetteer.csv``: every place the corpus names.

Names are matched through ``lib.data.text.name_key`` (case, accents, hyphens and spaces ignored), over
the canonical name and every variant.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lib.data import csvio
from lib.data.problems import Problem
from lib.data.schema import PIN_PRECISIONS, PLACE_COLUMNS, PLACE_KINDS, PRECISIONS
from lib.data.text import control_chars, name_key, split_list

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,63}$")
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")
#: Longest place name, variant or not_in phrase, in characters. The longest real one is under
#: 40; the mention matcher's work grows with name length, so a pasted paragraph is refused.
NAME_MAX = 200
#: At most this many variants (or not_in phrases) per place, in a cell of at most this many
#: characters. The busiest real place has 8 variants in 112 characters; 100 places with 64 KiB
#: variant cells once cost `lib check` 1.7 GB, as every name enters the mention matcher.
VARIANTS_MAX = 40
VARIANTS_CELL_MAX = 2000


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    lat: float
    lon: float
    precision: str
    uncertainty_km: float
    country: str
    source: str
    variants: tuple[str, ...] = ()
    admin1: str = ""
    area_ref: str = ""
    geonames_id: str = ""
    not_in: tuple[str, ...] = ()
    note: str = ""
    row: int | None = None  # spreadsheet row it came from, for messages

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name first, then the variants."""
        return (self.name, *self.variants)

    @property
    def is_pin(self) -> bool:
        """True when the point is exact enough to draw as a pin rather than an area."""
        return self.precision in PIN_PRECISIONS


@dataclass
class Gazetteer:
    places: dict[str, Place]

    def __post_init__(self) -> None:
        self._by_key: dict[str, list[str]] = defaultdict(list)
        for place in self.places.values():
            for key in {name_key(n) for n in place.names} | {name_key(place.id)}:
                if key and place.id not in self._by_key[key]:
                    self._by_key[key].append(place.id)

    def lookup(self, name: str) -> list[Place]:
        """Places whose id, name or a variant equals ``name`` up to case/accents/punctuation."""
        return [self.places[i] for i in self._by_key.get(name_key(name), [])]

    def nearest_names(self, name: str, n: int = 3) -> list[str]:
        """Known names closest in spelling to ``name``: the suggestion for an unknown place."""
        by_key: dict[str, Place] = {}
        for place in self.places.values():
            for candidate in (place.id, *place.names):
                by_key.setdefault(name_key(candidate), place)
        keys = difflib.get_close_matches(name_key(name), list(by_key), n=4 * n, cutoff=0.5)
        found: list[str] = []
        for key in keys:
            label = f"{by_key[key].name} ({by_key[key].id})"
            if label not in found:
                found.append(label)
        return found[:n]

    def keys(self) -> dict[str, list[str]]:
        """Every name key and the ids it stands for."""
        return dict(self._by_key)


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_place(row: dict[str, str], bad) -> Place | None:
    """Validate one gazetteer row; ``bad(column, message, hint)`` receives each problem."""
    too_long = csvio.long_cells(row)
    if too_long:
        # Nothing else is checked: a huge cell must never reach the name index or difflib.
        for column, length in too_long:
            bad(column, *csvio.long_cell_text(length))
        return None
    ok = True
    names = {
        "name": [row["name"]],
        "variants": split_list(row.get("variants") or ""),
        "not_in": split_list(row.get("not_in") or ""),
    }
    for column in ("variants", "not_in"):
        cell, count = row.get(column) or "", len(names[column])
        if len(cell) > VARIANTS_CELL_MAX or count > VARIANTS_MAX:
            bad(
                column,
                f"holds {count:,} names in {len(cell):,} characters; a place has at most "
                f"{VARIANTS_MAX} in {VARIANTS_CELL_MAX:,} characters",
                "keep the spellings the reporting really uses",
            )
            return None  # nothing of it may reach the name index
    for column, items in names.items():
        longest = max((len(item.strip()) for item in items), default=0)
        if longest > NAME_MAX:
            bad(
                column,
                f"has a name of {longest:,} characters; a name has at most {NAME_MAX}",
                "shorten it: a place name is a few words",
            )
            ok = False
    place_id = row["id"].strip()
    if not ID_PATTERN.match(place_id):
        bad("id", f"'{place_id}' is not a valid place id", "lower-case letters, digits and '_'")
        ok = False
    name = row["name"].strip()
    if not name:
        bad("name", "is empty", "give the name to show on the map")
        ok = False
    kind = row["kind"].strip()
    if kind not in PLACE_KINDS:
        bad("kind", f"'{kind}' is not a known kind", "one of: " + ", ".join(PLACE_KINDS))
        ok = False
    precision = row["precision"].strip()
    if precision not in PRECISIONS:
        bad(
            "precision",
            f"'{precision}' is not a known precision",
            "one of: " + ", ".join(PRECISIONS),
        )
        ok = False
    lat, lon = _float(row["lat"].strip()), _float(row["lon"].strip())
    if lat is None or not -90 <= lat <= 90:
        bad("lat", f"'{row['lat']}' is not a latitude", "decimal degrees between -90 and 90")
        ok = False
    if lon is None or not -180 <= lon <= 180:
        bad("lon", f"'{row['lon']}' is not a longitude", "decimal degrees between -180 and 180")
        ok = False
    radius = _float(row["uncertainty_km"].strip())
    if radius is None or radius < 0:
        bad("uncertainty_km", f"'{row['uncertainty_km']}' is not a distance", "kilometres, e.g. 15")
        ok = False
    country = row["country"].strip()
    if not COUNTRY_PATTERN.match(country):
        bad("country", f"'{country}' is not a country code", "two capital letters, e.g. AF")
        ok = False
    source = row["source"].strip()
    if not source:
        bad("source", "is empty", "every coordinate needs its source; never an invented point")
        ok = False
    for column, value in row.items():
        if value and control_chars(value):
            bad(column, f"contains control characters {', '.join(control_chars(value))}")
            ok = False
    if not ok:
        return None
    return Place(
        id=place_id,
        name=name,
        kind=kind,
        lat=lat,
        lon=lon,
        precision=precision,
        uncertainty_km=radius,
        country=country,
        source=source,
        variants=tuple(split_list(row.get("variants", ""))),
        admin1=row.get("admin1", "").strip(),
        area_ref=row.get("area_ref", "").strip(),
        geonames_id=row.get("geonames_id", "").strip(),
        not_in=tuple(split_list(row.get("not_in", ""))),
        note=row.get("note", "").strip(),
    )


def load_gazetteer(
    path: Path, label: str = "geodata/gazetteer.csv"
) -> tuple[Gazetteer, list[Problem]]:
    """Load the gazetteer; bad rows are left out and reported, the rest load."""
    required = [c.name for c in PLACE_COLUMNS if c.required]
    optional = [c.name for c in PLACE_COLUMNS if not c.required]
    table = csvio.read(Path(path), required, optional, label=label)
    problems = list(table.problems)
    places: dict[str, Place] = {}
    owner: dict[str, tuple[str, int]] = {}
    for row_no, row in table.rows:

        def bad(column: str, message: str, hint: str = "", _row=row_no) -> None:
            problems.append(Problem(label, _row, column, message, hint))

        place = parse_place(row, bad)
        if place is None:
            continue
        place = dataclasses.replace(place, row=row_no)
        if place.id in places:
            bad("id", f"duplicate place id '{place.id}'", "every place needs its own id")
            continue
        for variant in place.names:
            key = name_key(variant)
            other = owner.get(key)
            if other and other[0] != place.id:
                problems.append(
                    Problem(
                        label,
                        row_no,
                        "variants",
                        f"'{variant}' also names '{other[0]}' (row {other[1]})",
                        "a shared name makes look-ups ambiguous; keep it on one place",
                        severity="warning",
                    )
                )
            owner.setdefault(key, (place.id, row_no))
        places[place.id] = place
    return Gazetteer(places), problems
