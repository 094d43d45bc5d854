"""lib.editing: snapshots, diffs, the three-way merge, saves that never lose work, the grid, the
forms, adding articles and drafting."""

# ruff: noqa: F811  (pytest fixtures imported from tests/support/editing.py look redefined)

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import re
import time
from pathlib import Path

import pytest

from lib.data import csvio
from lib.data.articles import load_articles
from lib.data.dataset import load_dataset
from lib.data.events import load_events
from lib.data.gazetteer import Gazetteer
from lib.data.mentions import Matcher, find_mentions
from lib.data.schema import EVENT_COLUMNS, PLACE_COLUMNS, Column
from lib.data.storage import fingerprint
from lib.editing import corpus, saving
from lib.editing.corpus import add_article, clean_temps, interrupted_saves, recover_articles
from lib.editing.diff import CellChange, diff_rows
from lib.editing.drafting import (
    draft_events,
    next_event_ids,
    one_line,
    sentences_with_places,
    suggest_places,
)
from lib.editing.forms import article_problems, article_row, place_problems, place_row, upsert_row
from lib.editing.grid import (
    FIRST_ARTICLE,
    MORE_ARTICLES,
    events_from_frame,
    events_to_frame,
    with_present,
)
from lib.editing.merge import MINE, THEIRS, merge_rows
from lib.editing.preview import PreviewMarker, preview_map
from lib.editing.saving import (
    BACKUP_DIR,
    KEEP_BACKUPS,
    STALE_TEMP_S,
    ConflictError,
    file_lock,
    list_backups,
    save_bytes,
    save_rows,
    save_text,
)
from lib.editing.snapshot import SaveError, Snapshot, read_snapshot
from lib.places.geocode import Candidate
from tests.support.editing import (  # noqa: F401 (data_root, fixture_root: fixtures)
    EVENT_NAMES,
    data_root,
    fixture_root,
    read_events,
)

pytestmark = pytest.mark.unit

COLUMNS = ["id", "name", "note"]


def rows(*specs: str) -> list[dict[str, str]]:
    """``rows("a=1", "b=2")`` -> [{'id': 'a', 'name': '1', 'note': ''}, ...]"""
    out = []
    for spec in specs:
        row_id, _, name = spec.partition("=")
        out.append({"id": row_id, "name": name, "note": ""})
    return out


def write_csv(path: Path, table: list[dict[str, str]], columns=COLUMNS) -> str:
    path.write_text(csvio.write(columns, table), encoding="utf-8")
    return fingerprint(path)


# --- snapshots ---------------------------------------------------------------------------------


def test_snapshot_fingerprint_is_the_one_storage_computes(data_root):
    snap = read_snapshot(data_root / "events.csv", EVENT_COLUMNS)
    assert snap.fingerprint == fingerprint(data_root / "events.csv")
    assert snap.columns == tuple(EVENT_NAMES)
    assert len(snap.rows) == len(read_events(data_root))
    assert snap.blocking == ()


def test_snapshot_of_a_missing_file_is_empty_with_the_schema_columns(tmp_path):
    snap = read_snapshot(tmp_path / "events.csv", EVENT_COLUMNS)
    assert snap.fingerprint is None
    assert snap.rows == ()
    assert snap.columns == tuple(EVENT_NAMES)


