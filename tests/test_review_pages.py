"""Issue 20 on the editor pages (AppTest): a second approver enforced at save time on Edit
events, and the review list of drafts on Add article."""

# ruff: noqa: F811  (pytest fixtures imported from tests/support/editing.py look redefined)

from __future__ import annotations

import pytest

from lib.data.schema import EVENT_COLUMNS
from lib.editing import history
from lib.editing.saving import save_bytes
from lib.editing.snapshot import read_snapshot
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
    snap = read_snapshot(path, EVENT_COLUMNS)
    rows = [dict(r, **{column: values.get(r["id"], r[column])}) for r in snap.rows]
    save_bytes(path, snap.encode(rows), snap.fingerprint,
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


# --- the review list of drafts on Add article ---------------------------------------------------

import csv  # noqa: E402
import json  # noqa: E402

from lib.data import csvio  # noqa: E402
from tests.support.hostile import LINK, PAYLOAD  # noqa: E402
from ui import auth  # noqa: E402
from ui.keys import Keys  # noqa: E402

#: Written for these tests: a claim naming no place (the main place is inferred), a hostile
#: string in the reporting, and a day ('on Tuesday') to date it.
HOSTILE_TEXT = (
    "Fighting reaches Bazarak\n"
    f"Fighters in Bazarak said on Tuesday they had repelled an attack {PAYLOAD}.\n"
    "Massoud called on all Afghans to rise up against the Taliban.\n"
)


def add_article(root, article_id, text, published="2021-09-01"):
    (root / "articles" / f"{article_id}.txt").write_text(text, encoding="utf-8")
    meta = root / "articles" / "articles.csv"
    with meta.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames), list(reader)
    rows.append(
        {"id": article_id, "file": f"{article_id}.txt", "published_from": published,
         "published_to": published, "date_inferred": "no"}
    )  # fmt: skip
    meta.write_text(csvio.write(columns, rows), encoding="utf-8")


def said(at):
    """What the page says, without Markdown's emphasis marks."""
    return texts(at).replace("*", "")


def article_key(at, name):
    version = at.session_state[Keys.ARTICLE_FORM] if Keys.ARTICLE_FORM in at.session_state else 0
    return Keys.widget(f"article:{version}:{name}")


def review_page(article="kabul-talks", at=None):
    at = at or app("article").run()
    if not [b for b in at.button if b.label.startswith("Save the list")]:
        if [t for t in at.text_input if t.label == "Editor password"]:
            login(at)
        at.selectbox(key=article_key(at, "draft_from")).set_value(article).run()
    assert not at.exception, at.exception
    return at


def card_button(at, card, what):
    found = [b for b in at.button if b.key == Keys.widget(f"review:{card}:{what}")]
    assert found, [b.key for b in at.button]
    return found[0]


def save_list(at):
    (save,) = [b for b in at.button if b.label.startswith("Save the list")]
    save.click()
    return at.run()


TALKS, STATEMENT, FAMILIES, COMMANDER = (
    "kabul-talks:26",
    "kabul-talks:103",
    "kabul-talks:181",
    "kabul-talks:236",
)


def test_drafts_open_in_a_review_list_not_in_the_events_grid(fixture_env):
    before = (fixture_env / "events.csv").read_bytes()
    at = review_page()
    shown = said(at)
    assert "4 draft(s): 4 to decide, 0 accepted, 0 dropped" in shown
    # One card per claim: the claim, claimant, type, status, figures, date and basis.
    assert "Claim: A commander in Bazarak repeated that his men had killed 12" in shown
    assert "Figures: 12 killed unknown; 2 killed unknown" in shown
    assert "Claimant: both sides · Type: negotiation · Status: claimed" in shown
    assert "Date: 2021-09-01 (day): 'Wednesday' read against the publication window" in shown
    assert "Basis, from the article: “Negotiators met in Kabul on Wednesday" in shown
    # A draft the checks refuse says where, as the grid and `lib check` do, and cannot be accepted.
    assert "events.csv, line 9, field 'event_type': '' is not an event type" in shown
    assert card_button(at, FAMILIES, "accept:draft").disabled
    assert not card_button(at, TALKS, "accept:draft").disabled
    # Nothing reaches events.csv or the events editor's working copy until the list is saved.
    events = app("events")
    events.session_state[Keys.LOGIN] = at.session_state[Keys.LOGIN]
    events.run()
    assert "No changes yet" in said(events)
    assert (fixture_env / "events.csv").read_bytes() == before


