"""The editor pages in AppTest, against a private copy of the data (DASHBOARD_DATA_DIR).

Covers the gate (no password configured, wrong password, back-off across sessions, no write
without login), a valid edit that the dashboard then shows, an invalid edit refused with the
loader's message, the editorial checks of `python -m lib check` live on the grid (on the small
fixture data set), the conflict-and-merge path, a failed save that keeps the work, the places
page, and the articles page (saving an article, its proposed boilerplate lines; its review
list of drafts is in tests/test_review_pages.py).
Edits in st.data_editor are made as tests/support/editing.edit_grid explains.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests/support/editing.py look redefined)

from __future__ import annotations

import datetime as dt
import errno
import json

import pytest

from lib.commands import check
from lib.data.dataset import load_dataset
from lib.data.mentions import Matcher, find_mentions
from lib.data.schema import ARTICLE_COLUMNS, EVENT_COLUMNS, PLACE_COLUMNS
from lib.data.storage import fingerprint
from lib.editing import saving
from lib.editing.grid import FIRST_ARTICLE, MORE_ARTICLES
from lib.editing.merge import THEIRS
from lib.editing.saving import BACKUP_DIR, list_backups, save_bytes, save_rows
from lib.editing.snapshot import read_snapshot
from lib.places.geocode import GeocodingUnavailable, OnlineGeocoder
from tests.support import reader_js
from tests.support.editing import (  # noqa: F401 (data_root, editor_env, fixture_*: fixtures)
    EVENT_NAMES,
    PASSWORD,
    add_user,
    app,
    button,
    data_root,
    edit_grid,
    editor_env,
    fixture_env,
    fixture_root,
    login,
    read_events,
    shown,
    texts,
)
from ui import auth
from ui.editor_state import Keys

pytestmark = pytest.mark.apptest

EDITOR_PAGES = ["events", "places", "article"]


class Clock:
    """A monotonic clock the test moves by hand (ui.auth reads ``time.monotonic``)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:  # token expiry reads the epoch clock
        return 1.9e9 + self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(auth, "time", fake)
    return fake


def events_page(logged_in: bool = True):
    at = app("events").run()
    if logged_in:
        login(at)
        assert not at.exception, at.exception
        assert len(at.data_editor) == 1, texts(at)
    return at


# --- the gate ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_without_a_password_configured_the_pages_are_read_only(editor_env, monkeypatch, page):
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD")
    at = app(page).run()
    assert not at.exception
    assert "Editing is switched off: no editor password is configured" in texts(at)
    assert "DASHBOARD_EDITOR_PASSWORD" in texts(at) and "secrets.toml" in texts(at)
    assert not [b for b in at.button if "Save" in b.label or "Log in" in b.label]
    assert len(at.data_editor) == 0 and len(at.text_input) == 0
    assert len(at.dataframe) == 1  # viewing stays open
    if page == "events":
        assert len(at.dataframe[0].value) == len(read_events(editor_env))


def test_the_password_can_come_from_secrets_toml_and_the_environment_wins(editor_env, monkeypatch):
    monkeypatch.delenv("DASHBOARD_EDITOR_PASSWORD")
    at = app("events")
    at.secrets = {"editor_password": "from-the-file"}
    login(at.run(), "from-the-file")
    assert len(at.data_editor) == 1

    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    at = app("events")
    at.secrets = {"editor_password": "from-the-file"}
    login(at.run(), "from-the-file")
    assert len(at.data_editor) == 0
    assert "Wrong password" in texts(at)


def test_wrong_passwords_are_refused_and_slowed_down_in_that_session(editor_env, clock):
    at = app("events").run()
    login(at, "guess")
    assert "Wrong password. Wait 1 second before trying again." in texts(at)
    assert len(at.data_editor) == 0

    clock.now += 0.5
    login(at, PASSWORD)  # right password, but during the wait: not even checked
    assert "Too many wrong passwords. Try again in 1 second" in texts(at)
    assert len(at.data_editor) == 0

    clock.now += 1
    login(at, "guess again")
    assert "Wait 2 seconds" in texts(at)

    clock.now += 2
    login(at, PASSWORD)
    assert len(at.data_editor) == 1
    assert "Logged in with the shared editor password: a one-person setup" in texts(at)


BROWSER = "test:browser"  # which simulated browser an AppTest session is (see `browsers`)


@pytest.fixture
def browsers(monkeypatch):
    """Device cookies per simulated browser: ``browsers["alice"] = token`` makes every session
    with ``session_state[BROWSER] == "alice"`` send that device cookie (AppTest sends none)."""
    import streamlit as st

    held: dict[str, str] = {}

    def cookie(name):
        if name != auth.DEVICE_COOKIE:
            return None
        return held.get(st.session_state.get(BROWSER, ""))

    monkeypatch.setattr(auth, "cookie", cookie)
    return held


def browser_session(browser: str = ""):
    at = app("events")
    at.session_state[BROWSER] = browser
    return at.run()


def device_of(at) -> str:
    """The device token the login in ``at`` gave its browser to keep."""
    token, max_age = at.session_state[Keys.DEVICE_COOKIE]
    assert max_age > 30 * 86400
    return token


