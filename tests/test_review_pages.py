"""Issue 20 on the editor pages (AppTest): a second approver enforced at save time on Edit
events, and the review list of drafts on Add article."""

# ruff: noqa: F811  (pytest fixtures imported from tests/support/editing.py look redefined)

from __future__ import annotations

import pytest

from lib.data.schema import EVENT_COLUMNS
from lib.editing import history
from lib.editing import snapshot as editing
from tests.support.editing import (  # noqa: F401 (fixture_env, fixture_root: fixtures)
    add_user,
    app,
    button,
    edit_grid,
    fixture_env,
    fixture_root,
    login,
    read_events,
    texts,
)

pytestmark = pytest.mark.apptest

ALICE = ("alice", "alice's long password")
BOB = ("bob", "bob's long password")


def save_as(root, who, column, **values):
    """A save of events.csv by ``who`` (as the app records it), setting ``column`` of rows."""
    path = root / "events.csv"
    snap = editing.read_snapshot(path, EVENT_COLUMNS)
    rows = [dict(r, **{column: values.get(r["id"], r[column])}) for r in snap.rows]
    editing.save_bytes(path, snap.encode(rows), snap.fingerprint,
                       backup_root=root / ".backups",
                       journal=history.Recorder(root, "events.csv", who))  # fmt: skip


@pytest.fixture
def second_person(fixture_env, monkeypatch):
    """The fixture data, a second approver required, alice and bob; alice wrote F004, which
    carol then sent back for review ('ready')."""
    monkeypatch.setenv("DASHBOARD_REVIEW_SECOND_PERSON", "on")
    add_user(*ALICE)
    add_user(*BOB)
    save_as(fixture_env, "alice", "summary", F004="Talks in Kabul fail again.")
    save_as(fixture_env, "carol", "review", F004="ready")
    return fixture_env


def events_page_as(account):
    at = app("events").run()
    login(at, account[1], name=account[0])
    assert len(at.data_editor) == 1, texts(at)
    return at


F004, F005 = 3, 4  # positions in the grid


def test_approving_your_own_row_is_refused_on_the_page_and_the_other_edits_stay(second_person):
    at = events_page_as(ALICE)
    edit_grid(
        at, edited={F004: {"review": "approved"}, F005: {"summary": "Families leave the valley."}}
    )
    (errors,) = [d.value for d in at.dataframe if "how to fix" in d.value.columns]
    (refused,) = errors.to_dict("records")
    assert (refused["row"], refused["event"], refused["column"]) == ("4", "F004", "review")
    assert "cannot be approved by you (alice)" in refused["problem"]
    assert "'ready'" in refused["how to fix"]
    assert button(at, "Save events.csv").disabled
    assert "2 changed" in texts(at)  # nothing typed is lost

    edit_grid(
        at, edited={F004: {"review": "ready"}, F005: {"summary": "Families leave the valley."}}
    )
    button(at, "Save events.csv").click()
    at.run()
    saved = {r["id"]: r for r in read_events(second_person)}
    assert saved["F004"]["review"] == "ready"
    assert saved["F005"]["summary"] == "Families leave the valley."


def test_a_second_editor_approves_the_row_on_the_page(second_person):
    at = events_page_as(BOB)
    edit_grid(at, edited={F004: {"review": "approved"}})
    assert not [d for d in at.dataframe if "how to fix" in d.value.columns]
    button(at, "Save events.csv").click()
    at.run()
    assert {r["id"]: r for r in read_events(second_person)}["F004"]["review"] == "approved"


def test_the_save_itself_refuses_a_self_approval_and_keeps_the_working_copy(
    second_person, monkeypatch
):
    # The page's own check is bypassed (as a save racing it would be): the save still refuses.
    from ui import editor_state

    at = events_page_as(ALICE)
    before = (second_person / "events.csv").read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(editor_state, "self_approvals", lambda ws, rows, who=None: [])
        edit_grid(at, edited={F004: {"review": "approved"}, F005: {"summary": "Families leave."}})
        button(at, "Save events.csv").click()
        at.run()
    assert (second_person / "events.csv").read_bytes() == before
    message = texts(at)
    assert "Not saved: Line 5 of events.csv, field 'review': F004 cannot be approved" in message
    assert "2 changed" in message
