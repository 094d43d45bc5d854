"""Who changed what, when: an append-only log of every save, and every saved version kept.

Under ``<data root>/.history/`` (ignored by git):

* ``log.jsonl``: one JSON object per save, appended under a lock, fsynced, never rewritten.
  Each names the editor, the UTC time, the file (as the data root relative path, e.g.
  ``events.csv``), the action (``save``, ``restore``, ``add article``, or ``outside`` for a
  change made outside the app), the rows added, changed (column, before, after) and deleted,
  the editor's note, and the SHA-256 of the file before and after.
* ``objects/<aa>/<sha256>.gz``: the exact bytes of each version, content-addressed and
  gzip-compressed (a CSV shrinks about fivefold), so a version can be restored (`restore`).
  Older copies without ``.gz`` are still read. After each save `prune` drops the copies that
  only saves beyond the policy need (`KEEP_SAVES`, `KEEP_DAYS`); the version each file has now
  is never dropped, and the log keeps every entry's diff.

A save is written to the log twice: first as an *intent* (the whole entry, before the file is
replaced), then a short *done* line after. A save killed in between still has its entry: an
intent without its done line counts when the file (or a later entry) holds its version, and is
ignored when the replace never happened. A line torn by a crash is skipped when reading (and
reported by `read_log`), and the next append starts on a new line. ``python -m lib history [--file F] [--event ID] [--who NAME]``
prints the list.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import gzip
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import csvio, settings
from lib.data.storage import atomic_write_bytes
from lib.editing.diff import diff_rows
from lib.editing.saving import BACKUP_DIR, save_bytes

HISTORY_DIR = ".history"
LOG_FILE = "log.jsonl"
OUTSIDE = "(outside the app)"
#: Files the app saves, relative to the data root; only these are restored.
TRACKED = ("events.csv", "geodata/gazetteer.csv", "articles/articles.csv")


def history_dir(root: Path) -> Path:
    return Path(root) / HISTORY_DIR


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: Versions kept by `prune`: those of the newest saves of each file, and of every save made in
#: the last days; older copies go. The version each file has now is always kept.
KEEP_SAVES = 50
KEEP_DAYS = 30


def _object_path(root: Path, digest: str) -> Path:
    return history_dir(root) / "objects" / digest[:2] / f"{digest}.gz"


def store(root: Path, data: bytes) -> str:
    """Keep ``data`` in the object store (once, gzip-compressed); returns its SHA-256."""
    digest = digest_of(data)
    target = _object_path(root, digest)
    if not target.exists() and not target.with_suffix("").exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same bytes always make the same file
        atomic_write_bytes(target, gzip.compress(data, compresslevel=6, mtime=0))
    return digest


def load_object(root: Path, digest: str) -> bytes | None:
    if not digest or not all(c in "0123456789abcdef" for c in digest) or len(digest) != 64:
        return None
    target = _object_path(root, digest)
    try:
        data = gzip.decompress(target.read_bytes())
    except (OSError, EOFError, zlib.error):
        try:
            data = target.with_suffix("").read_bytes()  # stored before compression
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
    """Every entry, oldest first, and a message for each line that could not be read.

    An intent without its done line (a save killed between the two) is an entry when its
    version reached the disk: the file holds it now, or a later entry starts from it.
    """
    path = history_dir(root) / LOG_FILE
    try:
        data = path.read_bytes()
    except OSError:
        return [], []
    found: list[Entry] = []
    intents: set[str] = set()
    done: set[str] = set()
    problems = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if record.get("done"):
                done.add(str(record["id"]))
                continue
            found.append(_entry(record))
            if record.get("state") == "intent":
                intents.add(found[-1].id)
        except (ValueError, KeyError, TypeError, AttributeError):
            problems.append(f"{HISTORY_DIR}/{LOG_FILE} line {number}: unreadable, skipped")
    unfinished = intents - done
    if unfinished:
        found = [
            e
            for n, e in enumerate(found)
            if e.id not in unfinished or _reached(root, e, found[n + 1 :])
        ]
    return found, problems


def _reached(root: Path, intent: Entry, later: list[Entry]) -> bool:
    """Whether the save of ``intent`` replaced its file (see `read_log`)."""
    for item in later:
        if item.file == intent.file:
            return item.before == intent.after
    try:
        return digest_of((Path(root) / intent.file).read_bytes()) == intent.after
    except OSError:
        return False


def entries(root: Path) -> list[Entry]:
    return read_log(root)[0]


def _append(root: Path, record: dict) -> Entry:
    _append_line(history_dir(root), record)
    return _entry(record)


def _append_line(folder: Path, record: dict) -> None:
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


def _rows(data: bytes | None, label: str) -> list[dict[str, str]]:
    if not data:
        return []
    text, _ = csvio.decode(data, label)
    return [row for _, row in csvio.parse(text, label, []).rows]


def diff_record(old: bytes | None, new: bytes, label: str) -> dict:
    """The rows added, changed and deleted between two versions of a CSV file, as JSON."""
    diff = diff_rows(_rows(old, label), _rows(new, label))
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
    intent: bool = False,
) -> Entry:
    """Keep both versions and append the entry of one save of ``label``; with ``intent`` the
    entry waits for its done line (`complete`), see `read_log`."""
    before = store(root, old) if old is not None else None
    after = store(root, new)
    now = _now()
    return _append(
        root,
        {
            **({"state": "intent"} if intent else {}),
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


def complete(root: Path, entry: Entry) -> None:
    """Append the done line of an intent written by `record`."""
    folder = history_dir(root)
    with contextlib.suppress(OSError):
        _append_line(folder, {"id": entry.id, "done": True})


def prune(root: Path, *, now: float | None = None) -> int:
    """Delete stored versions no entry within the policy needs; returns how many went.

    Kept: the versions (before and after) of the `KEEP_SAVES` newest entries of each file and
    of every entry from the last `KEEP_DAYS` days, the version of each file now on disk, and
    copies younger than a minute (a save may be writing its entry). Everything else, including
    copies no entry names, goes. Never raises.
    """
    now = time.time() if now is None else now
    found = entries(root)
    keep: set[str] = set()
    cutoff = dt.datetime.fromtimestamp(now - KEEP_DAYS * 86400, dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    by_file: dict[str, list[Entry]] = {}
    for item in found:
        by_file.setdefault(item.file, []).append(item)
    for items in by_file.values():
        for n, item in enumerate(items):
            if n >= len(items) - KEEP_SAVES or item.time >= cutoff:
                keep.update(d for d in (item.before, item.after) if d)
    for name in {*by_file, *TRACKED}:
        with contextlib.suppress(OSError):
            keep.add(digest_of((Path(root) / name).read_bytes()))
    removed = 0
    folder = history_dir(root) / "objects"
    try:
        stored = list(folder.glob("*/*"))
    except OSError:
        return 0
    for path in stored:
        digest = path.name.removesuffix(".gz")
        if digest in keep or path.name.startswith("."):
            continue
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < now - 60:
                path.unlink()
                removed += 1
    return removed


def _last_version(found: Iterable[Entry], label: str) -> str | None:
    last = None
    for entry in found:
        if entry.file == label:
            last = entry.after
    return last


@dataclass
class Recorder:
    """The `lib.editing.saving.Journal` of one save: records it in the history (and git, if set).

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
        _remove_stale_temps(history_dir(self.root))
        if old is not None:
            last = _last_version(entries(self.root), self.label)
            if last is not None and last != digest_of(old):
                previous = load_object(self.root, last)
                record(self.root, self.label, previous, old, who=OUTSIDE, action="outside",
                       note="changed outside the app, or by a save that did not finish")  # fmt: skip
        # The entry goes first, as an intent: a save killed after the replace keeps it.
        self.entry = record(
            self.root, self.label, old, new, who=self.who, who_label=self.who_label,
            action=self.action, note=self.note, restored_from=self.restored_from, intent=True,
        )  # fmt: skip

    def after_replace(self, path: Path, old: bytes | None, new: bytes) -> None:
        if self.entry is None:  # before_replace failed: record the save now
            self.entry = record(self.root, self.label, old, new, who=self.who,
                                who_label=self.who_label, action=self.action, note=self.note,
                                restored_from=self.restored_from)  # fmt: skip
        else:
            complete(self.root, self.entry)
        with contextlib.suppress(OSError):
            prune(self.root)
        if settings.enabled("DASHBOARD_GIT_COMMIT"):
            self.git = git_commit(self.root, path, self.entry, self.email)