def test_snapshot_keeps_unknown_columns_and_adds_missing_optional_ones(tmp_path):
    path = tmp_path / "gazetteer.csv"
    required = [c.name for c in PLACE_COLUMNS if c.required]
    row = {c: "x" for c in required} | {"private_note": "keep me"}
    path.write_text(csvio.write([*required, "private_note"], [row]), encoding="utf-8")
    snap = read_snapshot(path, PLACE_COLUMNS)
    assert snap.blocking == ()  # an unknown column is kept, so rewriting loses nothing
    assert snap.rows[0]["private_note"] == "keep me"
    assert snap.columns[: len(required) + 1] == (*required, "private_note")
    assert "variants" in snap.columns  # optional, absent from the file: offered to fill


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"id,name,note\na,caf\xe9,\n", "not valid UTF-8"),
        (b'id,name,note\na,"unclosed,\n', "malformed"),
        (b"id,name,note\na,1,2,3\n", "has 4 fields"),  # surplus fields: the row is dropped
        (b"id,name\na,1\n", "missing column"),
        (b"id,name,note,name\na,1,,2\n", "more than once"),
    ],
)
def test_snapshot_blocks_editing_a_file_that_would_not_round_trip(tmp_path, content, why):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    spec = [Column(c, True, "") for c in COLUMNS]
    snap = read_snapshot(path, spec)
    assert any(why in p.message for p in snap.blocking), snap.blocking


# --- diffs -------------------------------------------------------------------------------------


def test_diff_lists_added_changed_and_deleted_rows_by_id():
    old = rows("a=1", "b=2", "c=3")
    new = rows("c=3", "a=1", "b=two", "d=4")  # c moved: not a change
    diff = diff_rows(old, new)
    assert [r["id"] for r in diff.added] == ["d"]
    assert [(c.key, c.cells) for c in diff.changed] == [("b", (CellChange("name", "2", "two"),))]
    assert diff.deleted == ()
    assert diff.summary() == "1 added, 1 changed"
    gone = diff_rows(old, rows("a=1"))
    assert [r["id"] for r in gone.deleted] == ["b", "c"]
    assert diff_rows(old, old).is_empty
    assert diff_rows(old, old).summary() == "no changes"


def test_diff_tells_duplicate_ids_apart():
    diff = diff_rows(rows("a=1"), rows("a=1", "a=2"))
    assert [r["name"] for r in diff.added] == ["2"]


# --- three-way merge ---------------------------------------------------------------------------

BASE = rows("a=1", "b=2", "c=3")


@pytest.mark.parametrize(
    ("ours", "theirs", "merged"),
    [
        # Different rows changed on each side: both changes kept.
        (rows("a=A", "b=2", "c=3"), rows("a=1", "b=B", "c=3"), rows("a=A", "b=B", "c=3")),
        # The same change on both sides is taken once.
        (rows("a=A", "b=2", "c=3"), rows("a=A", "b=2", "c=3"), rows("a=A", "b=2", "c=3")),
        # A deletion on one side of a row the other left alone.
        (rows("a=1", "c=3"), rows("a=1", "b=2", "c=3", "d=4"), rows("a=1", "c=3", "d=4")),
        # Rows added on both sides, different ids: both, theirs after its predecessor.
        (rows("x=0", "a=1", "b=2", "c=3"), rows("a=1", "b=2", "n=9", "c=3"),
         rows("x=0", "a=1", "b=2", "n=9", "c=3")),
        # Both deleted the same row.
        (rows("a=1", "b=2"), rows("a=1", "b=2"), rows("a=1", "b=2")),
    ],
)  # fmt: skip
def test_merge_without_conflicts(ours, theirs, merged):
    result = merge_rows(BASE, ours, theirs, COLUMNS)
    assert result.conflicts == ()
    assert result.rows() == merged


@pytest.mark.parametrize(
    ("ours", "theirs", "key"),
    [
        (rows("a=mine", "b=2", "c=3"), rows("a=theirs", "b=2", "c=3"), "a"),
        # Changed on one side, deleted on the other: a person decides.
        (rows("b=2", "c=3"), rows("a=theirs", "b=2", "c=3"), "a"),
        # The same new id added on both sides with different content.
        (rows("a=1", "b=2", "c=3", "n=mine"), rows("a=1", "b=2", "c=3", "n=theirs"), "n"),
    ],
)
def test_merge_conflicts_are_left_for_the_editor(ours, theirs, key):
    result = merge_rows(BASE, ours, theirs, COLUMNS)
    assert [c.key for c in result.conflicts] == [key]
    with pytest.raises(ValueError, match=key):
        result.rows()
    mine = result.rows({key: MINE})
    kept = result.rows({key: THEIRS})
    assert [r for r in mine if r["id"] == key] == [r for r in ours if r["id"] == key]
    assert [r for r in kept if r["id"] == key] == [r for r in theirs if r["id"] == key]


