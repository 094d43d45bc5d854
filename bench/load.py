"""``python -m bench.load`` (part of ``make bench``): how many concurrent viewers one server holds.

One dashboard server on a generated data set (``bench.generate``, 1,000 events by default).
For each level of a ladder (1, 2, 4, 8 ... viewers) that many viewers connect, then all scrub
the timeline for ``--seconds``: each *settles* on the day before the one it shows (as a reader
does on releasing the slider, or on pausing Play), waits until the server has rerun the page's
``st.fragment``, pauses ``--think`` seconds and settles again. Dragging itself costs the server
nothing (the browser repaints the map alone), so settles are all the server sees of a scrub;
one a second is more than a reader makes (holding an arrow key settles only when it is let go).
Meanwhile ``/_stcore/health`` is asked every ``HEALTH_EVERY_S``. A level is held when the 95th
percentile of both the settle and the health latency is under 1 s and no settle failed; the
answer is the largest level held.

A viewer is Streamlit's own websocket protocol spoken directly, not a browser: a Chromium per
viewer would load the 2 cores more than the server does and measure the client. A settle is
the message Chromium sends when the timeline component (``ui/timeline.py``, key
``view.timeline``) sets its state: a ``rerun_script`` ``BackMsg`` whose widget states hold the
component's ``json_value`` ``{"view": {"mode", "start", "end"}}`` and whose ``fragment_id`` is
that of the fragment drawing the component, so only the fragment reruns. Like the browser, a
viewer sends the hashes of the messages it has cached (the server then sends a reference
instead of the message again) and the query string the server last wrote. Unlike it, it sends
only the component's state, not every widget's: the server keeps the others as they were. A
settle's time runs from that message sent to the fragment's ``script_finished`` received, and
the viewer checks that the permalink the server wrote shows the new day; the browser's own
work on the answer (panel, table) comes on top. A viewer connects as a browser tab does: the
page's first run (the map first), then the timeline's trigger ``painted`` (the map has
painted), on which the server draws the whole page; *connect* times both.

Results replace the section between the ``load`` markers of bench/results.md and the figure
between the same markers in docs/scale.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import generate, live
from bench.live import percentile
from tests.support.cluster import serve_cluster
from tests.support.server import streamlit_server
from ui import session
from ui.session import painted_message, settle_message

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"
README = REPO / "docs" / "scale.md"
START, END = "<!-- load: written by python -m bench.load -->", "<!-- /load -->"
LADDER = (1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128)
LIMIT_S = 1.0
HEALTH_EVERY_S = 0.25
#: A settle or a first run that takes longer than this counts as failed.
STEP_TIMEOUT_S = 30.0


class Viewer:
    """One browser tab's worth of Streamlit session, driven over the websocket."""

    def __init__(self, port: int) -> None:
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.origin = f"http://127.0.0.1:{port}"
        self.ws = None
        self.page_hash = ""
        self.query = ""
        self.cached: set[str] = set()
        self.timeline_id = ""
        self.fragment_id = ""
        self.first: dt.date | None = None
        self.ndays = 0
        self.day = 0  # offset from ``first`` of the day shown
        self.received = 0  # bytes received during the last run

    async def _run(self, msg: BackMsg) -> session.Run:
        """Send ``msg`` and read the answer until the run finished (``ui.session.run``); keep
        what the next message needs: the page, the permalink, the cache, the timeline."""
        run = await session.run(self.ws, msg, STEP_TIMEOUT_S)
        self.received = run.received
        self.cached |= run.cached
        self.page_hash = self.page_hash if run.page_hash is None else run.page_hash
        self.query = self.query if run.query is None else run.query
        if run.timeline is not None:
            self.timeline_id, self.fragment_id = run.timeline_id, run.fragment_id
            if "partial" not in run.timeline:  # a settle's rerun sends only the dates
                self.first = dt.date.fromisoformat(run.timeline["first"])
                self.ndays = int(run.timeline["ndays"])
            self.day = int(run.timeline["end"])
        return run

    async def connect(self) -> float:
        """Open a session as a new browser tab does: the page's first run, then the whole page
        once the map says it painted."""
        start = time.perf_counter()
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], origin=self.origin, max_size=None
        )
        await self._run(session.first_run_message())
        if not (self.timeline_id and self.fragment_id and self.first):
            raise RuntimeError("the page drew no timeline component inside a fragment")
        painted = painted_message(
            self.timeline_id, self.fragment_id, page_hash=self.page_hash, query=self.query
        )
        whole = await self._run(painted)
        if whole.status != ForwardMsg.FINISHED_SUCCESSFULLY or not whole.panel:
            raise RuntimeError("the map's first paint did not draw the whole page")
        return time.perf_counter() - start

    async def settle(self) -> tuple[float, int]:
        """Settle one day back (wrapping to the last day); seconds and bytes received."""
        self.day = self.day - 1 if self.day > 0 else self.ndays - 1
        first = self.first.isoformat()
        end = (self.first + dt.timedelta(days=self.day)).isoformat()
        msg = settle_message(
            self.timeline_id,
            self.fragment_id,
            {"mode": "cumulative", "start": first, "end": end},
            page_hash=self.page_hash,
            query=self.query,
            cached=tuple(sorted(self.cached)),
        )
        start = time.perf_counter()
        run = await self._run(msg)
        seconds = time.perf_counter() - start
        if run.status != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
            raise RuntimeError("the settle reran the whole page, not the fragment")
        if f"to={end}" not in self.query:
            raise RuntimeError(f"the settle on {end} left the permalink at {self.query!r}")
        return seconds, self.received

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


