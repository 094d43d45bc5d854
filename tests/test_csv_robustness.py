"""The CSV loaders take what spreadsheets write and never crash on what they cannot read.

Example-based tests for each spreadsheet habit, then property-based tests (hypothesis) that feed
lib.data.csvio + lib.data.events.validate_rows and lib.data.gazetteer random and hostile input: they never
raise, every problem is located (file, row, column, message), and the good rows still load.
Three loader bugs these tests found (a huge cell crashed the reader, week dates passed as
dates, rows after a blank line were misnumbered) are fixed; their tests stay as regressions.
"""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.data import csvio
from lib.data.dataset import load_dataset
from lib.data.events import Context, load_events, validate_rows
from lib.data.gazetteer import load_gazetteer
from lib.data.problems import Problem
from lib.data.schema import EVENT_COLUMNS, PLACE_COLUMNS

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
DATA = load_dataset(REPO)  # read-only: the repository's own data, the context of every row
CTX = Context(DATA.gazetteer, DATA.articles)
EVENT_NAMES = [c.name for c in EVENT_COLUMNS]
REQUIRED = [c.name for c in EVENT_COLUMNS if c.required]
OPTIONAL = [c.name for c in EVENT_COLUMNS if not c.required]
PLACE_NAMES = [c.name for c in PLACE_COLUMNS]
GOOD_EVENTS = [row for _, row in csvio.read(REPO / "events.csv", REQUIRED, OPTIONAL).rows]
GOOD_PLACES = [
    row
    for _, row in csvio.read(
        REPO / "geodata" / "gazetteer.csv",
        [c.name for c in PLACE_COLUMNS if c.required],
        [c.name for c in PLACE_COLUMNS if not c.required],
    ).rows
]


def spreadsheet_csv(rows, columns, *, bom=False, crlf=True, quote_all=False) -> bytes:
    """CSV bytes the way a spreadsheet saves them.

    Written by hand rather than with csv.writer: with an LF terminator csv.writer leaves a lone
    CR unquoted, which no spreadsheet does (and which does split the row when read back).
    """

    def field(value: str) -> str:
        if quote_all or any(ch in value for ch in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value

    end = "\r\n" if crlf else "\n"
    lines = [",".join(field(c) for c in columns)]
    lines += [",".join(field(row.get(c, "")) for c in columns) for row in rows]
    data = (end.join(lines) + end).encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data


def load(data: bytes, tmp_path: Path):
    path = tmp_path / "events.csv"
    path.write_bytes(data)
    return load_events(path, CTX)


# --- what spreadsheets write -------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {"bom": True, "crlf": True},  # Excel "CSV UTF-8": BOM and CRLF
        {"bom": False, "crlf": True},  # LibreOffice on Windows
        {"bom": True, "crlf": False},
        {"bom": False, "crlf": False, "quote_all": True},  # Google Sheets quotes everything
    ],
    ids=["bom-crlf", "crlf", "bom-lf", "quote-all"],
)
def test_every_spreadsheet_flavour_loads_every_row(tmp_path, options):
    table = load(spreadsheet_csv(GOOD_EVENTS, EVENT_NAMES, **options), tmp_path)
    assert [p for p in table.problems if p.severity == "error"] == []
    assert [e.id for e in table.events] == [r["id"] for r in GOOD_EVENTS]
    assert table.header[0] == "id"  # not "\ufeffid"


