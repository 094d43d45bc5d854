"""Who changed what, when: an append-only log of every save, and every saved version kept.

Under ``<data root>/.history/`` (ignored by git):

* ``log.jsonl``: one JSON object per save, appended under a lock, fsynced, never rewritten.
  Each names the editor, the UTC time, the file (as the data root relative path, e.g.
  ``events.csv``), the action (``save``, ``restore``, ``add article``, or ``outside`` for a
  change made outside the app), the rows added, changed (column, before, after) and deleted,
  the editor's note, and the SHA-256 of the file before and after.
* ``objects/<aa>/<sha256>``: the exact bytes of each version, content-addressed, so any
  version can be restored (`restore`), however many saves ago.

A line torn by a crash is skipped when reading (and reported by `read_log`), and the next
append starts on a new line. ``python -m lib history [--file F] [--event ID] [--who NAME]``
prints the list.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import csvio, settings
from lib.data.storage import atomic_write_bytes
from lib.editing import snapshot as editing

HISTORY_DIR = ".history"
LOG_FILE = "log.jsonl"
OUTSIDE = "(outside the app)"
#: Files the app saves, relative to the data root; only these are restored.
TRACKED = ("events.csv", "geodata/gazetteer.csv", "articles/articles.csv")


def history_dir(root: Path) -> Path:
    return Path(root) / HISTORY_DIR


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(root: Path, data: bytes) -> str:
    """Keep ``data`` in the object store (once); returns its SHA-256."""
    digest = digest_of(data)
    target = history_dir(root) / "objects" / digest[:2] / digest
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
    return digest


def load_object(root: Path, digest: str) -> bytes | None:
    if not digest or not all(c in "0123456789abcdef" for c in digest) or len(digest) != 64:
        return None
    try:
        data = (history_dir(root) / "objects" / digest[:2] / digest).read_bytes()
    except OSError:
        return None
    return data if digest_of(data) == digest else None


# --- entries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of the log. ``changed`` holds ``{"id", "key", "cells": [[column, old, new]]}``."""

    id: str
    time: str
    who: str
    who_label: str
    file: str
    action: str
    before: str | None
    after: str
    added: tuple[dict[str, str], ...] = ()
    changed: tuple[dict, ...] = ()
    deleted: tuple[dict[str, str], ...] = ()
    note: str = ""
    restored_from: str = ""

    @property
    def summary(self) -> str:
        parts = [
            f"{n} {what}"
            for n, what in (
                (len(self.added), "added"),
                (len(self.changed), "changed"),
                (len(self.deleted), "deleted"),
            )
            if n
        ]
        return ", ".join(parts) or "no row changed"

    @property
    def event_ids(self) -> set[str]:
        """Row ids this entry added, changed or deleted."""
        ids = {r.get("id", "") for r in (*self.added, *self.deleted)}
        ids |= {c.get("id", "") for c in self.changed}
        return {i for i in ids if i}

    @property
    def when(self) -> str:
        """'2026-12-01 21:03 UTC'."""
        return self.time.replace("T", " ")[:16] + " UTC"


def _entry(record: Mapping) -> Entry:
    return Entry(
        id=str(record["id"]),
        time=str(record["time"]),
        who=str(record["who"]),
        who_label=str(record.get("who_label") or record["who"]),
        file=str(record["file"]),
        action=str(record.get("action", "save")),
        before=record.get("before"),
        after=str(record["after"]),
        added=tuple(record.get("added", ())),
        changed=tuple(record.get("changed", ())),
        deleted=tuple(record.get("deleted", ())),
        note=str(record.get("note", "")),
        restored_from=str(record.get("restored_from", "")),
    )


