"""The editorial checks (lib.data.checks) over the small fixture data set in tests/fixtures/data."""

import datetime as dt
import re
import shutil

import pytest

from lib.commands import check
from lib.data import csvio
from lib.data.checks import ERRORS, WARNINGS, check_events, check_rows, names_a_day, numbers_in
from lib.data.dataset import load_dataset
from lib.data.events import validate_rows
from lib.data.schema import EVENT_COLUMNS
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

COLUMNS = [c.name for c in EVENT_COLUMNS]


@pytest.fixture(scope="module")
def data():
    return load_dataset(FIXTURE_DATA, today=dt.date(2026, 1, 1))


def fixture_rows():
    table = csvio.read(FIXTURE_DATA / "events.csv", COLUMNS[:1], COLUMNS[1:])
    return [(row_no, dict(row)) for row_no, row in table.rows]


def edited_rows(changes=None, extra=None):
    """The fixture's ``(CSV row number, row)`` pairs with ``changes`` ({id: {column: value}})
    and ``extra`` rows appended, numbered as they would be in the file."""
    rows = fixture_rows()
    for _, row in rows:
        row.update((changes or {}).get(row["id"], {}))
    first_extra = len(rows) + 2
    for i, row in enumerate(extra or []):
        rows.append((first_extra + i, {**dict.fromkeys(COLUMNS, ""), **row}))
    return rows


def run(data, changes=None, extra=None):
    """Check the fixture events with ``changes`` ({id: {column: value}}) and ``extra`` rows."""
    rows = edited_rows(changes, extra)
    table = validate_rows(rows, data.context)
    assert not table.rejected, [str(p) for p in table.problems]
    return check_events(table.events, data.context)


def test_the_fixture_passes_every_check(data):
    assert run(data) == []


EXTRA_ATTACK = {
    "id": "F006",
    "date": "2021-08-31",
    "date_precision": "approximate",
    "places": "shotul",
    "event_type": "attack",
    "claimant": "Bazarak fighters",
    "status": "claimed",
    "summary": "Another copy of the attack.",
    "articles": "valley-attack",
    "quote": "they had repelled an attack from Shotul",
}
EXTRA_CLAIM = {
    "id": "F006",
    "date": "2021-09-01",
    "date_precision": "approximate",
    "places": "bazarak",
    "event_type": "casualty_claim",
    "claimant": "A commander",
    "status": "claimed",
    "casualties": "12 killed taliban; 2 killed nrf",
    "summary": "The same claim again.",
    "articles": "kabul-talks",
    "quote": "his men had killed 12 and lost two",
    "place_basis": "as F002",
}


@pytest.mark.parametrize(
    "changes, extra, code, row, column",
    [
        # "the talks failed" is in the article but does not say Kabul
        (
            {"F004": {"quote": "but the talks failed"}},
            None,
            "quote-names-no-place",
            5,
            "place_basis",
        ),
        ({"F002": {"place_basis": ""}}, None, "quote-names-no-place", 3, "place_basis"),
        (
            {"F002": {"casualties": "13 killed taliban"}},
            None,
            "figure-not-in-quote",
            3,
            "casualties",
        ),
        (
            {"F002": {"casualties": "dozens killed nrf"}},
            None,
            "figure-not-in-quote",
            3,
            "casualties",
        ),
        (
            {"F002": {"casualties": "12-14 killed nrf"}},
            None,
            "figure-not-in-quote",
            3,
            "casualties",
        ),
        ({"F004": {"date_basis": ""}}, None, "day-not-in-basis", 5, "date_precision"),
        (
            {"F004": {"date_basis": "reported in the week"}},
            None,
            "day-not-in-basis",
            5,
            "date_precision",
        ),
        # kabul-talks was published on 2 or 3 Sep: its 'yesterday' is no day
        ({"F004": {"date_basis": "'yesterday'"}}, None, "day-not-in-basis", 5, "date_precision"),
        ({"F003": {"event_type": "denial", "status": "claimed"}}, None, "type-status", 4, "status"),
        ({"F005": {"status": "denied", "claimant": "x"}}, None, "type-status", 6, "event_type"),
        ({"F003": {"contests": ""}}, None, "contest-one-way", 4, "contests"),
        ({"F001": {"contests": ""}}, None, "contest-one-way", 2, "contests"),
        (
            {"F004": {"event_type": "denial", "status": "denied", "claimant": "Taliban"}},
            None,
            "denial-without-rival",
            5,
            "contests",
        ),
        (None, [EXTRA_ATTACK], "duplicate-quote", 7, "quote"),
        (None, [EXTRA_CLAIM], "duplicate-claim", 7, "casualties"),
        (
            {"F005": {"acknowledged": "duplicate-quotes"}},
            None,
            "unknown-acknowledgement",
            6,
            "acknowledged",
        ),
    ],
)
def test_each_check_catches_its_case(data, changes, extra, code, row, column):
    problems = run(data, changes, extra)
    found = [p for p in problems if p.code == code]
    assert [(p.row, p.column) for p in found] == [(row, column)], [str(p) for p in problems]
    assert found[0].severity == ("warning" if code in WARNINGS else "error")
    assert found[0].file == "events.csv" and found[0].message and found[0].hint


