"""``python -m bench.exports``: the journalists' exports, timed as a user runs them.

Each measure is the wall time of one ``python -m lib export ...`` process (Python start,
data load, Chromium, encoding), on bench.generate's synthetic data:

- GIF and MP4 of 21 days at 1080x1080 (a window of the last 21 days, 10,000 events): time
  and file size; targets: GIF under 15 MB, MP4 at most 30 s;
- PDF at 1600x900, 10,000 events: time and size;
- PNG at every preset at 100,000 events, the first call (loads and validates the data, then
  caches it) and the next ones (from the cache); target: at most 3 s at every size.

The section replaces the one between the ``exports`` markers of bench/results.md (``--out``
for another file, ``--no-write`` to print only). ``--events`` and ``--big`` change the data
sizes for a quick look.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import generate, live
from lib.pictures.presentation import PRESETS

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"
START, END = "<!-- exports: written by python -m bench.exports -->", "<!-- /exports -->"
ANIMATION_DAYS = 21
ANIMATION_SIZE = "1080x1080"
VECTOR_SIZE = "1600x900"
GIF_MAX_MB = 15.0
MP4_MAX_S = 30.0
PNG_MAX_S = 3.0
#: CPU seconds of each successful run, in order (shown beside the wall time).
CPU: dict[int, float] = {}


def _run(args: list[str], data_dir: Path, cache: Path) -> tuple[float | None, str]:
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data_dir), "XDG_CACHE_HOME": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lib", "export", *args],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None, "took over 900 s"
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the process and everything it started (Chromium, ffmpeg): unlike wall
    # time, it hardly changes when other work shares the machine.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or ["failed"])[-1]
    CPU[len(CPU)] = cpu
    return seconds, ""


def _mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def measure(events: int, big: int, log: Callable[[str], None]) -> list[tuple[str, str, str, str]]:
    """Rows of (measure, time, size, target met?) for the section."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out, cache = Path(tmp), Path(tmp) / "cache"
        data = generate.ensure(events)
        info = json.loads((data / "GENERATED.json").read_text(encoding="utf-8"))
        last = dt.date.fromisoformat(info.get("last_day") or "2021-09-29")
        first = last - dt.timedelta(days=ANIMATION_DAYS - 1)
        view = ["--from", first.isoformat(), "--to", last.isoformat()]
        # The first call loads and caches the data; it is timed apart (see the PNG rows).
        seconds, error = _run(["alt", *view], data, cache)
        log(f"  warm-up (load and cache {events:,} events): {seconds} {error}")
        for kind in ("gif", "mp4"):
            file = out / f"a.{kind}"
            seconds, error = _run(
                [kind, *view, "--size", ANIMATION_SIZE, "--out", str(file)], data, cache
            )
            size = f"{_mb(file):.2f} MB" if seconds else error
            met = (
                (f"{'yes' if _mb(file) < GIF_MAX_MB else '**no**'} (< {GIF_MAX_MB:g} MB)")
                if kind == "gif" and seconds
                else (f"{'yes' if seconds <= MP4_MAX_S else '**no**'} (≤ {MP4_MAX_S:g} s)")
                if seconds
                else "not run"
            )
            rows.append((f"{kind.upper()}, {ANIMATION_DAYS} days at {ANIMATION_SIZE}, "
                         f"{events:,} events", _s(seconds), size, met))  # fmt: skip
            log(f"  {rows[-1]}")
        file = out / "a.pdf"
        seconds, error = _run(
            ["pdf", *view, "--size", VECTOR_SIZE, "--out", str(file)], data, cache
        )
        rows.append((f"PDF at {VECTOR_SIZE}, {events:,} events", _s(seconds),
                     f"{_mb(file):.2f} MB" if seconds else error, ""))  # fmt: skip
        log(f"  {rows[-1]}")

        data = generate.ensure(big)
        info = json.loads((data / "GENERATED.json").read_text(encoding="utf-8"))
        day = info.get("last_day") or "2021-09-29"
        for index, preset in enumerate(PRESETS):
            file = out / f"{preset}.png"
            seconds, error = _run(
                ["png", "--to", day, "--size", preset, "--out", str(file)], data, cache
            )
            what = "first call: loads, validates and caches" if index == 0 else "data from cache"
            met = f"{'yes' if seconds <= PNG_MAX_S else '**no**'}" if seconds else "not run"
            if index == 0:
                met = "(not a target: once per data change)"
            rows.append((f"PNG {preset}, {big:,} events ({what})", _s(seconds),
                         f"{_mb(file):.2f} MB" if seconds else error, met))  # fmt: skip
            log(f"  {rows[-1]}")
        # The first preset again, now that the data is cached: the target applies to it too.
        file = out / "again.png"
        preset = next(iter(PRESETS))
        seconds, error = _run(
            ["png", "--to", day, "--size", preset, "--out", str(file)], data, cache
        )
        rows.append((f"PNG {preset}, {big:,} events (data from cache)", _s(seconds),
                     f"{_mb(file):.2f} MB" if seconds else error,
                     f"{'yes' if seconds and seconds <= PNG_MAX_S else '**no**'}"))  # fmt: skip
        log(f"  {rows[-1]}")
    return rows


def _s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.2f} s (CPU {CPU[len(CPU) - 1]:.1f} s)"


def section(rows: list[tuple[str, str, str, str]]) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    lines = [
        START,
        f"## Exports (bench/exports.py, {when}, load average at the end {load})",
        "",
        "Wall time of one `python -m lib export ...` process each (Python start, data load, "
        "headless Chromium, encoding), on 2 shared cores. GIF, MP4 and PDF: a window of the "
        f"last {ANIMATION_DAYS} days of the synthetic data. PNG rows: `--scale 2` (the PNG "
        "has twice the preset's pixels), the view up to the last day. Targets are judged on wall "
        "time; the CPU time beside it hardly depends on what else runs on the machine, and "
        "the load average at the end of the run is given.",
        "",
        "| export | wall time (CPU time of all its processes) | file | target met? |",
        "|---|---:|---:|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines += ["", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__)
    parser.add_argument("--events", type=int, default=10_000, help="data for GIF, MP4, PDF")
    parser.add_argument("--big", type=int, default=100_000, help="data for the PNG rows")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {message}", flush=True)

    text = section(measure(args.events, args.big, log))
    print(text)
    if not args.no_write:
        live.write(text, START, END, args.out)
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
