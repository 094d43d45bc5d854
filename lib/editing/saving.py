"""Saves that never lose work.

The files stay the single source of truth. An editor works on a
`lib.editing.snapshot.Snapshot` (the rows plus the fingerprint of the exact bytes loaded); a save

* takes an exclusive advisory lock on a sibling ``.<name>.lock`` file, so two saves, from any
  processes, never interleave their check and replace;
* refuses with `ConflictError` when the file on disk no longer has the loaded fingerprint
  (someone saved meanwhile, or edited the file by hand); `lib.editing.merge.merge_rows` then
  merges the editor's rows with the disk's by row id, and the editor saves again against the
  new fingerprint;
* copies the version it replaces to ``<data root>/.backups/<file name>/<UTC time>-<hash>.csv``,
  keeping the newest `KEEP_BACKUPS`;
* replaces the file atomically (`lib.data.storage.atomic_write_bytes`): a crash leaves the old file or
  the new one, never a mix.

Nothing here checks a password: ``ui.auth`` does, once, before any page shows a control that
calls into this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lib.data.storage import atomic_write_bytes, fingerprint
from lib.editing.snapshot import SaveError, round_trip_problem, write_rows

KEEP_BACKUPS = 10
BACKUP_DIR = ".backups"
LOCK_TIMEOUT_S = 10.0
#: A temporary file of a save older than this is left over from a crash, and removed.
STALE_TEMP_S = 600.0
_BACKUP_NAME = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{12}\.")


# --- saving -------------------------------------------------------------------------------------


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


def save_failure(label: str, exc: OSError) -> SaveError:
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
        raise save_failure(path.name, exc) from exc
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


def save_locked(
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
            raise save_failure(label, exc) from exc
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
        return save_locked(
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
