"""What an editor loaded: a `Snapshot` of a data file (its rows and the fingerprint
of the exact bytes), read from disk or from bytes about to be saved, written back
with the file's own line ending and byte-order mark, and the check that a save
would read back as it is meant to (`SaveError` otherwise)."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import csvio
from lib.data.problems import Problem
from lib.data.schema import Column
from lib.editing.diff import value_of

Row = dict[str, str]


class SaveError(Exception):
    """A save did not happen. The message says why, in words for the editor."""


# --- what an editor loaded ---------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """One file as an editor loaded it. Treat ``rows`` as read-only; copy before changing.

    ``fingerprint`` is the SHA-256 of the bytes parsed (the same value as
    `lib.data.storage.fingerprint`), ``None`` when the file did not exist. ``blocking`` lists what
    would be lost by rewriting the file from ``rows`` (bytes that are not UTF-8, broken quoting,
    missing or duplicated columns, rows with too many or too few fields): while it is non-empty
    the file must be fixed by hand, not through the editor.
    """

    path: Path
    label: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    fingerprint: str | None
    problems: tuple[Problem, ...] = ()
    blocking: tuple[Problem, ...] = ()
    loaded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: The file's own line ending and byte-order mark, kept by a save (no whole-file diff).
    newline: str = "\n"
    bom: bool = False

    def encode(self, rows: Iterable[Mapping[str, str]]) -> bytes:
        """``rows`` as this file's bytes: its columns, line ending and byte-order mark."""
        return write_rows(self.columns, rows, newline=self.newline, bom=self.bom)

    def encode_checked(self, rows: Sequence[Mapping[str, str]]) -> bytes:
        """`encode`, then read the bytes back: `SaveError` unless every cell reads back as it
        is in ``rows`` (see `round_trip_problem`)."""
        data = self.encode(rows)
        problem = round_trip_problem(self.columns, rows, data, self.label)
        if problem:
            raise SaveError(
                f"Not saved: {self.label} would not read back as you wrote it ({problem}). "
                "The file on disk was not changed."
            )
        return data


def line_ending(data: bytes) -> str:
    """'\r\n' when most line ends of ``data`` are CRLF, else '\n'."""
    crlf = data.count(b"\r\n")
    return "\r\n" if crlf and crlf * 2 >= data.count(b"\n") else "\n"


def write_rows(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, str]],
    *,
    newline: str = "\n",
    bom: bool = False,
) -> bytes:
    """CSV bytes with minimal quoting (`lib.data.csvio.write`), ending lines with ``newline``.

    Line breaks inside quoted values are left as they are: only the record separator follows
    the file's convention, so a CRLF file saved here differs from its old version only in the
    rows that changed.
    """
    text = csvio.write(list(columns), [dict(row) for row in rows], newline=newline)
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


def round_trip_problem(
    columns: Sequence[str], rows: Sequence[Mapping[str, str]], data: bytes, label: str
) -> str:
    """Why ``data`` would not read back as ``rows`` ('' when it would), naming row and column.

    A save checks this before it replaces the file: bytes that read back differently (a cell
    the writer could not protect, a row that vanished) never reach the disk.
    """
    text, _ = csvio.decode(data, label)
    table = csvio.parse(text, label, [], [])
    wanted = [[value_of(row, c) for c in columns] for row in rows]
    if table.header != list(columns):
        return "its header would not read back as written"
    got = [[r.get(c, "") for c in columns] for _, r in table.rows]
    for n, (mine, theirs) in enumerate(zip(wanted, got, strict=False), start=2):
        for column, a, b in zip(columns, mine, theirs, strict=True):
            if a != b:
                return f"row {n}, column '{column}' would read back as {b[:40]!r}, not {a[:40]!r}"
    if len(got) != len(wanted):
        return f"{len(wanted)} rows were written but {len(got)} would be read back"
    return ""


def read_snapshot(path: Path, spec: Sequence[Column], label: str | None = None) -> Snapshot:
    """Read ``path`` once: rows, fingerprint and problems all come from the same bytes.

    Columns are the file's header, followed by any column of ``spec`` the header lacks (so an
    editor can fill an optional column the file does not have yet). Never raises.
    """
    path = Path(path)
    label = label or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Snapshot(path, label, tuple(c.name for c in spec), (), None)
    except OSError as exc:
        problem = Problem(label, None, None, f"cannot read the file: {exc.strerror or exc}")
        return Snapshot(path, label, tuple(c.name for c in spec), (), None, (problem,), (problem,))
    return snapshot_of(path, data, spec, label)


def snapshot_of(path: Path, data: bytes, spec: Sequence[Column], label: str) -> Snapshot:
    """The `Snapshot` of ``data`` as the content of ``path`` (see `read_snapshot`)."""
    names = [c.name for c in spec]
    required = [c.name for c in spec if c.required]
    optional = [c.name for c in spec if not c.required]
    text, problems = csvio.decode(data, label)
    table = csvio.parse(text, label, required, optional)
    problems = problems + table.problems
    blocking: list[Problem] = []
    if text.strip():
        # Problems without a column are about the file's structure (encoding, quoting, missing
        # columns, field counts): rows were lost or guessed at, so a rewrite would lose data.
        # So does a row swallowed into another row's cell: it must come back out by hand.
        blocking = [p for p in problems if csvio.is_structural(p)]
        for name in sorted({h for h in table.header if table.header.count(h) > 1}):
            blocking.append(Problem(label, 1, name, "column appears more than once"))
    columns = list(dict.fromkeys(table.header)) if table.header else []
    columns += [n for n in names if n not in columns]
    rows = tuple({c: row.get(c, "") or "" for c in columns} for _, row in table.rows)
    return Snapshot(
        Path(path),
        label,
        tuple(columns),
        rows,
        hashlib.sha256(data).hexdigest(),
        tuple(problems),
        tuple(blocking),
        newline=line_ending(data),
        bom=data.startswith(codecs.BOM_UTF8),
    )