def test_conflict_cells_show_base_mine_and_theirs():
    ours = [{"id": "a", "name": "mine", "note": "same"}]
    theirs = [{"id": "a", "name": "theirs", "note": "same"}]
    base = [{"id": "a", "name": "1", "note": "same"}]
    (conflict,) = merge_rows(base, ours, theirs, COLUMNS).conflicts
    assert conflict.cells() == [("name", "1", "mine", "theirs")]


# --- saving ------------------------------------------------------------------------------------


def test_save_replaces_the_file_and_returns_its_new_fingerprint(tmp_path):
    path = tmp_path / "t.csv"
    base = write_csv(path, rows("a=1"))
    saved = save_rows(path, COLUMNS, rows("a=2"), base, backup_root=tmp_path / ".b")
    assert path.read_text() == "id,name,note\na,2,\n"
    assert saved.fingerprint == fingerprint(path)
    assert saved.backup is not None and saved.backup.read_text() == "id,name,note\na,1,\n"


def test_save_creates_a_missing_file_when_the_editor_loaded_none(tmp_path):
    path = tmp_path / "new.csv"
    save_rows(path, COLUMNS, rows("a=1"), None, backup_root=tmp_path / ".b")
    assert path.read_text() == "id,name,note\na,1,\n"
    assert list_backups(tmp_path / ".b", path) == []


def test_save_refuses_when_the_file_changed_on_disk(tmp_path):
    path = tmp_path / "t.csv"
    base = write_csv(path, rows("a=1"))
    write_csv(path, rows("a=1", "b=someone else"))
    with pytest.raises(ConflictError, match="changed on disk") as caught:
        save_rows(path, COLUMNS, rows("a=mine"), base, backup_root=tmp_path / ".b")
    assert caught.value.found == fingerprint(path)
    assert "someone else" in path.read_text()  # not overwritten
    with pytest.raises(ConflictError, match="deleted"):
        path.unlink()
        save_rows(path, COLUMNS, rows("a=mine"), base, backup_root=tmp_path / ".b")
    assert not path.exists()


def test_two_editing_sessions_stale_save_is_refused_and_merge_keeps_both_edits(data_root):
    """Alice and Bob load events.csv; Alice saves first; Bob's save on stale data is refused,
    nothing of either is lost, and Bob's merge then saves a file with both edits."""
    path = data_root / "events.csv"
    backups = data_root / BACKUP_DIR
    alice = read_snapshot(path, EVENT_COLUMNS)
    bob = read_snapshot(path, EVENT_COLUMNS)
    assert alice.fingerprint == bob.fingerprint

    alice_rows = [dict(r) for r in alice.rows]
    alice_rows[0]["summary"] = "Alice's summary."
    save_rows(path, alice.columns, alice_rows, alice.fingerprint, backup_root=backups)

    bob_rows = [dict(r) for r in bob.rows]
    bob_rows[1]["summary"] = "Bob's summary."
    del bob_rows[-1]
    with pytest.raises(ConflictError):
        save_rows(path, bob.columns, bob_rows, bob.fingerprint, backup_root=backups)
    on_disk = read_events(data_root)
    assert on_disk[0]["summary"] == "Alice's summary."
    assert on_disk[1]["summary"] == bob.rows[1]["summary"]  # Bob's edit not written...
    assert bob_rows[1]["summary"] == "Bob's summary."  # ...and not lost either

    disk = read_snapshot(path, EVENT_COLUMNS)
    merge = merge_rows(bob.rows, bob_rows, disk.rows, disk.columns)
    assert merge.conflicts == ()
    save_rows(path, disk.columns, merge.rows(), disk.fingerprint, backup_root=backups)

    merged = read_events(data_root)
    assert merged[0]["summary"] == "Alice's summary."
    assert merged[1]["summary"] == "Bob's summary."
    assert [r["id"] for r in merged] == [r["id"] for r in bob.rows[:-1]]
    assert load_dataset(data_root).events.rejected == []


