"""Add article drafts an editor can trust (issue 20), from a fixture article written for this.

'later-days' is published on Sunday 5 Sep 2021 (a known day). Its headline and dateline name
places, one sentence holds two claimants who disagree, claims name no place, relative days
('Saturday', 'yesterday', 'last week') date them, and a file-photo caption and a newsletter box
are not reporting of this story.
"""

import csv
import datetime as dt
import shutil

import pytest

from lib.data import csvio
from lib.data.dataset import load_dataset
from lib.data.events import validate_rows
from lib.data.mentions import Matcher, find_mentions
from lib.editing.drafting import draft_events, sentences_with_places
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

TEXT = (
    "Taliban claim gains in Panjshir Valley as fighting spreads\n"
    "KABUL, Sept 5 (Wire) - Taliban fighters captured the Bazarak district centre on Saturday, "
    "a spokesman said.\n"
    "The Taliban said they had taken Shotul, but the NRF denied it.\n"
    "A commander said yesterday that 12 Taliban fighters were killed and 3 were captured.\n"
    "Massoud called on all Afghans to rise up against the Taliban.\n"
    "Fighting first reached Shotul last week.\n"
    "File photo: fighters in Bazarak, 2019\n"
    "Sign up to receive our newsletter\n"
)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    root = tmp_path_factory.mktemp("drafts") / "data"
    shutil.copytree(FIXTURE_DATA, root)
    (root / "articles" / "later-days.txt").write_text(TEXT, encoding="utf-8")
    meta = root / "articles" / "articles.csv"
    with meta.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = [*reader.fieldnames, "captions"], list(reader)
    # line 8 is a newsletter box; line 7 a caption (reporting in general, but a file photo)
    rows.append(
        {"id": "later-days", "file": "later-days.txt", "published_from": "2021-09-05",
         "published_to": "2021-09-05", "date_inferred": "no", "boilerplate": "8",
         "captions": "7"}
    )  # fmt: skip
    meta.write_text(csvio.write(columns, rows), encoding="utf-8")
    data = load_dataset(root, today=dt.date(2026, 1, 1))
    assert not [str(p) for p in data.problems if p.severity == "error"]
    article = data.articles["later-days"]
    items = sentences_with_places(
        find_mentions(article, Matcher.from_gazetteer(data.gazetteer)), article
    )
    rows = draft_events(article, items, [e.id for e in data.events.events])
    return data, {row["quote"]: row for row in rows}


def row_with(rows, words):
    (row,) = [r for q, r in rows.items() if words in q]
    return row


def test_headline_dateline_file_photo_and_furniture_are_not_drafts(drafted):
    _, rows = drafted
    quotes = " | ".join(rows)
    assert "Taliban claim gains" not in quotes  # the headline
    assert "File photo" not in quotes and "Sign up" not in quotes
    # the dateline's Kabul is where the story was filed, not a place of the event
    assert row_with(rows, "captured the Bazarak")["places"] == "bazarak"


def test_two_claimants_who_disagree_make_two_drafts(drafted):
    _, rows = drafted
    claim = row_with(rows, "they had taken Shotul")
    denial = row_with(rows, "the NRF denied it")
    assert claim["quote"] == "The Taliban said they had taken Shotul"
    assert (claim["claimant"], claim["event_type"], claim["status"]) == (
        "The Taliban",
        "territorial_claim",
        "claimed",
    )
    assert (denial["claimant"], denial["event_type"], denial["status"]) == (
        "the NRF",
        "denial",
        "denied",
    )


@pytest.mark.parametrize(
    "words, date, precision",
    [
        ("on Saturday", "2021-09-04", "day"),
        ("said yesterday", "2021-09-04", "day"),
        ("last week", "2021-08-29", "approximate"),
        # no day in the sentence: the publication day, approximate
        ("rise up", "2021-09-05", "approximate"),
    ],
)
def test_dates_come_from_the_sentences_own_words_with_their_basis(drafted, words, date, precision):
    _, rows = drafted
    row = row_with(rows, words)
    assert (row["date"], row["date_precision"]) == (date, precision)
    assert row["date_basis"]
    if precision == "day":
        assert "'" in row["date_basis"]  # it quotes the words it read


def test_claims_naming_no_place_get_the_main_place_marked_inferred(drafted):
    _, rows = drafted
    for words in ("rise up", "12 Taliban fighters", "the NRF denied it"):
        row = row_with(rows, words)
        assert row["places"] == "panjshir_valley", words  # the headline's place
        assert row["place_basis"].startswith("inferred")
        assert "'Panjshir Valley'" in row["place_basis"]


def test_figures_and_the_call_to_rise_up(drafted):
    _, rows = drafted
    figures = row_with(rows, "12 Taliban fighters")
    assert figures["casualties"] == "12 killed taliban; 3 captured unknown"
    assert (figures["event_type"], figures["claimant"]) == ("casualty_claim", "A commander")
    call = row_with(rows, "rise up")
    assert (call["event_type"], call["status"], call["claimant"]) == (
        "statement",
        "claimed",
        "Massoud",
    )


def test_every_draft_is_a_draft_and_loads_and_passes_its_basis_checks(drafted):
    data, rows = drafted
    numbered = list(enumerate(rows.values(), start=100))
    assert all(r["review"] == "draft" for _, r in numbered)
    table = validate_rows(numbered, data.context)
    assert [str(p) for p in table.problems if p.severity == "error"] == []
    from lib.data.checks import check_events

    basis = [p for p in check_events(table.events, data.context) if p.code.startswith("basis")]
    assert [str(p) for p in basis] == []