def read_log(root: Path) -> tuple[list[Entry], list[str]]:
    """Every entry, oldest first, and a message for each line that could not be read."""
    path = history_dir(root) / LOG_FILE
    try:
        data = path.read_bytes()
    except OSError:
        return [], []
    entries, problems = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            entries.append(_entry(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            problems.append(f"{HISTORY_DIR}/{LOG_FILE} line {number}: unreadable, skipped")
    return entries, problems


def entries(root: Path) -> list[Entry]:
    return read_log(root)[0]


def _append(root: Path, record: dict) -> Entry:
    folder = history_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    fd = os.open(folder / LOG_FILE, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # appends from several processes never interleave
        size = os.fstat(fd).st_size
        if size:
            os.lseek(fd, size - 1, os.SEEK_SET)
            if os.read(fd, 1) != b"\n":  # a line torn by a crash: start afresh
                line = b"\n" + line
        os.write(fd, line + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return _entry(record)


def _rows(data: bytes | None, label: str) -> list[dict[str, str]]:
    if not data:
        return []
    text, _ = csvio.decode(data, label)
    return [row for _, row in csvio.parse(text, label, []).rows]


def diff_record(old: bytes | None, new: bytes, label: str) -> dict:
    """The rows added, changed and deleted between two versions of a CSV file, as JSON."""
    diff = editing.diff_rows(_rows(old, label), _rows(new, label))
    return {
        "added": [dict(r) for r in diff.added],
        "changed": [
            {
                "id": change.new.get("id", ""),
                "key": change.key,
                "cells": [[c.column, c.old, c.new] for c in change.cells],
            }
            for change in diff.changed
        ],
        "deleted": [dict(r) for r in diff.deleted],
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record(
    root: Path,
    label: str,
    old: bytes | None,
    new: bytes,
    *,
    who: str,
    who_label: str = "",
    action: str = "save",
    note: str = "",
    restored_from: str = "",
) -> Entry:
    """Keep both versions and append the entry of one save of ``label``."""
    before = store(root, old) if old is not None else None
    after = store(root, new)
    now = _now()
    return _append(
        root,
        {
            "id": now.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(2),
            "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "who": who,
            "who_label": who_label or who,
            "file": label,
            "action": action,
            "before": before,
            "after": after,
            **diff_record(old, new, label),
            "note": note.strip(),
            "restored_from": restored_from,
        },
    )


def _last_version(found: Iterable[Entry], label: str) -> str | None:
    last = None
    for entry in found:
        if entry.file == label:
            last = entry.after
    return last


@dataclass
class Recorder:
    """The `lib.editing.snapshot.Journal` of one save: records it in the history (and git, if set).

    Before replacing, it notices when the file on disk is not the version the history last
    recorded (a hand edit, a ``git pull``, or a save killed before its entry) and records that
    change first, as ``outside``, so every entry's diff is against the version before it.
    """

    root: Path
    label: str
    who: str
    who_label: str = ""
    email: str = ""
    action: str = "save"
    note: str = ""
    restored_from: str = ""
    entry: Entry | None = None
    git: str = ""  # what the git commit said, when DASHBOARD_GIT_COMMIT is on
    _problems: list[str] = field(default_factory=list)

    def before_replace(self, path: Path, old: bytes | None, new: bytes) -> None:
        store(self.root, new)
        if old is None:
            return
        last = _last_version(entries(self.root), self.label)
        if last is not None and last != digest_of(old):
            previous = load_object(self.root, last)
            record(self.root, self.label, previous, old, who=OUTSIDE, action="outside",
                   note="changed outside the app, or by a save that did not finish")  # fmt: skip

    def after_replace(self, path: Path, old: bytes | None, new: bytes) -> None:
        self.entry = record(
            self.root, self.label, old, new, who=self.who, who_label=self.who_label,
            action=self.action, note=self.note, restored_from=self.restored_from,
        )  # fmt: skip
        if settings.enabled("DASHBOARD_GIT_COMMIT"):
            self.git = git_commit(self.root, path, self.entry, self.email)


# --- git ----------------------------------------------------------------------------------------


def git_commit(root: Path, path: Path, entry: Entry, email: str = "") -> str:
    """Commit ``path`` alone, with the editor as author; returns what happened, in words.

    Never raises: a failed commit does not undo the save. The committer is the app
    (``newsmap dashboard``), so the commit shows who typed the change and what made it.
    """
    author = f"{entry.who_label} <{email or entry.who + '@editors.invalid'}>"
    message = f"{entry.file}: {entry.summary} ({entry.action} by {entry.who})"
    if entry.note:
        message += f"\n\n{entry.note}"
    message += f"\n\nHistory-Entry: {entry.id}"
    base = ["git", "-C", str(root), "-c", "user.name=newsmap dashboard",
            "-c", "user.email=dashboard@localhost"]  # fmt: skip
    try:
        inside = subprocess.run(base + ["rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, timeout=20)  # fmt: skip
        if inside.stdout.strip() != "true":
            return "not committed to git: the data is not in a git work tree"
        relative = os.path.relpath(path, root)
        subprocess.run(base + ["add", "--", relative], check=True, capture_output=True,
                       text=True, timeout=20)  # fmt: skip
        done = subprocess.run(base + ["commit", "-q", "--author", author, "-m", message,
                                      "--", relative], capture_output=True, text=True, timeout=60)  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return f"not committed to git: {exc}"
    if done.returncode != 0:
        return f"not committed to git: {(done.stderr or done.stdout).strip()[:200]}"
    return f"committed to git as {author}"


# --- reading the history ------------------------------------------------------------------------


def select(
    found: Iterable[Entry], *, file: str = "", who: str = "", event: str = "", entry: str = ""
) -> list[Entry]:
    """Entries matching every filter given (file as its label, editor name, row id, entry id)."""
    out = []
    for item in found:
        if file and item.file != file:
            continue
        if who and who not in (item.who, item.who_label):
            continue
        if event and event not in item.event_ids:
            continue
        if entry and item.id != entry:
            continue
        out.append(item)
    return out


def log_stamp(root: Path) -> str:
    """Changes whenever the log does (size and mtime): a cache key for `last_change_by_event`."""
    try:
        info = (history_dir(root) / LOG_FILE).stat()
    except OSError:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}"


def last_change_by_event(root: Path) -> dict[str, tuple[str, str]]:
    """``{event id: (who, when)}`` of the last entry that added or changed each event of
    ``events.csv``; ``when`` is 'YYYY-MM-DD HH:MM UTC'. Changes outside the app count too."""
    out: dict[str, tuple[str, str]] = {}
    for item in entries(root):
        if item.file != "events.csv":
            continue
        for row_id in {r.get("id", "") for r in item.added} | {
            c.get("id", "") for c in item.changed
        }:
            if row_id:
                out[row_id] = (item.who_label, item.when)
        for row in item.deleted:
            out.pop(row.get("id", ""), None)
    return out


class RestoreError(Exception):
    """A version cannot be restored; the message says why."""


def version(root: Path, item: Entry, which: str = "after") -> bytes:
    """The bytes of the file after (or before) ``item``."""
    digest = item.after if which == "after" else item.before
    if digest is None:
        raise RestoreError(f"{item.file} did not exist before entry {item.id}")
    data = load_object(root, digest)
    if data is None:
        raise RestoreError(f"the copy of {item.file} from entry {item.id} is missing or damaged")
    return data


def restore(
    root: Path,
    item: Entry,
    base_fingerprint: str | None,
    *,
    who: str,
    who_label: str = "",
    email: str = "",
    which: str = "after",
    note: str = "",
) -> Recorder:
    """Save the version of ``item.file`` after (or before) ``item`` as a new save.

    The same rules as any save: refused with `lib.editing.snapshot.ConflictError` when the file changed
    since ``base_fingerprint`` was read, and recorded with its own entry (action ``restore``).
    """
    if item.file not in TRACKED:
        raise RestoreError(f"{item.file} is not a file the app saves")
    data = version(root, item, which)
    recorder = Recorder(Path(root), item.file, who, who_label, email, "restore",
                        note or f"restored the version {which} entry {item.id}", item.id)  # fmt: skip
    editing.save_bytes(
        Path(root) / item.file,
        data,
        base_fingerprint,
        backup_root=Path(root) / editing.BACKUP_DIR,
        label=item.file,
        journal=recorder,
    )
    return recorder


# --- the command line ---------------------------------------------------------------------------


def format_entry(item: Entry) -> str:
    line = f"{item.id}  {item.when}  {item.who_label}  {item.file}  {item.action}: {item.summary}"
    ids = sorted(item.event_ids)
    if ids:
        line += " [" + ", ".join(ids[:8]) + (", ..." if len(ids) > 8 else "") + "]"
    if item.restored_from:
        line += f" (from {item.restored_from})"
    if item.note:
        line += f" - {item.note}"
    return line


def main(argv: list[str] | None = None) -> int:
    from lib.data.dataset import data_dir

    parser = argparse.ArgumentParser(prog="python -m lib history", description="List the saves.")
    parser.add_argument("--root", type=Path, default=None, help="data directory")
    parser.add_argument("--file", default="", help="e.g. events.csv or geodata/gazetteer.csv")
    parser.add_argument("--event", default="", help="only saves that touched this row id")
    parser.add_argument("--who", default="", help="only saves by this editor")
    parser.add_argument("--entry", default="", help="one entry, with its whole diff")
    args = parser.parse_args(argv)
    root = args.root or data_dir()
    found, problems = read_log(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    chosen = select(found, file=args.file, who=args.who, event=args.event, entry=args.entry)
    for item in chosen:
        print(format_entry(item))
        if args.entry:
            for row in item.added:
                print(f"  + {json.dumps(row, ensure_ascii=False)}")
            for change in item.changed:
                for column, old, new in change["cells"]:
                    print(f"  ~ {change['key']}.{column}: {old!r} -> {new!r}")
            for row in item.deleted:
                print(f"  - {json.dumps(row, ensure_ascii=False)}")
    if not chosen:
        print("no saves recorded" + (" that match" if found else ""))
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        raise SystemExit(main())
