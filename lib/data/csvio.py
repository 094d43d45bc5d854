"""Reading and writing the project's CSV tables the way spreadsheets write them.

Reading never raises on bad content: it returns the records it could read and a list of
``Problem``s. UTF-8 with or without a byte-order mark, CRLF or LF line ends, and quoted fields
containing commas or newlines are all accepted.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from lib.data.problems import Problem

#: The longest cell any table accepts, in characters. The longest real cell (a quote) is under
#: 1,000; a megabyte pasted into a name once cost the mention matcher gigabytes. Every loader
#: rejects a row with a longer cell, naming its row and column (see ``long_cells``).
CELL_MAX = 64 * 1024
#: Beyond this the csv module itself gives up on a field; such a line is reported, not read.
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Table:
    """Records of one CSV file. ``rows`` pairs each record with its spreadsheet row number."""

    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Record:
    """One CSV record: its spreadsheet row, the file lines it spans (1-based) and its fields."""

    row: int
    first_line: int
    last_line: int
    fields: list[str]
    #: Lines inside this record that, read alone, are a whole row: a quote opened in one row
    #: and closed in the same column of a later one swallowed them (see `records`).
    swallowed: tuple[int, ...] = ()


#: Characters some reader takes for a line break: the csv module splits on CR and LF only, but
#: ``str.splitlines``, spreadsheets and editors also break at these. A cell holding one is
#: always written quoted (`format_record`), so it reads back as it was.
LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_NEEDS_QUOTES = re.compile(f'[,"{LINE_BREAKS}]')


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if _NEEDS_QUOTES.search(value) else value


def format_record(fields: list[str]) -> str:
    """One CSV record without its line end: minimal quoting, as the csv module writes it,
    except that a field holding any of `LINE_BREAKS` is quoted too (the csv module leaves a
    lone CR unquoted when the line end is LF, and such a file no longer reads back)."""
    if len(fields) == 1 and not fields[0]:
        return '""'  # a lone empty field would read as a blank line
    return ",".join(_quoted(str(f)) for f in fields)


def _span(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def decode(data: bytes, file: str) -> tuple[str, list[Problem]]:
    """Decode CSV bytes as UTF-8 (BOM optional). Undecodable bytes become U+FFFD and a problem."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        text = data.decode("utf-8-sig", errors="replace")
        return text, [
            Problem(
                file,
                None,
                None,
                f"the file is not valid UTF-8 (first bad byte on line {line})",
                "save it from your spreadsheet as 'CSV UTF-8'",
            )
        ]


def long_cells(row: dict[str, str]) -> list[tuple[str, int]]:
    """``(column, length)`` of every cell of ``row`` longer than ``CELL_MAX`` characters."""
    return [(c, len(v)) for c, v in row.items() if c is not None and v and len(v) > CELL_MAX]


def long_cell_text(length: int) -> tuple[str, str]:
    """Message and hint for a cell of ``length`` characters over ``CELL_MAX``."""
    return (
        f"is {length:,} characters long; a cell holds at most {CELL_MAX:,}",
        "shorten it: long text belongs in an article file, not in a table",
    )


def long_cell_problem(file: str, row: int | None, column: str, length: int) -> Problem:
    """The problem for a cell over ``CELL_MAX``: the same words in every loader."""
    return Problem(file, row, column, *long_cell_text(length))


