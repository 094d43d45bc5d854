"""``python -m bench.load``: how many concurrent viewers one Streamlit server holds.

One dashboard server on a generated data set (``bench.generate``, 1,000 events by default).
For each level of a ladder (1, 2, 4, 8 ... viewers) that many viewers connect, then all scrub
the timeline for ``--seconds``: each presses the slider one day on, waits for the page to be
redrawn, pauses ``--think`` seconds (a reader holding an arrow key steps about once a second;
Play steps every 1.5 s) and steps again. Meanwhile ``/_stcore/health`` is asked every
``HEALTH_EVERY_S``. A level is held when the 95th percentile of both the step and the health
latency is under 1 s and no step failed; the answer is the largest level held.

A viewer is Streamlit's own websocket protocol spoken directly (the protobuf messages the
browser sends and receives), not a browser: a Chromium per viewer would load the 2 cores more
than the server does and measure the client. So a *step* here is from the slider's new value
sent to the server's ``script_finished`` received, everything the server computes and sends
for a step; the browser's own share (parsing and painting the map, ~0.1-0.25 s at 1,000 events
in bench/results.md) comes on top. Results go into bench/results.md between the ``load``
markers (kept when ``bench.run`` regenerates the file) and are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import generate
from bench.run import LOAD_END, LOAD_START, MemorySampler, percentile, server_pids
from tests.support.server import streamlit_server

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"
LADDER = (1, 2, 4, 8, 12, 16, 24, 32, 48, 64)
LIMIT_S = 1.0
HEALTH_EVERY_S = 0.25
#: A step that takes longer than this counts as failed (and ends that viewer's level).
STEP_TIMEOUT_S = 30.0
SLIDER_KEY = "view.end"
DAY_US = 86_400 * 1_000_000


@dataclass
class Level:
    viewers: int
    steps: list[float] = field(default_factory=list)
    connects: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    peak_mb: float = 0.0
    cpu_s: float = 0.0  # server CPU time (user + system) over the scrubbing window

    @property
    def cpu_ms_per_step(self) -> float | None:
        return 1000 * self.cpu_s / len(self.steps) if self.steps else None

    def p(self, values: list[float], q: float) -> float | None:
        return percentile(values, q) if values else None

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


class Viewer:
    """One browser tab's worth of Streamlit session, driven over the websocket."""

    def __init__(self, port: int) -> None:
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.origin = f"http://127.0.0.1:{port}"
        self.ws = None
        self.page_hash = ""
        self.slider_id = ""
        self.lo = self.hi = self.value = 0.0

    async def _run(self, widget_value: float | None) -> None:
        """Send a rerun (with the slider at ``widget_value``) and wait until it finished."""
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.page_hash
        if widget_value is not None:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = self.slider_id
            state.double_array_value.data.append(widget_value)
        await self.ws.send(msg.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = forward.new_session.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "exception":
                    raise RuntimeError(f"the page raised: {element.exception.message}")
                if element.WhichOneof("type") == "slider" and element.slider.id.endswith(
                    SLIDER_KEY
                ):
                    self.slider_id = element.slider.id
                    self.lo, self.hi = element.slider.min, element.slider.max
                    self.value = element.slider.value[0] if element.slider.value else self.hi
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # superseded by our own newer rerun; its finish follows
                raise RuntimeError(f"script finished with status {status}")

    async def connect(self) -> float:
        start = time.perf_counter()
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], origin=self.origin, max_size=None
        )
        await asyncio.wait_for(self._run(None), STEP_TIMEOUT_S)
        if not self.slider_id:
            raise RuntimeError("the page drew no date slider")
        return time.perf_counter() - start

    async def step(self) -> float:
        """Move the slider one day (back from the last day, wrapping), time the rerun."""
        value = self.value - DAY_US
        if value < self.lo:
            value = self.hi
        start = time.perf_counter()
        await asyncio.wait_for(self._run(value), STEP_TIMEOUT_S)
        self.value = value
        return time.perf_counter() - start

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def server_cpu_s(port: int) -> float:
    """User + system CPU seconds used so far by the server on ``port`` and its children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in server_pids(port):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / ticks


def _health_once(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=STEP_TIMEOUT_S) as response:
        response.read()
    return time.perf_counter() - start


async def run_level(port: int, viewers: int, seconds: float, think: float) -> Level:
    """Connect ``viewers`` sessions, then let them all scrub for ``seconds``.

    Connecting is timed apart (a burst of new sessions is not what a steady audience does);
    the step and health latencies are those of the scrubbing window only.
    """
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
            await asyncio.sleep(think * index / viewers)  # spread the first steps
            while not stop.is_set():
                level.steps.append(await v.step())
                await asyncio.sleep(think)
        except Exception as error:  # noqa: BLE001 - a failed viewer is a result
            level.failures.append(f"viewer {index}: {type(error).__name__}: {error}")

    try:
        await asyncio.gather(*(connect(v, i) for i, v in enumerate(sessions)))
        connected = [v for v in sessions if v.slider_id]
        cpu_before = server_cpu_s(port)
        prober = asyncio.create_task(probe())
        tasks = [asyncio.create_task(scrub(v, i)) for i, v in enumerate(connected)]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)
        await prober
        level.cpu_s = server_cpu_s(port) - cpu_before
    finally:
        await asyncio.gather(*(v.close() for v in sessions), return_exceptions=True)
    return level


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fmt_ms(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"


def report(levels: list[Level], info: dict[str, str]) -> list[str]:
    held = [lv.viewers for lv in levels if lv.held]
    best = max(held) if held else 0
    costs = [lv.cpu_ms_per_step for lv in levels if lv.cpu_ms_per_step]
    cpu = statistics.median(costs) if costs else None
    per_s = f"{1000 / cpu:.1f}" if cpu else "?"
    per_10s = f"{10_000 / cpu:.0f}" if cpu else "?"
    lines = [
        LOAD_START,
        "## Concurrent viewers on one server",
        "",
        f"Measured by `python -m bench.load` on {info['date']}: {info['events']} events, "
        f"{info['cpu']}, load average at start {info['load']}. Each viewer scrubs one day per "
        f"step with {info['think']} s between steps, for {info['seconds']} s per level.",
        "",
        f"**One server held {best} concurrent viewers** with the 95th percentile of both the "
        f"step and the health latency under {LIMIT_S:g} s and no failure"
        + (f"; {min(lv.viewers for lv in levels if not lv.held)} did not." if best else ".")
        + " A step is measured at the server's websocket (slider value sent to rerun finished);"
        " the browser's parse and paint (~0.1-0.25 s at 1,000 events) come on top.",
        "",
        f"Each step cost the server a median {fmt_ms(cpu)} ms of CPU time (user + system, all "
        f"its threads, sending included). The machine was shared (load average {info['load']} "
        f"on {os.cpu_count()} cores), so the latencies above include waiting for a core. For a "
        "core of its own, an estimate: a process runs its scripts on about one core (Python's "
        f"GIL), so it completes about {per_s} steps a second: about {per_s} viewers each "
        f"stepping once a second, or {per_10s} readers each moving the slider once every 10 "
        "seconds, before steps queue.",
        "",
        "| viewers | steps | step median s | step p95 s | health p95 s | health max s "
        "| connect median s | server CPU ms per step | peak RSS MB so far | held? |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for lv in levels:
        connect = statistics.median(lv.connects) if lv.connects else None
        lines.append(
            f"| {lv.viewers} | {len(lv.steps)} | {fmt(lv.p(lv.steps, 50))} | "
            f"{fmt(lv.p(lv.steps, 95))} | {fmt(lv.p(lv.health, 95))} | "
            f"{fmt(max(lv.health) if lv.health else None)} | {fmt(connect)} | "
            f"{lv.cpu_ms_per_step or 0:.0f} | {lv.peak_mb:.0f} | {'yes' if lv.held else 'no'} |"
        )
    failures = [f for lv in levels for f in lv.failures]
    if failures:
        lines += ["", "Failures: " + "; ".join(sorted(set(failures))[:5])]
    lines += [
        "",
        "Definitions: *step*, slider value sent to `script_finished` received, per viewer; "
        "*health*, GET `/_stcore/health` every 0.25 s from one more client; *connect*, a new "
        "session's first full run; percentiles over all viewers of the level. A level ends "
        "after its duration; the next starts on the same (warm) server.",
        LOAD_END,
    ]
    return lines


def write(lines: list[str], path: Path = RESULTS) -> None:
    """Replace the load section of ``path`` (or append one): the rest is bench.run's."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = "\n".join(lines)
    if LOAD_START in old and LOAD_END in old:
        before, rest = old.split(LOAD_START, 1)
        after = rest.split(LOAD_END, 1)[1]
        text = before + block + after
    else:
        text = old.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--events", type=int, default=1_000, help="generated events (1000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each level")
    parser.add_argument("--think", type=float, default=1.0, help="pause between steps, s")
    parser.add_argument(
        "--ladder", default=",".join(map(str, LADDER)), help="viewer counts, comma-separated"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
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
    with streamlit_server(REPO / "dashboard.py", env=env, timeout=120) as url:
        port = int(url.rsplit(":", 1)[1])
        asyncio.run(run_level(port, 1, 3.0, args.think))  # warm: the first run loads the data
        misses = 0
        for viewers in ladder:
            with MemorySampler(port) as memory:
                level = asyncio.run(run_level(port, viewers, args.seconds, args.think))
            level.peak_mb = memory.peak_mb
            levels.append(level)
            print(
                f"{viewers:3d} viewers: {len(level.steps)} steps, step p95 "
                f"{fmt(level.p(level.steps, 95))} s, health p95 {fmt(level.p(level.health, 95))} "
                f"s, {'held' if level.held else 'NOT held'}"
                + (f" ({level.failures[0]})" if level.failures else ""),
                flush=True,
            )
            misses = 0 if level.held else misses + 1
            if misses == 2:  # two levels in a row missed: the answer is known
                break
    lines = report(levels, info)
    print("\n".join(lines))
    if not args.no_write:
        write(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
