"""Issue 20's blind spots: each planted in a copy of the fixture data, each now reported.

A planted article ('front-claims', published Friday 3 Sep 2021) gives numbers that count other
things ("6 sides") and figures for both sides; a second ('front-repeats') repeats the claim with
the claimant spelled out. Row G001 is right in every field; each case changes one thing.
"""

import datetime as dt
import shutil
import subprocess
import sys

import pytest

from lib.data import csvio
from lib.data.checks import check_events
from lib.data.dataset import REPO_ROOT, load_dataset
from lib.data.events import validate_rows
from lib.data.schema import EVENT_COLUMNS
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

COLUMNS = [c.name for c in EVENT_COLUMNS]

CLAIMS = (
    "Front claims gains\n"
    "The National Resistance Front said on Thursday that attacks from 6 sides were repelled "
    "and 34 Taliban were killed while 3 resistance fighters died near Bazarak.\n"
    "A spokesman said the Taliban had retreated from Shotul.\n"
    "Officials said several people were killed and 21 Taliban fighters were wounded in Bazarak.\n"
)
REPEATS = (
    "Front repeats its claims\n"
    "The Front repeated that 34 Taliban were killed and 3 of its fighters died near Bazarak.\n"
    "A Front spokesman said again that the Taliban had retreated from Shotul.\n"
)
CLAIMANTS = "id,name,aliases,note\nnrf,National Resistance Front,NRF; the Front,\n"

G001 = {
    "id": "G001",
    "date": "2021-09-02",
    "date_precision": "day",
    "date_basis": "'on Thursday' in an article of Friday 3 Sep",
    "places": "bazarak",
    "event_type": "casualty_claim",
    "claimant": "NRF",
    "status": "claimed",
    "casualties": "34 killed taliban; 3 killed nrf",
    "summary": "The NRF says 34 Taliban and 3 of its fighters were killed near Bazarak.",
    "articles": "front-claims",
    "quote": "34 Taliban were killed while 3 resistance fighters died near Bazarak",
    "review": "approved",
}
RETREAT = {
    "id": "G002",
    "date": "2021-09-02",
    "date_precision": "approximate",
    "date_basis": "undated, in an article of Friday 3 Sep",
    "places": "shotul",
    "event_type": "territorial_claim",
    "claimant": "NRF spokesman",
    "status": "claimed",
    "summary": "An NRF spokesman says the Taliban retreated from Shotul.",
    "articles": "front-claims",
    "quote": "A spokesman said the Taliban had retreated from Shotul.",
    "review": "approved",
}


@pytest.fixture()
def root(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, root)
    (root / "articles" / "front-claims.txt").write_text(CLAIMS, encoding="utf-8")
    (root / "articles" / "front-repeats.txt").write_text(REPEATS, encoding="utf-8")
    with (root / "articles" / "articles.csv").open("a", encoding="utf-8") as handle:
        handle.write("front-claims,front-claims.txt,,,2021-09-03,2021-09-03,no,,,,,\n")
        handle.write("front-repeats,front-repeats.txt,,,2021-09-03,2021-09-03,no,,,,,\n")
    (root / "claimants.csv").write_text(CLAIMANTS, encoding="utf-8")
    return root


def problems(root, *rows):
    data = load_dataset(root, today=dt.date(2026, 1, 1))
    numbered = [(100 + i, {**dict.fromkeys(COLUMNS, ""), **row}) for i, row in enumerate(rows)]
    table = validate_rows(numbered, data.context)
    assert not table.rejected, [str(p) for p in table.problems]
    return check_events(table.events, data.context)


def codes(found):
    return sorted(p.code for p in found)


def test_the_planted_rows_are_right_as_written(root):
    assert [str(p) for p in problems(root, G001, RETREAT)] == []


