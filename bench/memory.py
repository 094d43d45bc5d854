"""``python -m bench.memory`` (part of ``make bench``): what one app process needs in memory.

For each size N (events; data from ``bench.generate``) it starts one process as ``make run``
and ``make serve`` do (``ui.replica``: the data is loaded and validated, and the caches the
pages read are filled, before the server answers), reads its resident memory once it answers,
then opens ``--sessions`` reader sessions over the websocket (``bench.load.Viewer``: each runs
the whole page once and keeps its session) and reads it again, with the kernel's peak
(``VmHWM``). Results replace the section between the ``memory`` markers of bench/results.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
from pathlib import Path

from bench import generate, live
from bench.load import Viewer, server_pids, status_kb
from tests.support.server import streamlit_server

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"
START, END = "<!-- memory: written by python -m bench.memory -->", "<!-- /memory -->"
SIZES = (1_000, 10_000, 100_000)


def rss_mb(port: int, name: str = "VmRSS") -> float:
    """``name`` (VmRSS or VmHWM) of the process on ``port`` and its children, in MB."""
    return sum(status_kb(pid, name) for pid in server_pids(port)) / 1024


async def sessions(port: int, count: int) -> list[Viewer]:
    viewers = [Viewer(port) for _ in range(count)]
    for viewer in viewers:
        await viewer.connect()
    return viewers


def measure(n: int, count: int) -> dict[str, float]:
    data_dir = generate.ensure(n)
    env = {"DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(data_dir)}
    with streamlit_server(REPO / "dashboard.py", env=env, timeout=900, replica=True) as url:
        port = int(url.rsplit(":", 1)[1])
        started = rss_mb(port)

        async def run() -> float:
            viewers = await sessions(port, count)
            after = rss_mb(port)
            for viewer in viewers:
                await viewer.close()
            return after

        after = asyncio.run(run())
        return {"started": started, "sessions": after, "peak": rss_mb(port, "VmHWM")}


def report(rows: list[tuple[int, dict[str, float]]], count: int) -> str:
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        START,
        "## Memory of one app process (`python -m bench.memory`)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"load average {load}. One process started as `make run` and `make serve` start it "
        "(`ui.replica`: the data loaded and the page's caches filled before it answers); its "
        "resident memory (it and its children) once it answers, then with "
        f"{count} reader sessions open (each ran the whole page once), and the kernel's peak.",
        "",
        f"| events | started MB | with {count} sessions MB | peak MB |",
        "|---:|---:|---:|---:|",
    ]
    for n, row in rows:
        lines.append(
            f"| {n:,} | {row['started']:.0f} | {row['sessions']:.0f} | {row['peak']:.0f} |"
        )
    lines.append(END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.memory", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES))
    parser.add_argument("--sessions", type=int, default=10, help="reader sessions to open")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    args = parser.parse_args(argv)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        row = measure(n, args.sessions)
        print(n, {k: round(v) for k, v in row.items()}, flush=True)
        rows.append((n, row))
    live.write(report(rows, args.sessions), START, END, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