def test_backups_keep_the_last_ten_versions(tmp_path):
    path = tmp_path / "events.csv"
    backup_root = tmp_path / ".backups"
    current = write_csv(path, rows("a=0"))
    for n in range(1, 13):
        current = save_rows(
            path, COLUMNS, rows(f"a={n}"), current, backup_root=backup_root
        ).fingerprint
    kept = list_backups(backup_root, path)
    assert len(kept) == KEEP_BACKUPS == 10
    assert kept[0].parent == backup_root / "events.csv"
    # The newest backup is the version the last save replaced; the oldest two were pruned.
    assert [p.read_text().splitlines()[1] for p in kept] == [f"a,{n}," for n in range(2, 12)]
    for p in kept:
        assert re.fullmatch(r"\d{8}T\d{12}Z-[0-9a-f]{12}\.csv", p.name)
        assert p.name.split("-")[1][:12] == fingerprint(p)[:12]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EACCES, "no permission"),
        (errno.EROFS, "read-only"),
    ],
)
def test_a_failed_write_says_why_and_leaves_the_file_unchanged(tmp_path, monkeypatch, code, words):
    path = tmp_path / "t.csv"
    base = write_csv(path, rows("a=1"))

    def refuse(target, text):
        raise OSError(code, "simulated", str(target))

    monkeypatch.setattr(saving, "atomic_write_bytes", refuse)
    with pytest.raises(SaveError, match=words) as caught:
        save_rows(path, COLUMNS, rows("a=2"), base, backup_root=tmp_path / ".b")
    assert "not changed" in str(caught.value)
    assert fingerprint(path) == base


def test_a_save_waits_for_the_lock_and_gives_up_with_a_message(tmp_path):
    path = tmp_path / "t.csv"
    base = write_csv(path, rows("a=1"))
    # flock locks belong to open file descriptions: a second open in this process conflicts
    # just as another process would.
    with file_lock(path):
        with pytest.raises(SaveError, match="another save"):
            save_text(path, "x\n", base, backup_root=tmp_path / ".b", lock_timeout_s=0.2)
    assert fingerprint(path) == base
    save_text(path, "id\n", base, backup_root=tmp_path / ".b")  # released: saves now
    assert path.read_text() == "id\n"


# --- the events grid ---------------------------------------------------------------------------


def test_events_round_trip_through_the_editor_frame_unchanged(data_root):
    snap = read_snapshot(data_root / "events.csv", EVENT_COLUMNS)
    frame = events_to_frame(snap.rows, snap.columns)
    assert list(frame.index[:3]) == [1, 2, 3]
    back = events_from_frame(frame, snap.columns)
    assert [row for _, row in back] == [dict(r) for r in snap.rows]
    assert diff_rows(snap.rows, [row for _, row in back]).is_empty


def test_frame_edits_of_the_article_picker_rebuild_the_articles_cell():
    row = {c: "" for c in EVENT_NAMES} | {"id": "E1", "articles": "a;b"}
    frame = events_to_frame([row], EVENT_NAMES)
    assert frame.loc[1, FIRST_ARTICLE] == "a"
    assert frame.loc[1, MORE_ARTICLES] == "b"
    (_, same), = events_from_frame(frame, EVENT_NAMES)  # fmt: skip
    assert same["articles"] == "a;b"  # untouched: the original spelling is kept
    frame.loc[1, FIRST_ARTICLE] = "c"
    (_, changed), = events_from_frame(frame, EVENT_NAMES)  # fmt: skip
    assert changed["articles"] == "c; b"


