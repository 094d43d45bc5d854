"""The review list of an article's drafts (lib.editing.review_list), on the fixture data."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.data.dataset import load_dataset
from lib.data.mentions import Matcher, find_mentions
from lib.data.schema import EVENT_COLUMNS
from lib.editing import review_list as rl
from lib.editing.drafting import sentences_with_places
from lib.editing.snapshot import Snapshot, read_snapshot
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit


@pytest.fixture
def data():
    return load_dataset(FIXTURE_DATA, today=dt.date(2026, 1, 1))


@pytest.fixture
def review(data):
    article = data.articles["kabul-talks"]
    clauses = sentences_with_places(
        find_mentions(article, Matcher.from_gazetteer(data.gazetteer)), article
    )
    base = read_snapshot(FIXTURE_DATA / "events.csv", EVENT_COLUMNS, "events.csv")
    return rl.open_list(article, clauses, base)


def test_each_card_takes_the_next_line_of_events_csv_and_a_drop_moves_the_others_up(review):
    first, second, third, _ = review.cards
    assert [rl.line_of(review, c.key) for c in review.cards] == [7, 8, 9, 10]  # 5 rows + header
    second.state = rl.DROPPED
    assert rl.line_of(review, second.key) is None
    assert rl.line_of(review, third.key) == 8


def test_problems_name_the_file_line_and_field_as_the_grid_does(review, data):
    problems = rl.card_problems(review, data.context)
    (error,) = [p for p in problems[review.cards[2].key] if p.severity == "error"]
    assert rl.where(error).startswith("events.csv, line 9, field 'event_type': ")
    review.cards[2].row["event_type"] = "civilian_harm"
    assert not [p for p in rl.card_problems(review, data.context)[review.cards[2].key]
                if p.severity == "error"]  # fmt: skip


def test_only_accepted_cards_are_saved_with_the_state_they_were_accepted_as(review):
    first, second, third, fourth = review.cards
    first.state, first.accept_as = rl.ACCEPTED, "ready"
    fourth.state = rl.ACCEPTED
    second.state = rl.DROPPED
    rows = rl.rows_to_save(review)
    assert [r["id"] for r in rows[-2:]] == [first.id, fourth.id]
    assert [r["review"] for r in rows[-2:]] == ["ready", "draft"]
    assert len(rows) == len(review.base.rows) + 2
    left = rl.after_save(review, review.base)
    assert [c.key for c in left.cards] == [third.key]  # the open one stays


def test_an_approval_cannot_come_through_the_list(review):
    review.cards[0].state, review.cards[0].accept_as = rl.ACCEPTED, "approved"
    assert rl.rows_to_save(review)[-1]["review"] == "draft"


def test_rebasing_renumbers_a_draft_whose_id_someone_else_took(review):
    disk = read_snapshot(FIXTURE_DATA / "events.csv", EVENT_COLUMNS, "events.csv")
    taken = [*disk.rows, {**disk.rows[0], "id": "E002"}]
    moved = Snapshot(disk.path, disk.label, disk.columns, tuple(taken), "other")
    assert rl.rebase(review, moved) == [("E002", "E005")]
    assert [c.id for c in review.cards] == ["E001", "E005", "E003", "E004"]
    assert review.base is moved