# --- the server process -----------------------------------------------------------------------


def server_pids(port: int) -> list[int]:
    """The streamlit process listening on ``port`` and its descendants (from /proc)."""
    parents: dict[int, int] = {}
    root = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        # `streamlit run ... --server.port P`, or a replica of `lib serve` (`ui.replica --port P`)
        flag = b"--server.port" if b"--server.port" in cmdline else b"--port"
        if (b"streamlit" in cmdline or b"ui.replica" in cmdline) and flag in cmdline:
            if cmdline[cmdline.index(flag) + 1] == str(port).encode():
                root = pid
    if root is None:
        return []
    found = [root]
    for pid in found:
        found.extend(p for p, parent in parents.items() if parent == pid and p not in found)
    return found


def status_kb(pid: int, name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler:
    """Peak memory of the server: the kernel's VmHWM of the streamlit process, and the largest
    sum of VmRSS over it and its children, sampled every 0.2 s (psutil is not in the venv)."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.pids: list[int] = []
        self.peak_tree_kb = 0
        self.hwm_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.pids:
                self.pids = [pid for port in self.ports for pid in server_pids(port)]
            total = sum(status_kb(p, "VmRSS") for p in self.pids)
            self.peak_tree_kb = max(self.peak_tree_kb, total)
            self._stop.wait(0.2)

    def __exit__(self, *exc: object) -> None:
        self.hwm_kb = status_kb(self.pids[0], "VmHWM") if self.pids else 0
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return max(self.peak_tree_kb, self.hwm_kb) / 1024


def server_cpu_s(ports: list[int]) -> float:
    """User + system CPU seconds used so far by the servers on ``ports`` and their children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in (pid for port in ports for pid in server_pids(port)):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


# --- one level --------------------------------------------------------------------------------


@dataclass
class Level:
    viewers: int
    steps: list[float] = field(default_factory=list)  # settle latencies, s
    step_bytes: list[int] = field(default_factory=list)
    connects: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    peak_mb: float = 0.0
    cpu_s: float = 0.0  # server CPU time (user + system) over the scrubbing window

    @property
    def cpu_ms_per_step(self) -> float | None:
        return 1000 * self.cpu_s / len(self.steps) if self.steps else None

    def p(self, values: list[float], q: float) -> float | None:
        """The ``q``-th percentile (0-100) of ``values``, or None when there are none."""
        return percentile(values, q / 100) if values else None

    @property
    def held(self) -> bool:
        step95, health95 = self.p(self.steps, 95), self.p(self.health, 95)
        return (
            not self.failures
            and step95 is not None
            and health95 is not None
            and step95 < LIMIT_S
            and health95 < LIMIT_S
        )


def _health_once(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=STEP_TIMEOUT_S) as response:
        response.read()
    return time.perf_counter() - start


async def run_level(
    port: int, viewers: int, seconds: float, think: float, servers: list[int] | None = None
) -> Level:
    """Connect ``viewers`` sessions, then let them all scrub for ``seconds``.

    Connecting is timed apart (a burst of new sessions is not what a steady audience does);
    the settle and health latencies are those of the scrubbing window only. ``servers``: the
    ports whose processes' CPU is counted (default ``port``; the replicas behind nginx).
    """
    servers = servers or [port]
    level = Level(viewers)
    stop = asyncio.Event()
    health_url = f"http://127.0.0.1:{port}/_stcore/health"
    sessions = [Viewer(port) for _ in range(viewers)]

    async def connect(v: Viewer, index: int) -> None:
        try:
            level.connects.append(await v.connect())
        except Exception as error:  # noqa: BLE001 - a failed viewer is a result
            level.failures.append(f"viewer {index} connect: {type(error).__name__}: {error}")

    async def probe() -> None:
        while not stop.is_set():
            try:
                level.health.append(await asyncio.to_thread(_health_once, health_url))
            except Exception as error:  # noqa: BLE001 - a failed probe is a result
                level.failures.append(f"health: {error}")
            await asyncio.sleep(HEALTH_EVERY_S)

    async def scrub(v: Viewer, index: int) -> None:
        try:
            await asyncio.sleep(think * index / viewers)  # spread the first settles
            while not stop.is_set():
                seconds, received = await v.settle()
                level.steps.append(seconds)
                level.step_bytes.append(received)
                await asyncio.sleep(think)
        except Exception as error:  # noqa: BLE001 - a failed viewer is a result
            level.failures.append(f"viewer {index}: {type(error).__name__}: {error}")

    try:
        await asyncio.gather(*(connect(v, i) for i, v in enumerate(sessions)))
        connected = [v for v in sessions if v.fragment_id]
        cpu_before = server_cpu_s(servers)
        prober = asyncio.create_task(probe())
        tasks = [asyncio.create_task(scrub(v, i)) for i, v in enumerate(connected)]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)
        await prober
        level.cpu_s = server_cpu_s(servers) - cpu_before
    finally:
        await asyncio.gather(*(v.close() for v in sessions), return_exceptions=True)
    return level


