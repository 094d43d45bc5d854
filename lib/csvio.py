"""Reading and writing the project's CSV tables the way spreadsheets write them.

Reading never raises on bad content: it returns the records it could read and a list of
``Problem``s. UTF-8 with or without a byte-order mark, CRLF or LF line ends, and quoted fields
containing commas or newlines are all accepted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from lib.problems import Problem

# A pasted article can exceed the csv module's default 128 KiB per field; allow 16 MiB.
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Table:
    """Records of one CSV file. ``rows`` pairs each record with its spreadsheet row number."""

    file: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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


def parse(text: str, file: str, required: list[str], optional: list[str] = ()) -> Table:
    """Parse CSV text. Unknown columns are reported; missing required columns stop the read."""
    problems: list[Problem] = []
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        # Only malformed quoting gets here; report it and read what we can leniently.
        problems.append(
            Problem(file, None, None, f"the CSV is malformed: {exc}", "check for a stray quote")
        )
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as again:
            problems.append(Problem(file, None, None, f"the CSV cannot be read: {again}"))
            return Table(file, [], [], problems)
    # Number like a spreadsheet (header = row 1) before skipping blank lines, which a
    # spreadsheet counts as rows too.
    numbered = [(i, r) for i, r in enumerate(records, start=1) if any(cell.strip() for cell in r)]
    if not numbered:
        return Table(file, [], [], problems + [Problem(file, None, None, "the file is empty")])
    header_row, header_record = numbered[0]
    records = [header_record] + [r for _, r in numbered[1:]]
    row_numbers = [n for n, _ in numbered[1:]]
    header = [h.strip() for h in records[0]]
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(
            Problem(
                file,
                header_row,
                None,
                f"missing column(s): {', '.join(missing)}",
                f"the header must name: {', '.join(required)}",
            )
        )
        return Table(file, header, [], problems)
    known = set(required) | set(optional)
    for name in header:
        if name not in known:
            problems.append(
                Problem(
                    file, 1, name, "unknown column, ignored", "check the spelling of the header"
                )
            )
    dupes = {h for h in header if header.count(h) > 1}
    for name in sorted(dupes):
        problems.append(Problem(file, 1, name, "column appears more than once"))
    rows: list[tuple[int, dict[str, str]]] = []
    for index, record in zip(row_numbers, records[1:], strict=True):
        if len(record) != len(header):
            problems.append(
                Problem(
                    file,
                    index,
                    None,
                    f"has {len(record)} fields but the header has {len(header)}",
                    "a comma inside a value needs the value in double quotes",
                )
            )
            if len(record) < len(header):
                record = record + [""] * (len(header) - len(record))
            else:
                continue  # surplus fields: we cannot know which value belongs where
        rows.append((index, {h: v for h, v in zip(header, record, strict=True)}))
    return Table(file, header, rows, problems)


def read(path: Path, required: list[str], optional: list[str] = (), label: str | None = None):
    """Read and parse ``path``; a missing or unreadable file is a problem, not an exception."""
    file = label or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Table(file, [], [], [Problem(file, None, None, f"cannot read the file: {exc}")])
    text, problems = decode(data, file)
    table = parse(text, file, required, optional)
    table.problems[:0] = problems
    return table


def write(columns: list[str], rows: list[dict[str, str]]) -> str:
    """Serialise rows as CSV text with LF line ends and minimal quoting (stable diffs in git)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()