def test_quoted_fields_keep_their_commas_quotes_and_line_breaks(tmp_path):
    row = dict(GOOD_EVENTS[0])
    row["date_basis"] = 'first line, with a comma\nsecond line with "quotes"'
    table = load(spreadsheet_csv([row, *GOOD_EVENTS[1:3]], EVENT_NAMES), tmp_path)
    assert len(table.events) == 3
    assert table.events[0].date_basis == row["date_basis"].replace("\r\n", "\n")
    # A multi-line cell is one spreadsheet row: the next record is still row 3.
    bad = dict(GOOD_EVENTS[1], date="2021-13-01")
    table = load(spreadsheet_csv([row, bad], EVENT_NAMES), tmp_path)
    assert [(p.row, p.column) for p in table.problems if p.severity == "error"] == [(3, "date")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            spreadsheet_csv([dict(GOOD_EVENTS[0], actors="Café owners")], EVENT_NAMES)
            .decode()
            .encode("cp1252"),  # Excel's plain "CSV" on Windows
            "not valid UTF-8",
        ),
        ("id,date\r\n".encode("utf-16"), "not valid UTF-8"),  # Excel's "Unicode text"
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "not valid UTF-8"),  # an .xlsx
        (b"", "the file is empty"),
        (b"\r\n\r\n", "the file is empty"),
        (b"id,date,places\r\nE1,2021-09-01,kabul\r\n", "missing column(s): date_precision"),
        (spreadsheet_csv(GOOD_EVENTS[:2], EVENT_NAMES) + b'E9,"unclosed\r\n', "malformed"),
    ],
    ids=["cp1252", "utf-16", "xlsx", "empty", "blank-lines", "missing-columns", "stray-quote"],
)
def test_what_cannot_be_read_gets_a_message_not_a_stack_trace(tmp_path, data, message):
    table = load(data, tmp_path)
    assert any(message in p.message for p in table.problems), [str(p) for p in table.problems]
    assert all(p.file == "events.csv" for p in table.problems)


def test_the_undecodable_bytes_are_located_by_line(tmp_path):
    data = spreadsheet_csv(GOOD_EVENTS[:3], EVENT_NAMES, crlf=False)
    lines = data.split(b"\n")
    lines[3] = lines[3] + b" caf\xe9"
    table = load(b"\n".join(lines), tmp_path)
    assert table.problems[0].message == "the file is not valid UTF-8 (first bad byte on line 4)"
    assert "CSV UTF-8" in table.problems[0].hint


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
    ],
)
def test_formula_and_html_strings_are_plain_text_and_round_trip(tmp_path, value):
    row = dict(GOOD_EVENTS[0], actors=value, date_basis=value)
    table = load(spreadsheet_csv([row], EVENT_NAMES), tmp_path)
    assert table.events[0].actors == (value,)
    assert table.events[0].date_basis == value
    again = csvio.parse(csvio.write(EVENT_NAMES, [row]), "events.csv", REQUIRED, OPTIONAL)
    assert again.rows[0][1]["actors"] == value


# --- loader bugs found by these tests, fixed (regression tests) ---------------------------------


def test_a_huge_cell_is_a_problem_not_a_crash():
    text = ",".join(EVENT_NAMES) + "\r\nE1," + "x" * 200_000 + "\r\n"
    table = csvio.parse(text, "events.csv", REQUIRED, OPTIONAL)
    assert table.rows or table.problems


def test_a_week_date_is_not_accepted_as_a_date():
    row = dict(GOOD_EVENTS[0], date="2021-W33-7")
    table = validate_rows([(2, row)], CTX)
    assert [p.column for p in table.problems] == ["date"]


def test_row_numbers_count_blank_lines_like_a_spreadsheet():
    good = spreadsheet_csv(GOOD_EVENTS[:1], EVENT_NAMES).decode()
    text = good + "\r\n" + "E9,2021-13-01\r\n"  # spreadsheet rows: 1 header, 2, 3 blank, 4
    table = csvio.parse(text, "events.csv", REQUIRED, OPTIONAL)
    assert [p.row for p in table.problems] == [4]


# --- property-based: random and hostile input --------------------------------------------------

HOSTILE = st.one_of(
    st.text(max_size=60),  # any unicode, including NUL and control characters
    st.sampled_from(
        [
            "=1+1",
            "=cmd|' /C calc'!A0",
            "@SUM(A1)",
            "+1",
            "-1",
            "<script>alert(1)</script>",
            "</td><img src=x onerror=alert(1)>",
            '"',
            '""',
            'a"b',
            '"unbalanced',
            "\x00",
            "a\x00b",
            "\r",
            "\r\n",
            "\n\n",
            ",,,",
            ";;;",
            "\ufeff",
            "\u202e",  # right-to-left override
            "nan",
            "NaN",
            "None",
            "2021-02-30",
            "0000-00-00",
            "9999-12-31",
        ]
    ),
)
# Huge, but under csv's field limit (beyond it is the known bug above). At most one per row, to
# keep the test fast: the loader's cost is per character either way.
HUGE = "<b>" + "x" * 100_000 + "</b>"