# --- report -----------------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fmt_ms(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"


def best_held(levels: list[Level]) -> int:
    held = [lv.viewers for lv in levels if lv.held]
    return max(held) if held else 0


def markers(replicas: int) -> tuple[str, str]:
    """The section's markers in bench/results.md: one section per replica count."""
    if not replicas:
        return START, END
    return (
        f"<!-- load-replicas-{replicas}: written by python -m bench.load --replicas {replicas} -->",
        f"<!-- /load-replicas-{replicas} -->",
    )


def report(levels: list[Level], info: dict[str, str], replicas: int = 0) -> str:
    best = best_held(levels)
    start, end = markers(replicas)
    where = (
        f"{replicas} replica{'s' if replicas != 1 else ''} behind nginx (`python -m lib serve`)"
        if replicas
        else "one server (live timeline)"
    )
    missed = [lv.viewers for lv in levels if not lv.held]
    costs = [lv.cpu_ms_per_step for lv in levels if lv.cpu_ms_per_step]
    cpu = statistics.median(costs) if costs else None
    per_s = f"{1000 / cpu:.1f}" if cpu else "?"
    per_10s = f"{10_000 / cpu:.0f}" if cpu else "?"
    lines = [
        start,
        f"## Concurrent viewers on {where}",
        "",
        f"Measured by `python -m bench.load` on {info['date']}: {info['events']} events, "
        f"{info['cpu']}, load average at start {info['load']}. Each viewer settles the "
        f"timeline one day back every {info['think']} s (plus the settle's own time), for "
        f"{info['seconds']} s per level.",
        "",
        f"**{where[0].upper() + where[1:]} held {best} concurrent viewers** with the 95th percentile of both the "
        f"settle and the health latency under {LIMIT_S:g} s and no failure"
        + (f"; {min(missed)} did not." if missed else f" ({best} was the largest level tried).")
        + " A settle is measured at the server's websocket (the component's state sent to the "
        "fragment's rerun finished); the browser's drawing of the panel and table comes on top.",
        "",
        f"Each settle cost the server a median {fmt_ms(cpu)} ms of CPU time (user + system, all "
        f"its threads, sending included). The machine's load average was {info['load']} on "
        f"{os.cpu_count()} cores, so the latencies above include waiting for a core. For a core "
        "of its own, an estimate: a process runs its scripts on about one core (Python's GIL), "
        f"so it completes about {per_s} settles a second: about {per_s} viewers each settling "
        f"once a second, or {per_10s} readers each settling once every 10 seconds, before "
        "settles queue.",
        "",
        "| viewers | settles | settle median s | settle p95 s | KB received per settle "
        "| health p95 s | health max s | connect median s | server CPU ms per settle "
        "| peak RSS MB so far | held? |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for lv in levels:
        connect = statistics.median(lv.connects) if lv.connects else None
        kb = statistics.median(lv.step_bytes) / 1024 if lv.step_bytes else None
        lines.append(
            f"| {lv.viewers} | {len(lv.steps)} | {fmt(lv.p(lv.steps, 50))} | "
            f"{fmt(lv.p(lv.steps, 95))} | {fmt_ms(kb)} | {fmt(lv.p(lv.health, 95))} | "
            f"{fmt(max(lv.health) if lv.health else None)} | {fmt(connect)} | "
            f"{fmt_ms(lv.cpu_ms_per_step)} | {lv.peak_mb:.0f} | {'yes' if lv.held else 'no'} |"
        )
    failures = [f for lv in levels for f in lv.failures]
    if failures:
        lines += ["", "Failures: " + "; ".join(sorted(set(failures))[:5])]
    lines += [
        "",
        "Definitions: *settle*, the timeline component's new state sent with the fragment's "
        "id to that fragment's `script_finished` received, per viewer (the permalink the "
        "server writes is checked to show the new day); *KB received*, the server's answer to "
        "one settle; *health*, GET `/_stcore/health` every 0.25 s from one more client; "
        "*connect*, a new session's first run of the page (the map, with every day's data, "
        "and the timeline) and the run of the whole page that the map's first paint asks "
        "for; percentiles over all viewers of the level. A level ends after its "
        "duration; the next starts on the same (warm) server.",
        end,
    ]
    return "\n".join(lines)


def readme_figure(levels: list[Level], info: dict[str, str]) -> str:
    """The sentence docs/scale.md carries, between the ``load`` markers.

    Indented by two spaces: the markers sit inside a list item there.
    """
    best = best_held(levels)
    at_best = next((lv for lv in levels if lv.viewers == best), None)
    costs = [lv.cpu_ms_per_step for lv in levels if lv.cpu_ms_per_step]
    cpu = statistics.median(costs) if costs else None
    detail = (
        f" (settle p95 {fmt(at_best.p(at_best.steps, 95))} s, health p95 "
        f"{fmt(at_best.p(at_best.health, 95))} s)"
        if at_best
        else ""
    )
    return "\n  ".join(
        [
            START,
            f"Measured on {info['date']} at {info['events']} events, {info['cpu']}, load average "
            f"{info['load']}: one server held **{best} concurrent viewers**{detail}, each "
            f"settling once every {info['think']} s; a settle cost the server a median "
            f"{fmt_ms(cpu)} ms of CPU.",
            END,
        ]
    )


@contextmanager
def _server(data_dir: Path, env: dict[str, str], replicas: int) -> Iterator[tuple[int, list[int]]]:
    """The port readers connect to, and the ports of the processes doing the work."""
    if not replicas:
        with streamlit_server(REPO / "dashboard.py", env=env, timeout=120) as url:
            port = int(url.rsplit(":", 1)[1])
            yield port, [port]
        return
    with (
        tempfile.TemporaryDirectory(prefix="bench-serve-") as workdir,
        serve_cluster(data_dir, Path(workdir), replicas) as cluster,
    ):
        yield int(cluster.url.rsplit(":", 1)[1]), cluster.ports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--events", type=int, default=1_000, help="generated events (1000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each level")
    parser.add_argument("--think", type=float, default=1.0, help="pause between settles, s")
    parser.add_argument(
        "--ladder", default=",".join(map(str, LADDER)), help="viewer counts, comma-separated"
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=0,
        help="N app processes behind nginx (python -m lib serve); 0: one streamlit run (default)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument(
        "--readme", type=Path, default=README, help="document with the figure (docs/scale.md)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    ladder = [int(x) for x in args.ladder.split(",") if x.strip()]
    data_dir = generate.ensure(args.events)
    env = {"DASHBOARD_DATA_DIR": str(data_dir), "DASHBOARD_TILES": "off"}
    info = {
        "date": dt.date.today().isoformat(),
        "events": f"{args.events:,}",
        "cpu": f"{os.cpu_count()} cores ({platform.machine()})",
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "think": f"{args.think:g}",
        "seconds": f"{args.seconds:g}",
    }
    levels: list[Level] = []
    with _server(data_dir, env, args.replicas) as (port, servers):
        asyncio.run(run_level(port, max(1, args.replicas), 3.0, args.think, servers))  # warm
        misses = 0
        for viewers in ladder:
            with MemorySampler(servers) as memory:
                level = asyncio.run(run_level(port, viewers, args.seconds, args.think, servers))
            level.peak_mb = memory.peak_mb
            levels.append(level)
            print(
                f"{viewers:3d} viewers: {len(level.steps)} settles, settle p95 "
                f"{fmt(level.p(level.steps, 95))} s, health p95 "
                f"{fmt(level.p(level.health, 95))} s, {'held' if level.held else 'NOT held'}"
                + (f" ({level.failures[0]})" if level.failures else ""),
                flush=True,
            )
            misses = 0 if level.held else misses + 1
            if misses == 2:  # two levels in a row missed: the answer is known
                break
    section = report(levels, info, args.replicas)
    print(section)
    if not args.no_write:
        live.write(section, *markers(args.replicas), args.out)
        readme = args.readme.read_text(encoding="utf-8") if args.readme.exists() else ""
        if not args.replicas and START in readme:
            live.write(readme_figure(levels, info), START, END, args.readme)
        print(f"wrote {args.out} and the figure in {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
