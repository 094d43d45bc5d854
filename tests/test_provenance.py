"""Issue 20: rows that say no more than their article, captions kept as reporting, review states."""

import csv
import datetime as dt
import shutil

import pytest

from lib.data import csvio
from lib.data.dataset import REPO_ROOT, load_dataset
from lib.data.events import Event, for_readers
from lib.data.mentions import build_index
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(REPO_ROOT, today=TODAY)


def shipped_event(data, event_id):
    return next(e for e in data.events.events if e.id == event_id)


def copy_fixture(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, root)
    return root


def rewrite(path, change):
    """Apply ``change(rows, columns)`` to a CSV file, keeping its minimal quoting."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = list(reader.fieldnames), list(reader)
    columns = change(rows, columns) or columns
    path.write_text(csvio.write(columns, rows), encoding="utf-8")


# --- the rows mended in issue 20 (shipped data; no counts) -------------------------------


@pytest.mark.parametrize("event_id", ["E017", "E042", "E055", "E056"])
def test_rows_the_text_does_not_date_are_undated_not_pinned(shipped, event_id):
    assert shipped_event(shipped, event_id).date_precision == "undated"


def test_e017_warning_is_not_placed_after_the_attacks_it_warned_of(shipped):
    # The first attack in the reporting is late Monday 30 Aug (E004).
    assert shipped_event(shipped, "E017").date <= shipped_event(shipped, "E004").date


def test_e012_tweet_is_not_given_the_day_of_the_sentence_before(shipped):
    assert shipped_event(shipped, "E012").date_precision != "day"


def test_e036_is_split_into_the_denial_and_the_accusation_of_pakistan(shipped):
    denial = shipped_event(shipped, "E036")
    assert denial.event_type == "denial" and "Pakistan" not in denial.quote
    accusation = next(
        e for e in shipped.events.events if "accused Pakistan" in e.quote and e.id != "E036"
    )
    assert accusation.places == ("pakistan",)
    assert "E037" in accusation.contests
    assert accusation.id in shipped_event(shipped, "E037").contests


def test_rows_that_do_not_contradict_are_not_paired(shipped):
    assert not shipped_event(shipped, "E039").contests
    assert not shipped_event(shipped, "E040").contests
    # E016 and E029 report the same Taliban claim: paired alike with E023 (here: neither).
    e023 = shipped_event(shipped, "E023")
    assert ("E016" in e023.contests) == ("E029" in e023.contests)


def test_e044_casualties_keep_large_numbers(shipped):
    assert [str(c) for c in shipped_event(shipped, "E044").casualties] == [
        "large-numbers killed taliban"
    ]


def test_the_caption_claim_about_the_gorge_has_a_row_contesting_e022(shipped):
    row = next(e for e in shipped.events.events if "dared to enter the narrow gorge" in e.quote)
    assert "E022" in row.contests and row.id in shipped_event(shipped, "E022").contests


# --- captions are reporting --------------------------------------------------------------


def test_captions_stay_in_the_passages_labelled_and_furniture_does_not(tmp_path):
    root = copy_fixture(tmp_path)

    def mark(rows, columns):
        for row in rows:
            if row["id"] == "valley-attack":
                row["boilerplate"], row["captions"] = "6", "5"
        return [*columns, "captions"]

    rewrite(root / "articles" / "articles.csv", mark)
    data = load_dataset(root, today=TODAY)
    assert not [str(p) for p in data.problems if p.severity == "error"]
    caption = [m for m in build_index(data.articles.values(), data.gazetteer) if m.caption]
    assert [(m.article_id, m.matched) for m in caption] == [("valley-attack", "Bazarak")]

    # The panel's data marks the passage (panel.js labels it "Photo caption:").
    from lib.map.panel import place_data

    place = data.gazetteer.places["bazarak"]
    panel = place_data(place, [], {}, caption, data.articles)
    assert [p[5] for p in panel["passages"]] == [True]


def test_a_line_marked_both_caption_and_boilerplate_is_reported(tmp_path):
    root = copy_fixture(tmp_path)

    def mark(rows, columns):
        for row in rows:
            row["captions"] = "5" if row["id"] == "valley-attack" else ""
        return [*columns, "captions"]

    rewrite(root / "articles" / "articles.csv", mark)
    data = load_dataset(root, today=TODAY)
    (problem,) = [p for p in data.problems if p.column == "captions"]
    assert problem.row == 2 and "5" in problem.message


def test_shipped_captions_e006_e014_are_in_the_passages(shipped):
    index = build_index(shipped.articles.values(), shipped.gazetteer)
    khenj = [m for m in index if m.place_id == "khenj" and m.caption]
    assert any("gather in Khenj District" in m.sentence for m in khenj)


# --- review states -----------------------------------------------------------------------


def test_only_approved_rows_reach_readers():
    base = dict(
        date=dt.date(2021, 9, 1),
        date_precision="day",
        places=("kabul",),
        event_type="clash",
        status="reported",
        summary="s",
        articles=("a",),
        quote="q",
    )
    events = [Event(id=i, review=r, **base) for i, r in [("A", "draft"), ("B", "ready")]]
    events.append(Event(id="C", review="approved", **base))
    assert [e.id for e in for_readers(events)] == ["C"]


def test_a_file_without_the_review_column_loads_every_row_approved_with_a_warning(tmp_path):
    root = copy_fixture(tmp_path)
    rewrite(root / "events.csv", lambda rows, columns: [c for c in columns if c != "review"])
    data = load_dataset(root, today=TODAY)
    assert data.events.events and all(e.review == "approved" for e in data.events.events)
    (warning,) = [p for p in data.problems if p.column == "review"]
    assert warning.severity == "warning" and "approved" in warning.message


@pytest.mark.parametrize(
    "cell, state, error",
    [
        ("draft", "draft", False),
        ("Ready", "ready", False),
        # a row typed in the grid without a state is not published
        ("", "draft", False),
        ("publish", None, True),
    ],
)
def test_review_cells(tmp_path, cell, state, error):
    root = copy_fixture(tmp_path)

    def set_first(rows, columns):
        rows[0]["review"] = cell

    rewrite(root / "events.csv", set_first)
    data = load_dataset(root, today=TODAY)
    errors = [p for p in data.problems if p.severity == "error" and p.column == "review"]
    assert bool(errors) == error
    if state:
        assert data.events.events[0].review == state


def fixture_with_a_draft(tmp_path, event_id="F004", state="draft"):
    root = copy_fixture(tmp_path)

    def hold_back(rows, columns):
        for row in rows:
            if row["id"] == event_id:
                row["review"] = state

    rewrite(root / "events.csv", hold_back)
    return root


@pytest.mark.parametrize("state", ["draft", "ready"])
def test_the_exports_leave_out_rows_not_approved(tmp_path, state):
    import json

    from lib.pictures import export

    root = fixture_with_a_draft(tmp_path, state=state)
    data = export.load_export_data(root, cache=False)
    assert "F004" not in set(data.frame["event_id"])
    assert "F001" in set(data.frame["event_id"])
    assert "F004" not in export.events_csv(data.frame)
    assert "F004" not in json.dumps(export.events_geojson(data.frame, data.gazetteer))


def test_the_reader_map_leaves_out_drafts(tmp_path, monkeypatch):
    from ui import data as store

    root = fixture_with_a_draft(tmp_path)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    store.refresh()
    try:
        ids = set(store.frame()["event_id"])
    finally:
        store.refresh()
    assert "F004" not in ids and "F001" in ids


def test_add_article_drafts_start_as_drafts():
    from lib.data.articles import Article
    from lib.editing.drafting import SentenceMentions, draft_events

    article = Article("a", "a.txt", "Head\nFighting in Kabul.", published_from=dt.date(2021, 9, 1))
    (row,) = draft_events(article, [SentenceMentions(5, "Fighting in Kabul.", ("kabul",))], [])
    assert row["review"] == "draft"


# --- who approved: from the history; a second person when the setting is on -------------


def save_as(root, who, change):
    """Change events.csv as ``who`` would through the app: the history records the save."""
    from lib.editing import history

    path = root / "events.csv"
    old = path.read_bytes()
    rewrite(path, change)
    history.record(root, "events.csv", old, path.read_bytes(), who=who)


def set_review(event_id, state):
    def change(rows, columns):
        for row in rows:
            if row["id"] == event_id:
                row["review"] = state

    return change


@pytest.fixture()
def reviewed(tmp_path):
    root = fixture_with_a_draft(tmp_path, "F004", "ready")
    return root


def review_problems_of(root, second_person=True):
    from lib.editing.review import review_problems

    data = load_dataset(root, today=TODAY)
    found = review_problems(data.events.events, root, second_person)
    return {(p.row, p.code) for p in found if p.row == 5}


def test_approving_your_own_row_is_refused_when_a_second_person_is_required(reviewed):
    save_as(reviewed, "alice", lambda rows, columns: rows[3].update(summary="Talks fail."))
    save_as(reviewed, "alice", set_review("F004", "approved"))
    assert review_problems_of(reviewed) == {(5, "approved-by-author")}
    assert review_problems_of(reviewed, second_person=False) == set()


def test_a_second_editor_approves_and_the_history_says_who_and_when(reviewed):
    from lib.editing.review import approvals

    save_as(reviewed, "alice", lambda rows, columns: rows[3].update(summary="Talks fail."))
    save_as(reviewed, "bob", set_review("F004", "approved"))
    assert review_problems_of(reviewed) == set()
    approval = approvals(reviewed)["F004"]
    assert approval.who == "bob" and approval.when.endswith("UTC")


def test_an_approval_without_a_record_is_a_warning_when_a_second_person_is_required(reviewed):
    save_as(reviewed, "alice", set_review("F004", "approved"))
    save_as(reviewed, "bob", set_review("F004", "ready"))  # taken back: no approval now
    rewrite(reviewed / "events.csv", set_review("F004", "approved"))  # outside the app
    assert review_problems_of(reviewed) == {(5, "approval-unrecorded")}


def test_the_second_person_setting_reaches_lib_check(reviewed, monkeypatch):
    from lib.commands import check

    save_as(reviewed, "alice", lambda rows, columns: rows[3].update(summary="Talks fail."))
    save_as(reviewed, "alice", set_review("F004", "approved"))
    monkeypatch.setenv("DASHBOARD_REVIEW_SECOND_PERSON", "on")
    assert check.main(["--root", str(reviewed)]) == 1
    monkeypatch.setenv("DASHBOARD_REVIEW_SECOND_PERSON", "off")
    assert check.main(["--root", str(reviewed)]) == 0


# --- provenance of the articles: addresses, archive, hash -------------------------------


def with_provenance(root, **cells):
    def change(rows, columns):
        for row in rows:
            if row["id"] == "valley-attack":
                row.update(cells)
        return list(dict.fromkeys([*columns, *cells]))

    rewrite(root / "articles" / "articles.csv", change)


def sha256_of(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_text_changed_after_retrieval_is_an_error_with_its_row_and_column(tmp_path):
    root = copy_fixture(tmp_path)
    text = root / "articles" / "valley-attack.txt"
    with_provenance(root, sha256=sha256_of(text), language="en")
    assert not [p for p in load_dataset(root, today=TODAY).problems if p.column == "sha256"]

    text.write_text(text.read_text(encoding="utf-8").replace("12", "21"), encoding="utf-8")
    (problem,) = [p for p in load_dataset(root, today=TODAY).problems if p.column == "sha256"]
    assert problem.severity == "error"
    assert str(problem).startswith("articles/articles.csv, row 2, column 'sha256':")
    assert "valley-attack.txt has changed since it was retrieved" in problem.message
    assert sha256_of(text) in problem.hint  # the new hash, for a deliberate change


def test_lib_check_fails_on_a_hash_mismatch(tmp_path):
    from lib.commands import check

    root = copy_fixture(tmp_path)
    with_provenance(root, sha256="0" * 64)
    assert check.main(["--root", str(root)]) == 1


@pytest.mark.parametrize(
    "column, value",
    [
        ("url", "javascript:alert(1)"),
        ("archive_url", "web.archive.org/web/2021/x"),
        ("retrieved_at", "yesterday"),
        ("language", "English"),
        ("sha256", "not-a-hash"),
    ],
)
def test_bad_provenance_cells_are_reported_and_not_used(tmp_path, column, value):
    root = copy_fixture(tmp_path)
    with_provenance(root, **{column: value})
    data = load_dataset(root, today=TODAY)
    (problem,) = [p for p in data.problems if p.column == column]
    assert problem.row == 2 and problem.file == "articles/articles.csv"
    assert getattr(data.articles["valley-attack"], column) == ""


def test_good_provenance_cells_load(tmp_path):
    root = copy_fixture(tmp_path)
    cells = {
        "url": "https://example.org/news/valley",
        "archive_url": "https://web.archive.org/web/20210904101500/https://example.org/news/valley",
        "retrieved_at": "2021-09-04T10:15:00Z",
        "language": "en-GB",
    }
    with_provenance(root, **cells)
    data = load_dataset(root, today=TODAY)
    assert not [p for p in data.problems if p.file.startswith("articles")]
    article = data.articles["valley-attack"]
    assert (article.url, article.language) == (cells["url"], "en-GB")


class FakeResponse:
    def __init__(self, location):
        self.headers = {"Content-Location": location}

    def geturl(self):
        return ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_archive_writes_the_copy_address(tmp_path, capsys):
    from lib.commands import archive

    root = copy_fixture(tmp_path)
    with_provenance(root, url="https://example.org/news/valley")
    asked = []

    def opener(request, timeout):
        asked.append(request.full_url)
        return FakeResponse("/web/20261206043000/https://example.org/news/valley")

    assert archive.main(["valley-attack", "--root", str(root)], opener=opener) == 0
    assert asked == ["https://web.archive.org/save/https://example.org/news/valley"]
    article = load_dataset(root, today=TODAY).articles["valley-attack"]
    assert article.archive_url == (
        "https://web.archive.org/web/20261206043000/https://example.org/news/valley"
    )


def test_archive_without_a_network_skips_cleanly_and_changes_nothing(tmp_path, capsys):
    import urllib.error

    from lib.commands import archive

    root = copy_fixture(tmp_path)
    with_provenance(root, url="https://example.org/news/valley")
    before = (root / "articles" / "articles.csv").read_bytes()

    def offline(request, timeout):
        raise urllib.error.URLError("Temporary failure in name resolution")

    assert archive.main(["valley-attack", "--root", str(root)], opener=offline) == 0
    assert "skipped" in capsys.readouterr().out
    assert (root / "articles" / "articles.csv").read_bytes() == before


@pytest.mark.parametrize("article", ["valley-attack", "no-such-article"])
def test_archive_says_what_to_fix_when_it_cannot_start(tmp_path, capsys, article):
    from lib.commands import archive

    root = copy_fixture(tmp_path)
    assert archive.main([article, "--root", str(root)], opener=None) == 1
    assert capsys.readouterr().err


def test_the_articles_page_links_the_source_and_its_archive(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    root = copy_fixture(tmp_path)
    with_provenance(
        root,
        url="https://example.org/news/valley?a=1&b='x'",
        archive_url="https://web.archive.org/web/2021/https://example.org/news/valley",
    )
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    from ui import data as store

    store.refresh()
    at = AppTest.from_file("../pages/1_Articles.py", default_timeout=60)
    at.query_params["article"] = "valley-attack"
    at.run()
    store.refresh()
    assert not at.exception
    html = "".join(h.proto.body for h in at.get("html"))
    assert "href='https://example.org/news/valley?a=1&amp;b=&#x27;x&#x27;'" in html
    assert "https://web.archive.org/web/2021/https://example.org/news/valley" in html
    assert ">Archived copy</a>" in html


# --- corroboration: computed from the articles' outlets ---------------------------------


def outlets(**by_id):
    from lib.data.articles import Article

    return {i: Article(i, f"{i}.txt", "text", outlet=o) for i, o in by_id.items()}


@pytest.mark.parametrize(
    "ids, known, independent, label",
    [
        (["a"], {"a": "Express"}, 1, "one article only"),
        (["a", "b"], {"a": "Express", "b": "Latin Times"}, 2, "2 articles, several outlets"),
        # two articles of one outlet are one voice
        (["a", "b"], {"a": "Express", "b": "express"}, 1, "2 articles, all from one outlet"),
        # an article naming no outlet may be from one already counted
        (["a", "b"], {"a": "Express", "b": ""}, 1, "2 articles, independence not established"),
        (["a", "x"], {"a": ""}, 0, "2 articles, independence not established"),
    ],
)
def test_corroboration_counts_outlets_not_articles(ids, known, independent, label):
    from lib.data.events import corroboration

    found = corroboration(ids, outlets(**known))
    assert found.independent == independent
    assert found.label.startswith(label)


def test_the_event_card_shows_the_computed_corroboration(tmp_path, monkeypatch):
    from ui import data as store
    from ui.render import event_card

    root = copy_fixture(tmp_path)

    def name_outlets(rows, columns):
        for row in rows:
            row["outlet"] = {"valley-attack": "Valley Post", "kabul-talks": "Kabul <Daily>"}[
                row["id"]
            ]

    rewrite(root / "articles" / "articles.csv", name_outlets)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    store.refresh()
    try:
        frame = store.frame()
    finally:
        store.refresh()
    row = frame[frame["event_id"] == "F002"].iloc[0].to_dict()  # cites both articles
    html = event_card(row, {})
    assert "Reported by: 2 articles, several outlets: Valley Post, Kabul &lt;Daily&gt;" in html
    single = frame[frame["event_id"] == "F004"].iloc[0].to_dict()
    assert "Reported by: one article only" in event_card(single, {})


def test_an_undated_row_reads_as_true_by_its_date_on_the_card_and_the_map():
    from lib.map.engine import _day_label
    from ui.render import event_card

    row = {
        "event_type": "political",
        "date_precision": "undated",
        "date": "2021-09-03",
        "date_basis": "'declared himself'",
        "claimant": "",
        "contested_with": "",
        "casualties": "",
        "articles": "a",
        "status": "claimed",
        "event_id": "E1",
        "summary": "s",
        "quote": "q",
    }
    assert "by 2021-09-03 (undated)" in event_card(row, {})
    assert _day_label(dt.date(2021, 9, 3), "undated") == "by 3 Sep 2021 (undated)"
