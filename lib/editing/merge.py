"""The three-way merge of an editor's rows with the version on disk, against the
version both started from (`merge_rows`); the rows both changed are left for the editor
to decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lib.editing.diff import columns_of, key_label, keyed, same_row, value_of
from lib.editing.snapshot import Row

# --- three-way merge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A row both sides changed, differently. ``None`` means that side deleted (or lacks) it."""

    key: str
    base: Mapping[str, str] | None
    ours: Mapping[str, str] | None
    theirs: Mapping[str, str] | None

    def cells(self) -> list[tuple[str, str, str, str]]:
        """``(column, base, mine, theirs)`` for each column where mine and theirs differ."""
        return [
            (c, value_of(self.base, c), value_of(self.ours, c), value_of(self.theirs, c))
            for c in columns_of(self.base, self.ours, self.theirs)
            if value_of(self.ours, c) != value_of(self.theirs, c)
        ]


MINE, THEIRS = "mine", "theirs"


@dataclass(frozen=True)
class Merge:
    """The result of `merge_rows`: merged rows, with conflicts left for a person to decide."""

    columns: tuple[str, ...]
    entries: tuple[tuple[str, Mapping[str, str] | Conflict], ...]
    conflicts: tuple[Conflict, ...]

    def rows(self, choices: Mapping[str, str] | None = None) -> list[Row]:
        """The merged rows; ``choices`` maps each conflict's key to `MINE` or `THEIRS`.

        Raises ``ValueError`` naming the conflicts that have no choice.
        """
        choices = choices or {}
        missing = [c.key for c in self.conflicts if choices.get(c.key) not in (MINE, THEIRS)]
        if missing:
            raise ValueError("choose mine or theirs for: " + ", ".join(missing))
        out: list[Row] = []
        for _, entry in self.entries:
            if isinstance(entry, Conflict):
                entry = entry.ours if choices[entry.key] == MINE else entry.theirs
            if entry is not None:
                out.append({c: value_of(entry, c) for c in self.columns})
        return out


def merge_rows(
    base: Sequence[Mapping[str, str]],
    ours: Sequence[Mapping[str, str]],
    theirs: Sequence[Mapping[str, str]],
    columns: Sequence[str] = (),
) -> Merge:
    """Merge two edits of ``base`` by row id.

    A row only one side changed takes that side's version (added, changed or deleted); a row
    both sides changed the same way is taken once; a row both changed differently (including
    changed on one side and deleted on the other) is a `Conflict`. Row order follows ``ours``,
    with rows only ``theirs`` added placed after the row that precedes them in ``theirs``.
    ``columns`` (default: every column seen, theirs first) is the merged file's header.
    """
    b, o, t = keyed(base), keyed(ours), keyed(theirs)
    order = list(o)
    placed = set(order)
    their_order = list(t)
    for i, key in enumerate(their_order):
        if key in placed:
            continue
        at = 0
        for earlier in reversed(their_order[:i]):
            if earlier in placed:
                at = order.index(earlier) + 1
                break
        order.insert(at, key)
        placed.add(key)
    entries: list[tuple[str, Mapping[str, str] | Conflict]] = []
    conflicts: list[Conflict] = []
    for key in order:
        mine, their, common = o.get(key), t.get(key), b.get(key)
        if same_row(mine, their) or same_row(their, common):
            pick = mine
        elif same_row(mine, common):
            pick = their
        else:
            conflict = Conflict(key_label(key), common, mine, their)
            conflicts.append(conflict)
            entries.append((conflict.key, conflict))
            continue
        if pick is not None:
            entries.append((key_label(key), pick))
    if not columns:
        columns = columns_of(*theirs[:1], *ours[:1], *base[:1])
    return Merge(tuple(columns), tuple(entries), tuple(conflicts))