def records(text: str, file: str) -> tuple[list[Record], list[Problem]]:
    """Split CSV text into records, each with the lines it spans. Never raises.

    Broken quoting is reported on the line where its record starts, and reading resumes on
    the next line, so the rows an unclosed quote would have swallowed are read (and reported
    if they are broken too) instead of vanishing into one giant cell. A record that spans
    several lines yet has the wrong number of fields is treated the same way: that is what
    an unclosed quote looks like when a later quote happens to close it.
    """
    lines = list(io.StringIO(text, newline=""))  # splits exactly where the csv module does
    out: list[Record] = []
    problems: list[Problem] = []
    width: int | None = None  # fields in the header, once read
    pos = 0  # index of the first line not yet read
    while pos < len(lines):
        reader = csv.reader((lines[i] for i in range(pos, len(lines))), strict=True)
        done = 0  # lines of this pass already turned into records
        try:
            for fields in reader:
                first, last = pos + done + 1, pos + reader.line_num
                done = reader.line_num
                if width is not None and last > first and len(fields) != width:
                    row = len(out) + 1
                    problems.append(
                        Problem(
                            file,
                            row,
                            None,
                            f"malformed CSV: {_span(first, last)} read as one row of "
                            f"{len(fields)} fields (the header has {width}): a quote opened on "
                            f"line {first} is probably never closed; {_span(first + 1, last)} "
                            "read again as rows",
                            'close the quote; a double quote inside a value is written ""',
                        )
                    )
                    out.append(Record(row, first, first, []))
                    pos = first  # resume on the line after this record's first line
                    break
                swallowed = ()
                if width is not None and last > first:
                    swallowed = _whole_rows(lines[first:last], first + 1, width)
                out.append(Record(len(out) + 1, first, last, fields, swallowed))
                if width is None and any(f.strip() for f in fields):
                    width = len(fields)
            else:
                pos = len(lines)
        except csv.Error as exc:
            first, last = pos + done + 1, pos + reader.line_num
            row = len(out) + 1
            again = f"; {_span(first + 1, last)} read again as rows" if last > first else ""
            hint = 'close the quote; a double quote inside a value is written ""'
            if "field larger than field limit" in str(exc):
                message = f"malformed CSV: line {first} holds a cell over 16 MiB and is not read"
                hint = "shorten it: long text belongs in an article file, not in a table"
            elif "unexpected end of data" in str(exc):
                message = (
                    f"malformed CSV: the quote opened in the row on line {first} is never "
                    f"closed{again}"
                )
            elif last > first:
                message = (
                    f"malformed CSV: broken quoting in the row starting on line {first} "
                    f"(found on line {last}: {exc}){again}"
                )
            else:
                message = f"malformed CSV: broken quoting on line {first}: {exc}"
            problems.append(Problem(file, row, None, message, hint))
            out.append(Record(row, first, first, []))
            pos = first
    return out, problems


def _whole_rows(lines: list[str], first_number: int, width: int) -> tuple[int, ...]:
    """Numbers of the ``lines`` (numbered from ``first_number``) that read alone as at least
    ``width`` fields: a row of their own, not the rest of a cell that spans lines.

    A value that really spans lines (an address, a pasted paragraph) ends on a line holding
    only the fields after it; a swallowed row keeps all of its own.
    """
    found = []
    for number, line in enumerate(lines, start=first_number):
        alone = next(csv.reader([line.rstrip("\r\n")]), [])
        if len(alone) >= width and any(cell.strip() for cell in alone):
            found.append(number)
    return tuple(found)


#: How the message of `swallowed_problem` starts (editors refuse to rewrite such a file).
SWALLOWED = "malformed CSV, rows swallowed"


def is_structural(problem: Problem) -> bool:
    """Whether ``problem`` is about the file's structure (encoding, quoting, missing columns,
    field counts) rather than one cell's value: rows were lost or guessed at, so rewriting the
    file from what was read would lose data. Such a problem may still name a column."""
    message = problem.message
    return (
        problem.column is None
        or message.startswith(("malformed CSV", "missing column(s)"))
        or (message.startswith("has ") and " fields but the header has " in message)
    )


def swallowed_problem(file: str, record: Record, header: list[str]) -> Problem:
    """The error for a record that swallowed the rows on ``record.swallowed``, naming the
    column whose quoted value spans the lines."""
    column = next(
        (name for name, cell in zip(header, record.fields, strict=False) if "\n" in cell or
         "\r" in cell),
        None,
    )  # fmt: skip
    lines = ", ".join(str(n) for n in record.swallowed)
    return Problem(
        file,
        record.row,
        column,
        f"{SWALLOWED}: a quoted value opened on line {record.first_line} is closed on line "
        f"{record.last_line}, so line(s) {lines}, a whole row of their own, were read as part "
        f"of this cell ({record.last_line - record.first_line + 1} lines read as one row)",
        'close the quote on its own line: a value quoted with " ends with " before the comma',
    )


