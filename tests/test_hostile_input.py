"""Hostile input, as an attacker or a careless editor would write it (issue 14).

Three parts: invalid files whose every message names its row (the line in the spreadsheet)
and, where one applies, its column; memory that stays linear for megabyte cells; and pages
(AppTest) that never raise, never show a traceback and show hostile text as text.
"""

from __future__ import annotations

import os
import re
import shutil
import tracemalloc
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.commands import check
from lib.data.articles import load_articles
from lib.data.dataset import REPO_ROOT, load_dataset
from lib.data.events import Context, load_events
from lib.data.gazetteer import NAME_MAX, load_gazetteer
from lib.data.mentions import build_index
from lib.data.problems import Problem
from lib.data.text import escape, markdown_escape
from tests.support.hostile import (
    ARTICLE,
    LINK,
    LIVE,
    PAYLOAD,
    assert_page_survived,
    csv_line,
    fields_of,
    markdown_sources,
    poison,
)
from ui import guard
from ui.view import MAP_PAINTED

pytestmark = pytest.mark.apptest

EVENTS = (REPO_ROOT / "events.csv").read_text(encoding="utf-8").splitlines()
PLACES = (REPO_ROOT / "geodata" / "gazetteer.csv").read_text(encoding="utf-8").splitlines()
META = (REPO_ROOT / "articles" / "articles.csv").read_text(encoding="utf-8").splitlines()
MB = 1024 * 1024


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A private copy of the data, the app pointed at it."""
    shutil.copytree(REPO_ROOT / "articles", tmp_path / "articles")
    shutil.copytree(REPO_ROOT / "geodata", tmp_path / "geodata")
    shutil.copy(REPO_ROOT / "events.csv", tmp_path / "events.csv")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    return tmp_path


def first_rows(lines: list[str], n: int = 6) -> list[str]:
    """The header and the next n-1 lines: a few good rows (none of them multi-line)."""
    return list(lines[:n])


def with_cell(line: str, column: int, value: str) -> str:
    """``line`` (one CSV row) with its ``column``-th field replaced by ``value``."""
    fields = fields_of(line)
    fields[column] = value
    return csv_line(fields)


def assert_located(problems: list[Problem]) -> None:
    """Every message names its row, or the line when it is about the file's bytes."""
    for p in problems:
        file_level = p.message in ("the file is empty",) or p.message.startswith(
            ("cannot read the file", "the folder")
        )
        assert p.row is not None or "line" in p.message or file_level, str(p)


def events_problems(tmp_path: Path, text: str):
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    data = load_dataset(REPO_ROOT)
    return load_events(path, Context(data.gazetteer, data.articles))


EVENT_COL = {name: i for i, name in enumerate(EVENTS[0].split(","))}


def _event_case(name):
    rows = first_rows(EVENTS)
    if name == "bad-date":
        rows[3] = with_cell(rows[3], EVENT_COL["date"], "2021-13-45")
        return rows, (4, "date", "not a date")
    if name == "unknown-place":
        rows[2] = with_cell(rows[2], EVENT_COL["places"], "atlantis")
        return rows, (3, "places", "unknown place 'atlantis'")
    if name == "misspelled-header":
        rows[0] = rows[0].replace("date_precision", "date_precison")
        return rows, (1, "date_precision", "'date_precison' (column 3) looks like a misspelling of")
    if name == "misspelled-optional-header":
        rows[0] = rows[0].replace("contests", "contest")
        return rows, (1, "contest", "unknown column (column 14)")
    if name == "duplicated-column":
        rows[0] = rows[0].replace("contests", "summary")
        return rows, (1, "summary", "columns 11 and 14")
    if name == "stray-quote":
        rows[4] = rows[4].replace(",", ',x"y"z,', 1).replace('x"y"z,', '"x"y', 1)
        return rows, (5, None, "broken quoting on line 5")
    if name == "short-row":
        rows[2] = ",".join(rows[2].split(",")[:5])
        return rows, (3, "event_type", "no value for")  # the first column left without a value
    if name == "megabyte-cell":
        rows[2] = with_cell(rows[2], EVENT_COL["quote"], "x" * MB)
        return rows, (3, "quote", "a cell holds at most 65,536")
    if name == "control-character":
        rows[5] = with_cell(rows[5], EVENT_COL["actors"], "Taliban\x00")
        return rows, (6, "actors", "control characters")
    raise AssertionError(name)


