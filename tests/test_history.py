"""lib.editing.history: the append-only log, the versions, restore, last change per event, the CLI;
and the History page in AppTest (list, filter, diff, admin restore, removed accounts)."""

# ruff: noqa: F811  (pytest fixtures imported from tests/support/editing.py look redefined)

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from lib.data.schema import EVENT_COLUMNS
from lib.data.storage import fingerprint
from lib.editing import history
from lib.editing.saving import BACKUP_DIR, ConflictError, save_bytes
from lib.editing.snapshot import read_snapshot
from tests.support import reader_js
from tests.support.editing import (  # noqa: F401 (data_root, editor_env: fixtures)
    PASSWORD,
    REPO,
    add_user,
    app,
    button,
    data_root,
    edit_grid,
    editor_env,
    login,
    read_events,
    remove_user,
    texts,
)

pytestmark = pytest.mark.apptest


def save_events(root, who, change, note="", base=None):
    """Save events.csv with ``change(rows)`` applied, recorded as ``who``."""
    path = root / "events.csv"
    snap = read_snapshot(path, EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    change(rows)
    recorder = history.Recorder(root, "events.csv", who, note=note)
    save_bytes(path, snap.encode(rows), base or snap.fingerprint,
               backup_root=root / BACKUP_DIR, journal=recorder)  # fmt: skip
    return recorder.entry


def test_each_save_is_logged_with_its_diff_and_both_versions(data_root):
    original = (data_root / "events.csv").read_bytes()
    first = read_events(data_root)[0]
    entry = save_events(data_root, "alice", lambda rows: rows[0].update(summary="Mine."), "typo")
    assert (entry.who, entry.file, entry.action, entry.note) == (
        "alice",
        "events.csv",
        "save",
        "typo",
    )
    assert entry.summary == "1 changed"
    (change,) = entry.changed
    assert change["id"] == first["id"]
    assert change["cells"] == [["summary", first["summary"], "Mine."]]
    assert history.version(data_root, entry, "before") == original
    assert history.version(data_root, entry, "after") == (data_root / "events.csv").read_bytes()

    second = save_events(data_root, "bob", lambda rows: rows.pop(1))
    assert second.summary == "1 deleted"
    assert [e.id for e in history.entries(data_root)] == [entry.id, second.id]


def test_the_log_is_only_appended_and_survives_a_torn_line(data_root):
    save_events(data_root, "alice", lambda rows: rows[0].update(summary="One."))
    log = data_root / history.HISTORY_DIR / history.LOG_FILE
    before = log.read_bytes()
    log.write_bytes(before + b'{"id": "torn", "ti')  # a crash in the middle of an append
    save_events(data_root, "bob", lambda rows: rows[0].update(summary="Two."))
    after = log.read_bytes()
    assert after.startswith(before + b'{"id": "torn", "ti\n')  # nothing rewritten
    found, problems = history.read_log(data_root)
    assert [e.who for e in found] == ["alice", "bob"]
    # alice's save is two lines (its intent, then its done line); the torn one is the third
    assert problems == [".history/log.jsonl line 3: unreadable, skipped"]


def test_a_change_outside_the_app_is_recorded_before_the_next_save(data_root):
    save_events(data_root, "alice", lambda rows: rows[0].update(summary="One."))
    path = data_root / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"One.", b"Edited by hand."))
    save_events(data_root, "bob", lambda rows: rows[1].update(summary="Two."))
    found = history.entries(data_root)
    assert [(e.who, e.action) for e in found] == [
        ("alice", "save"), (history.OUTSIDE, "outside"), ("bob", "save"),
    ]  # fmt: skip
    assert found[1].changed[0]["cells"] == [["summary", "One.", "Edited by hand."]]
    assert found[2].summary == "1 changed"  # bob's entry holds bob's change only


def test_restore_is_a_save_with_its_own_entry_and_the_conflict_rules(data_root):
    original = (data_root / "events.csv").read_bytes()
    first = save_events(data_root, "alice", lambda rows: rows[0].update(summary="Mine."))
    stale = fingerprint(data_root / "events.csv")
    save_events(data_root, "bob", lambda rows: rows[1].update(summary="Theirs."))
    with pytest.raises(ConflictError):
        history.restore(data_root, first, stale, who="admin", which="before")
    done = history.restore(data_root, first, fingerprint(data_root / "events.csv"),
                           who="admin", which="before")  # fmt: skip
    assert (data_root / "events.csv").read_bytes() == original
    assert (done.entry.action, done.entry.restored_from, done.entry.who) == (
        "restore",
        first.id,
        "admin",
    )
    assert done.entry.summary == "2 changed"  # both later changes undone