def _misspelling(name: str, candidates: list[str]) -> str | None:
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def parse(text: str, file: str, required: list[str], optional: list[str] = ()) -> Table:
    """Parse CSV text. Never raises; every problem names its row (the header is row 1).

    Missing required columns and a column named twice stop the read (no rows): which copy,
    or which value, belongs where cannot be known. Unknown columns are reported and ignored.
    """
    found, problems = records(text, file)
    numbered = [r for r in found if any(cell.strip() for cell in r.fields)]
    if not numbered:
        if problems:
            return Table(file, [], [], problems)
        return Table(file, [], [], [Problem(file, None, None, "the file is empty")])
    head, body = numbered[0], numbered[1:]
    header = [h.strip() for h in head.fields]
    known = [*required, *optional]
    missing = [c for c in required if c not in header]
    unknown = [h for h in header if h not in known]
    if missing:
        guesses = []
        for name in missing:
            guess = _misspelling(name, unknown)
            if guess is not None:
                guesses.append(
                    f"'{guess}' (column {header.index(guess) + 1}) looks like a misspelling "
                    f"of '{name}'"
                )
        problems.append(
            Problem(
                file,
                head.row,
                missing[0],  # the first missing one; the message names them all
                f"missing column(s): {', '.join(missing)}",
                "; ".join([*guesses, f"the header must name: {', '.join(required)}"]),
            )
        )
        return Table(file, header, [], problems)
    for name in unknown:
        guess = _misspelling(name, [c for c in known if c not in header])
        problems.append(
            Problem(
                file,
                head.row,
                name,
                f"unknown column (column {header.index(name) + 1}), ignored",
                f"did you mean '{guess}'?" if guess else "check the spelling of the header",
            )
        )
    dupes = [h for h in dict.fromkeys(header) if h and header.count(h) > 1]
    for name in dupes:
        positions = [str(i + 1) for i, h in enumerate(header) if h == name]
        problems.append(
            Problem(
                file,
                head.row,
                name,
                f"column appears more than once (columns {' and '.join(positions)}); "
                "no row is read",
                "delete all copies but one: which one holds the right values cannot be known",
            )
        )
    if dupes:
        return Table(file, header, [], problems)
    rows: list[tuple[int, dict[str, str]]] = []
    for record in body:
        if record.swallowed:
            problems.append(swallowed_problem(file, record, header))
        values = record.fields
        if len(values) != len(header):
            short = len(values) < len(header)
            lacking = header[len(values) :] if short else []
            problems.append(
                Problem(
                    file,
                    record.row,
                    # the first column without a value; surplus fields belong to no column
                    lacking[0] if lacking else None,
                    f"has {len(values)} fields but the header has {len(header)}"
                    + (f" (no value for {', '.join(lacking)})" if short else ""),
                    "a comma inside a value needs the value in double quotes",
                )
            )
            if short:
                values = values + [""] * (len(header) - len(values))
            else:
                continue  # surplus fields: we cannot know which value belongs where
        rows.append((record.row, dict(zip(header, values, strict=True))))
    return Table(file, header, rows, problems)


def read_file(path: Path) -> tuple[bytes | None, str]:
    """The bytes of a regular file, or ``(None, why not)`` in words a reader can act on.

    A directory, a FIFO (reading it would block the server) or a device where a data file
    should be is refused before it is opened; no server path goes into the message.
    """
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return None, "it is a directory, not a file"
        if not stat.S_ISREG(info.st_mode):
            return None, "it is not a regular file"
        return path.read_bytes(), ""
    except FileNotFoundError:
        return None, "the file does not exist"
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        return None, getattr(exc, "strerror", None) or type(exc).__name__


def read(path: Path, required: list[str], optional: list[str] = (), label: str | None = None):
    """Read and parse ``path``; a missing or unreadable file is a problem, not an exception."""
    path = Path(path)
    file = label or path.name
    data, why = read_file(path)
    if data is None:
        return Table(file, [], [], [Problem(file, None, None, f"cannot read the file: {why}")])
    text, problems = decode(data, file)
    table = parse(text, file, required, optional)
    table.problems[:0] = problems
    return table


def write(columns: list[str], rows: list[dict[str, str]], newline: str = "\n") -> str:
    """Serialise rows as CSV text with ``newline`` line ends and minimal quoting (stable diffs
    in git); every cell with a line break is quoted (`format_record`)."""
    lines = [format_record(list(columns))]
    lines += [format_record([row.get(c, "") or "" for c in columns]) for row in rows]
    return "".join(line + newline for line in lines)
