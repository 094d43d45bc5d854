"""The differences between two versions of a table: rows added, changed (cell by cell)
and deleted, matched by id (`diff_rows`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# --- differences between two versions ----------------------------------------------------------

RowKey = tuple[str, int]


def keyed(rows: Iterable[Mapping[str, str]]) -> dict[RowKey, Mapping[str, str]]:
    """Rows by ``(id, occurrence)``: duplicate or empty ids still get distinct, stable keys."""
    seen: dict[str, int] = {}
    out: dict[RowKey, Mapping[str, str]] = {}
    for row in rows:
        row_id = (row.get("id") or "").strip()
        n = seen.get(row_id, 0)
        seen[row_id] = n + 1
        out[(row_id, n)] = row
    return out


def key_label(key: RowKey) -> str:
    row_id, n = key
    name = row_id or "(no id)"
    return name if n == 0 else f"{name} (copy {n + 1})"


def value_of(row: Mapping[str, str] | None, column: str) -> str:
    return "" if row is None else (row.get(column) or "")


def same_row(a: Mapping[str, str] | None, b: Mapping[str, str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(value_of(a, c) == value_of(b, c) for c in {*a, *b})


def columns_of(*rows: Mapping[str, str] | None) -> list[str]:
    return list(dict.fromkeys(c for row in rows if row is not None for c in row))


@dataclass(frozen=True)
class CellChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: str
    old: Mapping[str, str]
    new: Mapping[str, str]
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Diff:
    """What turns ``old`` into ``new``, by row id. Reordering rows alone is not a change."""

    added: tuple[Mapping[str, str], ...] = ()
    changed: tuple[RowChange, ...] = ()
    deleted: tuple[Mapping[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.deleted)

    def summary(self) -> str:
        """'1 added, 2 changed, 1 deleted' or 'no changes'."""
        parts = [
            f"{len(items)} {what}"
            for items, what in (
                (self.added, "added"),
                (self.changed, "changed"),
                (self.deleted, "deleted"),
            )
            if items
        ]
        return ", ".join(parts) or "no changes"


def diff_rows(old: Iterable[Mapping[str, str]], new: Iterable[Mapping[str, str]]) -> Diff:
    before, after = keyed(old), keyed(new)
    added = tuple(row for key, row in after.items() if key not in before)
    deleted = tuple(row for key, row in before.items() if key not in after)
    changed = []
    for key, row in after.items():
        previous = before.get(key)
        if previous is None or same_row(previous, row):
            continue
        cells = tuple(
            CellChange(c, value_of(previous, c), value_of(row, c))
            for c in columns_of(previous, row)
            if value_of(previous, c) != value_of(row, c)
        )
        changed.append(RowChange(key_label(key), previous, row, cells))
    return Diff(added, tuple(changed), deleted)
