"""The curated gazetteer, ``geodata/gazetteer.csv``: every place the corpus names.

Names are matched through ``lib.data.text.name_key`` (case, accents, hyphens and spaces ignored), over
the canonical name and every variant.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lib.data import csvio
from lib.data.problems import Problem
from lib.data.schema import PIN_PRECISIONS, PLACE_COLUMNS, Rule, column_problems, parse_number
from lib.data.text import control_chars, name_key, split_list

#: A place id, as datapackage.json declares it (matched whole).
ID_PATTERN = re.compile(rf"(?:{next(c for c in PLACE_COLUMNS if c.name == 'id').pattern})\Z")
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


#: The wording of each column's problems; the rules themselves are in datapackage.json.
RULES: dict[str, Rule] = {
    "id": Rule("'{value}' is not a valid place id", "lower-case letters, digits and '_'"),
    "name": Rule(empty="give the name to show on the map"),
    "kind": Rule("'{value}' is not a known kind"),
    "precision": Rule("'{value}' is not a known precision"),
    "lat": Rule("'{value}' is not a latitude", "decimal degrees between -90 and 90"),
    "lon": Rule("'{value}' is not a longitude", "decimal degrees between -180 and 180"),
    "uncertainty_km": Rule("'{value}' is not a distance", "kilometres, e.g. 15"),
    "country": Rule("'{value}' is not a country code", "two capital letters, e.g. AF"),
    "source": Rule(empty="every coordinate needs its source; never an invented point"),
}
_COLUMNS = {c.name: c for c in PLACE_COLUMNS}


def _too_many_names(row: dict[str, str], bad) -> bool:
    """Report a variants or not_in cell with too many names; True if there is one."""
    for column in ("variants", "not_in"):
        cell = row.get(column) or ""
        count = len(split_list(cell))
        if len(cell) > VARIANTS_CELL_MAX or count > VARIANTS_MAX:
            bad(
                column,
                f"holds {count:,} names in {len(cell):,} characters; a place has at most "
                f"{VARIANTS_MAX} in {VARIANTS_CELL_MAX:,} characters",
                "keep the spellings the reporting really uses",
            )
            return True
    return False


def _long_names(row: dict[str, str], bad) -> bool:
    """Report every name, variant or not_in phrase over ``NAME_MAX``; True if there is one."""
    found = False
    for column in ("name", "variants", "not_in"):
        items = [row[column]] if column == "name" else split_list(row.get(column) or "")
        longest = max((len(item.strip()) for item in items), default=0)
        if longest > NAME_MAX:
            bad(
                column,
                f"has a name of {longest:,} characters; a name has at most {NAME_MAX}",
                "shorten it: a place name is a few words",
            )
            found = True
    return found


def parse_place(row: dict[str, str], bad) -> Place | None:
    """Validate one gazetteer row; ``bad(column, message, hint)`` receives each problem."""
    too_long = csvio.long_cells(row)
    if too_long:
        # Nothing else is checked: a huge cell must never reach the name index or difflib.
        for column, length in too_long:
            bad(column, *csvio.long_cell_text(length))
        return None
    if _too_many_names(row, bad):
        return None  # nothing of it may reach the name index
    cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
    ok = not _long_names(row, bad)
    for problem in column_problems(_COLUMNS, RULES, cells):
        bad(*problem)
        ok = False
    for column, value in row.items():
        if value and control_chars(value):
            bad(column, f"contains control characters {', '.join(control_chars(value))}")
            ok = False
    if not ok:
        return None
    return Place(
        id=cells["id"],
        name=cells["name"],
        kind=cells["kind"],
        lat=parse_number(cells["lat"]),
        lon=parse_number(cells["lon"]),
        precision=cells["precision"],
        uncertainty_km=parse_number(cells["uncertainty_km"]),
        country=cells["country"],
        source=cells["source"],
        variants=tuple(split_list(cells.get("variants", ""))),
        admin1=cells.get("admin1", ""),
        area_ref=cells.get("area_ref", ""),
        geonames_id=cells.get("geonames_id", ""),
        not_in=tuple(split_list(cells.get("not_in", ""))),
        note=cells.get("note", ""),
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