def test_a_strangers_guesses_at_the_shared_password_do_not_lock_out_the_newsroom(
    editor_env, clock, browsers
):
    # Regression: a new session reset the delay (26 guesses in 62 s); now the shared password
    # is throttled for every stranger at once, and the editors' browsers keep their own.
    editor = browser_session("editor")
    login(editor, PASSWORD)
    browsers["editor"] = device_of(editor)
    for _ in range(6):
        stranger = browser_session()  # a new session for every guess
        login(stranger, "guess")
        clock.now += 0.1
    assert "Too many wrong passwords" in texts(stranger) or "Wrong password" in texts(stranger)
    assert "Too many wrong passwords" in texts(login(browser_session(), "guess"))
    again = browser_session("editor")  # a reload of the editor's browser
    login(again, PASSWORD)
    assert len(again.data_editor) == 1, texts(again)


def test_guesses_at_one_account_slow_strangers_not_its_owner_or_others(editor_env, clock, browsers):
    add_user("alice", "alice's long password")
    add_user("bob", "bob's long password")
    alice = browser_session("alice")
    login(alice, "alice's long password", name="alice")
    browsers["alice"] = device_of(alice)
    stranger = browser_session()
    login(stranger, "guess", name="alice")
    assert "Wrong name or password. Wait 1 second" in texts(stranger)
    # Another stranger trying alice during the wait is refused unchecked ...
    other = browser_session()
    login(other, "alice's long password", name="alice")
    assert "Too many wrong passwords" in texts(other)
    # ... while bob logs in at once, and so does alice from her own browser.
    login(other, "bob's long password", name="bob")
    assert "Logged in as bob (editor)." in texts(other)
    back = browser_session("alice")
    login(back, "alice's long password", name="alice")
    assert "Logged in as alice (editor)." in texts(back)


def test_one_wrong_guess_every_30_seconds_does_not_keep_the_owner_out(editor_env, clock, browsers):
    """Regression (issue 21): 7 of 7 correct logins were refused over 180 s."""
    add_user("alice", "alice's long password")
    first = browser_session("alice")
    login(first, "alice's long password", name="alice")
    browsers["alice"] = device_of(first)
    for _ in range(7):
        login(browser_session(), "guess", name="alice")
        clock.now += 15
        owner = browser_session("alice")
        login(owner, "alice's long password", name="alice")
        assert "Logged in as alice (editor)." in texts(owner), texts(owner)
        clock.now += 15
    # The guesser is slowed all the while: by now a stranger waits over a minute.
    assert "1 minute" in texts(login(browser_session(), "guess", name="alice"))


def test_a_device_cookie_with_many_wrong_guesses_is_a_stranger_again(editor_env, clock, browsers):
    add_user("alice", "alice's long password")
    first = browser_session("alice")
    login(first, "alice's long password", name="alice")
    browsers["alice"] = device_of(first)
    for _ in range(auth.DEVICE_MAX_FAILURES):
        login(browser_session("alice"), "guess", name="alice")
        clock.now += 31  # past each wait of the device's own allowance
    # The next guesses from that browser count against the account, with the strangers'.
    login(browser_session("alice"), "guess", name="alice")
    assert "Too many wrong passwords" in texts(login(browser_session(), "guess", name="alice"))


def test_a_failed_login_keeps_the_name_and_clears_the_password(editor_env):
    """Issue 22: a failed login cleared both the name and the password."""
    add_user("alice", "alice's long password")
    at = app("events").run()
    login(at, "wrong", name="alice")
    assert "Wrong name or password" in texts(at)
    fields = {t.label: t.value for t in at.text_input}
    assert (fields["Account name"], fields["Editor password"]) == ("alice", "")


def test_logout_survives_a_restart(editor_env, monkeypatch):
    """Issue 21: revocations were held in memory only; a restart let the cookie back in."""
    add_user("alice", "alice's long password")
    at = app("events").run()
    login(at, "alice's long password", name="alice")
    token, _ = at.session_state[Keys.LOGIN_COOKIE]
    button(at, "Log out").click()
    at.run()
    monkeypatch.setattr(auth, "_REVOKED", set())  # a restart forgets the process's list
    monkeypatch.setattr(auth, "cookie", lambda name: token if name == auth.COOKIE else None)
    reloaded = app("events").run()
    assert len(reloaded.data_editor) == 0
    assert "editing needs your editor account" in texts(reloaded)