@pytest.mark.parametrize(
    "changes, extra",
    [
        (
            {
                "F004": {
                    "quote": "but the talks failed",
                    "place_basis": "'Negotiators met in Kabul'",
                }
            },
            None,
        ),
        ({"F002": {"casualties": "12 killed taliban"}}, None),
        ({"F004": {"date_basis": "1 Sep"}}, None),
        # valley-attack's day is known (1 Sep), so its 'yesterday' is a day
        ({"F002": {"date_basis": "'yesterday'"}}, None),
        ({"F003": {"event_type": "denial", "status": "disputed"}}, None),
        (None, [{**EXTRA_ATTACK, "acknowledged": "duplicate-quote"}]),
        (None, [{**EXTRA_CLAIM, "acknowledged": "duplicate-claim"}]),
        # three days apart is no longer 'nearby'
        ({"F002": {"date": "2021-08-29", "date_basis": "'Sunday'"}}, [EXTRA_CLAIM]),
    ],
)
def test_a_fixed_or_acknowledged_row_passes(data, changes, extra):
    assert [str(p) for p in run(data, changes, extra)] == []


def test_a_warning_tells_how_to_acknowledge_it(data):
    (problem,) = [p for p in run(data, extra=[EXTRA_ATTACK]) if p.code == "duplicate-quote"]
    assert "F001" in problem.message and "'duplicate-quote' to 'acknowledged'" in problem.hint


def test_every_code_is_documented():
    from tests.support.docs import documentation

    docs = documentation()
    for code in [*ERRORS, *WARNINGS]:
        assert f"| `{code}` |" in docs, code


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("killed 34 and wounded 65", {34, 65}),
        ("seven or eight Taliban", {7, 8}),
        ("three hundred and fifty fighters", {350}),
        ("170,000 valley residents", {170000}),
        ("thirty-four men", {34}),
        ("a dozen men", {12}),
        ("hundreds of fighters", set()),  # a word, not a number: checked as 'hundreds'
        ("no figure here", set()),
    ],
)
def test_numbers_in(text, numbers):
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    "basis, day_known, expected",
    [
        ("'on Tuesday night'", False, True),
        ("photo caption 'September 1, 2021'", False, True),
        ("'on 15 Aug'", False, True),
        ("2021-08-30", False, True),
        ("'yesterday'", True, True),
        ("'yesterday'", False, False),
        ("'this week'", True, False),
        ("undated", True, False),
        ("", True, False),
    ],
)
def test_names_a_day(basis, day_known, expected):
    from lib.data.articles import Article

    day = dt.date(2021, 9, 2)
    article = Article(
        "a", "a.txt", "x", published_from=day, published_to=day if day_known else None
    )
    assert names_a_day(basis, article) is expected


def test_each_repeating_row_is_warned_once_naming_an_earlier_one(data):
    second = {**EXTRA_ATTACK, "id": "F007", "quote": "repelled an attack"}
    problems = [p for p in run(data, extra=[EXTRA_ATTACK, second]) if p.code == "duplicate-quote"]
    assert [p.row for p in problems] == [7, 8]
    assert "F001" in problems[0].message
    assert "F001" in problems[1].message or "F006" in problems[1].message


def test_the_checks_name_the_file_they_are_given(data):
    rows = fixture_rows()
    rows[3][1]["date_basis"] = ""
    table = validate_rows(rows, data.context)
    (problem,) = check_events(table.events, data.context, label="your edits")
    assert problem.file == "your edits" and problem.code == "day-not-in-basis"


# --- check_rows: what the Edit events page shows as the editor types --------------------------


def test_check_rows_of_the_fixture_is_empty(data):
    assert check_rows(fixture_rows(), data.context) == []


@pytest.mark.parametrize(
    "changes, extra, codes",
    [
        # an editorial error on a row that passes the schema
        ({"F004": {"quote": "but the talks failed"}}, None, ["quote-names-no-place"]),
        # a schema error: the row is rejected, so its editorial checks do not run
        ({"F004": {"quote": "but the talks failed", "date": "2021-13-45"}}, None, [""]),
        # a problem found across rows, reported on the other row
        ({"F003": {"contests": ""}}, None, ["contest-one-way"]),
        # a warning, with how to acknowledge it
        (None, [EXTRA_ATTACK], ["duplicate-quote"]),
        # an acknowledged warning is silent in both
        (None, [{**EXTRA_ATTACK, "acknowledged": "duplicate-quote"}], []),
    ],
)
def test_check_rows_says_what_lib_check_says_of_the_saved_file(
    data, tmp_path, capsys, changes, extra, codes
):
    rows = edited_rows(changes, extra)
    root = shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    (root / "events.csv").write_text(
        csvio.write(COLUMNS, [row for _, row in rows]), encoding="utf-8"
    )
    code = check.main(["--root", str(root)])
    printed = capsys.readouterr()
    on_rows = re.compile(r"^(warning: )?events\.csv, row \d+")
    said = [line for line in (printed.err + printed.out).splitlines() if on_rows.match(line)]
    shown = check_rows(rows, data.context)
    assert [p.code for p in shown] == codes
    assert sorted(str(p) for p in shown) == sorted(said)
    assert code == (1 if any(p.severity == "error" for p in shown) else 0)


def test_check_rows_gives_a_rows_schema_problems_before_its_editorial_ones_in_row_order(data):
    rows = edited_rows(
        {
            # row 3: a schema warning (a rival that does not exist) and an editorial error
            "F002": {"casualties": "13 killed taliban", "contests": "F099"},
            # F001 (row 2) contests F003, which no longer contests back: said on row 4
            "F003": {"contests": ""},
        },
        # row 7: a schema error, so its duplicate quote is not checked
        [{**EXTRA_ATTACK, "summary": ""}],
    )
    shown = check_rows(rows, data.context)
    assert [(p.row, p.column, p.code) for p in shown] == [
        (3, "contests", ""),
        (3, "casualties", "figure-not-in-quote"),
        (4, "contests", "contest-one-way"),
        (7, "summary", ""),
    ]
