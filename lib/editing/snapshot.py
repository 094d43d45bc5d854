"""Editing the data files from the app without losing anyone's work.

The files stay the single source of truth. An editor works on a `Snapshot` (the rows plus the
fingerprint of the exact bytes loaded); a save

* takes an exclusive advisory lock on a sibling ``.<name>.lock`` file, so two saves, from any
  processes, never interleave their check and replace;
* refuses with `ConflictError` when the file on disk no longer has the loaded fingerprint
  (someone saved meanwhile, or edited the file by hand); `merge_rows` then merges the editor's
  rows with the disk's by row id, and the editor saves again against the new fingerprint;
* copies the version it replaces to ``<data root>/.backups/<file name>/<UTC time>-<hash>.csv``,
  keeping the newest `KEEP_BACKUPS`;
* replaces the file atomically (`lib.data.storage.atomic_write_bytes`): a crash leaves the old file or
  the new one, never a mix.

Nothing here checks a password: ``ui.auth`` does, once, before any page shows a control that
calls into this module.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import math
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import folium
import pandas as pd

from lib.data import csvio
from lib.data.articles import ID_PATTERN as ARTICLE_ID_PATTERN
from lib.data.articles import METADATA_FILE, Article, load_articles
from lib.data.boilerplate import Range, format_ranges
from lib.data.gazetteer import Gazetteer, parse_place
from lib.data.mentions import Mention
from lib.data.problems import Problem
from lib.data.schema import ARTICLE_COLUMNS, PLACE_COLUMNS, Column
from lib.data.storage import atomic_write_bytes, fingerprint
from lib.data.text import escape, join_list, name_key, split_list
from lib.editing import drafts
from lib.map import mapview
from lib.map.offline import STREAMLIT_STATIC_ROUTE
from lib.places.geocode import Candidate, GeoNamesIndex, Resolution, candidate_row, resolve

KEEP_BACKUPS = 10
BACKUP_DIR = ".backups"
LOCK_TIMEOUT_S = 10.0
#: A temporary file of a save older than this is left over from a crash, and removed.
STALE_TEMP_S = 600.0
_BACKUP_NAME = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{12}\.")

Row = dict[str, str]


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
    wanted = [[_value(row, c) for c in columns] for row in rows]
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


# --- differences between two versions ----------------------------------------------------------

_Key = tuple[str, int]


def _keyed(rows: Iterable[Mapping[str, str]]) -> dict[_Key, Mapping[str, str]]:
    """Rows by ``(id, occurrence)``: duplicate or empty ids still get distinct, stable keys."""
    seen: dict[str, int] = {}
    out: dict[_Key, Mapping[str, str]] = {}
    for row in rows:
        row_id = (row.get("id") or "").strip()
        n = seen.get(row_id, 0)
        seen[row_id] = n + 1
        out[(row_id, n)] = row
    return out


def _label(key: _Key) -> str:
    row_id, n = key
    name = row_id or "(no id)"
    return name if n == 0 else f"{name} (copy {n + 1})"


def _value(row: Mapping[str, str] | None, column: str) -> str:
    return "" if row is None else (row.get(column) or "")


def _same(a: Mapping[str, str] | None, b: Mapping[str, str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(_value(a, c) == _value(b, c) for c in {*a, *b})


def _columns(*rows: Mapping[str, str] | None) -> list[str]:
    return list(dict.fromkeys(c for row in rows if row is not None for c in row))


@dataclass(frozen=True)
class CellChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: str
    old: Mapping[str, str]
    new: Mapping[str, str]
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Diff:
    """What turns ``old`` into ``new``, by row id. Reordering rows alone is not a change."""

    added: tuple[Mapping[str, str], ...] = ()
    changed: tuple[RowChange, ...] = ()
    deleted: tuple[Mapping[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.deleted)

    def summary(self) -> str:
        """'1 added, 2 changed, 1 deleted' or 'no changes'."""
        parts = [
            f"{len(items)} {what}"
            for items, what in (
                (self.added, "added"),
                (self.changed, "changed"),
                (self.deleted, "deleted"),
            )
            if items
        ]
        return ", ".join(parts) or "no changes"


def diff_rows(old: Iterable[Mapping[str, str]], new: Iterable[Mapping[str, str]]) -> Diff:
    before, after = _keyed(old), _keyed(new)
    added = tuple(row for key, row in after.items() if key not in before)
    deleted = tuple(row for key, row in before.items() if key not in after)
    changed = []
    for key, row in after.items():
        previous = before.get(key)
        if previous is None or _same(previous, row):
            continue
        cells = tuple(
            CellChange(c, _value(previous, c), _value(row, c))
            for c in _columns(previous, row)
            if _value(previous, c) != _value(row, c)
        )
        changed.append(RowChange(_label(key), previous, row, cells))
    return Diff(added, tuple(changed), deleted)


# --- three-way merge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A row both sides changed, differently. ``None`` means that side deleted (or lacks) it."""

    key: str
    base: Mapping[str, str] | None
    ours: Mapping[str, str] | None
    theirs: Mapping[str, str] | None

    def cells(self) -> list[tuple[str, str, str, str]]:
        """``(column, base, mine, theirs)`` for each column where mine and theirs differ."""
        return [
            (c, _value(self.base, c), _value(self.ours, c), _value(self.theirs, c))
            for c in _columns(self.base, self.ours, self.theirs)
            if _value(self.ours, c) != _value(self.theirs, c)
        ]