def test_no_write_happens_without_login(editor_env):
    before = fingerprint(editor_env / "events.csv")
    at = app("events")
    # Everything a client could send: a query string, a forged click, forged editor state.
    at.query_params["save"] = "1"
    at.query_params["summary"] = "forged"
    at.session_state[Keys.widget("events:save")] = True
    at.session_state[Keys.widget("events:grid:0")] = {
        "edited_rows": {0: {"summary": "forged"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.run()
    assert not at.exception
    assert len(at.data_editor) == 0
    assert not [b for b in at.button if "Save" in b.label]
    assert fingerprint(editor_env / "events.csv") == before
    assert not (editor_env / BACKUP_DIR).exists()


def test_the_save_helper_itself_refuses_without_login(editor_env):
    """ui.editor_state.save checks the login again, whatever page calls it."""
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from lib.data.dataset import load_dataset
        from lib.data.schema import EVENT_COLUMNS
        from ui import editor_state as state

        paths = load_dataset().paths
        ws = state.workspace(state.Keys.EVENTS, paths.events, EVENT_COLUMNS, "e", paths.root)
        rows = [dict(r, summary="forged") for r in ws.working]
        if not state.save(ws, rows):
            st.write(f"refused: {ws.error}")

    before = fingerprint(editor_env / "events.csv")
    at = AppTest.from_function(script, default_timeout=60).run()
    assert "refused: Not saved: saving needs the editor password" in texts(at)
    assert fingerprint(editor_env / "events.csv") == before


def test_changing_the_password_logs_sessions_out(editor_env, monkeypatch):
    at = events_page()
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", "a new password")
    at.run()
    assert len(at.data_editor) == 0
    assert "editing needs the editor password" in texts(at)


# --- the events editor -------------------------------------------------------------------------


def test_a_valid_edit_is_saved_and_shows_on_the_dashboard(editor_env):
    at = events_page()
    first = read_events(editor_env)[0]
    new_summary = "Edited in the app: the Taliban take Kabul."
    edit_grid(at, edited={0: {"summary": new_summary}})
    assert not at.exception
    assert "Compared with events.csv as you loaded it: 1 changed." in texts(at)
    (changes,) = [d.value for d in at.dataframe if list(d.value.columns)[:2] == ["row", "column"]]
    assert changes.to_dict("records") == [
        {"row": first["id"], "column": "summary", "before": first["summary"], "after": new_summary}
    ]
    # st_folium: the map's script is in json_args; the other map shows the drafts on file.
    (preview,) = [c for c in at.get("component_instance") if "Drafts and approved" not in
                  c.proto.json_args]  # fmt: skip
    script = preview.proto.json_args
    assert script.count("L.circleMarker(") == 1  # the changed event's one place
    assert f"{first['id']} at Kabul (changed)" in script  # a permanent label: few markers
    assert "cdn.jsdelivr.net" not in script and "/app/static/vendor/leaflet" in script
    button(at, "Save events.csv").click()
    at.run()
    assert (
        "Saved events.csv (1 changed). The previous version is kept as .backups/events.csv/"
        in texts(at)
    )
    assert read_events(editor_env)[0]["summary"] == new_summary
    assert len(list_backups(editor_env / BACKUP_DIR, editor_env / "events.csv")) == 1
    assert "No changes yet" in texts(at)  # the editor now holds the saved version

    dashboard = app("dashboard").run()
    assert not dashboard.exception, dashboard.exception
    shown = reader_js.dashboard_summaries()  # what its map, table and panels are drawn from
    assert shown[first["id"]] == new_summary


def test_an_added_row_is_saved(editor_env):
    at = events_page()
    template = read_events(editor_env)[0]
    new = dict(template, id="E900", summary="A new event added in the grid.")
    del new["articles"]
    new[FIRST_ARTICLE], new[MORE_ARTICLES] = "rebels-final-stand", ""
    edit_grid(at, added=[new])
    assert "1 added" in texts(at)
    button(at, "Save events.csv").click()
    at.run()
    saved = {r["id"]: r for r in read_events(editor_env)}
    assert saved["E900"]["summary"] == "A new event added in the grid."
    assert saved["E900"]["articles"] == "rebels-final-stand"
    assert load_dataset(editor_env).events.rejected == []


def test_an_invalid_edit_is_refused_with_the_loaders_message_and_kept(editor_env):
    before = fingerprint(editor_env / "events.csv")
    at = events_page()
    edit_grid(at, edited={2: {"date": "2021-13-45", "places": "narnia"}})
    assert "2 problem(s) in 1 row(s) must be fixed before saving" in texts(at)
    (problems,) = [d.value for d in at.dataframe if "how to fix" in d.value.columns]
    assert problems[["row", "column", "problem"]].values.tolist() == [
        ["3", "date", "'2021-13-45' is not a date"],
        ["3", "places", "unknown place 'narnia'"],
    ]

    assert problems["how to fix"][0] == "write it as YYYY-MM-DD, e.g. 2021-09-02"
    assert button(at, "Save events.csv").disabled
    at.run()  # any rerun: what was typed is still there, still flagged
    assert "2 problem(s) in 1 row(s)" in texts(at)
    assert fingerprint(editor_env / "events.csv") == before

    # 30 Aug, not 31: E003's basis says 'late Monday', and 31 Aug was a Tuesday
    # (weekday-contradicts-date). The summary changes, so there is something to save.
    fixed = {"date": "2021-08-30", "places": "kabul", "summary": "The last US troops leave."}
    edit_grid(at, edited={2: fixed})
    assert "must be fixed" not in texts(at)
    assert not button(at, "Save events.csv").disabled


# --- the editorial checks, live (on the fixture data set: tests/fixtures/data) --------------------


def problem_tables(at) -> list[list[dict]]:
    """The rows of each problem table on the page (errors first, then warnings)."""
    return [d.value.to_dict("records") for d in at.dataframe if "how to fix" in d.value.columns]


def lib_check(root, capsys) -> tuple[int, str]:
    """``python -m lib check --root <root>``: its exit code and everything it printed."""
    code = check.main(["--root", str(root)])
    printed = capsys.readouterr()
    return code, printed.err + printed.out


def test_an_edit_that_breaks_an_editorial_check_shows_its_message_and_cannot_be_saved(
    fixture_env, capsys
):
    before = fingerprint(fixture_env / "events.csv")
    at = events_page()
    assert [e.value for e in at.error] == []  # nothing red before the editor has typed
    assert "warning(s)" not in texts(at)
    # F004 (grid row 4): the quote keeps to words that do not name its place, Kabul.
    edit_grid(at, edited={3: {"quote": "but the talks failed"}})
    assert "1 problem(s) in 1 row(s) must be fixed before saving" in texts(at)
    assert problem_tables(at) == [
        [
            {
                "row": "4",
                "event": "F004",
                "column": "place_basis",
                "problem": "the quote names none of the row's places kabul",
                "how to fix": "say in 'place_basis' how the place was decided, "
                "or quote the words that name it",
            }
        ]
    ]
    assert button(at, "Save events.csv").disabled
    assert fingerprint(fixture_env / "events.csv") == before

    basis = "'Negotiators met in Kabul' at the start of the sentence"
    edit_grid(at, edited={3: {"quote": "but the talks failed", "place_basis": basis}})
    assert "must be fixed" not in texts(at)
    button(at, "Save events.csv").click()
    at.run()
    assert "Saved events.csv (1 changed)." in texts(at)
    assert read_events(fixture_env)[3]["place_basis"] == basis
    code, said = lib_check(fixture_env, capsys)
    assert code == 0 and "0 error(s), 0 warning(s)" in said


#: A second row for F001's repelled attack, quoting part of F001's quote: a likely duplicate.
SECOND_ATTACK = {
    "id": "F006",
    "date": "2021-08-31",
    "date_precision": "approximate",
    "date_basis": "with F001",
    "places": "shotul",
    "event_type": "attack",
    "claimant": "Bazarak fighters",
    "status": "claimed",
    "summary": "The attack from Shotul, again.",
    FIRST_ARTICLE: "valley-attack",
    "quote": "they had repelled an attack from Shotul",
}


def test_a_warning_says_how_to_acknowledge_it_and_does_not_block_the_save(fixture_env, capsys):
    at = events_page()
    edit_grid(at, added=[SECOND_ATTACK])
    assert "must be fixed" not in texts(at)
    assert "1 warning(s); they do not block saving. A warning is a judgement" in texts(at)
    message = "overlaps the quote of F001 from the same article 'valley-attack'"
    assert problem_tables(at) == [
        [
            {
                "row": "new 1",
                "event": "F006",
                "column": "quote",
                "problem": message,
                "how to fix": "merge it into F001 if both report one happening; "
                "if it is right, add 'duplicate-quote' to 'acknowledged'",
            }
        ]
    ]
    button(at, "Save events.csv").click()
    at.run()
    assert "Saved events.csv (1 added)." in texts(at)
    assert "F006" in {r["id"] for r in read_events(fixture_env)}
    code, said = lib_check(
        fixture_env, capsys
    )  # lib.commands.check: the same warning, on file row 7
    assert code == 0
    assert f"warning: events.csv, row 7, column 'quote': {message}" in said


@pytest.mark.parametrize(
    "acknowledged, blocked",
    [
        ("duplicate-quote", False),
        ("duplicate-quotes", True),  # a typo: no such warning, so an error (not a silent pass)
    ],
)
def test_an_acknowledged_warning_passes(fixture_env, capsys, acknowledged, blocked):
    at = events_page()
    edit_grid(at, added=[{**SECOND_ATTACK, "acknowledged": acknowledged}])
    assert button(at, "Save events.csv").disabled is blocked
    if blocked:
        (error,), (warning,) = problem_tables(at)
        assert (error["column"], error["problem"]) == (
            "acknowledged",
            "'duplicate-quotes' is not a warning code",
        )
        assert warning["problem"].startswith("overlaps the quote of F001")  # still reported
        return
    assert "warning(s)" not in texts(at)
    assert problem_tables(at) == []
    button(at, "Save events.csv").click()
    at.run()
    assert {r["id"]: r for r in read_events(fixture_env)}["F006"]["acknowledged"] == acknowledged
    code, said = lib_check(fixture_env, capsys)
    assert code == 0 and "0 error(s), 0 warning(s)" in said


def test_a_stale_save_is_refused_then_merged_with_the_disk_and_saved(editor_env):
    at = events_page()
    edit_grid(at, edited={0: {"summary": "Mine."}})
    # Meanwhile someone else saves another row.
    path = editor_env / "events.csv"
    other = read_snapshot(path, EVENT_COLUMNS)
    theirs = [dict(r) for r in other.rows]
    theirs[1]["summary"] = "Theirs."
    save_rows(path, other.columns, theirs, other.fingerprint, backup_root=editor_env / "b")

    button(at, "Save events.csv").click()
    at.run()
    assert "events.csv was changed on disk since you loaded it" in texts(at)
    assert "they merge cleanly" in texts(at)
    assert read_events(editor_env)[0]["summary"] != "Mine."  # nothing overwritten
    assert read_events(editor_env)[1]["summary"] == "Theirs."
    button(at, "Merge into my copy").click()
    at.run()
    assert "Merged your changes" in texts(at)
    assert "1 changed" in texts(at)  # only my change is left to save
    button(at, "Save events.csv").click()
    at.run()
    saved = read_events(editor_env)
    assert (saved[0]["summary"], saved[1]["summary"]) == ("Mine.", "Theirs.")


def test_a_row_changed_on_both_sides_is_decided_by_the_editor(editor_env):
    at = events_page()
    edit_grid(at, edited={0: {"summary": "Mine."}})
    path = editor_env / "events.csv"
    other = read_snapshot(path, EVENT_COLUMNS)
    theirs = [dict(r) for r in other.rows]
    theirs[0]["summary"] = "Theirs."
    save_rows(path, other.columns, theirs, other.fingerprint, backup_root=editor_env / "b")

    button(at, "Save events.csv").click()
    at.run()
    assert "1 row(s) were changed both by you and on disk" in texts(at)
    # Regression (issue 21): the choice started on "my version", so Merge then Save replaced
    # the other editor's row without anyone choosing.
    assert at.radio[0].value is None
    assert button(at, "Merge into my copy").disabled
    at.radio[0].set_value(THEIRS).run()
    button(at, "Merge into my copy").click()
    at.run()
    assert "No changes yet" in texts(at)  # keeping theirs leaves nothing of mine to save
    assert read_events(editor_env)[0]["summary"] == "Theirs."


def test_a_failed_save_says_why_and_keeps_the_work(editor_env, monkeypatch):
    at = events_page()
    edit_grid(at, edited={0: {"summary": "Not lost."}})

    def disk_full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(saving, "atomic_write_bytes", disk_full)
    button(at, "Save events.csv").click()
    at.run()
    assert "Could not save events.csv: the disk is full" in texts(at)
    assert "Your edits are still here; download them below" in texts(at)
    assert "1 changed" in texts(at)
    assert [b.label for b in at.get("download_button")] == ["Download my copy as CSV"]
    working = at.session_state[Keys.EVENTS]
    assert "Not lost." in working.csv().decode()
    assert read_events(editor_env)[0]["summary"] != "Not lost."


# --- places --------------------------------------------------------------------------------------


def test_a_place_is_geocoded_picked_and_saved(editor_env):
    at = app("places").run()
    login(at)
    at.text_input(key=Keys.widget("places:new:name")).input("Charikar")
    at.text_input(key=Keys.widget("places:new:variants")).input("Tcharikar")
    button(at, "Look up").click()
    at.run()
    assert "'Charikar': found one place in the story's region (source tier: geonames)" in texts(at)
    button(at, "Use this candidate's coordinates and source").click()
    at.run()
    assert not at.exception
    assert at.text_input(key=Keys.widget("places:new:id")).value == "charikar"
    assert "GeoNames" in at.text_input(key=Keys.widget("places:new:source")).value
    button(at, "Save to geodata/gazetteer.csv").click()
    at.run()
    assert "Saved geodata/gazetteer.csv (1 added)." in texts(at)
    gazetteer = load_dataset(editor_env).gazetteer
    place = gazetteer.places["charikar"]
    assert (place.precision, place.variants) == ("town", ("Tcharikar",))
    assert place.source.startswith("GeoNames")


def test_after_saving_a_place_the_empty_form_shows_no_errors(editor_env):
    at = app("places").run()
    login(at)
    assert "Type a name and look it up above" in texts(at)
    at.text_input(key=Keys.widget("places:new:name")).input("Charikar")
    button(at, "Look up").click()
    at.run()
    button(at, "Use this candidate's coordinates and source").click()
    at.run()
    button(at, "Save to geodata/gazetteer.csv").click()
    at.run()
    assert "Saved geodata/gazetteer.csv (1 added)." in texts(at)
    assert [e.value for e in at.error] == []
    assert "Added" not in texts(at)  # no diff for a form nobody has filled in yet
    assert "Type a name and look it up above" in texts(at)


def test_a_place_with_bad_fields_cannot_be_saved(editor_env):
    before = fingerprint(editor_env / "geodata" / "gazetteer.csv")
    at = app("places").run()
    login(at)
    at.text_input(key=Keys.widget("places:new:id")).input("kabul")
    at.text_input(key=Keys.widget("places:new:name")).input("Somewhere")
    at.text_input(key=Keys.widget("places:new:lat")).input("95").run()
    messages = texts(at)
    assert "Latitude (lat): '95' is not a latitude (decimal degrees between -90 and 90)" in messages
    assert "Short id (id): there is already a place with id 'kabul'" in messages
    assert (
        "Still to fill in before saving: Longitude (lon), Source of the coordinates (source)."
        in messages
    )
    assert not [e for e in at.error if "source" in str(e.value)]  # not red: just not typed yet
    assert button(at, "Save to geodata/gazetteer.csv").disabled
    assert fingerprint(editor_env / "geodata" / "gazetteer.csv") == before


def test_online_geocoding_failure_is_explained(editor_env, monkeypatch):
    def unreachable(self, name):
        raise GeocodingUnavailable("online geocoding failed: no network")

    monkeypatch.setattr(OnlineGeocoder, "search", unreachable)
    at = app("places").run()
    login(at)
    at.text_input(key=Keys.widget("places:new:name")).input("Nowhereville")
    at.checkbox(key=Keys.widget("places:online")).check()
    button(at, "Look up").click()
    at.run()
    assert not at.exception
    assert "The online geocoder could not answer (online geocoding failed: no network)" in texts(at)


# --- articles --------------------------------------------------------------------------------------

TEXT = (
    "Resistance holds Bazarak\n\n"
    "Fighters loyal to Massoud said they still held Bazarak on Sunday. "
    "Charikar was quiet, residents said."
)


def article_field(at, name: str) -> str:
    """Key of an article-form widget: the form's version is part of it (see the page)."""
    version = at.session_state[Keys.ARTICLE_FORM] if Keys.ARTICLE_FORM in at.session_state else 0
    return Keys.widget(f"article:{version}:{name}")


def test_an_article_is_saved_with_its_metadata_and_an_existing_id_is_refused(editor_env):
    at = app("article").run()
    login(at)
    at.text_area(key=article_field(at, "text")).input(TEXT)
    at.text_input(key=article_field(at, "id")).input("holds-bazarak")
    at.date_input(key=article_field(at, "from")).set_value(dt.date(2021, 9, 5))
    at.run()
    assert "Still to fill in before saving: the outlet" in texts(at)
    assert button(at, "Save articles/holds-bazarak.txt and its row in articles.csv").disabled
    at.checkbox(key=article_field(at, "outlet_unknown")).check().run()
    messages = texts(at)
    assert "Names that look like places in the region but are not in the gazetteer" in messages
    assert [b.label for b in at.button if b.label == "Add this place"] == ["Add this place"]
    mentioned = [d.value for d in at.dataframe if "mentions" in d.value.columns][0]
    assert mentioned["id"].tolist() == ["bazarak"]
    button(at, "Save articles/holds-bazarak.txt and its row in articles.csv").click()
    at.run()
    assert "Saved articles/holds-bazarak.txt" in texts(at)
    article = load_dataset(editor_env).articles["holds-bazarak"]
    assert article.headline == "Resistance holds Bazarak"
    assert article.published_to == dt.date(2021, 9, 5)
    assert [e.value for e in at.error] == []

    at.text_area(key=article_field(at, "text")).input(TEXT)
    at.text_input(key=article_field(at, "id")).input("holds-bazarak").run()
    assert "id: an article with id 'holds-bazarak' already exists" in texts(at)
    assert button(at, "Save articles/holds-bazarak.txt and its row in articles.csv").disabled


CAPTIONED = (
    "Resistance holds Bazarak\n"
    "Fighters said they still held Bazarak on Sunday.\n"
    "Fighters in Bazarak (Image: Agency)\n"
    "Kabul was quiet, residents said."
)


@pytest.mark.parametrize("untick", [False, True])
def test_add_article_proposes_a_caption_as_boilerplate_and_saves_what_stays_ticked(
    fixture_env, untick
):
    at = app("article").run()
    login(at)
    at.text_area(key=article_field(at, "text")).input(CAPTIONED)
    at.text_input(key=article_field(at, "id")).input("holds-bazarak")
    at.checkbox(key=article_field(at, "outlet_unknown")).check()
    at.checkbox(key=article_field(at, "date_unknown")).check().run()
    (proposal,) = [c for c in at.checkbox if ":boiler:" in c.key]
    assert proposal.value is True  # proposed, ticked: saved as boilerplate unless unticked
    assert proposal.label.startswith("**Line 3** (image caption): Fighters in Bazarak")
    if untick:
        proposal.uncheck().run()
    # The places list skips a ticked caption: Bazarak twice outside it, three times with it.
    mentioned = [d.value for d in at.dataframe if "mentions" in d.value.columns][0]
    assert dict(zip(mentioned["id"], mentioned["mentions"], strict=True))["bazarak"] == (
        3 if untick else 2
    )
    button(at, "Save articles/holds-bazarak.txt and its row in articles.csv").click()
    at.run()
    assert "Saved articles/holds-bazarak.txt" in texts(at)
    saved = read_snapshot(fixture_env / "articles" / "articles.csv", ARTICLE_COLUMNS)
    row = {r["id"]: r for r in saved.rows}["holds-bazarak"]
    assert row["boilerplate"] == ("" if untick else "3")
    data = load_dataset(fixture_env)
    article = data.articles["holds-bazarak"]
    assert article.text.rstrip("\n") == CAPTIONED  # the text is kept as pasted
    found = find_mentions(article, Matcher.from_gazetteer(data.gazetteer))
    assert sum(m.place_id == "bazarak" for m in found) == (3 if untick else 2)


def test_after_saving_an_article_the_form_is_empty_and_drafts_start_from_it(editor_env):
    at = app("article").run()
    login(at)
    at.selectbox(key=article_field(at, "draft_from")).set_value("rebels-final-stand")
    at.text_area(key=article_field(at, "text")).input(TEXT)
    at.text_input(key=article_field(at, "id")).input("holds-bazarak")
    at.checkbox(key=article_field(at, "outlet_unknown")).check()
    at.checkbox(key=article_field(at, "date_unknown")).check().run()
    button(at, "Save articles/holds-bazarak.txt and its row in articles.csv").click()
    at.run()
    assert at.text_area(key=article_field(at, "text")).value == ""
    assert at.text_input(key=article_field(at, "id")).value == ""
    assert at.selectbox(key=article_field(at, "draft_from")).value == "holds-bazarak"
    # not "already exists" for the article just saved (its drafts' own checks may speak)
    assert not [e.value for e in at.error if "already exists" in e.value]


def test_edits_survive_a_visit_to_another_page(editor_env):
    at = app("dashboard").run()
    at.switch_page("pages/3_Edit_events.py").run()
    login(at)
    edit_grid(at, edited={0: {"summary": "Typed, then went elsewhere."}})
    at.switch_page("pages/4_Edit_places.py").run()
    at.switch_page("pages/3_Edit_events.py").run()
    assert "1 changed" in texts(at)
    grid = at.data_editor[0].value  # rebuilt from the working copy
    assert grid.loc[1, "summary"] == "Typed, then went elsewhere."


def test_a_file_that_would_not_round_trip_is_not_editable(editor_env):
    path = editor_env / "geodata" / "gazetteer.csv"
    path.write_bytes(path.read_bytes() + b'broken,"row\n')
    at = app("places").run()
    login(at)
    assert "cannot be edited here until it is fixed by hand" in texts(at)
    assert not [b for b in at.button if b.label.startswith("Save")]


@pytest.mark.parametrize("blank", [{}, dict.fromkeys(EVENT_NAMES), dict.fromkeys(EVENT_NAMES, "")])
def test_a_stray_blank_row_in_the_grid_is_ignored(editor_env, blank):
    # Regression: a stray click on the grid's last row added a blank row with nine errors.
    at = events_page()
    edit_grid(at, added=[blank])
    assert "must be fixed" not in texts(at)
    assert "No changes yet" in texts(at)


def test_new_rows_are_named_new_1_new_2_in_messages(editor_env):
    # Regression: the grid shows no number for a new row while messages said "row 42".
    at = events_page()
    edit_grid(at, added=[{"id": "E900"}, {"id": "E901", "date": "soon"}])
    (problems,) = [d.value for d in at.dataframe if "how to fix" in d.value.columns]
    assert set(problems["row"]) == {"new 1", "new 2"}
    assert set(problems[problems["row"] == "new 2"]["event"]) == {"E901"}


def test_an_unknown_place_leads_to_edit_places_with_the_name_filled_in(editor_env):
    at = app("dashboard").run()
    at.switch_page("pages/3_Edit_events.py").run()
    login(at)
    edit_grid(at, edited={0: {"places": "rokha_village"}})
    (link,) = [e for e in at.get("page_link") if "rokha_village" in shown(e.proto.label)]
    assert link.proto.page == "Edit_places"
    assert "name=rokha_village" in link.proto.query_string
    # Following it: the places page starts a new place with that id and a readable name.
    at.query_params["name"] = "rokha_village"
    at.switch_page("pages/4_Edit_places.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key=Keys.widget("places:new:id")).value == "rokha_village"
    assert at.text_input(key=Keys.widget("places:new:name")).value == "Rokha village"
    assert [e.value for e in at.error] == []  # nothing red before the editor has typed
    at.switch_page("pages/3_Edit_events.py").run()
    assert "1 changed" in texts(at)  # the events edit is still there


def test_a_stale_save_of_a_place_is_caught_not_overwritten(editor_env):
    # Before, the places page reloaded the gazetteer on every rerun, so a save made meanwhile
    # by someone else to the same place was silently overwritten.
    path = editor_env / "geodata" / "gazetteer.csv"
    at = app("places").run()
    login(at)
    at.selectbox(key=Keys.widget("places:which")).set_value("kabul").run()
    at.text_input(key=Keys.widget("places:kabul:note")).input("Mine.").run()
    other = read_snapshot(path, PLACE_COLUMNS)
    theirs = [dict(r, note="Theirs.") if r["id"] == "kabul" else dict(r) for r in other.rows]
    save_rows(path, other.columns, theirs, other.fingerprint, backup_root=editor_env / "b")
    button(at, "Save to geodata/gazetteer.csv").click()
    at.run()
    assert "geodata/gazetteer.csv was changed on disk since you loaded it" in texts(at)
    assert {r["id"]: r for r in read_snapshot(path, PLACE_COLUMNS).rows}["kabul"][
        "note"
    ] == "Theirs."
    assert "1 row(s) were changed both by you and on disk" in texts(at)


def test_a_cr_pasted_into_a_summary_is_saved_so_it_reads_back(fixture_env):
    """Regression (issue 21): ``alpha\\rbeta`` was written unquoted; the app said "Saved", the
    map then lost an event and this page refused the file."""
    at = events_page()
    edit_grid(at, edited={0: {"summary": "alpha\rbeta"}})
    button(at, "Save events.csv").click()
    at.run()
    assert "Saved events.csv (1 changed)" in texts(at)
    assert read_events(fixture_env)[0]["summary"] == "alpha\rbeta"
    again = app("events").run()
    login(again)
    assert len(again.data_editor) == 1, texts(again)  # still editable
    assert check.main(["--root", str(fixture_env)]) == 0


def test_deleting_more_than_a_few_rows_asks_first(fixture_env):
    """Regression (issue 21): select-all, Delete, Save emptied events.csv with no question."""
    at = events_page()
    count = len(read_events(fixture_env))
    edit_grid(at, deleted=list(range(count)))
    save = button(at, "Save events.csv")
    assert save.disabled and f"tick 'Yes, delete {count} rows'" in save.help
    at.checkbox(key=[c.key for c in at.checkbox if "confirm-delete" in c.key][0]).check().run()
    button(at, "Save events.csv").click()
    at.run()
    assert f"Saved events.csv ({count} deleted)" in texts(at)
    assert read_events(fixture_env) == []


def test_a_few_deleted_rows_need_no_question(fixture_env):
    at = events_page()
    edit_grid(at, deleted=[0])
    assert not [c for c in at.checkbox if "confirm-delete" in c.key]
    assert not button(at, "Save events.csv").disabled


def test_discarding_edits_takes_a_second_click(fixture_env):
    """Regression (issue 21): "Discard my changes" threw the edits away at one click."""
    at = events_page()
    edit_grid(at, edited={0: {"summary": "Keep me."}})
    button(at, "Discard my changes").click()
    at.run()
    assert "Discard your 1 change(s) to events.csv?" in texts(at)
    button(at, "Keep my changes").click()
    at.run()
    assert "1 changed" in texts(at)  # still there
    button(at, "Discard my changes").click()
    at.run()
    button(at, "Yes, discard").click()
    at.run()
    assert "Your unsaved changes were discarded" in texts(at)
    assert "No changes yet" in texts(at)


def test_edit_events_explains_an_events_csv_that_is_a_directory(fixture_env):
    """Regression (issue 21): Edit events crashed when events.csv was a directory."""
    (fixture_env / "events.csv").unlink()
    (fixture_env / "events.csv").mkdir()
    at = app("events").run()
    login(at)
    assert not at.exception, at.exception
    assert not at.data_editor
    assert "cannot be edited here" in texts(at) and "directory" in texts(at)


def test_the_diff_shows_a_long_summary_whole(fixture_env):
    """Issue 22: the diff table cut long summaries."""
    at = events_page()
    long = "A long summary. " * 12 + "The end."
    edit_grid(at, edited={0: {"summary": long}})
    assert [e.label for e in at.expander] == ["Long values in full (1)"]
    (shown,) = [t.value for t in at.text if long in t.value]
    assert shown.endswith(f"after:  {long}")


def test_the_saved_message_appears_under_the_save_button_not_above_the_grid(fixture_env):
    """Issue 22: the banner at the top pushed the grid down under the pointer."""

    def in_order(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from in_order(child)

    at = events_page()
    edit_grid(at, edited={0: {"summary": "Moved nothing."}})
    button(at, "Save events.csv").click()
    at.run()
    kinds = [(getattr(n, "type", ""), str(getattr(n, "value", ""))) for n in in_order(at.main)]
    saved = next(i for i, (k, v) in enumerate(kinds) if k == "success" and "Saved events" in v)
    grid = next(i for i, (k, _) in enumerate(kinds) if k == "dataframe")  # the data editor
    save = next(i for i, (k, _) in enumerate(kinds) if k == "button")
    assert grid < save < saved, kinds


def test_an_editor_undoes_their_own_last_save(fixture_env):
    """Issue 22: only an admin could restore; an editor can now take back their own save."""
    from lib.editing import history

    add_user("alice", "alice's long password")
    at = app("events").run()
    login(at, "alice's long password", name="alice")
    before = read_events(fixture_env)[0]["summary"]
    edit_grid(at, edited={0: {"summary": "A mistake."}})
    button(at, "Save events.csv").click()
    at.run()
    undo = [b for b in at.button if b.label.startswith("Undo my last save")]
    assert len(undo) == 1 and "1 changed" in undo[0].label
    undo[0].click()
    at.run()
    assert "Undid your save" in texts(at)
    assert read_events(fixture_env)[0]["summary"] == before
    assert [(e.who, e.action) for e in history.entries(fixture_env)] == [
        ("alice", "save"),
        ("alice", "undo"),
    ]
    assert not [b for b in at.button if b.label.startswith("Undo")]  # an undo is not undone


def test_no_undo_once_someone_else_saved_or_for_another_editors_save(fixture_env):
    from lib.editing import history

    add_user("alice", "alice's long password")
    add_user("bob", "bob's long password")
    at = app("events").run()
    login(at, "alice's long password", name="alice")
    edit_grid(at, edited={0: {"summary": "Alice's."}})
    button(at, "Save events.csv").click()
    at.run()
    assert [b for b in at.button if b.label.startswith("Undo my last save")]
    bob = app("events").run()
    login(bob, "bob's long password", name="bob")
    assert not [b for b in bob.button if b.label.startswith("Undo")]  # not bob's save
    # Bob saves meanwhile: alice's undo would overwrite his change, so it is offered no more.
    path = fixture_env / "events.csv"
    snap = read_snapshot(path, EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    rows[1]["summary"] = "Bob's."
    recorder = history.Recorder(fixture_env, "events.csv", "bob")
    save_bytes(path, snap.encode(rows), snap.fingerprint,
               backup_root=fixture_env / ".backups", journal=recorder)  # fmt: skip
    at.run()
    assert not [b for b in at.button if b.label.startswith("Undo")]


def test_a_reload_brings_the_grid_edits_back(fixture_env, monkeypatch):
    """Issue 22: unsaved edits vanished on reload (a new session) with no warning."""
    at = events_page()
    edit_grid(at, edited={0: {"summary": "Typed before the reload."}})
    assert "1 changed" in texts(at)
    (unsaved,) = [
        c for c in at.get("bidi_component") if c.proto.component_name == "newsmap_unsaved"
    ]
    assert json.loads(unsaved.proto.json) == {"dirty": True}  # the browser asks before leaving
    token, _ = at.session_state[Keys.LOGIN_COOKIE]
    # The reload: a new session whose browser sends the login cookie.
    monkeypatch.setattr(auth, "cookie", lambda name: token if name == auth.COOKIE else None)
    again = app("events").run()
    assert len(again.data_editor) == 1, texts(again)
    assert "Your unsaved edits from before the reload are back" in texts(again)
    assert "1 changed" in texts(again)
    # Another login (another browser of the same account) does not get them.
    monkeypatch.setattr(auth, "cookie", lambda name: None)
    other = events_page()
    assert "No changes yet" in texts(other)
