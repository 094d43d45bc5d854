"""A save killed at any moment leaves the old file or the new one: never a mix, never empty.

A worker process saves a ~4 MB events file in a loop through lib.editing.saving, alternating between
two versions; the test SIGKILLs it at random moments, many times, and reads the file after
each kill. A control run with a naive in-place writer shows that the same harness does catch
torn files, so the main test can fail.

Starting a Python process that imports lib.editing.snapshot takes most of a second, so one
single-threaded "fork server" subprocess imports it once and forks a fresh worker for each
round (forking the test process itself would be unsafe: pytest may be running threads).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from lib.data import csvio
from lib.data.schema import EVENT_COLUMNS
from lib.data.storage import fingerprint
from lib.editing.saving import BACKUP_DIR, list_backups, save_text

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
NAMES = [c.name for c in EVENT_COLUMNS]
ROUNDS = 40

FORK_SERVER = r"""
import os, sys
from pathlib import Path
from lib.editing.saving import BACKUP_DIR, list_backups, save_text
from lib.data.storage import fingerprint

path, old, new, backups, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4]), sys.argv[5]
texts = [Path(old).read_text(encoding="utf-8"), Path(new).read_text(encoding="utf-8")]
first = fingerprint(Path(old))

def save_forever():
    while True:
        current = fingerprint(path)
        text = texts[1] if current == first else texts[0]
        if mode == "atomic":
            save_text(path, text, current, backup_root=backups)
        else:  # the control: what a naive program does
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)

print("ready", flush=True)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            save_forever()
        finally:
            os._exit(1)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""


def big_versions(folder: Path) -> tuple[Path, Path]:
    """Two versions of a ~4 MB events file (the real rows, 250 times over), same size."""
    rows = [row for _, row in csvio.read(REPO / "events.csv", NAMES).rows]
    big = [dict(r, id=f"{r['id']}-{n}") for n in range(250) for r in rows]
    old, new = folder / "old.csv", folder / "new.csv"
    old.write_text(csvio.write(NAMES, big), encoding="utf-8")
    flipped = [dict(r, summary=r["summary"][::-1]) for r in big]
    new.write_text(csvio.write(NAMES, flipped), encoding="utf-8")
    return old, new


@contextmanager
def fork_server(target: Path, old: Path, new: Path, mode: str) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(
        [sys.executable, "-c", FORK_SERVER, str(target), str(old), str(new),
         str(target.parent / BACKUP_DIR), mode],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def kill_rounds(proc: subprocess.Popen, target: Path, rounds: int, seed: int):
    """Kill a saving worker ``rounds`` times; yield the file's bytes after each kill.

    Kill moments are spread over about three saves, so they land in every phase of one:
    reading, backing up, writing the temporary file, renaming.
    """
    rng = random.Random(seed)
    started = time.perf_counter()
    backups = target.parent / BACKUP_DIR
    save_text(target, target.read_text(), fingerprint(target), backup_root=backups)
    one_save = time.perf_counter() - started
    for _ in range(rounds):
        proc.stdin.write("go\n")
        proc.stdin.flush()
        pid = int(proc.stdout.readline())
        time.sleep(rng.uniform(0, 3 * one_save))  # a random kill moment, not a timing assertion
        os.kill(pid, signal.SIGKILL)
        assert proc.stdout.readline().strip() == "reaped"
        yield target.read_bytes()


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, bytes, bytes, Path, Path]:
    old, new = big_versions(tmp_path)
    target = tmp_path / "data" / "events.csv"
    target.parent.mkdir()
    target.write_bytes(old.read_bytes())
    return target, old.read_bytes(), new.read_bytes(), old, new


def test_a_killed_save_leaves_the_old_or_the_new_file_never_a_mix(versions):
    target, old_bytes, new_bytes, old, new = versions
    seen = {"old": 0, "new": 0}
    mid_write = 0
    with fork_server(target, old, new, "atomic") as proc:
        for n, content in enumerate(kill_rounds(proc, target, ROUNDS, seed=20210906)):
            assert content in (old_bytes, new_bytes), (
                f"round {n}: {len(content)} bytes on disk, neither version "
                f"({len(old_bytes)} / {len(new_bytes)} bytes)"
            )
            seen["old" if content == old_bytes else "new"] += 1
            mid_write += any(target.parent.glob(".events.csv.*.tmp"))
            for temp in target.parent.glob(".events.csv.*.tmp"):
                temp.unlink()  # so the next round's evidence is its own
    # The kills did interrupt saves (a temporary file was left), and saves did complete.
    assert mid_write > 0, seen
    assert seen["old"] > 0 and seen["new"] > 0, seen
    # No kill left the lock held: a save right now goes through at once.
    current = fingerprint(target)
    save_text(target, old.read_text(), current, backup_root=target.parent / ".b",
              lock_timeout_s=1.0)  # fmt: skip
    assert target.read_bytes() == old_bytes
    assert len(list_backups(target.parent / BACKUP_DIR, target)) <= 10


def test_the_harness_catches_a_torn_file_from_a_naive_writer(versions):
    target, old_bytes, new_bytes, old, new = versions
    with fork_server(target, old, new, "naive") as proc:
        torn = [
            len(content)
            for content in kill_rounds(proc, target, 10, seed=1)
            if content not in (old_bytes, new_bytes)
        ]
    assert torn, "10 kills of a naive writer never left a torn file: the harness sees nothing"