def test_last_change_by_event(data_root):
    ids = [r["id"] for r in read_events(data_root)]
    save_events(data_root, "alice", lambda rows: rows[0].update(summary="A."))
    save_events(
        data_root, "bob", lambda rows: (rows[0].update(summary="B."), rows[1].update(summary="B."))
    )
    save_events(data_root, "carol", lambda rows: rows.pop(1))
    found = history.last_change_by_event(data_root)
    assert set(found) == {ids[0]}  # the deleted event has no panel
    who, when = found[ids[0]]
    assert who == "bob" and when.endswith(" UTC")


def test_the_command_line_lists_and_filters(data_root, capsys):
    ids = [r["id"] for r in read_events(data_root)]
    save_events(data_root, "alice", lambda rows: rows[0].update(summary="A."), note="fixed")
    save_events(data_root, "bob", lambda rows: rows[1].update(summary="B."))
    assert history.main(["--root", str(data_root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "alice" in lines[0] and "fixed" in lines[0] and "bob" in lines[1]
    history.main(["--root", str(data_root), "--event", ids[1]])
    (line,) = capsys.readouterr().out.splitlines()
    assert "bob" in line and f"[{ids[1]}]" in line
    history.main(["--root", str(data_root), "--file", "geodata/gazetteer.csv"])
    assert capsys.readouterr().out.strip() == "no saves recorded that match"


def test_git_commit_per_save_names_the_editor_as_author(data_root, monkeypatch):
    def git(*args):
        return subprocess.run(["git", "-C", str(data_root), *args], check=True,
                              capture_output=True, text=True).stdout  # fmt: skip

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    monkeypatch.setenv("DASHBOARD_GIT_COMMIT", "on")
    path = data_root / "events.csv"
    snap = read_snapshot(path, EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    rows[0]["summary"] = "Committed."
    recorder = history.Recorder(data_root, "events.csv", "alice", "Alice Example (alice)",
                                "alice@example.org", note="a note")  # fmt: skip
    save_bytes(path, snap.encode(rows), snap.fingerprint,
               backup_root=data_root / ".backups", journal=recorder)  # fmt: skip
    assert recorder.git.startswith("committed to git"), recorder.git
    log = git("log", "-1", "--format=%an <%ae>|%s|%b")
    assert log.startswith("Alice Example (alice) <alice@example.org>|events.csv: 1 changed")
    assert "a note" in log and recorder.entry.id in log
    assert git("status", "--porcelain", "--", "events.csv") == ""


def test_git_commit_off_by_default_and_harmless_outside_a_work_tree(data_root, monkeypatch):
    entry = save_events(data_root, "alice", lambda rows: rows[0].update(summary="A."))
    assert history.git_commit(data_root / "nowhere", data_root / "events.csv", entry).startswith(
        "not committed to git"
    )


# --- the History page ----------------------------------------------------------------------------


def test_the_history_page_lists_filters_and_shows_a_diff(editor_env):
    ids = [r["id"] for r in read_events(editor_env)]
    save_events(editor_env, "alice", lambda rows: rows[0].update(summary="A."), note="first")
    save_events(editor_env, "bob", lambda rows: rows[1].update(summary="B."))
    at = app("history").run()
    assert not at.exception, at.exception
    login(at)
    listing = at.dataframe[0].value
    assert listing["who"].tolist() == ["bob", "alice"]  # newest first
    assert "2 of 2 saves" in texts(at)
    at.selectbox(key="editor:w:history:who").set_value("alice").run()
    assert at.dataframe[0].value["note"].tolist() == ["first"]
    # The entry's own changes come first; the restore's preview follows.
    changed = [d.value for d in at.dataframe if "before" in d.value.columns][0]
    assert changed.to_dict("records")[0]["after"] == "A."
    at.selectbox(key="editor:w:history:who").set_value("").run()
    at.text_input(key="editor:w:history:event").input(ids[1]).run()
    assert at.dataframe[0].value["who"].tolist() == ["bob"]
    # The shared password is a one-person setup, so its holder may restore.
    assert at.radio(key="editor:w:history:which").value == "after"


def test_the_history_page_filters_by_review_state(editor_env):
    ids = [r["id"] for r in read_events(editor_env)]
    save_events(editor_env, "alice", lambda rows: rows[0].update(review="draft"), note="back")
    save_events(editor_env, "bob", lambda rows: rows[1].update(summary="B."))
    at = app("history").run()
    login(at)
    assert at.dataframe[0].value["note"].tolist() == ["", "back"]
    at.selectbox(key="editor:w:history:review").set_value("draft").run()
    listing = at.dataframe[0].value
    assert listing["note"].tolist() == ["back"]  # only the save that touched the draft
    assert ids[0] in listing["rows"].iloc[0]
    at.selectbox(key="editor:w:history:review").set_value("approved").run()
    assert at.dataframe[0].value["note"].tolist() == [""]


def test_the_history_page_shows_account_names_to_editors_only(editor_env):
    """Regression (issue 21): every account name was listed to anonymous visitors."""
    add_user("carol", "carol's long password", display_name="Carol Secret")
    save_events(editor_env, "carol", lambda rows: rows[0].update(summary="C."))
    at = app("history").run()
    assert not at.exception, at.exception
    assert at.dataframe[0].value["who"].tolist() == ["an editor"]
    assert not [o for o in at.selectbox(key="editor:w:history:who").options if "carol" in o]
    page = texts(at) + "".join(str(s.options) for s in at.selectbox)
    assert "carol" not in page.lower() and "Carol Secret" not in page
    login(at)
    assert at.dataframe[0].value["who"].tolist() == ["carol"]


def test_an_admin_restores_a_version_and_the_dashboard_shows_it(editor_env):
    add_user("ada", "ada's long password", role="admin", display_name="Ada Admin")
    first = read_events(editor_env)[0]
    save_events(editor_env, "alice", lambda rows: rows[0].update(summary="Alice's summary."))
    at = app("history").run()
    login(at, "ada's long password", name="ada")
    assert not at.exception, at.exception
    at.radio(key="editor:w:history:which").set_value("before").run()
    assert "Restoring changes events.csv as it is now: 1 changed." in texts(at)
    at.text_input(key="editor:w:history:note").input("undo alice")
    button(at, "Restore events.csv to the version before this save").click()
    at.run()
    assert "Restored events.csv (1 changed): history entry" in texts(at)
    assert read_events(editor_env)[0]["summary"] == first["summary"]
    newest = history.entries(editor_env)[-1]
    assert (newest.action, newest.who_label, newest.note) == (
        "restore",
        "Ada Admin (ada)",
        "undo alice",
    )

    dashboard = app("dashboard").run()
    assert not dashboard.exception, dashboard.exception
    shown = reader_js.dashboard_summaries()  # what its map, table and panels are drawn from
    assert shown[first["id"]] == first["summary"]


def test_an_editor_cannot_restore(editor_env):
    add_user("ed", "ed's long password")
    save_events(editor_env, "alice", lambda rows: rows[0].update(summary="A."))
    at = app("history").run()
    login(at, "ed's long password", name="ed")
    assert "Restoring a version needs an admin account" in texts(at)
    assert not [b for b in at.button if b.label.startswith("Restore")]


def test_a_restore_of_a_file_changed_meanwhile_is_refused(editor_env):
    add_user("ada", "ada's long password", role="admin")
    save_events(editor_env, "alice", lambda rows: rows[0].update(summary="A."))
    at = app("history").run()
    login(at, "ada's long password", name="ada")
    at.radio(key="editor:w:history:which").set_value("before").run()
    save_events(editor_env, "bob", lambda rows: rows[1].update(summary="B."))  # meanwhile
    button(at, "Restore events.csv to the version before this save").click()
    at.run()
    assert "was changed by someone else since you opened this version" in texts(at)
    assert read_events(editor_env)[1]["summary"] == "B."


# --- accounts on the editor pages ----------------------------------------------------------------


def test_saves_name_the_account_and_carry_the_note(editor_env):
    add_user("alice", "alice's long password", display_name="Alice Example")
    at = app("events").run()
    login(at, "alice's long password", name="alice")
    assert "Logged in as Alice Example (alice) (editor)." in texts(at)
    edit_grid(at, edited={0: {"summary": "By Alice."}})
    at.text_input(key="editor:w:events:note:0").input("checked against the source")
    button(at, "Save events.csv").click()
    at.run()
    assert "by Alice Example (alice)" in texts(at)
    entry = history.entries(editor_env)[-1]
    assert (entry.who, entry.note) == ("alice", "checked against the source")
    # Issue 22: the note was left in its field and silently reused by the next save.
    (note,) = [t for t in at.text_input if t.label == "Note for the history (optional)"]
    assert note.value == ""
    edit_grid(at, edited={1: {"summary": "Again."}})
    button(at, "Save events.csv").click()
    at.run()
    assert history.entries(editor_env)[-1].note == ""


def test_a_removed_account_cannot_save_even_in_an_open_session(editor_env):
    add_user("alice", "alice's long password")
    before = fingerprint(editor_env / "events.csv")
    at = app("events").run()
    login(at, "alice's long password", name="alice")
    edit_grid(at, edited={0: {"summary": "After my account was removed."}})
    remove_user("alice")
    button(at, "Save events.csv").click()
    at.run()
    assert not at.exception
    assert fingerprint(editor_env / "events.csv") == before
    assert "no longer valid" in texts(at)
    assert len(at.data_editor) == 0  # back to the login form
    assert history.entries(editor_env) == []


def test_a_users_file_with_a_plain_text_password_is_refused_on_the_page(editor_env, monkeypatch):
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD")
    from lib.access import users

    path = users.users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[users.bob]\nrole = "admin"\npassword = "hunter2hunter2"\n')
    at = app("events").run()
    assert not at.exception
    assert "account 'bob' has a plain-text password" in texts(at)
    assert "hunter2" not in texts(at)
    assert len(at.text_input) == 0 and len(at.data_editor) == 0


def test_the_log_stamp_changes_with_each_save(data_root):
    assert history.log_stamp(data_root) == ""
    save_events(data_root, "alice", lambda rows: rows[0].update(summary="A."))
    first = history.log_stamp(data_root)
    save_events(data_root, "bob", lambda rows: rows[0].update(summary="B."))
    assert first and history.log_stamp(data_root) != first


# --- a save killed around its entry; the object store's size ------------------------------------

KILLED_SAVE = r"""
import os, sys
from pathlib import Path
from lib.data.schema import EVENT_COLUMNS
from lib.editing import history, saving
from lib.editing.saving import BACKUP_DIR, ConflictError, save_bytes
from lib.editing.snapshot import read_snapshot

root, when = Path(sys.argv[1]), sys.argv[2]
path = root / "events.csv"
snap = read_snapshot(path, EVENT_COLUMNS)
rows = [dict(r) for r in snap.rows]
rows[0]["summary"] = "Saved, then killed."
recorder = history.Recorder(root, "events.csv", "alice", note="killed")
if when == "after-replace":  # the file is replaced; the process dies before its done line
    history.complete = lambda *a: os.kill(os.getpid(), 9)
else:  # the backup and the intent are written; the process dies before the replace
    calls = []
    real = saving.atomic_write_bytes
    def write(*args):
        calls.append(args)
        if len(calls) == 2:  # the first writes the backup, the second would replace the file
            os.kill(os.getpid(), 9)
        real(*args)
    saving.atomic_write_bytes = write
save_bytes(path, snap.encode(rows), snap.fingerprint,
                   backup_root=root / BACKUP_DIR, journal=recorder)
"""


def killed_save(root, when: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_SAVE, str(root), when], cwd=REPO, timeout=120
    )
    return done.returncode


def test_a_save_killed_between_the_replace_and_its_history_entry_keeps_its_entry(data_root):
    """Regression (issue 21): 7 of 20 killed saves that reached disk had no history entry."""
    assert killed_save(data_root, "after-replace") == -9
    assert read_events(data_root)[0]["summary"] == "Saved, then killed."
    (entry,) = history.entries(data_root)
    assert (entry.who, entry.note, entry.summary) == ("alice", "killed", "1 changed")
    # The next save starts from it: no "outside the app" entry in between.
    save_events(data_root, "bob", lambda rows: rows[0].update(summary="Next."))
    assert [e.who for e in history.entries(data_root)] == ["alice", "bob"]


def test_a_save_killed_before_the_replace_leaves_no_entry(data_root):
    before = (data_root / "events.csv").read_bytes()
    assert killed_save(data_root, "before-replace") == -9
    assert (data_root / "events.csv").read_bytes() == before
    assert history.entries(data_root) == []


def test_versions_are_stored_compressed_and_read_back(data_root):
    entry = save_events(data_root, "alice", lambda rows: rows[0].update(summary="Small."))
    stored = list((data_root / history.HISTORY_DIR / "objects").rglob("*.gz"))
    size = (data_root / "events.csv").stat().st_size
    assert len(stored) == 2 and all(p.stat().st_size < size / 2 for p in stored)
    assert history.version(data_root, entry) == (data_root / "events.csv").read_bytes()


def test_pruning_keeps_the_policy_and_every_files_current_version(data_root, monkeypatch):
    monkeypatch.setattr(history, "KEEP_SAVES", 2)
    made = [
        save_events(data_root, "alice", lambda rows, n=n: rows[0].update(summary=f"v{n}"))
        for n in range(5)
    ]
    far = time.time() + (history.KEEP_DAYS + 1) * 86400  # every save is old by then
    history.prune(data_root, now=far)
    kept = {p.name.removesuffix(".gz") for p in (data_root / ".history" / "objects").rglob("*")}
    assert {made[-1].after, made[-1].before, made[-2].before} <= kept  # the last two saves
    assert made[0].before not in kept and made[1].before not in kept
    assert history.version(data_root, made[-1]) == (data_root / "events.csv").read_bytes()
    with pytest.raises(history.RestoreError, match="missing"):
        history.version(data_root, made[0], "before")
    assert len(history.entries(data_root)) == 5  # the log and its diffs stay
