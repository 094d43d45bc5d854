"""Who approved each event, and when, read from the edit history (``lib.editing.history``).

The ``review`` column says whether a row is a draft, ready or approved; the history says who
moved it there. An approval is the save that added a row as ``approved`` or changed its
``review`` cell to ``approved``; a later save that moves it back clears it. The people who wrote
a row are those who added it or changed any cell other than ``review`` and ``acknowledged``.

With the setting ``DASHBOARD_REVIEW_SECOND_PERSON`` on, ``review_problems`` reports an approved
row approved by one of its writers (nobody approves their own row), and an approved row with no
recorded approval at all (a warning: it was approved outside the app, or before the history),
and ``self_approvals`` refuses the save that would approve a row its own editor wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lib.data import settings
from lib.data.events import Event
from lib.data.problems import Problem
from lib.editing import history

SECOND_PERSON = "DASHBOARD_REVIEW_SECOND_PERSON"
#: Cells whose change is not writing the row: its review state and the warnings it accepts.
_NOT_WRITING = frozenset({"review", "acknowledged"})


@dataclass(frozen=True)
class Approval:
    who: str
    when: str  # 'YYYY-MM-DD HH:MM UTC'


def approvals_and_writers(
    entries: Iterable[history.Entry],
) -> tuple[dict[str, Approval], dict[str, set[str]]]:
    """``({event id: its current approval}, {event id: who wrote it})`` from history entries."""
    approved: dict[str, Approval] = {}
    writers: dict[str, set[str]] = {}
    for item in entries:
        if item.file != "events.csv":
            continue
        for row in item.added:
            row_id = row.get("id", "")
            writers.setdefault(row_id, set()).add(item.who)
            if row.get("review", "").strip().lower() == "approved":
                approved[row_id] = Approval(item.who, item.when)
        for change in item.changed:
            row_id = change.get("id", "")
            for column, _old, new in change.get("cells", ()):
                if column == "review":
                    if str(new).strip().lower() == "approved":
                        approved[row_id] = Approval(item.who, item.when)
                    else:
                        approved.pop(row_id, None)
                elif column not in _NOT_WRITING:
                    writers.setdefault(row_id, set()).add(item.who)
        for row in item.deleted:
            approved.pop(row.get("id", ""), None)
            writers.pop(row.get("id", ""), None)
    return approved, writers


def approvals(root: Path) -> dict[str, Approval]:
    """``{event id: Approval}`` of every event whose last review change approved it."""
    return approvals_and_writers(history.entries(root))[0]


def review_problems(
    events: Iterable[Event], root: Path, second_person: bool | None = None
) -> list[Problem]:
    """With a second person required (``second_person``, default: the setting), each approved
    row must be approved, in the history, by someone who did not write it."""
    if second_person is None:
        second_person = settings.enabled(SECOND_PERSON)
    if not second_person:
        return []
    approved, writers = approvals_and_writers(history.entries(root))
    problems = []
    for event in events:
        if event.review != "approved":
            continue
        approval = approved.get(event.id)
        if approval is None:
            problems.append(
                Problem(
                    "events.csv",
                    event.row,
                    "review",
                    "is approved, but the history records no one approving it",
                    "set it to 'ready' and let another editor approve it in the app",
                    severity="warning",
                    code="approval-unrecorded",
                )
            )
        elif approval.who in writers.get(event.id, set()):
            problems.append(
                Problem(
                    "events.csv",
                    event.row,
                    "review",
                    f"was approved by {approval.who} ({approval.when}), who also wrote it",
                    "a second editor must approve it: set it to 'ready'",
                    code="approved-by-author",
                )
            )
    return problems


def self_approvals(
    base: Iterable[Mapping[str, str]],
    rows: Iterable[tuple[int | None, Mapping[str, str]]],
    who: str,
    root: Path,
    second_person: bool | None = None,
) -> list[Problem]:
    """The rows a save by ``who`` would approve though ``who`` wrote them: refuse that save.

    ``base`` is events.csv as the editor loaded it and ``rows`` the ``(row number, row)`` pairs
    about to be written (numbers as the caller's messages name rows). A row is approved by this
    save when it is added as ``approved`` or its ``review`` cell becomes ``approved``. Its
    writers are those the history records (`approvals_and_writers`: whoever added it or changed
    a cell other than ``review`` and ``acknowledged``) plus ``who`` when this same save adds it
    or changes such a cell, so the save refuses exactly what ``python -m lib check`` would
    report afterwards as ``approved-by-author``. Empty unless a second person is required
    (``second_person``, default: the setting)."""
    if second_person is None:
        second_person = settings.enabled(SECOND_PERSON)
    if not second_person:
        return []
    loaded: dict[str, Mapping[str, str]] = {}
    for row in base:
        loaded.setdefault((row.get("id") or "").strip(), row)
    approving = []
    for number, row in rows:
        if (row.get("review") or "").strip().lower() != "approved":
            continue
        row_id = (row.get("id") or "").strip()
        before = loaded.get(row_id)
        if before is not None and (before.get("review") or "").strip().lower() == "approved":
            continue  # approved already: this save does not approve it
        writes = before is None or any(
            (before.get(c) or "") != (row.get(c) or "")
            for c in {*before, *row}
            if c not in _NOT_WRITING
        )
        approving.append((number, row_id, writes))
    if not approving:
        return []
    writers = approvals_and_writers(history.entries(root))[1]
    problems = []
    for number, row_id, writes in approving:
        if not (writes or who in writers.get(row_id, set())):
            continue
        how = "you are adding or changing it in this save" if writes else "you wrote it"
        problems.append(
            Problem(
                "events.csv",
                number,
                "review",
                f"{row_id or 'this row'} cannot be approved by you ({who}): {how}, and a "
                "second editor must approve it (DASHBOARD_REVIEW_SECOND_PERSON is on)",
                "set its review to 'ready' and ask another editor to approve it; the rest of "
                "your changes can be saved",
                code="approved-by-author",
            )
        )
    return problems
