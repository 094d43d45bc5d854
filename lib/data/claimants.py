"""Who makes claims: ``claimants.csv``, one row per party with the other names it goes by.

Like the gazetteer for places, the list makes "NRF", "National Resistance Front" and "NRF
(Fahim Dashti)" one claimant, so that two rows repeating one claim are found however the
claimant is spelled (``lib.data.checks``, duplicate-claim). A claimant cell belongs to the party
whose name or alias it contains as whole words, the earliest in the cell winning ("a Taliban
source (to Reuters)" is the Taliban); a cell that names no party stands for itself.

The file is optional: without it every claimant is compared as written (case ignored).
``load_claimants`` never raises: a bad row is reported and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import csvio
from lib.data.problems import Problem
from lib.data.schema import CLAIMANT_COLUMNS
from lib.data.text import fold, split_list

LABEL = "claimants.csv"
#: A claimant id, as datapackage.json declares it (matched whole).
ID_PATTERN = re.compile(rf"(?:{next(c for c in CLAIMANT_COLUMNS if c.name == 'id').pattern})\Z")


@dataclass(frozen=True)
class Claimant:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    row: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Claimants:
    parties: dict[str, Claimant] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _owner: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = {}
        for party in self.parties.values():
            for name in party.names:
                key = " ".join(fold(name).split())
                if key:
                    names.setdefault(key, party.id)
        self._owner = names
        if names:
            # Longest first, so "National Resistance Front" wins over "Resistance".
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def canonical(self, claimant: str) -> str:
        """The id of the party ``claimant`` names (earliest in the cell), else the folded cell."""
        folded = " ".join(fold(claimant).split())
        if self._pattern is not None:
            match = self._pattern.search(folded)
            if match:
                return self._owner[match.group()]
        return folded


def load_claimants(path: Path, label: str = LABEL) -> tuple[Claimants, list[Problem]]:
    """Read ``claimants.csv``; a missing file is no problem (claimants compare as written)."""
    path = Path(path)
    if not path.exists():
        return Claimants(), []
    required = [c.name for c in CLAIMANT_COLUMNS if c.required]
    optional = [c.name for c in CLAIMANT_COLUMNS if not c.required]
    table = csvio.read(path, required, optional, label=label)
    problems = list(table.problems)
    parties: dict[str, Claimant] = {}
    seen_names: dict[str, str] = {}
    for row_no, row in table.rows:
        party_id, name = row.get("id", "").strip(), row.get("name", "").strip()
        if not ID_PATTERN.match(party_id):
            problems.append(
                Problem(label, row_no, "id", f"'{party_id}' is not a valid id", "e.g. nrf")
            )
            continue
        if party_id in parties:
            problems.append(Problem(label, row_no, "id", f"duplicate id '{party_id}'"))
            continue
        if not name:
            problems.append(Problem(label, row_no, "name", "is empty", "the party's usual name"))
            continue
        party = Claimant(party_id, name, tuple(split_list(row.get("aliases", ""))), row_no)
        for alias in party.names:
            key = " ".join(fold(alias).split())
            other = seen_names.setdefault(key, party_id)
            if other != party_id:
                problems.append(
                    Problem(
                        label,
                        row_no,
                        "aliases",
                        f"'{alias}' is also a name of '{other}'",
                        "a name can stand for one party only",
                        severity="warning",
                    )
                )
        parties[party_id] = party
    return Claimants(parties), problems