def test_accepted_drafts_join_events_as_draft_or_ready_and_dropped_ones_do_not(fixture_env):
    at = review_page()
    card_button(at, TALKS, "accept:ready").click()
    at.run()
    card_button(at, COMMANDER, "accept:draft").click()
    at.run()
    card_button(at, STATEMENT, "drop").click()
    at.run()
    assert "Draft 2 dropped: E002" in said(at)
    card_button(at, STATEMENT, "undrop").click()  # undo, until the list is saved
    at.run()
    card_button(at, STATEMENT, "drop").click()
    at.run()
    assert "4 draft(s): 1 to decide, 2 accepted, 1 dropped" in said(at)
    save_list(at)
    assert "Saved 2 draft(s) to events.csv: E001, E004." in said(at)
    saved = {r["id"]: r for r in read_events(fixture_env)}
    assert saved["E001"]["review"] == "ready" and saved["E004"]["review"] == "draft"
    assert saved["E004"]["casualties"] == "12 killed unknown; 2 killed unknown"
    assert "E002" not in saved and "E003" not in saved
    # The saved save is in the history like every edit; the open draft stays in the list.
    (entry,) = [e for e in history.entries(fixture_env) if "from article kabul-talks" in e.note]
    assert entry.who == "shared-password" and len(entry.added) == 2
    assert "1 draft(s): 1 to decide" in said(at)
    # Readers never see a draft.
    from lib.data.dataset import load_dataset
    from lib.data.events import for_readers

    public = {e.id for e in for_readers(load_dataset(fixture_env).events.events)}
    assert not public & {"E001", "E004"}


def test_editing_a_draft_checks_it_with_the_grids_rules(fixture_env):
    at = review_page()
    card_button(at, FAMILIES, "edit").click()
    at.run()
    field = Keys.widget(f"review:{FAMILIES}:field:")
    at.selectbox(key=field + "event_type").set_value("civilian_harm").run()
    assert "line 9, field 'event_type'" not in said(at)
    at.text_input(key=field + "date").input("2021-13-40").run()
    assert "events.csv, line 9, field 'date'" in said(at)
    assert card_button(at, FAMILIES, "accept:draft").disabled
    at.text_input(key=field + "date").input("2021-09-02").run()
    card_button(at, FAMILIES, "accept:draft").click()
    at.run()
    save_list(at)
    saved = {r["id"]: r for r in read_events(fixture_env)}
    assert saved["E003"]["event_type"] == "civilian_harm"
    assert saved["E003"]["date"] == "2021-09-02"


def test_the_list_survives_a_page_change_and_a_reload(fixture_env, monkeypatch):
    at = app("dashboard").run()
    at.switch_page("pages/5_Add_article.py").run()
    at = review_page(at=at)
    card_button(at, TALKS, "accept:draft").click()
    at.run()
    card_button(at, STATEMENT, "drop").click()
    at.run()
    card_button(at, FAMILIES, "edit").click()
    at.run()
    field = Keys.widget(f"review:{FAMILIES}:field:")
    at.text_input(key=field + "claimant").input("families").run()
    at.switch_page("pages/3_Edit_events.py").run()
    at.switch_page("pages/5_Add_article.py").run()
    assert "4 draft(s): 2 to decide, 1 accepted, 1 dropped" in said(at)
    token, _ = at.session_state[Keys.LOGIN_COOKIE]
    # The reload: a new session whose browser sends the login cookie.
    monkeypatch.setattr(auth, "cookie", lambda name: token if name == auth.COOKIE else None)
    again = app("article").run()
    assert not again.exception, again.exception
    shown = said(again)
    assert "4 draft(s): 2 to decide, 1 accepted, 1 dropped" in shown
    assert "Claimant: families" in shown