MINE, THEIRS = "mine", "theirs"


@dataclass(frozen=True)
class Merge:
    """The result of `merge_rows`: merged rows, with conflicts left for a person to decide."""

    columns: tuple[str, ...]
    entries: tuple[tuple[str, Mapping[str, str] | Conflict], ...]
    conflicts: tuple[Conflict, ...]

    def rows(self, choices: Mapping[str, str] | None = None) -> list[Row]:
        """The merged rows; ``choices`` maps each conflict's key to `MINE` or `THEIRS`.

        Raises ``ValueError`` naming the conflicts that have no choice.
        """
        choices = choices or {}
        missing = [c.key for c in self.conflicts if choices.get(c.key) not in (MINE, THEIRS)]
        if missing:
            raise ValueError("choose mine or theirs for: " + ", ".join(missing))
        out: list[Row] = []
        for _, entry in self.entries:
            if isinstance(entry, Conflict):
                entry = entry.ours if choices[entry.key] == MINE else entry.theirs
            if entry is not None:
                out.append({c: _value(entry, c) for c in self.columns})
        return out


def merge_rows(
    base: Sequence[Mapping[str, str]],
    ours: Sequence[Mapping[str, str]],
    theirs: Sequence[Mapping[str, str]],
    columns: Sequence[str] = (),
) -> Merge:
    """Merge two edits of ``base`` by row id.

    A row only one side changed takes that side's version (added, changed or deleted); a row
    both sides changed the same way is taken once; a row both changed differently (including
    changed on one side and deleted on the other) is a `Conflict`. Row order follows ``ours``,
    with rows only ``theirs`` added placed after the row that precedes them in ``theirs``.
    ``columns`` (default: every column seen, theirs first) is the merged file's header.
    """
    b, o, t = _keyed(base), _keyed(ours), _keyed(theirs)
    order = list(o)
    placed = set(order)
    their_order = list(t)
    for i, key in enumerate(their_order):
        if key in placed:
            continue
        at = 0
        for earlier in reversed(their_order[:i]):
            if earlier in placed:
                at = order.index(earlier) + 1
                break
        order.insert(at, key)
        placed.add(key)
    entries: list[tuple[str, Mapping[str, str] | Conflict]] = []
    conflicts: list[Conflict] = []
    for key in order:
        mine, their, common = o.get(key), t.get(key), b.get(key)
        if _same(mine, their) or _same(their, common):
            pick = mine
        elif _same(mine, common):
            pick = their
        else:
            conflict = Conflict(_label(key), common, mine, their)
            conflicts.append(conflict)
            entries.append((conflict.key, conflict))
            continue
        if pick is not None:
            entries.append((_label(key), pick))
    if not columns:
        columns = _columns(*theirs[:1], *ours[:1], *base[:1])
    return Merge(tuple(columns), tuple(entries), tuple(conflicts))


# --- saving -------------------------------------------------------------------------------------


class SaveError(Exception):
    """A save did not happen. The message says why, in words for the editor."""


class ConflictError(SaveError):
    """The file changed on disk since the editor loaded it; nothing was written."""

    def __init__(self, label: str, expected: str | None, found: str | None) -> None:
        what = "was deleted" if found is None else "was changed"
        super().__init__(
            f"{label} {what} on disk since you loaded it (someone else saved, or it was edited "
            "by hand). Nothing was overwritten: merge your changes with the new version and "
            "save again."
        )
        self.label = label
        self.expected = expected
        self.found = found


@dataclass(frozen=True)
class Saved:
    path: Path
    fingerprint: str
    backup: Path | None


class Journal(Protocol):
    """What a save tells the history (``lib.editing.history.Recorder``), under the file's lock.

    ``before_replace`` runs after the conflict check and before the file is replaced (it keeps
    a copy of both versions); ``after_replace`` once the new version is in place (it appends
    the history entry). A crash between the two leaves a saved file without its entry, which
    the history notices and records at the next save.
    """

    def before_replace(self, path: Path, old: bytes | None, new: bytes) -> None: ...

    def after_replace(self, path: Path, old: bytes | None, new: bytes) -> None: ...


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "the app has no permission to write there",
    errno.EPERM: "the app has no permission to write there",
    errno.EROFS: "the file system is read-only",
}


def _failure(label: str, exc: OSError) -> SaveError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    where = f" ({exc.filename})" if exc.filename else ""
    return SaveError(f"Could not save {label}: {reason}{where}. The file on disk was not changed.")