def test_frame_rows_added_in_the_editor_become_text_and_blank_ones_vanish():
    frame = events_to_frame([], EVENT_NAMES)
    frame.loc[1] = [None] * len(frame.columns)  # a row added and left empty
    frame.loc[2] = [float("nan")] * len(frame.columns)
    frame.loc[2, "id"] = "  E9 "
    out = events_from_frame(frame, EVENT_NAMES)
    assert [(n, r["id"], r["summary"]) for n, r in out] == [(2, "E9", "")]


def test_pickers_keep_values_that_are_not_options():
    assert with_present(["a", "b"], ["b", "zz", "", "c"]) == ["a", "b", "c", "zz"]


# --- places ------------------------------------------------------------------------------------

GOOD_PLACE = {
    "id": "charikar",
    "name": "Charikar",
    "kind": "city",
    "lat": "35.01361",
    "lon": "69.17139",
    "precision": "town",
    "uncertainty_km": "3",
    "country": "AF",
    "source": "GeoNames 1148311",
}


def test_place_problems_use_the_loaders_words(data_root):
    existing = read_snapshot(data_root / "geodata" / "gazetteer.csv", PLACE_COLUMNS).rows
    assert place_problems(GOOD_PLACE, existing) == []
    bad = place_problems(GOOD_PLACE | {"lat": "95", "source": ""}, existing)
    assert {(p.column, p.message) for p in bad} == {
        ("lat", "'95' is not a latitude"),
        ("source", "is empty"),
    }
    dup = place_problems(GOOD_PLACE | {"id": "kabul"}, existing)
    assert [p.message for p in dup] == ["there is already a place with id 'kabul'"]
    # Fixing kabul itself is not a duplicate; sharing a name with another place is a warning.
    fix = place_problems(GOOD_PLACE | {"id": "kabul", "variants": "Bazarak"}, existing, "kabul")
    assert [(p.severity, p.message) for p in fix] == [("warning", "'Bazarak' also names 'bazarak'")]


def test_upsert_replaces_in_place_or_appends():
    table = rows("a=1", "b=2")
    assert upsert_row(table, {"id": "b", "name": "B"}, "b")[1] == {"id": "b", "name": "B"}
    assert upsert_row(table, {"id": "c", "name": "3"})[-1]["id"] == "c"
    assert table == rows("a=1", "b=2")  # not mutated


def test_place_row_from_a_candidate_keeps_source_and_precision():
    candidate = Candidate(
        "Chārīkār", 35.013611, 69.171389, "town", "town", "GeoNames 1148311 (CC BY 4.0)",
        country="AF", geonames_id="1148311", uncertainty_km=2.0,
    )  # fmt: skip
    row = place_row(
        candidate, name="Charikar", variants=["Charikar", "Tcharikar"], existing_ids={"kabul"}
    )
    assert row["id"] == "charikar"
    assert (row["lat"], row["lon"], row["precision"], row["uncertainty_km"]) == (
        "35.01361", "69.17139", "town", "2",
    )  # fmt: skip
    assert row["source"] == "GeoNames 1148311 (CC BY 4.0)"
    assert row["variants"] == "Tcharikar"  # the name itself is not repeated as a variant


# --- articles ----------------------------------------------------------------------------------

TEXT = "Taliban claim Panjshir\n\nFighting was reported in Bazarak on Sunday. Nothing else.\n"


def test_article_problems_reuse_the_loaders_rules(data_root):
    ids = load_articles(data_root / "articles")[0]
    ok = article_row("new-one", published_from=dt.date(2021, 9, 6))
    assert article_problems(ok, TEXT, ids) == []
    assert ok["published_to"] == "2021-09-06"
    taken = article_problems(ok | {"id": "lions-hold-line"}, TEXT, ids)
    assert "already exists" in taken[0].message
    assert article_problems(ok | {"id": "New One"}, TEXT, ids)[0].message == (
        "'New One' is not a valid article id"
    )
    backwards = ok | {"published_from": "2021-09-07"}
    assert [p.message for p in article_problems(backwards, TEXT, ids)] == [
        "is before published_from"
    ]
    assert [p.message for p in article_problems(ok, "  \n", ids)] == [
        "articles/new-one.txt is empty"
    ]


