"""A save writes what reads back, and a row swallowed by a stray quote is reported (issue 21).

Two red-team findings: a lone CR pasted into a summary was written unquoted (the app said
"Saved", then the map lost an event and the editor refused the file), and a quote opened in
one row's cell and closed in the same column of the next row made that next row vanish into
the cell while ``python -m lib check`` exited 0. On the small fixture data set.
"""

from __future__ import annotations

import csv
import io
import shutil
import tracemalloc
from pathlib import Path

import pytest

from lib.commands import check
from lib.data import csvio
from lib.data.dataset import load_dataset
from lib.data.mentions import build_index
from lib.data.schema import EVENT_COLUMNS, PLACE_COLUMNS
from lib.editing.forms import place_problems
from lib.editing.saving import save_bytes, save_rows
from lib.editing.snapshot import SaveError, read_snapshot, round_trip_problem
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

#: Every character some reader takes for a line break, alone and in the pairs people paste.
BREAKS = ["\r", "\n", "\r\n", "\u2028", "\u2029", "\x85", "\n\n", "\r\r"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE_DATA, tmp_path / "data"))


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf-file", "crlf-file"])
@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_a_line_break_pasted_into_a_cell_reads_back_after_a_save(root, brk, newline):
    """Regression: ``alpha\\rbeta`` in a summary was written unquoted and broke the file."""
    path = root / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", newline.encode()))
    snap = read_snapshot(path, EVENT_COLUMNS, "events.csv")
    rows = [dict(r) for r in snap.rows]
    rows[1]["summary"] = f"alpha{brk}beta"
    save_bytes(path, snap.encode_checked(rows), snap.fingerprint, backup_root=root / ".backups")
    again = read_snapshot(path, EVENT_COLUMNS, "events.csv")
    assert [dict(r) for r in again.rows] == rows
    assert not again.blocking, [str(p) for p in again.blocking]
    # The loader reads every row back; a summary is one line, so an LF there is that row's
    # own error (which the editor's grid shows before saving), and nothing else is.
    events = load_dataset(root)
    located = {(p.row, p.column) for p in events.problems if p.severity == "error"}
    assert located == ({(3, "summary")} if "\n" in brk else set()), [
        str(p) for p in events.problems
    ]


def test_bytes_that_would_not_read_back_are_refused_naming_row_and_column():
    # What the csv module writes for a lone CR with LF line ends: the CR is left unquoted.
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([["id", "summary"], ["E1", "alpha\rbeta"]])
    data = out.getvalue().encode()
    problem = round_trip_problem(
        ["id", "summary"], [{"id": "E1", "summary": "alpha\rbeta"}], data, "events.csv"
    )
    assert "row 2, column 'summary'" in problem
    assert round_trip_problem(
        ["id", "summary"], [{"id": "E1", "summary": "alpha\rbeta"}],
        csvio.write(["id", "summary"], [{"id": "E1", "summary": "alpha\rbeta"}]).encode(),
        "events.csv",
    ) == ""  # fmt: skip


def test_a_save_that_would_not_read_back_leaves_the_file_alone(root):
    path = root / "events.csv"
    before = path.read_bytes()
    snap = read_snapshot(path, EVENT_COLUMNS, "events.csv")
    rows = [dict(r) for r in snap.rows]
    rows.append({c: "" for c in snap.columns})  # an all-empty row reads back as no row
    with pytest.raises(SaveError, match="would not read back"):
        snap.encode_checked(rows)
    with pytest.raises(SaveError, match="would not read back"):
        save_rows(path, snap.columns, rows, snap.fingerprint, backup_root=root / ".b")
    assert path.read_bytes() == before


