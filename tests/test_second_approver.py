"""Issue 20: with a second approver required, a save in which an editor approves a row they
wrote is refused at save time (not only reported later by ``python -m lib check``)."""

from __future__ import annotations

import shutil

import pytest

from lib.data.schema import EVENT_COLUMNS
from lib.editing import history
from lib.editing.review import self_approvals
from lib.editing.saving import save_bytes
from lib.editing.snapshot import read_snapshot
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit


@pytest.fixture
def root(tmp_path):
    """The fixture data with F004 waiting for approval ('ready')."""
    root = shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    save(root, "carol", review={"F004": "ready"})
    return root


def save(root, who, review=None, summary=None):
    """Save events.csv as ``who`` through the app's save (the history records it)."""
    path = root / "events.csv"
    snap = read_snapshot(path, EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    for row in rows:
        row.update({"review": (review or {}).get(row["id"], row["review"])})
        if summary and row["id"] in summary:
            row["summary"] = summary[row["id"]]
    recorder = history.Recorder(root, "events.csv", who)
    save_bytes(
        path, snap.encode(rows), snap.fingerprint, backup_root=root / ".backups", journal=recorder
    )


def approving(root, who, *, summary="", second_person=True):
    """What `self_approvals` says of ``who`` approving F004 (and changing its summary)."""
    snap = read_snapshot(root / "events.csv", EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    for row in rows:
        if row["id"] == "F004":
            row["review"] = "approved"
            row["summary"] = summary or row["summary"]
    numbered = [(n, row) for n, row in enumerate(rows, start=2)]
    return self_approvals(snap.rows, numbered, who, root, second_person)


def test_an_editor_who_wrote_a_row_cannot_approve_it(root):
    save(root, "alice", summary={"F004": "Talks in Kabul fail again."})
    (problem,) = approving(root, "alice")
    assert (problem.file, problem.row, problem.column) == ("events.csv", 5, "review")
    assert "F004" in problem.message and "alice" in problem.message
    assert "ready" in problem.hint and problem.severity == "error"


def test_another_editor_approves_it(root):
    save(root, "alice", summary={"F004": "Talks in Kabul fail again."})
    assert approving(root, "bob") == []


def test_changing_a_row_and_approving_it_in_one_save_is_refused(root):
    (problem,) = approving(root, "bob", summary="Bob rewrote it and approved it.")
    assert "in this save" in problem.message


def test_nothing_is_refused_with_the_setting_off(root, monkeypatch):
    save(root, "alice", summary={"F004": "Talks in Kabul fail again."})
    assert approving(root, "alice", second_person=False) == []
    monkeypatch.delenv("DASHBOARD_REVIEW_SECOND_PERSON", raising=False)
    assert approving(root, "alice", second_person=None) == []
    monkeypatch.setenv("DASHBOARD_REVIEW_SECOND_PERSON", "on")
    assert len(approving(root, "alice", second_person=None)) == 1


def test_a_row_approved_already_is_not_approved_again_by_an_unrelated_save(root):
    # F001 was approved before the history began; alice's save changes another row.
    snap = read_snapshot(root / "events.csv", EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    rows[4]["summary"] = "Dozens of families left."
    numbered = list(enumerate(rows, start=2))
    assert self_approvals(snap.rows, numbered, "alice", root, True) == []


def test_an_added_row_cannot_arrive_approved_by_its_author(root):
    snap = read_snapshot(root / "events.csv", EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    rows.append({**rows[3], "id": "F006", "review": "approved"})
    numbered = list(enumerate(rows, start=2))
    (problem,) = self_approvals(snap.rows, numbered, "alice", root, True)
    assert problem.row == 7 and "F006" in problem.message