def test_add_article_writes_text_and_row_and_refuses_an_existing_id(data_root):
    folder = data_root / "articles"
    row = article_row("new-one", published_from=dt.date(2021, 9, 6))
    add_article(folder, row, TEXT, backup_root=data_root / ".backups")
    articles, problems = load_articles(folder)
    assert articles["new-one"].text == TEXT
    assert articles["new-one"].published_to == dt.date(2021, 9, 6)
    assert [p for p in problems if p.severity == "error"] == []
    before = (folder / "articles.csv").read_bytes()
    with pytest.raises(SaveError, match="already exists"):
        add_article(folder, row, "other text", backup_root=data_root / ".backups")
    assert (folder / "new-one.txt").read_text() == TEXT
    assert (folder / "articles.csv").read_bytes() == before


@pytest.mark.parametrize(
    "marked, cell",
    [
        ([], ""),
        ([(3, 3)], "3"),
        ([(9, 9), (3, 4), (5, 6)], "3-6;9"),  # as the loader reads it: merged and sorted
    ],
)
def test_article_row_writes_the_marked_lines_as_the_boilerplate_cell(marked, cell):
    assert article_row("new-one", boilerplate=marked)["boilerplate"] == cell


CAPTIONED = (
    "Resistance holds Bazarak\n"
    "Fighters said they still held Bazarak on Sunday.\n"
    "Fighters in Bazarak (Image: Agency)\n"
    "Kabul was quiet, residents said.\n"
)


def test_an_added_articles_boilerplate_lines_are_not_searched_for_places(fixture_root):
    from lib.data.boilerplate import propose_boilerplate

    folder = fixture_root / "articles"
    proposed = propose_boilerplate(CAPTIONED)
    assert proposed == [(3, 3, "image caption")]
    row = article_row("holds-bazarak", boilerplate=[(s, e) for s, e, _ in proposed])
    assert article_problems(row, CAPTIONED, []) == []
    add_article(folder, row, CAPTIONED, backup_root=fixture_root / ".backups")
    data = load_dataset(fixture_root)
    article = data.articles["holds-bazarak"]
    assert article.text == CAPTIONED  # the text stays as pasted
    assert article.boilerplate == ((3, 3),)
    mentions = find_mentions(article, Matcher.from_gazetteer(data.gazetteer))
    lines = [CAPTIONED[: m.start].count("\n") + 1 for m in mentions]
    assert lines == [1, 2, 4]  # Bazarak, Bazarak, Kabul; not the caption's Bazarak


def test_add_article_removes_the_text_again_when_the_row_cannot_be_saved(data_root, monkeypatch):
    folder = data_root / "articles"
    before = (folder / "articles.csv").read_bytes()

    def disk_full(*args, **kwargs):
        raise SaveError("Could not save articles/articles.csv: the disk is full.")

    monkeypatch.setattr(corpus, "save_locked", disk_full)
    row = article_row("new-one")
    with pytest.raises(SaveError, match="disk is full"):
        add_article(folder, row, TEXT, backup_root=data_root / ".backups")
    assert not (folder / "new-one.txt").exists()
    assert (folder / "articles.csv").read_bytes() == before


# --- drafting events from an article -----------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], ["E001", "E002"]),
        (["E001", "E041", "X7", "E9"], ["E042", "E043"]),
        (["E0999"], ["E1000", "E1001"]),
    ],
)
def test_next_event_ids(existing, expected):
    assert next_event_ids(existing, 2) == expected


def test_one_line_summary_fits_200_characters():
    long = "word " * 100 + "\nsecond line"
    short = one_line(long)
    assert len(short) <= 200 and short.endswith("…") and "\n" not in short
    assert one_line("  a\n b  ") == "a b"


