"""The corrections log readers see: what changed between two publications, in words.

Made from the edit history (``lib.editing.history``): the saves after the previous
publication's last history entry, summed up per kind of change ("the date of one event
corrected; two events added") with the editors' notes. A pure function of the entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lib.editing.history import Entry

#: How a reader names an events.csv column that changed ("the date of one event corrected").
COLUMN_WORDS = {
    "date": "date",
    "date_precision": "date's precision",
    "date_basis": "date's basis",
    "places": "place",
    "event_type": "type",
    "actors": "actors",
    "claimant": "claimant",
    "status": "status",
    "casualties": "figures",
    "summary": "summary",
    "articles": "sources",
    "quote": "quote",
    "contests": "contested claims",
    "place_basis": "place's basis",
}
_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
#: What each tracked file holds, singular and plural.
_THINGS = {
    "events.csv": ("event", "events"),
    "geodata/gazetteer.csv": ("place", "places"),
    "articles/articles.csv": ("article's details", "articles' details"),
}


def _count(n: int, one: str, many: str) -> str:
    return f"{_NUMBERS[n] if n < len(_NUMBERS) else f'{n:,}'} {one if n == 1 else many}"


@dataclass(frozen=True)
class Correction:
    """One update for readers: when it was published, what changed, the editors' notes."""

    time: str  # "2021-09-05T14:02:00Z"
    text: str  # "the date of one event corrected; two events added"
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {"time": self.time, "text": self.text, "notes": list(self.notes)}

    @classmethod
    def from_json(cls, value: object) -> Correction | None:
        if not isinstance(value, Mapping):
            return None
        notes = value.get("notes") or []
        return cls(
            time=str(value.get("time", "")),
            text=str(value.get("text", "")),
            notes=tuple(str(n) for n in notes if isinstance(n, str)),
        )


def describe(entries: Sequence[Entry]) -> str:
    """What ``entries`` changed, as readers are told it; "" when they changed no row."""
    columns: dict[str, set[str]] = {}
    added: dict[str, set[str]] = {}
    deleted: dict[str, set[str]] = {}
    changed: dict[str, set[str]] = {}
    for entry in entries:
        if entry.file not in _THINGS:
            continue
        for row in entry.added:
            added.setdefault(entry.file, set()).add(row.get("id", ""))
        for row in entry.deleted:
            deleted.setdefault(entry.file, set()).add(row.get("id", ""))
        for change in entry.changed:
            row_id = change.get("id", "") or change.get("key", "")
            if entry.file == "events.csv":
                for cell in change.get("cells", ()):
                    columns.setdefault(str(cell[0]), set()).add(row_id)
            else:
                changed.setdefault(entry.file, set()).add(row_id)
    # An event added and then edited before the publication is, to a reader, only added.
    new_events = added.get("events.csv", set())
    parts = [
        f"the {COLUMN_WORDS.get(column, column.replace('_', ' '))} of "
        f"{_count(len(ids - new_events), 'event', 'events')} corrected"
        for column, ids in sorted(columns.items())
        if ids - new_events
    ]
    for file, ids in sorted(changed.items()):
        parts.append(f"{_count(len(ids), *_THINGS[file])} corrected")
    for file, ids in sorted(added.items()):
        parts.append(f"{_count(len(ids), *_THINGS[file])} added")
    for file, ids in sorted(deleted.items()):
        parts.append(f"{_count(len(ids), *_THINGS[file])} removed")
    return "; ".join(parts)


def corrections_since(
    log: Sequence[Entry], position: str | None, now: dt.datetime
) -> Correction | None:
    """The update published at ``now``: the entries after ``position`` (an entry id; every
    entry when None or no longer in the log), or None when they changed nothing readers see."""
    ids = [e.id for e in log]
    start = ids.index(position) + 1 if position in ids else 0
    new = list(log[start:])
    text = describe(new)
    if not text:
        return None
    notes = tuple(dict.fromkeys(e.note for e in new if e.note and e.file in _THINGS))
    return Correction(time=now.strftime("%Y-%m-%dT%H:%M:%SZ"), text=text, notes=notes)