@pytest.mark.parametrize(
    "case",
    [
        "bad-date",
        "unknown-place",
        "misspelled-header",
        "misspelled-optional-header",
        "duplicated-column",
        "stray-quote",
        "short-row",
        "megabyte-cell",
        "control-character",
    ],
)
def test_an_invalid_events_file_names_row_and_column(tmp_path, case):
    rows, (row, column, words) = _event_case(case)
    table = events_problems(tmp_path, "\n".join(rows) + "\n")
    assert_located(table.problems)
    matching = [p for p in table.problems if words in str(p)]
    assert matching, [str(p) for p in table.problems]
    assert (matching[0].row, matching[0].column) == (row, column)


@pytest.mark.parametrize(
    "opened",
    [
        lambda line: line.replace(",", ',"', 1),  # opened at the start of the second field
        lambda line: line + ',"',  # opened at the end of the line: runs into the next rows
        lambda line: line.rsplit(",", 1)[0] + ',"',  # opened in the last field
    ],
    ids=["second-field", "end-of-line", "last-field"],
)
def test_an_unclosed_quote_swallows_no_row_silently(tmp_path, opened):
    """Regression: a quote left open in one row made the next row (E007) vanish unreported."""
    rows = first_rows(EVENTS, 9)
    rows[3] = opened(rows[3])  # row 4
    table = events_problems(tmp_path, "\n".join(rows) + "\n")
    assert_located(table.problems)
    broken = [p for p in table.problems if "quot" in p.message and p.row == 4]
    assert broken, [str(p) for p in table.problems]
    # Every other row still loads: none was read into row 4's open quote.
    assert {e.row for e in table.events} == {2, 3, 5, 6, 7, 8, 9}, [str(p) for p in table.problems]


def test_a_duplicated_column_is_an_error_not_the_last_copy(tmp_path):
    rows = first_rows(EVENTS)
    rows[0] = rows[0].replace("contests", "summary")
    table = events_problems(tmp_path, "\n".join(rows) + "\n")
    assert table.events == []
    (dupe,) = [p for p in table.problems if "more than once" in p.message]
    assert dupe.severity == "error" and dupe.column == "summary"


PLACE_COL = {name: i for i, name in enumerate(PLACES[0].split(","))}


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("name", "N" * (NAME_MAX + 1), f"a name has at most {NAME_MAX}"),
        ("variants", "Ok; " + "V" * (NAME_MAX + 1), f"a name has at most {NAME_MAX}"),
        ("not_in", "W" * (NAME_MAX + 1), f"a name has at most {NAME_MAX}"),
        ("name", "x" * MB, "a cell holds at most 65,536"),
        ("lat", "north", "not a latitude"),
    ],
    ids=["long-name", "long-variant", "long-not-in", "megabyte-name", "bad-lat"],
)
def test_an_invalid_gazetteer_row_names_row_and_column(tmp_path, column, value, words):
    rows = first_rows(PLACES)
    rows[2] = with_cell(rows[2], PLACE_COL[column], value)
    path = tmp_path / "gazetteer.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    gazetteer, problems = load_gazetteer(path)
    assert_located(problems)
    assert [(p.row, p.column) for p in problems if words in p.message] == [(3, column)]
    assert len(gazetteer.places) == len(rows) - 2  # the others load


def test_the_edit_places_form_refuses_an_over_long_name():
    """Regression: the form accepted a 100,000-character name without a word."""
    from lib.editing.forms import place_problems

    header = fields_of(PLACES[0])
    row = dict(zip(header, fields_of(PLACES[2]), strict=True))
    assert not [p for p in place_problems(row, []) if p.severity == "error"]
    for name in ("N" * (NAME_MAX + 1), "N" * 100_000):
        problems = place_problems(dict(row, name=name), [])
        assert [p.column for p in problems if p.severity == "error"] == ["name"]


def _article_dir(tmp_path: Path, file_value: str) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(REPO_ROOT / "articles", folder)
    rows = list(META)
    first = rows[1].split(",")[1]
    rows[1] = rows[1].replace(first, file_value.replace('"', '""'), 1)
    if any(ch in file_value for ch in ',"\n'):
        rows[1] = rows[1].replace(file_value, f'"{file_value}"', 1)
    (folder / first).unlink()  # the real text is gone: only the hostile value could load it
    (folder / "articles.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("file_value", "words"),
    [
        ("lions\x00.txt", "control characters"),
        ("l" * 300 + ".txt", "at most 255"),
        ("sub.txt", "is a directory"),
        ("../events.csv", "is not a file name in articles/"),
        ("/etc/hostname", "is not a file name in articles/"),
        ("link.txt", "is a symbolic link"),
        ("articles.csv", "is the metadata table itself"),  # regression (issue 21)
        ("fifo.txt", "is not a regular file"),
    ],
    ids=["nul", "too-long", "directory", "parent", "absolute", "symlink", "metadata", "fifo"],
)
def test_a_hostile_article_file_value_is_a_problem_not_a_crash(tmp_path, file_value, words):
    folder = _article_dir(tmp_path, file_value)
    (folder / "sub.txt").mkdir()
    (folder / "link.txt").symlink_to("/etc/hostname")
    os.mkfifo(folder / "fifo.txt")  # reading it would block the server forever
    articles, problems = load_articles(folder)
    assert_located([p for p in problems if p.severity == "error" and p.row is not None])
    assert [(p.row, p.column) for p in problems if words in p.message][:1] == [(2, "file")]
    assert "lions-hold-line" not in articles
    assert len(articles) == len(META) - 2  # the other articles load
    assert check.main(["--root", str(tmp_path)]) == 1  # reported, not raised