def test_drafts_validate_once_the_editor_picks_an_event_type(data_root):
    data = load_dataset(data_root)
    article = data.articles["rebels-clash-last-region"]
    sentences = sentences_with_places(
        find_mentions(article, Matcher.from_gazetteer(data.gazetteer))
    )
    drafts = draft_events(article, sentences[:3], [e.id for e in data.events.events])
    last = max(int(e.id[1:]) for e in data.events.events if e.id[1:].isdigit())
    assert [d["id"] for d in drafts] == [f"E{last + n:03d}" for n in (1, 2, 3)]
    first = drafts[0]
    assert first["date"] == article.published_from.isoformat()
    assert (first["date_precision"], first["status"]) == ("approximate", "reported")
    assert first["quote"] == sentences[0].sentence
    assert first["places"] == "; ".join(sentences[0].place_ids)
    assert len(first["summary"]) <= 200
    # As drafted, only the event type is missing; with it, the loader accepts every draft.
    from lib.data.events import validate_rows

    table = validate_rows(list(enumerate(drafts, start=2)), data.context)
    assert {(p.column, p.message) for p in table.problems} == {
        ("event_type", "'' is not an event type")
    }
    completed = [d | {"event_type": "clash"} for d in drafts]
    assert validate_rows(list(enumerate(completed, start=2)), data.context).problems == []


def test_suggested_places_are_in_the_region_and_not_in_the_gazetteer(data_root):
    data = load_dataset(data_root)
    text = (
        "Fighting reached Paryan and Charikar on Monday, the Taliban said. "
        "Kabul was quiet. In Bazarak, residents fled."
    )
    without_bazarak = Gazetteer({k: v for k, v in data.gazetteer.places.items() if k != "bazarak"})
    mentions = find_mentions(load_articles_article(text), Matcher.from_gazetteer(without_bazarak))
    found = suggest_places(text, without_bazarak, mentions)
    # Paryan is the Panjshir district (no longer Faryab in Iran); Kabul is in the gazetteer.
    assert [(r.query, r.place.name) for r in found] == [
        ("Paryan", "Parīān"),
        ("Charikar", "Charikar"),
        ("Bazarak", "Bāzārak"),
    ]


def load_articles_article(text: str):
    from lib.data.articles import Article

    return Article(id="new", file="new.txt", text=text)


# --- preview map -------------------------------------------------------------------------------


def test_preview_map_is_offline_and_escapes_labels():
    markers = [
        PreviewMarker(35.0, 69.2, "<script>alert(1)</script>", "added", 5.0),
        PreviewMarker(35.3, 69.5, "E2 at Bazarak", "changed"),
    ]
    html = preview_map(markers).get_root().render()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("L.circleMarker(") == 2
    assert html.count("L.circle(") == 1  # the area of uncertainty of the first marker
    assert not re.search(r"""src=["']https?://""", html)
    assert "/app/static/vendor/leaflet" in html