def _swallow(path: Path, column: str, row: int) -> tuple[int, int]:
    """Open a quote in ``column`` of data row ``row`` and close it in the same column of the
    next row, as a careless edit by hand does. Returns the two file lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    table = [next(csv.reader([line])) for line in lines]
    at = table[0].index(column)
    for n in (row, row + 1):
        # no other quote or comma on these two lines, so nothing else breaks
        table[n] = [c.replace('"', "").replace(",", ";") for c in table[n]]
    table[row][at] = '"' + table[row][at]
    table[row + 1][at] = table[row + 1][at] + '"'
    lines[row], lines[row + 1] = ",".join(table[row]), ",".join(table[row + 1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return row + 1, row + 2


@pytest.mark.parametrize(
    ("file", "column", "spec"),
    [
        ("events.csv", "summary", EVENT_COLUMNS),
        ("events.csv", "review", EVENT_COLUMNS),  # the last column
        ("geodata/gazetteer.csv", "note", PLACE_COLUMNS),
    ],
)
def test_a_row_swallowed_by_a_quote_is_reported_with_both_lines(root, capsys, file, column, spec):
    """Regression: E006 vanished into E005's cell and ``lib check`` exited 0."""
    path = root / file
    opened, closed = _swallow(path, column, 2)
    snap = read_snapshot(path, spec, file)
    (problem,) = [p for p in snap.problems if p.message.startswith(csvio.SWALLOWED)]
    assert (problem.row, problem.column) == (opened, column)
    assert f"opened on line {opened} is closed on line {closed}" in problem.message
    assert problem in snap.blocking  # the editor pages refuse to rewrite it
    assert check.main(["--root", str(root)]) == 1
    said = capsys.readouterr()
    assert f"opened on line {opened} is closed on line {closed}" in said.out + said.err


def test_a_value_that_really_spans_lines_is_not_a_swallowed_row(root):
    path = root / "events.csv"
    snap = read_snapshot(path, EVENT_COLUMNS, "events.csv")
    rows = [dict(r) for r in snap.rows]
    rows[0]["summary"] = "First line, with a comma,\nsecond line, with another, and more."
    path.write_bytes(snap.encode_checked(rows))
    again = read_snapshot(path, EVENT_COLUMNS, "events.csv")
    assert not [p for p in again.problems if p.message.startswith(csvio.SWALLOWED)]


def _places_with_long_variants(root: Path, count: int, cell: str) -> Path:
    path = root / "geodata" / "gazetteer.csv"
    snap = read_snapshot(path, PLACE_COLUMNS, "geodata/gazetteer.csv")
    template = dict(snap.rows[0])
    rows = [dict(r) for r in snap.rows]
    for n in range(count):
        rows.append(dict(template, id=f"bulk_{n}", name=f"Bulk {n}", variants=cell))
    path.write_bytes(snap.encode(rows))
    return path


def test_long_variant_cells_are_refused_and_cost_bounded_memory(root):
    """Regression (issue 21): 100 places with 64 KiB variant cells cost 1.7 GB in lib check."""
    cell = "; ".join(f"Variant {n:05d} with some words" for n in range(2000))[: 64 * 1024 - 1]
    path = _places_with_long_variants(root, 100, cell)
    tracemalloc.start()
    try:
        data = load_dataset(root)
        build_index(data.articles.values(), data.gazetteer)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    refused = [
        p for p in data.problems if p.file.endswith("gazetteer.csv") and p.column == "variants"
    ]
    assert len(refused) == 100 and "at most 40" in refused[0].message
    assert not [i for i in data.gazetteer.places if i.startswith("bulk_")]
    assert peak < 100, f"{peak:.0f} MB for {path.stat().st_size / 2**20:.1f} MB of gazetteer"


@pytest.mark.parametrize(
    ("variants", "refused"),
    [("; ".join(f"V{n}" for n in range(40)), False), ("; ".join(f"V{n}" for n in range(41)), True),
     ("x" * 150 + "; " + "y" * 150, False), ("; ".join(["z" * 150] * 14), True)],
    ids=["40-names", "41-names", "short-cell", "long-cell"],
)  # fmt: skip
def test_the_edit_places_form_bounds_the_variants(variants, refused):
    template = next(
        csv.DictReader(io.StringIO((FIXTURE_DATA / "geodata" / "gazetteer.csv").read_text()))
    )
    problems = place_problems(dict(template, id="new_place", variants=variants), [])
    assert [p.column for p in problems if p.severity == "error"] == (
        ["variants"] if refused else []
    )


def test_a_save_through_a_symlinked_events_file_keeps_the_link(root, tmp_path):
    """Regression (issue 21): saving replaced the link with a regular file."""
    real = tmp_path / "elsewhere" / "events.csv"
    real.parent.mkdir()
    (root / "events.csv").rename(real)
    (root / "events.csv").symlink_to(real)
    snap = read_snapshot(root / "events.csv", EVENT_COLUMNS, "events.csv")
    rows = [dict(r) for r in snap.rows]
    rows[0]["summary"] = "Through the link."
    save_bytes(
        root / "events.csv", snap.encode_checked(rows), snap.fingerprint, backup_root=root / ".b"
    )
    assert (root / "events.csv").is_symlink()
    assert read_snapshot(real, EVENT_COLUMNS).rows[0]["summary"] == "Through the link."
