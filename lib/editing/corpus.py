"""Adding an article to the corpus as one transaction (the text file, then its row in
articles.csv), and recovering an add that a crash interrupted."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lib.data.articles import METADATA_FILE
from lib.data.problems import Problem
from lib.data.schema import ARTICLE_COLUMNS
from lib.data.storage import atomic_write_bytes
from lib.editing.forms import ARTICLES_LABEL
from lib.editing.saving import (
    BACKUP_DIR,
    KEEP_BACKUPS,
    Journal,
    Saved,
    file_lock,
    save_failure,
    save_locked,
)
from lib.editing.snapshot import SaveError, read_snapshot

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
            raise save_failure(f"articles/{row['file']}", exc) from exc
        try:
            saved = save_locked(
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