def test_a_symlink_dropped_into_articles_is_not_served(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(REPO_ROOT / "articles", folder)
    (folder / "hostname.txt").symlink_to("/etc/hostname")
    articles, problems = load_articles(folder)
    assert "hostname" not in articles
    assert any("hostname.txt is a symbolic link" in p.message for p in problems)


@pytest.mark.parametrize(
    "where", ["events.csv", "geodata/gazetteer.csv", "articles/articles.csv", "articles"]
)
def test_a_directory_or_file_in_the_wrong_place_is_a_clear_problem(data_dir, where):
    target = data_dir / where
    if target.is_dir():
        shutil.rmtree(target)
        target.write_text("not a folder", encoding="utf-8")
    else:
        target.unlink()
        target.mkdir()
    data = load_dataset(data_dir)
    messages = [str(p) for p in data.problems]
    expected = "the folder is not a directory" if where == "articles" else "it is a directory"
    assert any(expected in m for m in messages), messages
    assert not any(str(data_dir) in m for m in messages)  # no server path in what readers see
    assert check.main(["--root", str(data_dir)]) == 1


# --- memory: linear in the input, whatever its shape ------------------------------------------


def peak_mb(work) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def test_a_megabyte_place_name_never_reaches_the_mention_matcher(tmp_path):
    """Regression: a 1 MB place name once cost the matcher 23 GB (prefixes of every name)."""
    rows = first_rows(PLACES)
    rows[2] = with_cell(rows[2], PLACE_COL["name"], "Shotul" + "x" * MB)
    rows[3] = with_cell(rows[3], PLACE_COL["variants"], "y" * MB)
    path = tmp_path / "gazetteer.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    articles, _ = load_articles(REPO_ROOT / "articles")
    found = {}

    def work():
        found["gazetteer"], found["problems"] = load_gazetteer(path)
        found["index"] = build_index(articles.values(), found["gazetteer"])

    peak = peak_mb(work)
    assert max(len(key) for key in found["gazetteer"].keys()) <= NAME_MAX
    assert {(p.row, p.column) for p in found["problems"]} >= {(3, "name"), (4, "variants")}
    assert peak < 64, f"{peak:.0f} MB for 2 MB of input"


@pytest.mark.parametrize("column", ["quote", "summary", "places", "id"])
def test_a_megabyte_event_cell_costs_linear_memory(tmp_path, column):
    rows = first_rows(EVENTS)
    rows[2] = with_cell(rows[2], EVENT_COL[column], "z" * MB)
    text = "\n".join(rows) + "\n"
    data = load_dataset(REPO_ROOT)
    ctx = Context(data.gazetteer, data.articles)
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    out = {}
    peak = peak_mb(lambda: out.setdefault("table", load_events(path, ctx)))
    assert [(p.row, p.column) for p in out["table"].problems] == [(3, column)]
    assert peak < 64, f"{peak:.0f} MB for 1 MB of input"


# --- pages: never raise, never a traceback, hostile text shown as text -------------------------


def run_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(f"../{page}", default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.session_state[MAP_PAINTED] = True  # the main page whole, as after its map's first paint
    return at.run()


def _break(data_dir: Path, how: str) -> None:
    events = data_dir / "events.csv"
    if how == "header-only-events":
        events.write_text(EVENTS[0] + "\n", encoding="utf-8")
    elif how == "events-is-a-directory":
        events.unlink()
        events.mkdir()
    elif how == "no-events-file":
        events.unlink()
    elif how == "gazetteer-is-a-directory":
        (data_dir / "geodata" / "gazetteer.csv").unlink()
        (data_dir / "geodata" / "gazetteer.csv").mkdir()
    elif how == "articles-is-a-file":
        shutil.rmtree(data_dir / "articles")
        (data_dir / "articles").write_text("x", encoding="utf-8")
    elif how == "nul-in-article-file":
        meta = data_dir / "articles" / "articles.csv"
        meta.write_text(
            meta.read_text(encoding="utf-8").replace("lions-hold-line.txt", "a\x00.txt"), "utf-8"
        )
    elif how == "unclosed-quote":
        events.write_text("\n".join(EVENTS[:3] + ['E9,"open'] + EVENTS[3:8]) + "\n", "utf-8")
    else:
        raise AssertionError(how)


BROKEN = [
    "header-only-events",
    "events-is-a-directory",
    "no-events-file",
    "gazetteer-is-a-directory",
    "articles-is-a-file",
    "nul-in-article-file",
    "unclosed-quote",
]


@pytest.mark.parametrize("how", BROKEN)
def test_the_articles_page_survives_broken_data(data_dir, how):
    """Regression: with no event loaded the Articles page threw KeyError: 'date'."""
    _break(data_dir, how)
    at = run_page("pages/1_Articles.py")
    assert_page_survived(at)
    if how != "articles-is-a-file":
        assert at.selectbox(key="articles.pick").value  # an article is still shown
    if how != "header-only-events":  # a valid file: nothing to report
        problems = "".join(t.value for t in at.text)
        assert "row" in problems or "cannot read" in problems or "folder" in problems


@pytest.mark.parametrize("how", ["header-only-events", "events-is-a-directory", "unclosed-quote"])
def test_screenshot_mode_survives_broken_data(data_dir, how):
    _break(data_dir, how)
    assert_page_survived(run_page("pages/2_Screenshot_mode.py"))


def test_the_config_hides_tracebacks_from_readers():
    import tomllib

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_an_unexpected_error_shows_one_line_and_is_logged(tmp_path, caplog):
    script = tmp_path / "page.py"
    script.write_text(
        "import streamlit as st\nfrom ui import guard\n"
        "with guard.page('the test'):\n    st.write('before')\n    {}['boom']\n"
        "st.write('after')\n",
        encoding="utf-8",
    )
    with caplog.at_level("ERROR", logger="newsmap.pages"):
        at = AppTest.from_file(str(script)).run()
    assert not at.exception
    (error,) = at.error
    assert error.value.startswith(f"{guard.MESSAGE} the test.") and "boom" not in error.value
    assert [m.value for m in at.markdown] == ["before"]  # the page stopped at the error
    reference = re.search(r"reference ([0-9a-f]+)", error.value).group(1)
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


# --- Markdown injection through the data and the URL -------------------------------------------


def assert_shown_as_text(at: AppTest, payload_count: int) -> None:
    sources = markdown_sources(at)
    assert not [s for s in sources if LIVE.search(s)], [s for s in sources if LIVE.search(s)]
    escaped = markdown_escape(LINK)
    assert sum(s.count(escaped) for s in sources) >= payload_count, sources
    html = "".join(h.proto.body for h in at.html)
    assert '<a href="http://evil' not in html and "<img" not in html


def test_hostile_data_shows_as_text_on_the_articles_page(data_dir):
    poison(data_dir)
    at = run_page("pages/1_Articles.py", {"article": ARTICLE})
    assert_page_survived(at)
    assert not [p for p in load_dataset(data_dir).problems if p.severity == "error"]
    # outlet, evidence, reasoning, notes, and the place name in "Places named"
    assert_shown_as_text(at, 5)


def test_hostile_link_parameters_show_as_text_on_the_articles_page(data_dir):
    at = run_page("pages/1_Articles.py", {"article": PAYLOAD, "place": PAYLOAD})
    assert_page_survived(at)
    assert_shown_as_text(at, 2)


HOSTILE_PARAMS = {"claimant": LINK, "type": LINK, "place": LINK, "to": LINK}


def test_hostile_link_parameters_show_as_text_in_screenshot_mode(data_dir):
    at = run_page("pages/2_Screenshot_mode.py", HOSTILE_PARAMS)
    assert_page_survived(at)
    assert_shown_as_text(at, 4)


def test_hostile_data_and_link_parameters_show_as_text_on_the_dashboard(data_dir):
    poison(data_dir)
    at = run_page("dashboard.py", {**HOSTILE_PARAMS, "place": "shotul"})
    assert_page_survived(at)
    # The main screen renders data and link notes as escaped HTML (st.html), not Markdown.
    sources = markdown_sources(at)
    assert not [s for s in sources if LIVE.search(s) or LINK in s], sources
    html = "".join(h.proto.body for h in at.html)
    assert html.count(escape(LINK)) >= 2  # the ignored link parameter and the place's name
    assert '<a href="http://evil' not in html and "<img" not in html and "\u202e" not in html