def test_snapshot_is_immutable():
    snap = Snapshot(Path("x"), "x", ("id",), (), None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.fingerprint = "y"  # type: ignore[misc]


def test_load_events_reads_what_save_rows_writes(data_root):
    snap = read_snapshot(data_root / "events.csv", EVENT_COLUMNS)
    target = data_root / "copy.csv"
    save_rows(target, snap.columns, snap.rows, None, backup_root=data_root / ".b")
    data = load_dataset(data_root)
    again = load_events(target, data.context)
    assert [e.id for e in again.events] == [e.id for e in data.events.events]


def test_a_save_removes_temporary_files_left_by_a_crashed_save(tmp_path):
    path = tmp_path / "t.csv"
    base = write_csv(path, rows("a=1"))
    old = tmp_path / ".t.csv.crashed.tmp"
    fresh = tmp_path / ".t.csv.someone-writing-now.tmp"
    other = tmp_path / ".other.csv.x.tmp"
    for temp in (old, fresh, other):
        temp.write_text("partial")
    stale = time.time() - STALE_TEMP_S - 60
    os.utime(old, (stale, stale))
    os.utime(other, (stale, stale))
    save_rows(path, COLUMNS, rows("a=2"), base, backup_root=tmp_path / ".b")
    assert not old.exists()
    assert fresh.exists()  # may belong to a writer that is still running
    assert other.exists()  # another file's business


# --- the file's own format, interrupted saves, temporary files -----------------------------------


def test_a_crlf_file_keeps_its_line_endings_and_bom_on_save(tmp_path):
    # Regression: a save rewrote a CRLF file with LF line ends, a whole-file diff in git.
    path = tmp_path / "t.csv"
    path.write_bytes(b'\xef\xbb\xbfid,a\r\nx,"two\nlines"\r\ny,2\r\n')
    snap = read_snapshot(path, [Column("id", True, ""), Column("a", False, "")])
    assert (snap.newline, snap.bom) == ("\r\n", True)
    rows = [dict(r) for r in snap.rows]
    rows[1]["a"] = "3"
    save_bytes(path, snap.encode(rows), snap.fingerprint, backup_root=tmp_path / ".b")
    # Only the changed row differs; the line break inside the quoted value is kept as it was.
    assert path.read_bytes() == b'\xef\xbb\xbfid,a\r\nx,"two\nlines"\r\ny,3\r\n'


def test_an_lf_file_stays_lf(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"id,a\nx,1\n")
    snap = read_snapshot(path, [Column("id", True, ""), Column("a", False, "")])
    assert snap.encode(snap.rows) == b"id,a\nx,1\n"


def test_an_orphan_text_of_an_interrupted_add_is_an_error_until_recovered(data_root):
    folder = data_root / "articles"
    (folder / "half-done.txt").write_text("Headline\n\nText.\n")
    (folder / ".add-half-done.pending").write_text('{"id": "half-done", "file": "half-done.txt"}')
    (problem,) = interrupted_saves(data_root)
    assert (problem.file, problem.column, problem.severity) == (
        "articles/half-done.txt",
        "file",
        "error",
    )
    assert "interrupted save of Add article" in problem.message
    from lib.commands.check import main as check_main

    assert check_main(["--root", str(data_root)]) == 1  # lib.commands.check fails on it
    # A text dropped in by hand (no marker) is still only the loader's warning.
    (folder / "by-hand.txt").write_text("Headline\n")
    assert len(interrupted_saves(data_root)) == 1

    done = recover_articles(folder, data_root / ".backups")
    assert "set aside" in done[0]
    assert not (folder / "half-done.txt").exists()
    assert list((data_root / ".backups" / "interrupted").glob("*-half-done.txt"))
    assert interrupted_saves(data_root) == []
    assert check_main(["--root", str(data_root)]) == 0  # so the 1 above was the orphan's
    add_article(folder, article_row("half-done"), "Again\n",
                backup_root=data_root / ".backups")  # fmt: skip
    assert (folder / "half-done.txt").read_text() == "Again\n"


def test_temporary_files_of_killed_saves_are_removed_at_start(data_root):
    import os as _os

    old = data_root / ".events.csv.abc123.tmp"
    old.write_bytes(b"x" * 1000)
    _os.utime(old, (1, 1))
    fresh = data_root / "geodata" / ".gazetteer.csv.def456.tmp"
    fresh.write_bytes(b"y")
    backup_temp = data_root / ".backups" / "events.csv" / ".x.csv.ghi.tmp"
    backup_temp.parent.mkdir(parents=True)
    backup_temp.write_bytes(b"z")
    _os.utime(backup_temp, (1, 1))
    assert clean_temps(data_root) == 2
    assert not old.exists() and not backup_temp.exists()
    assert fresh.exists()  # may belong to a writer that is running now


def test_a_temp_file_whose_save_holds_the_lock_is_kept(data_root):
    import os as _os

    temp = data_root / ".events.csv.abc123.tmp"
    temp.write_bytes(b"x")
    _os.utime(temp, (1, 1))
    with file_lock(data_root / "events.csv"):
        assert clean_temps(data_root) == 0
    assert temp.exists()
