"""Durable file writes: atomic replace, backups, and detection of concurrent changes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def fingerprint(path: Path) -> str | None:
    """SHA-256 of the file's bytes, or ``None`` if it does not exist.

    Editors remember the fingerprint of what they loaded; a save compares it with the file on
    disk to detect that someone else changed it meanwhile.
    """
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except OSError:  # a directory, or unreadable: the loaders say why; nothing to compare
        return None


def atomic_write_text(path: Path, text: str) -> None:
    """``atomic_write_bytes`` of ``text`` encoded as UTF-8."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so readers see the old file or the new one, never a mix.

    Writes a temporary file in the same directory, flushes and fsyncs it, then renames it over
    the target (``os.replace`` is atomic on POSIX and Windows) and fsyncs the directory. A
    symbolic link is written through: the file it points to is replaced, the link stays.
    """
    path = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600 files; keep the permissions the file had (or would get).
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