def hostile_row(names: list[str]):
    """A row of hostile values, one of them (sometimes) huge."""
    return st.tuples(
        st.fixed_dictionaries({c: HOSTILE for c in names}),
        st.one_of(st.none(), st.sampled_from(names)),
    ).map(lambda pair: pair[0] | ({pair[1]: HUGE} if pair[1] else {}))


def located(problems: list[Problem], file: str) -> None:
    """Every problem says where (file, row, column) and what, so an editor can act on it."""
    for p in problems:
        assert p.file == file
        assert isinstance(p.message, str) and p.message.strip()
        assert p.row is None or (isinstance(p.row, int) and p.row >= 1)
        assert p.column is None or isinstance(p.column, str)
        assert p.severity in ("error", "warning")
        assert str(p)


FAST = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(st.binary(max_size=4000))
def test_random_bytes_never_crash_the_events_loader(data):
    text, problems = csvio.decode(data, "events.csv")
    table = csvio.parse(text, "events.csv", REQUIRED, OPTIONAL)
    events = validate_rows(table.rows, CTX)
    located(problems + table.problems + events.problems, "events.csv")


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_random_text_never_crashes_the_events_loader(text):
    header = ",".join(EVENT_NAMES) + "\n"
    table = csvio.parse(header + text, "events.csv", REQUIRED, OPTIONAL)
    events = validate_rows(table.rows, CTX)
    located(table.problems + events.problems, "events.csv")


@st.composite
def mixed_events(draw):
    """Good rows (real events, fresh ids) and hostile rows in a well-formed CSV, in any order."""
    good = [
        dict(GOOD_EVENTS[i], id=f"GOOD-{n}", contests="")
        for n, i in enumerate(
            draw(st.lists(st.integers(0, len(GOOD_EVENTS) - 1), min_size=1, max_size=6))
        )
    ]
    hostile = draw(
        st.lists(
            hostile_row(EVENT_NAMES).filter(lambda r: not r["id"].strip().startswith("GOOD-")),
            max_size=4,
        )
    )
    rows = draw(st.permutations(good + hostile))
    options = draw(st.fixed_dictionaries({"bom": st.booleans(), "crlf": st.booleans()}))
    return good, rows, spreadsheet_csv(rows, EVENT_NAMES, **options)


@FAST
@given(mixed_events())
def test_hostile_rows_are_set_aside_and_the_good_rows_load(case):
    good, rows, data = case
    text, problems = csvio.decode(data, "events.csv")
    table = csvio.parse(text, "events.csv", REQUIRED, OPTIONAL)
    result = validate_rows(table.rows, CTX)
    located(problems + table.problems + result.problems, "events.csv")
    assert problems == []  # our own UTF-8 encoding must always decode
    loaded = {e.id for e in result.events}
    assert {r["id"] for r in good} <= loaded
    for row_no, _ in result.rejected:  # every row set aside says why, on its own row
        assert any(p.row == row_no and p.severity == "error" for p in result.problems)
    non_blank = [r for r in rows if any(str(v).strip() for v in r.values())]
    assert len(result.events) + len(result.rejected) == len(non_blank)


@st.composite
def mixed_places(draw):
    picked = st.lists(st.sampled_from(GOOD_PLACES), unique_by=lambda p: p["id"], min_size=1)
    good = [dict(p) for p in draw(picked)]
    good_ids = {p["id"] for p in good}
    hostile = draw(
        st.lists(
            hostile_row(PLACE_NAMES).filter(lambda r: r["id"].strip() not in good_ids),
            max_size=4,
        )
    )
    rows = draw(st.permutations(good + hostile))
    return good, spreadsheet_csv(rows, PLACE_NAMES, bom=draw(st.booleans()))


@FAST
@given(mixed_places())
def test_hostile_gazetteer_rows_never_crash_and_good_places_load(case):
    good, data = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gazetteer.csv"
        path.write_bytes(data)
        gazetteer, problems = load_gazetteer(path)
    located(problems, "geodata/gazetteer.csv")
    assert {p["id"] for p in good} <= set(gazetteer.places)


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash_the_gazetteer_loader(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gazetteer.csv"
        path.write_bytes(data)
        _, problems = load_gazetteer(path)
    located(problems, "geodata/gazetteer.csv")