@contextlib.contextmanager
def file_lock(path: Path, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``.<name>.lock`` next to ``path``.

    Advisory: it orders the saves of this module, in any process. The kernel drops it when the
    holder dies, so a killed save never leaves the file locked.
    """
    path = Path(path)
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _failure(path.name, exc) from exc
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SaveError(
                        f"Could not save {path.name}: another save has held it for "
                        f"{timeout_s:.0f} seconds. Try again in a moment."
                    ) from None
                time.sleep(0.05)  # poll interval while another process saves
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def backup_dir(backup_root: Path, path: Path) -> Path:
    """Where the versions of ``path`` are kept: ``<backup_root>/<file name>/``."""
    return Path(backup_root) / Path(path).name


def list_backups(backup_root: Path, path: Path) -> list[Path]:
    """Backups of ``path``, oldest first."""
    folder = backup_dir(backup_root, path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _BACKUP_NAME.match(p.name))


def _remove_stale_temps(folder: Path, pattern: str) -> None:
    """Delete temporary files a killed save left behind (``atomic_write_bytes`` cannot remove
    its temporary file when the process dies). Only old ones: a fresh one may belong to a
    writer that does not take our lock, such as ``python -m lib geocode --cache``."""
    limit = time.time() - STALE_TEMP_S
    for temp in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if temp.stat().st_mtime < limit:
                temp.unlink()


def _backup(path: Path, data: bytes, backup_root: Path, keep: int) -> Path:
    folder = backup_dir(backup_root, path)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:12]
    existing = list_backups(backup_root, path)
    if existing and existing[-1].name.split("-", 1)[1].startswith(digest):
        target = existing[-1]  # this version is already the newest backup (a retried save)
    else:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{stamp}-{digest}{path.suffix}"
        atomic_write_bytes(target, data)
        existing.append(target)
    for old in existing[: max(0, len(existing) - keep)]:
        old.unlink(missing_ok=True)
    _remove_stale_temps(folder, ".*.tmp")
    return target


def _save_locked(
    path: Path,
    new: bytes,
    base_fingerprint: str | None,
    backup_root: Path,
    label: str,
    keep: int,
    journal: Journal | None = None,
) -> Saved:
    new_fingerprint = hashlib.sha256(new).hexdigest()
    backup = None
    try:
        try:
            data: bytes | None = path.read_bytes()
        except FileNotFoundError:
            data = None
        current = hashlib.sha256(data).hexdigest() if data is not None else None
        if current != base_fingerprint:
            raise ConflictError(label, base_fingerprint, current)
        if data is not None:
            backup = _backup(path, data, backup_root, keep)
        _remove_stale_temps(path.parent, f".{path.name}.*.tmp")
        if journal is not None:
            journal.before_replace(path, data, new)
        atomic_write_bytes(path, new)
    except OSError as exc:
        # atomic_write_bytes syncs the directory after the rename: if only that failed, the new
        # content is in place and the save did happen.
        if fingerprint(path) != new_fingerprint:
            raise _failure(label, exc) from exc
    if journal is not None:
        journal.after_replace(path, data, new)
    return Saved(path, new_fingerprint, backup)


def save_bytes(
    path: Path,
    data: bytes,
    base_fingerprint: str | None,
    *,
    backup_root: Path,
    label: str | None = None,
    keep: int = KEEP_BACKUPS,
    lock_timeout_s: float = LOCK_TIMEOUT_S,
    journal: Journal | None = None,
) -> Saved:
    """Replace ``path`` with ``data`` if it still has ``base_fingerprint`` (``None``: absent).

    Raises `ConflictError` when it does not, `SaveError` when the disk refuses; in both cases
    the file is unchanged.
    """
    path = Path(path)
    with file_lock(path, lock_timeout_s):
        return _save_locked(
            path, data, base_fingerprint, backup_root, label or path.name, keep, journal
        )


def save_text(path: Path, text: str, base_fingerprint: str | None, **kwargs) -> Saved:
    """`save_bytes` of ``text`` encoded as UTF-8."""
    return save_bytes(path, text.encode("utf-8"), base_fingerprint, **kwargs)


def save_rows(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, str]],
    base_fingerprint: str | None,
    *,
    backup_root: Path,
    label: str | None = None,
    keep: int = KEEP_BACKUPS,
    newline: str = "\n",
    bom: bool = False,
    journal: Journal | None = None,
) -> Saved:
    """`save_bytes` of ``rows`` as CSV with ``columns``, line ends ``newline`` (`write_rows`)."""
    rows = list(rows)
    data = write_rows(columns, rows, newline=newline, bom=bom)
    problem = round_trip_problem(columns, rows, data, label or Path(path).name)
    if problem:
        raise SaveError(f"Not saved: {label or Path(path).name} would not read back ({problem}).")
    return save_bytes(
        path, data, base_fingerprint, backup_root=backup_root, label=label, keep=keep,
        journal=journal,
    )  # fmt: skip


# --- the events table in st.data_editor --------------------------------------------------------

#: Editor-only columns: the first article gets a picker, the others stay a ';'-list.
FIRST_ARTICLE = "article"
MORE_ARTICLES = "more_articles"


def editor_columns(columns: Sequence[str]) -> list[str]:
    """The columns an editor sees: ``articles`` split into `FIRST_ARTICLE` and `MORE_ARTICLES`."""
    out: list[str] = []
    for name in columns:
        out.extend([FIRST_ARTICLE, MORE_ARTICLES] if name == "articles" else [name])
    return out


def events_to_frame(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as an all-text frame for ``st.data_editor``, indexed 1, 2, ... (the row numbers that
    problems refer to). The original ``articles`` cell stays in its own (hidden) column so that
    an untouched row round-trips byte for byte."""
    records = []
    for row in rows:
        record = {c: _value(row, c) for c in columns}
        articles = split_list(record.get("articles", ""))
        record[FIRST_ARTICLE] = articles[0] if articles else ""
        record[MORE_ARTICLES] = join_list(articles[1:])
        records.append(record)
    names = list(dict.fromkeys([*columns, FIRST_ARTICLE, MORE_ARTICLES]))
    frame = pd.DataFrame.from_records(records, columns=names)
    frame.index = pd.RangeIndex(1, len(records) + 1)
    return frame.astype(str)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def events_from_frame(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[int, Row]]:
    """``(row number, CSV row)`` for each row of the edited frame; blank rows are left out.

    New rows come back from the editor with missing values (NaN/None): they become ''. Values
    are trimmed. ``articles`` is rebuilt from the two editor columns unless they still say the
    same as the original cell.
    """
    out: list[tuple[int, Row]] = []
    visible = [c for c in editor_columns(columns) if c in frame.columns]
    for label, series in frame.iterrows():
        values = {c: _cell(series.get(c)) for c in frame.columns}
        if not any(values[c] for c in visible):
            continue
        chosen = [values.get(FIRST_ARTICLE, "")] if values.get(FIRST_ARTICLE) else []
        chosen += split_list(values.get(MORE_ARTICLES, ""))
        original = values.get("articles", "")
        row = {c: values.get(c, "") for c in columns}
        if "articles" in columns:
            row["articles"] = original if split_list(original) == chosen else join_list(chosen)
        out.append((int(label), row))
    return out


def with_present(options: Iterable[str], present: Iterable[str]) -> list[str]:
    """Picker options plus any other value the data holds, so a bad value stays visible (and
    is flagged by validation) instead of showing as an empty cell."""
    listed = list(dict.fromkeys(options))
    extra = sorted({p for p in present if p and p not in listed})
    return listed + extra


# --- the gazetteer -----------------------------------------------------------------------------

PLACES_LABEL = "geodata/gazetteer.csv"


def upsert_row(
    rows: Sequence[Mapping[str, str]], row: Mapping[str, str], replace_id: str | None = None
) -> list[Row]:
    """``rows`` with ``row`` in place of the row whose id is ``replace_id``, or appended."""
    out = [dict(r) for r in rows]
    if replace_id is not None:
        for i, existing in enumerate(out):
            if existing.get("id") == replace_id:
                out[i] = dict(row)
                return out
    out.append(dict(row))
    return out


def place_problems(
    row: Mapping[str, str],
    rows: Sequence[Mapping[str, str]],
    replace_id: str | None = None,
    label: str = PLACES_LABEL,
) -> list[Problem]:
    """Check a place from the form with the loader's rules (`lib.data.gazetteer.parse_place`) and
    against the other rows: its id must be new, and a shared name is a warning."""
    problems: list[Problem] = []
    full = {c.name: (row.get(c.name) or "") for c in PLACE_COLUMNS}

    def bad(column: str, message: str, hint: str = "", severity: str = "error") -> None:
        problems.append(Problem(label, None, column, message, hint, severity))

    place = parse_place(full, bad)
    others = [r for r in rows if r.get("id") != replace_id]
    place_id = full["id"].strip()
    if place_id and any(r.get("id") == place_id for r in others):
        bad(
            "id",
            f"there is already a place with id '{place_id}'",
            "pick another id, or fix that place instead of adding one",
        )
    if place is not None:
        mine = {name_key(n): n for n in place.names if name_key(n)}
        for other in others:
            names = [other.get("name", ""), *split_list(other.get("variants", ""))]
            shared = dict.fromkeys(mine[name_key(n)] for n in names if name_key(n) in mine)
            for name in shared:
                bad(
                    "variants",
                    f"'{name}' also names '{other.get('id')}'",
                    "a shared name makes look-ups ambiguous; keep it on one place",
                    severity="warning",
                )
    return problems


def place_row(
    candidate: Candidate,
    *,
    name: str,
    variants: Sequence[str],
    existing_ids: Iterable[str],
    place_id: str | None = None,
) -> Row:
    """A gazetteer row for a geocoded candidate, keeping its source and precision."""
    return candidate_row(
        candidate, name=name, variants=variants, existing_ids=existing_ids, place_id=place_id
    )


# --- the corpus --------------------------------------------------------------------------------

ARTICLES_LABEL = f"articles/{METADATA_FILE}"


def article_row(
    article_id: str,
    *,
    outlet: str = "",
    outlet_evidence: str = "",
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    date_inferred: bool = True,
    date_reasoning: str = "",
    notes: str = "",
    boilerplate: Iterable[Range] = (),
) -> Row:
    """The ``articles.csv`` row of a new article whose text goes to ``<id>.txt``.

    ``boilerplate`` are the line ranges ``(first, last)`` of the text that are not the article
    (lines from 1, both ends included, as `lib.data.boilerplate.propose_boilerplate` gives them);
    they are written merged and sorted, e.g. ``'5-6;9'``.
    """
    return {
        "id": article_id.strip(),
        "file": f"{article_id.strip()}.txt",
        "outlet": outlet.strip(),
        "outlet_evidence": outlet_evidence.strip(),
        "published_from": published_from.isoformat() if published_from else "",
        "published_to": (published_to or published_from).isoformat()
        if (published_to or published_from)
        else "",
        "date_inferred": "yes" if date_inferred else "no",
        "date_reasoning": date_reasoning.strip(),
        "seed_file": "",
        "notes": notes.strip(),
        "boilerplate": format_ranges(list(boilerplate)),
    }


def article_problems(
    row: Mapping[str, str], text: str, existing_ids: Iterable[str]
) -> list[Problem]:
    """What is wrong with a new article, in the loader's own words.

    The row and text are written to a scratch folder and read back with
    `lib.data.articles.load_articles`, so the form can never accept what the loader rejects.
    """
    article_id = (row.get("id") or "").strip()
    problems: list[Problem] = []
    if not article_id:
        return [Problem(ARTICLES_LABEL, None, "id", "is empty", "e.g. taliban-claim-victory")]
    if article_id in set(existing_ids):
        problems.append(
            Problem(
                ARTICLES_LABEL,
                None,
                "id",
                f"an article with id '{article_id}' already exists",
                "choose another id; an article is never replaced from this page",
            )
        )
    if not ARTICLE_ID_PATTERN.match(article_id):
        problems.append(
            Problem(
                ARTICLES_LABEL,
                None,
                "id",
                f"'{article_id}' is not a valid article id",
                "lower-case letters, digits, '-'",
            )
        )
        return problems
    with tempfile.TemporaryDirectory(prefix="article-check-") as scratch:
        folder = Path(scratch)
        columns = [c.name for c in ARTICLE_COLUMNS]
        (folder / METADATA_FILE).write_text(csvio.write(columns, [dict(row)]), encoding="utf-8")
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        _, found = load_articles(folder)
    problems += [
        Problem(ARTICLES_LABEL, None, p.column, p.message, p.hint, p.severity) for p in found
    ]
    return problems


PENDING_PREFIX = ".add-"
PENDING_SUFFIX = ".pending"
INTERRUPTED_DIR = "interrupted"


def _pending_path(articles_dir: Path, article_id: str) -> Path:
    return Path(articles_dir) / f"{PENDING_PREFIX}{article_id}{PENDING_SUFFIX}"


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def add_article(
    articles_dir: Path,
    row: Mapping[str, str],
    text: str,
    *,
    backup_root: Path,
    journal: Journal | None = None,
) -> Saved:
    """Write ``<id>.txt`` and append ``row`` to ``articles.csv`` as one transaction.

    A marker ``.add-<id>.pending`` is written first and removed last, so a crash in between
    leaves evidence: `recover_articles` (run before every add and at the app's start) rolls the
    half-done add back (keeping the text under ``.backups/interrupted/``), and
    `interrupted_saves` makes ``python -m lib check`` report it as an error meanwhile.

    Refuses (`SaveError`) an id that ``articles.csv`` or a text file already has. The metadata is
    re-read under the lock, so rows others added meanwhile are kept; its line endings are too.
    If the metadata cannot be written, the new text file is removed again.
    """
    articles_dir = Path(articles_dir)
    meta = articles_dir / METADATA_FILE
    text_path = articles_dir / row["file"]
    if not text.endswith("\n"):
        text += "\n"
    data = text.encode("utf-8")
    with file_lock(meta):
        recover_articles(articles_dir, backup_root, _locked=True)
        current = read_snapshot(meta, ARTICLE_COLUMNS, ARTICLES_LABEL)
        if current.blocking:
            raise SaveError(
                f"{ARTICLES_LABEL} cannot be rewritten safely: {current.blocking[0]}. "
                "Fix it by hand first (python -m lib check lists the problems)."
            )
        if text_path.exists() or any(r.get("id") == row["id"] for r in current.rows):
            raise SaveError(
                f"An article with id '{row['id']}' already exists; nothing was saved. "
                "Choose another id."
            )
        pending = _pending_path(articles_dir, row["id"])
        marker = {"id": row["id"], "file": row["file"], "sha256": hashlib.sha256(data).hexdigest()}
        try:
            atomic_write_bytes(pending, json.dumps(marker).encode("utf-8"))
            atomic_write_bytes(text_path, data)
        except OSError as exc:
            text_path.unlink(missing_ok=True)
            pending.unlink(missing_ok=True)
            raise _failure(f"articles/{row['file']}", exc) from exc
        try:
            saved = _save_locked(
                meta,
                current.encode([*current.rows, dict(row)]),
                current.fingerprint,
                backup_root,
                ARTICLES_LABEL,
                KEEP_BACKUPS,
                journal,
            )
        except BaseException:
            text_path.unlink(missing_ok=True)
            pending.unlink(missing_ok=True)
            raise
        pending.unlink(missing_ok=True)
        _fsync_dir(articles_dir)
        return saved


@dataclass(frozen=True)
class Pending:
    """A half-done add of an article: its marker, and what is on disk."""

    marker: Path
    article_id: str
    file: str
    text_exists: bool
    has_row: bool


def pending_adds(articles_dir: Path) -> list[Pending]:
    """Markers of adds that did not finish (see `add_article`). Never raises."""
    articles_dir = Path(articles_dir)
    try:
        markers = sorted(articles_dir.glob(f"{PENDING_PREFIX}*{PENDING_SUFFIX}"))
    except OSError:
        return []
    if not markers:
        return []
    ids = {r.get("id") for r in read_snapshot(articles_dir / METADATA_FILE, ARTICLE_COLUMNS).rows}
    out = []
    for marker in markers:
        article_id = marker.name[len(PENDING_PREFIX) : -len(PENDING_SUFFIX)]
        try:
            file = str(json.loads(marker.read_text(encoding="utf-8")).get("file", ""))
        except (OSError, ValueError, AttributeError):
            file = f"{article_id}.txt"
        if not file or "/" in file or file.startswith("."):
            file = f"{article_id}.txt"
        text = articles_dir / file
        out.append(Pending(marker, article_id, file, text.is_file(), article_id in ids))
    return out


def recover_articles(articles_dir: Path, backup_root: Path, *, _locked: bool = False) -> list[str]:
    """Finish or roll back every interrupted add; returns what was done, in words.

    An add whose row reached ``articles.csv`` is complete: only its marker goes. One whose row
    did not is rolled back: its text moves to ``<backup_root>/interrupted/`` (never deleted),
    so the article is not published without its metadata and the id can be used again.
    """
    articles_dir = Path(articles_dir)
    if not _locked:
        try:
            with file_lock(articles_dir / METADATA_FILE, timeout_s=2.0):
                return recover_articles(articles_dir, backup_root, _locked=True)
        except SaveError:
            return []  # someone is saving now; the next start or add recovers
    done = []
    for item in pending_adds(articles_dir):
        text = articles_dir / item.file
        if not item.has_row and item.text_exists:
            keep = Path(backup_root) / INTERRUPTED_DIR
            keep.mkdir(parents=True, exist_ok=True)
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            target = keep / f"{stamp}-{item.file}"
            os.replace(text, target)
            done.append(
                f"articles/{item.file} was left without its metadata row by an interrupted "
                f"save; it was set aside as {target}"
            )
        item.marker.unlink(missing_ok=True)
    if done:
        _fsync_dir(articles_dir)
    return done


def interrupted_saves(root: Path) -> list[Problem]:
    """Problems for ``python -m lib check``: article texts an interrupted save left without
    their metadata row (an error: such a text would be published undated). Never raises."""
    problems = []
    for item in pending_adds(Path(root) / "articles"):
        if item.text_exists and not item.has_row:
            problems.append(
                Problem(
                    f"articles/{item.file}",
                    None,
                    "file",
                    "has no row in articles.csv: it was left by an interrupted save of Add "
                    f"article (marker articles/{item.marker.name})",
                    "start the app once (it sets the text aside and the id can be used again), "
                    "then add the article again",
                )
            )
    return problems


def clean_temps(root: Path, *, min_age_s: float = 2.0) -> int:
    """Remove temporary files killed saves left in the data folders; returns how many.

    A temporary file ``.<name>.<random>.tmp`` is removed only when the lock of ``<name>`` is
    free (no save of this module is writing it) and it is older than ``min_age_s`` (a writer
    that takes no lock, such as ``lib.places.geocode --cache``, finishes within that). Under
    ``.backups`` and ``.history`` only files older than a minute go.
    """
    root = Path(root)
    removed = 0
    for folder in (root, root / "geodata", root / "articles"):
        try:
            temps = list(folder.glob(".*.tmp"))
        except OSError:
            continue
        for temp in temps:
            # Texts of articles are written under the lock of articles.csv (see add_article).
            name = METADATA_FILE if folder.name == "articles" else temp.name[1:].rsplit(".", 2)[0]
            target = folder / name
            try:
                with file_lock(target, timeout_s=0.0):
                    if time.time() - temp.stat().st_mtime >= min_age_s:
                        temp.unlink()
                        removed += 1
            except (SaveError, OSError):
                continue
    limit = time.time() - 60.0
    for folder in (root / BACKUP_DIR, root / ".history"):
        try:
            temps = list(folder.rglob(".*.tmp"))
        except OSError:
            continue
        for temp in temps:
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < limit:
                    temp.unlink()
                    removed += 1
    return removed


_recovered: set[str] = set()


def recover_once(root: Path) -> list[str]:
    """`recover_articles` and `clean_temps` the first time a process sees ``root``."""
    key = str(Path(root).resolve())
    if key in _recovered:
        return []
    _recovered.add(key)
    try:
        done = recover_articles(Path(root) / "articles", Path(root) / BACKUP_DIR)
        removed = clean_temps(root)
    except OSError:  # a read-only data directory (a viewer instance): nothing to recover here
        return []
    if removed:
        done.append(f"removed {removed} temporary file(s) left by interrupted saves")
    return done


# --- drafting from a new article ---------------------------------------------------------------

SUMMARY_MAX = 200
_NUMBERED_ID = re.compile(r"^E(\d+)$")


def next_event_ids(existing: Iterable[str], count: int) -> list[str]:
    """``count`` new ids continuing the ``E001`` numbering (at least three digits)."""
    numbers = [m for i in existing if (m := _NUMBERED_ID.match(i))]
    width = max([3, *(len(m.group(1)) for m in numbers)])
    start = max([0, *(int(m.group(1)) for m in numbers)]) + 1
    return [f"E{n:0{width}d}" for n in range(start, start + count)]


def one_line(text: str, limit: int = SUMMARY_MAX) -> str:
    """White space collapsed; cut at a word boundary with '…' to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


@dataclass(frozen=True)
class SentenceMentions:
    """One sentence (or clause) of an article and the gazetteer places it names.

    ``inferred_place`` is the article's main place for a clause that names none, and
    ``inferred_name`` the article's words for it (lib.editing.drafts)."""

    start: int
    sentence: str
    place_ids: tuple[str, ...]
    inferred_place: str = ""
    inferred_name: str = ""


def sentences_with_places(
    mentions: Iterable[Mention], article: Article | None = None
) -> list[SentenceMentions]:
    """What to draft from. With ``article``: its reporting clauses (lib.editing.drafts:
    claims too where no place is named, one clause per claimant where two disagree; no
    headline, dateline, furniture or file-photo caption). Without: each sentence naming a
    place."""
    if article is not None:
        return [
            SentenceMentions(c.start, c.text, c.place_ids, c.inferred_place, c.inferred_name)
            for c in drafts.reporting_clauses(article, mentions)
        ]
    grouped: dict[int, tuple[str, list[str]]] = {}
    for m in mentions:
        sentence, ids = grouped.setdefault(m.sentence_start, (m.sentence, []))
        if m.place_id not in ids:
            ids.append(m.place_id)
    return [SentenceMentions(s, text, tuple(ids)) for s, (text, ids) in sorted(grouped.items())]


def draft_events(
    article: Article, sentences: Sequence[SentenceMentions], existing_ids: Iterable[str]
) -> list[Row]:
    """Event rows for an editor to review: one per sentence or clause, review state draft.

    Each proposes claimant, event type, status and figures read from its words, and a date
    resolved from its own 'Saturday' / 'yesterday' / 'August 15' against the publication
    window, with the basis of each (lib.editing.drafts.draft_row); the quote is the clause and
    the summary the clause on one line, at most 200 characters. A clause naming no place gets
    the article's main place, marked as inferred in ``place_basis``. Readers never see a draft
    until it is approved.
    """
    ids = next_event_ids(existing_ids, len(sentences))
    rows = []
    for event_id, item in zip(ids, sentences, strict=True):
        clause = drafts.Clause(
            item.start, item.sentence, item.place_ids, item.inferred_place, item.inferred_name
        )
        row = drafts.draft_row(clause, article)
        rows.append({"id": event_id, **row, "summary": one_line(item.sentence)})
    return rows


# Capitalised words, joined by spaces or hyphens, with the short particles of the region's place
# names in between ("Dara-i-Panjshir", "Jabal os Saraj").
_PARTICLES = "i|e|ul|al|el|os|us|da|de|wa"
_WORD = r"[A-Z][a-z'’]+"
_NAME_RUN = re.compile(rf"\b{_WORD}(?:(?:[ -](?:(?:{_PARTICLES})[ -])?){_WORD})*")
_NOT_PLACES = frozenset(
    """a an the in on at of to for from by with and or but if as it its this that these those
    he she they we you i his her their our my your there here when while after before during
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december mr mrs ms dr sir general president
    minister commander spokesman reuters bbc ap afp taliban nrf us un""".split()
)


def place_name_candidates(
    text: str, gazetteer: Gazetteer, mentions: Iterable[Mention]
) -> list[str]:
    """Capitalised names in ``text`` that are not gazetteer mentions: places to look up.

    Each run of capitalised words is proposed, then its single words; words in a small stop
    list (weekdays, months, titles, parties to the conflict) and gazetteer names are skipped.
    """
    covered = [(m.start, m.end) for m in mentions]
    known = gazetteer.keys()
    found: dict[str, None] = {}
    for match in _NAME_RUN.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        run = match.group()
        words = re.split(r"[ -]", run)
        for name in [run, *words] if len(words) > 1 else [run]:
            key = name_key(name)
            if len(key) < 3 or key in known or name.lower() in _NOT_PLACES:
                continue
            if name.split()[0].lower() in _NOT_PLACES:
                continue
            found.setdefault(name, None)
    return list(found)


def suggest_places(
    text: str,
    gazetteer: Gazetteer,
    mentions: Iterable[Mention],
    geonames: GeoNamesIndex | None = None,
) -> list[Resolution]:
    """Names in ``text`` that the offline tiers place in the story's region but the gazetteer
    lacks: resolved ones, and ambiguous ones with candidates in the region. False friends far
    away (outside the region) are not suggested."""
    out = []
    for name in place_name_candidates(text, gazetteer, list(mentions)):
        result = resolve(name, gazetteer, geonames)
        if result.status == "resolved" or result.status == "ambiguous":
            out.append(result)
    return out


# --- a small preview map -----------------------------------------------------------------------

_COLOURS = {
    "added": "#1a7f37",
    "changed": "#bf8700",
    "deleted": "#8c959f",
    "candidate": "#0969da",
    "draft": "#8250df",
    "approved": "#24292f",
}


@dataclass(frozen=True)
class PreviewMarker:
    """One point to preview. ``kind`` picks the colour: added, changed, deleted or candidate.

    ``label`` is short plain text (escaped when drawn) and ``detail`` longer text shown on hover;
    ``radius_km`` > 0 also draws the area of uncertainty; ``number`` is shown before the label
    so the editor can pick a candidate by number. ``dashed`` draws its outline dashed (a draft
    not yet published); ``permanent`` keeps its label on screen (None: only when the map has
    few markers).
    """

    lat: float
    lon: float
    label: str
    kind: str = "changed"
    radius_km: float = 0.0
    number: int | None = None
    detail: str = ""
    dashed: bool = False
    permanent: bool | None = None


#: Up to this many markers keep their label on screen; more would hide the map.
PERMANENT_LABELS_MAX = 8


def preview_map(
    markers: Sequence[PreviewMarker],
    *,
    base_url: str = STREAMLIT_STATIC_ROUTE,
    legend: str | None = None,
    fit: Sequence[PreviewMarker] | None = None,
) -> folium.Map:
    """An offline folium map of ``markers`` over the province outlines, zoomed to fit them (or
    the ones in ``fit``), drawn in order (the last on top); ``legend`` is the map's legend as
    trusted HTML (values escaped by the caller), or none."""
    framed = fit or markers
    lats = [m.lat for m in framed] or [34.5]
    lons = [m.lon for m in framed] or [69.2]
    # The dashboard's base map (outlines, province names, scale bar), without tiles: tile
    # servers may be unreachable, and the preview must look like the map it previews.
    fmap = mapview.base_map(
        tiles=False,
        static_url=base_url,
        center=(sum(lats) / len(lats), sum(lons) / len(lons)),
        zoom=8,
        legend=legend or False,
    )
    few = len(markers) <= PERMANENT_LABELS_MAX
    for m in markers:
        permanent = few if m.permanent is None else m.permanent
        colour = _COLOURS.get(m.kind, _COLOURS["changed"])
        if m.radius_km > 0:
            folium.Circle(
                [m.lat, m.lon],
                radius=m.radius_km * 1000,
                color=colour,
                weight=1,
                fill=True,
                fill_opacity=0.08,
                interactive=False,
            ).add_to(fmap)
        text = f"{m.number}. {m.label}" if m.number is not None else m.label
        if m.detail and not permanent:
            text = f"{text}: {m.detail}"
        folium.CircleMarker(
            [m.lat, m.lon],
            radius=9 if m.dashed else 5 if m.kind == "approved" else 7,
            color=colour,
            weight=2.5 if m.dashed else 3,
            dash_array="5 4" if m.dashed else None,
            fill=True,
            fill_opacity=0.25 if m.dashed else 0.9,
            tooltip=folium.Tooltip(escape(text), permanent=permanent),
        ).add_to(fmap)
    if len(framed) > 1:
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], max_zoom=10)
    return fmap