def _remove_stale_temps(folder: Path) -> None:
    """Temporary copies a killed save left under ``.history`` (older than a minute)."""
    limit = time.time() - 60.0
    with contextlib.suppress(OSError):
        for temp in folder.rglob(".*.tmp"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < limit:
                    temp.unlink()


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
    found: Iterable[Entry],
    *,
    file: str = "",
    who: str = "",
    event: str = "",
    entry: str = "",
    rows: Collection[str] | None = None,
) -> list[Entry]:
    """Entries matching every filter given (file as its label, editor name, row id, entry id,
    and ``rows``: entries that touched at least one of these row ids, e.g. every draft)."""
    out = []
    for item in found:
        if rows is not None and not rows & set(item.event_ids):
            continue
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
    action: str = "restore",
) -> Recorder:
    """Save the version of ``item.file`` after (or before) ``item`` as a new save.

    The same rules as any save: refused with `lib.editing.saving.ConflictError` when the file changed
    since ``base_fingerprint`` was read, and recorded with its own entry (``action``: ``restore``,
    or ``undo`` when an editor takes back their own last save, see `undoable`).
    """
    if item.file not in TRACKED:
        raise RestoreError(f"{item.file} is not a file the app saves")
    data = version(root, item, which)
    recorder = Recorder(Path(root), item.file, who, who_label, email, action,
                        note or f"restored the version {which} entry {item.id}", item.id)  # fmt: skip
    save_bytes(
        Path(root) / item.file,
        data,
        base_fingerprint,
        backup_root=Path(root) / BACKUP_DIR,
        label=item.file,
        journal=recorder,
    )
    return recorder


def undoable(root: Path, label: str, who: str) -> Entry | None:
    """The save of ``label`` that ``who`` may undo: the newest entry of that file, when it is
    their own save, made the version on disk now, and had a version before it. ``None``
    otherwise (someone saved since, it was a restore or an undo, or the file was new)."""
    last = None
    for item in entries(root):
        if item.file == label:
            last = item
    if last is None or last.who != who or last.action != "save" or last.before is None:
        return None
    try:
        current = digest_of((Path(root) / label).read_bytes())
    except OSError:
        return None
    return last if current == last.after else None


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
