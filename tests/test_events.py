"""Event validation: every message names file, row, column, what is wrong and how to fix it."""

import datetime as dt

import pytest

from lib.data import csvio
from lib.data.dataset import load_dataset
from lib.data.events import contest_groups, parse_casualties, validate_rows
from lib.data.schema import EVENT_COLUMNS
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

COLUMNS = [c.name for c in EVENT_COLUMNS]


@pytest.fixture(scope="module")
def data():
    return load_dataset(FIXTURE_DATA, today=dt.date(2026, 1, 1))


def good_row(**changes):
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        {
            "id": "T1",
            "date": "2021-08-31",
            "date_precision": "approximate",
            "places": "shotul; bazarak",
            "event_type": "attack",
            "actors": "Taliban",
            "claimant": "Bazarak fighters",
            "status": "claimed",
            "summary": "The Taliban attack from Shotul.",
            "articles": "valley-attack",
            "quote": "they had repelled an attack from Shotul",
        }
    )
    row.update(changes)
    return row


def check(data, **changes):
    table = validate_rows([(2, good_row(**changes))], data.context)
    return table, {p.column: p for p in table.problems}


def test_a_good_row_loads(data):
    table, problems = check(data)
    assert problems == {} and len(table.events) == 1
    assert table.events[0].places == ("shotul", "bazarak")


@pytest.mark.parametrize(
    "column, value, message, hint",
    [
        ("date", "02/09/2021", "'02/09/2021' is not a date", "YYYY-MM-DD"),
        ("date", "2021-9-2", "is not a date", "YYYY-MM-DD"),
        ("date", "2121-09-02", "out of range", "check the year"),
        (
            "date",
            "2021-09-20",
            "after 'valley-attack' was published",
            "cannot report a later event",
        ),
        ("date_precision", "roughly", "not a date precision", "day, approximate"),
        ("places", "Shutul", "is a name, not a gazetteer id", "shotul"),
        ("places", "Shotol Valley", "unknown place 'Shotol Valley'", "did you mean"),
        ("event_type", "battle", "not an event type", "clash"),
        ("status", "rumoured", "not a status", "reported"),
        ("claimant", "", "is empty but the status is 'claimed'", "who makes the claim"),
        ("casualties", "many dead", "three words", "34 killed taliban"),
        ("casualties", "9-3 killed taliban", "end is below its start", ""),
        ("casualties", "3 killed aliens", "'aliens' is not one of", ""),
        ("summary", "x" * 201, "201 characters", "under 200"),
        ("articles", "no-such-article", "unknown article", "known:"),
        (
            "quote",
            "words nobody wrote",
            "is not in the article 'valley-attack'",
            "copy the words exactly",
        ),
        ("id", "T 1", "not a valid id", "E042"),
        ("summary", "bell\x07", "control characters \\x07", "invisible"),
    ],
)
def test_bad_values_are_explained(data, column, value, message, hint):
    table, problems = check(data, **{column: value})
    assert table.events == [] and len(table.rejected) == 1  # kept aside, not dropped
    problem = problems[column]
    assert (problem.file, problem.row) == ("events.csv", 2)
    assert message in problem.message
    assert hint in problem.hint
    assert str(problem).startswith("events.csv, row 2, column ")


def test_hostile_markup_is_kept_as_text(data):
    table, problems = check(data, summary="<img src=x onerror=alert(1)>")
    assert problems == {}
    assert table.events[0].summary == "<img src=x onerror=alert(1)>"


def test_one_bad_row_does_not_stop_the_others(data):
    rows = [(2, good_row(id="A")), (3, good_row(id="B", date="yesterday")), (4, good_row(id="C"))]
    table = validate_rows(rows, data.context)
    assert [e.id for e in table.events] == ["A", "C"]
    assert [r for r, _ in table.rejected] == [3]


def test_duplicate_ids_and_dangling_contests(data):
    rows = [(2, good_row(id="A", contests="Z")), (3, good_row(id="A"))]
    table = validate_rows(rows, data.context)
    by_row = {(p.row, p.column): p for p in table.problems}
    assert "duplicate id 'A' (also row 2)" in by_row[(3, "id")].message
    assert by_row[(2, "contests")].severity == "warning"


def test_malformed_csv_reports_and_keeps_good_rows(tmp_path, data):
    header = ",".join(COLUMNS) + "\n"
    good = ",".join(f'"{good_row()[c]}"' for c in COLUMNS) + "\n"
    path = tmp_path / "events.csv"
    path.write_bytes((header + good + "E2,too,few\n" + good.replace("T1", "T3")).encode())
    from lib.data.events import load_events

    table = load_events(path, data.context)
    assert [e.id for e in table.events] == ["T1", "T3"]
    assert any(p.row == 3 and "fields but the header has" in p.message for p in table.problems)


def test_missing_column_is_a_file_problem(tmp_path, data):
    from lib.data.events import load_events

    path = tmp_path / "events.csv"
    path.write_text(csvio.write([c for c in COLUMNS if c != "quote"], [good_row()]))
    table = load_events(path, data.context)
    assert table.events == []
    assert "missing column(s): quote" in table.problems[0].message


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("34 killed taliban; 65 wounded taliban", [(34, 34), (65, 65)]),
        ("7-8 killed taliban", [(7, 8)]),
        ("40+ captured taliban", [(40, None)]),
        ("dozens killed taliban", [(None, None)]),
    ],
)
def test_casualty_figures_keep_what_was_claimed(cell, expected):
    figures, errors = parse_casualties(cell)
    assert errors == []
    assert [(f.low, f.high) for f in figures] == expected


def test_the_fixture_events_all_load(data):
    assert data.problems == []
    assert data.events.rejected == []


def test_contested_claims_are_tied_together_both_ways():
    events = validate_rows(
        [
            (2, good_row(id="A", contests="B")),
            (3, good_row(id="B")),
            (4, good_row(id="C", contests="B")),
            (5, good_row(id="D")),
        ],
        load_dataset(FIXTURE_DATA).context,
    ).events
    groups = contest_groups(events)
    # one-way links still group both ways, and transitively
    assert groups["B"] == {"A", "C"} and groups["A"] == {"B", "C"}
    assert groups["D"] == set()


@pytest.mark.parametrize("column", ["places", "articles"])
def test_a_list_cell_of_separators_only_is_empty(data, column):
    # Regression: a cell of ';' passed the required check (it is not blank) and the row
    # loaded with no place or no article, which the map cannot draw or quote.
    table, problems = check(data, **{column: " ; "})
    assert not table.events and problems[column].message == "is empty"