@pytest.mark.parametrize(
    "changes, code",
    [
        # any non-empty place_basis used to switch the place check off
        ({"quote": "attacks from 6 sides were repelled", "place_basis": "x"}, "basis-unquoted"),
        (
            {"quote": "attacks from 6 sides were repelled", "place_basis": "'fighting near Kabul'"},
            "basis-not-in-article",
        ),
        (
            {"quote": "attacks from 6 sides were repelled", "place_basis": "'from 6 sides'"},
            "basis-names-no-place",
        ),
        # "6 sides" becomes "6 killed"
        (
            {
                "quote": "attacks from 6 sides were repelled and 34 Taliban were killed",
                "casualties": "6 killed taliban; 34 killed taliban",
            },
            "figure-kind",
        ),
        ({"casualties": "34 wounded taliban; 3 killed nrf"}, "figure-kind"),
        # the right numbers on the wrong sides
        ({"casualties": "34 killed nrf; 3 killed taliban"}, "figure-side"),
        # "on Thursday" on a Wednesday
        ({"date": "2021-09-01"}, "weekday-contradicts-date"),
        (
            {
                "date": "2021-09-01",
                "date_precision": "approximate",
                "date_basis": "reported in the week",
                "quote": "said on Thursday that attacks from 6 sides were repelled and 34 "
                "Taliban were killed while 3 resistance fighters died near Bazarak",
            },
            "weekday-contradicts-date",
        ),
    ],
)
def test_each_blind_spot_is_now_reported(root, changes, code):
    found = [p for p in problems(root, {**G001, **changes}) if p.code == code]
    assert found, code
    assert all(p.row == 100 and p.file == "events.csv" and p.hint for p in found)


def test_a_reported_row_that_is_one_partys_claim_is_warned(root):
    reported = {**RETREAT, "status": "reported", "claimant": ""}
    (found,) = [p for p in problems(root, reported) if p.code == "reported-but-claimed"]
    assert found.severity == "warning" and found.column == "status"
    acknowledged = {**reported, "acknowledged": "reported-but-claimed"}
    assert "reported-but-claimed" not in codes(problems(root, acknowledged))


def test_a_duplicate_claim_with_the_claimant_spelled_out_is_found(root):
    repeat = {
        **G001,
        "id": "G003",
        "claimant": "National Resistance Front",
        "articles": "front-repeats",
        "quote": "34 Taliban were killed and 3 of its fighters died near Bazarak",
    }
    (found,) = [p for p in problems(root, G001, repeat) if p.code == "duplicate-claim"]
    assert found.row == 101 and "G001" in found.message and found.severity == "warning"


def test_without_the_claimants_list_the_spellings_are_two_claimants(root):
    (root / "claimants.csv").unlink()
    repeat = {
        **G001,
        "id": "G003",
        "claimant": "National Resistance Front",
        "articles": "front-repeats",
        "quote": "34 Taliban were killed and 3 of its fighters died near Bazarak",
    }
    assert "duplicate-claim" not in codes(problems(root, G001, repeat))


def test_a_duplicate_claim_without_figures_is_found(root):
    repeat = {
        **RETREAT,
        "id": "G004",
        "claimant": "the Front",
        "articles": "front-repeats",
        "quote": "A Front spokesman said again that the Taliban had retreated from Shotul.",
    }
    (found,) = [p for p in problems(root, RETREAT, repeat) if p.code == "duplicate-claim"]
    assert found.row == 101 and "G002" in found.message


def test_two_claims_of_one_party_about_different_things_are_not_duplicates(root):
    other = {**RETREAT, "id": "G004", "places": "bazarak; shotul"}
    other.update(
        articles="front-repeats",
        quote="34 Taliban were killed and 3 of its fighters died near Bazarak",
        summary="The Front repeats its figures for Bazarak.",
        place_basis="",
    )
    assert "duplicate-claim" not in codes(problems(root, RETREAT, other))


def test_the_summary_says_duplicates_are_warnings_that_do_not_fail(root):
    rows = [{**dict.fromkeys(COLUMNS, ""), **r} for r in (G001, {**G001, "id": "G009"})]
    text = (root / "events.csv").read_text(encoding="utf-8")
    extra = csvio.write(COLUMNS, rows).split("\n", 1)[1]
    (root / "events.csv").write_text(text + extra, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "lib", "check", "--root", str(root)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert "0 error(s)" in last and "possible duplicates" in last
    assert "warnings do not fail the check" in last


@pytest.mark.parametrize(
    "quote, casualties",
    [
        # 'wounded' after its number, 'killed' before the next one: each read as its own
        (
            "several people were killed and 21 Taliban fighters were wounded in Bazarak",
            "several killed unknown; 21 wounded taliban",
        ),
        ("34 Taliban were killed while 3 resistance fighters died near Bazarak", None),
    ],
)
def test_figures_of_several_kinds_in_one_quote_are_read_right(root, quote, casualties):
    row = {**G001, "quote": quote, "casualties": casualties or G001["casualties"]}
    found = [p for p in problems(root, row) if p.code.startswith("figure-")]
    assert found == []