def test_a_save_by_another_editor_meanwhile_is_detected_not_overwritten(fixture_env):
    at = review_page()
    card_button(at, TALKS, "accept:draft").click()
    at.run()
    # Another editor adds E001 meanwhile.
    path = fixture_env / "events.csv"
    snap = read_snapshot(path, EVENT_COLUMNS)
    theirs = dict(snap.rows[4], id="E001", summary="Someone else's row.")
    save_bytes(path, snap.encode([*snap.rows, theirs]), snap.fingerprint,
               backup_root=fixture_env / ".backups",
               journal=history.Recorder(fixture_env, "events.csv", "bob"))  # fmt: skip
    save_list(at)
    shown = said(at)
    assert "Not saved: events.csv was saved by someone else since these drafts were made" in shown
    assert "E001 is now E005" in shown
    assert {r["id"]: r for r in read_events(fixture_env)}["E001"]["summary"] == (
        "Someone else's row."
    )
    save_list(at)  # looked at again: saved on top of theirs
    saved = {r["id"]: r for r in read_events(fixture_env)}
    assert saved["E001"]["summary"] == "Someone else's row."
    assert saved["E005"]["quote"].startswith("Negotiators met in Kabul")


def test_hostile_text_in_a_draft_is_shown_as_text_and_the_inferred_place_is_marked(fixture_env):
    add_article(fixture_env, "hostile", HOSTILE_TEXT)
    at = review_page("hostile")
    sources = [str(m.value) for m in (*at.markdown, *at.error, *at.warning, *at.caption)]
    assert not [s for s in sources if "](http" in s]  # no live link or image anywhere
    shown = said(at)
    assert LINK in shown  # shown as the characters it is
    assert "Place: Bazarak · inferred (not named in the sentence: the article's main place" in shown


def test_the_map_shows_drafts_dashed_and_labelled_among_approved_events(fixture_env):
    at = review_page()
    (preview,) = at.get("component_instance")
    script = json.loads(preview.proto.json_args)["script"]
    assert script.count('"dashArray": "5 4"') == 4  # the four drafts, dashed
    assert "E004 (draft) at Bazarak" in script
    assert "Bazarak: 2 approved event(s)" in script
    assert "draft (dashed): not published" in script  # the legend line
    card_button(at, COMMANDER, "drop").click()
    at.run()
    (preview,) = at.get("component_instance")
    assert "E004 (draft)" not in preview.proto.json_args


def test_a_finished_list_can_be_drafted_again(fixture_env):
    at = review_page()
    for card in (TALKS, STATEMENT, FAMILIES, COMMANDER):
        card_button(at, card, "drop").click()
        at.run()
    save_list(at)
    assert "Cleared 4 dropped draft(s); events.csv is unchanged." in said(at)
    assert "No drafts left from this article" in said(at)
    button(at, "Draft this article again").click()
    at.run()
    assert "4 draft(s): 4 to decide" in said(at)


def test_edit_events_shows_the_rows_waiting_for_approval_dashed_on_a_map(second_person):
    at = events_page_as(BOB)
    assert "1 row(s) in the table are drafts or ready for approval" in said(at)
    (drafts_map,) = [
        c for c in at.get("component_instance") if "Drafts and approved" in c.proto.json_args
    ]
    script = json.loads(drafts_map.proto.json_args)["script"]
    assert script.count('"dashArray": "5 4"') == 1
    assert "F004 (draft, ready for approval) at Kabul" in script
    assert "Bazarak: 2 approved event(s)" in script
    # Approved and saved, it leaves the map.
    edit_grid(at, edited={F004: {"review": "approved"}})
    button(at, "Save events.csv").click()
    at.run()
    assert "Drafts on the map" not in said(at)


def test_drafts_cannot_be_saved_into_an_events_csv_that_would_not_round_trip(fixture_env):
    path = fixture_env / "events.csv"
    path.write_bytes(path.read_bytes() + b'broken,"row\n')
    at = review_page()
    assert "events.csv cannot be edited here until it is fixed by hand" in said(at)
    assert not [b for b in at.button if b.label.startswith(("Save the list", "Accept"))]
