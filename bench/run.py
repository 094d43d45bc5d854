"""``python -m bench.run`` (``make bench``): measure the dashboard against a naive baseline.

For each size N (events) it generates the data set (``bench.generate``, cached in bench/out/),
starts the dashboard and the naive baseline (``bench/baseline_app.py``) on it with Streamlit,
drives them in headless Chromium and measures

- slider step to markers painted (median and 95th percentile over ``--steps`` steps),
- cold load to the first place drawn on the map (a new browser session; and the very first
  session after the server started, which also loads the data),
- bytes the browser receives over the websocket per slider step,
- the Streamlit server's peak memory,

then, once: the mention index over 1,000 generated articles, a PNG export through
``python -m lib.export png``, and a profile of one dashboard rerun at the largest size
(``bench.hotspots``). Results go to bench/results.md (a full run) or bench/out/results-*.md.

``--smoke`` (N=100, 5 steps, no mention index or profile: about 35 s), ``--quick`` (N=100 and
1,000, about 5 min), ``--sizes 1000,10k``; a full run takes about 10 minutes here. Exact
definitions of every measure are written into the results file; a hand-written section between
the ``notes`` markers of bench/results.md is kept when the file is regenerated.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench import generate
from lib.browser import launch
from tests.support.server import streamlit_server

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results.md"
DASHBOARD = REPO / "dashboard.py"
BASELINE = BENCH / "baseline_app.py"

SIZES = (100, 1_000, 10_000, 100_000)
QUICK = (100, 1_000)
SMOKE = (100,)
STEPS = 20
#: The naive baseline needs tens of seconds per step at 10,000 events (FIELD_NOTES.md measured
#: 40-120 s): 3 steps there.
BASELINE_STEPS = {10_000: 3}
#: Above this the baseline is not run; its cost is extrapolated from the largest size run.
BASELINE_MAX = 10_000
#: New-session cold loads per app and size (the first visitor after start is measured apart).
COLD_LOADS = 3
#: The slider starts this many days after the first day, then steps right one day at a time.
START_OFFSET = 30
#: Minutes a full run should take at most (`make bench`).
BUDGET_MIN = 25.0
MENTION_ARTICLES = 1_000
MENTION_RUNS = 5
PNG_SIZE = "1600x900"
VIEWPORT = {"width": 1280, "height": 1500}  # tall enough that the whole map is on screen
MAP_IFRAME = "iframe[src*='streamlit_folium']"
#: What one drawn place (dashboard) or one drawn marker (baseline) is in the map iframe.
OUR_MARKER = "path.leaflet-interactive"
BASELINE_MARKER = "img.leaflet-marker-icon"
#: The step ends when the script is idle and no websocket message came for this long.
QUIET_S = 0.6

# --- in-page probes -------------------------------------------------------------------------

# Installed in every page before any script: the time of each key press, and the first animation
# frame in which the map iframe holds a drawn marker (cold load). performance.now() in the top
# page counts from its navigation start. Same-origin iframes share the top page's frames.
INIT_JS = """
(() => {
  if (window.top !== window) { return; }
  document.addEventListener("keydown", () => { window.__benchKeyAt = performance.now(); }, true);
  // Every websocket message with its time and size, in the page's clock: Streamlit's one
  // socket carries the rerun request out and the script's output in.
  const log = window.__benchWs = [];
  const size = (d) => d.byteLength ?? d.size ?? d.length ?? 0;
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    log.push([performance.now(), 1, size(data)]);
    return send.call(this, data);
  };
  function Logged(...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (e) => { log.push([performance.now(), 0, size(e.data)]); });
    return ws;
  }
  Logged.prototype = Native.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) { Logged[k] = Native[k]; }
  window.WebSocket = Logged;
  const selector = __SELECTOR__;
  function tick() {
    for (const f of document.querySelectorAll(__IFRAME__)) {
      const d = f.contentDocument;
      if (d && d.querySelector(selector)) { window.__benchFirstPaint = performance.now(); return; }
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
""".replace("__IFRAME__", json.dumps(MAP_IFRAME))

# Milestones of a cold load, in ms from navigation start: the websocket's first message out
# (the app shell is up), the map's data in (largest message before the first paint), the map
# iframe created, Leaflet loaded in it, the first marker drawn.
LOAD_PARTS_JS = """
() => {
  const log = window.__benchWs || [];
  const paint = window.__benchFirstPaint;
  const out = log.filter((m) => m[1]);
  let biggest = null;
  for (const m of log) { if (!m[1] && m[0] <= paint && (!biggest || m[2] > biggest[2])) { biggest = m; } }
  let iframe = null, leaflet = null;
  for (const f of document.querySelectorAll(__IFRAME__)) {
    const w = f.contentWindow;
    if (!w) { continue; }
    iframe = w.performance.timeOrigin - performance.timeOrigin;
    const e = w.performance.getEntriesByType("resource").find((r) => r.name.endsWith("leaflet.js"));
    if (e) { leaflet = iframe + e.responseEnd; }
  }
  return {socket: out.length ? out[0][0] : null, map_data: biggest ? biggest[0] : null,
          iframe: iframe, leaflet: leaflet, paint: paint};
}
""".replace("__IFRAME__", json.dumps(MAP_IFRAME))
LOAD_PARTS = {
    "socket": "socket open",
    "map_data": "map data in",
    "iframe": "map iframe created",
    "leaflet": "Leaflet loaded",
    "paint": "first marker",
}

# Is the app idle: script not running and no websocket message for `quiet` ms? And how many
# messages the log holds (the start of the next step's share of it).
IDLE_JS = """
(quiet) => {
  const app = document.querySelector("[data-testid=stApp]");
  const state = app ? app.getAttribute("data-test-script-state") : null;
  const log = window.__benchWs || [];
  const last = log.length ? log[log.length - 1][0] : 0;
  return state === "notRunning" && performance.now() - last > quiet;
}
"""

# Marks every marker drawn now, so the step's new drawing can be told from the old one even
# when it looks the same (the dashboard replaces its whole places layer; the baseline its map).
TAG_OLD_JS = """
(selector) => {
  window.__benchKeyAt = null;
  let n = 0;
  for (const f of document.querySelectorAll(__IFRAME__)) {
    const d = f.contentDocument;
    if (!d) { continue; }
    for (const el of d.querySelectorAll(selector)) { el.__benchOld = true; n += 1; }
  }
  return n;
}
""".replace("__IFRAME__", json.dumps(MAP_IFRAME))

# Polled once per animation frame after the key press: true (the frame's time) when a map
# iframe holds exactly the expected number of markers and none of them is from before the step.
PAINTED_JS = """
([selector, expected]) => {
  for (const f of document.querySelectorAll(__IFRAME__)) {
    const d = f.contentDocument;
    if (!d) { continue; }
    const els = d.querySelectorAll(selector);
    if (els.length !== expected) { continue; }
    let fresh = true;
    for (const el of els) { if (el.__benchOld) { fresh = false; break; } }
    if (fresh) { return performance.now(); }
  }
  return false;
}
""".replace("__IFRAME__", json.dumps(MAP_IFRAME))

# --- the data's expected drawing --------------------------------------------------------------


@dataclass
class Expected:
    """Per day (cumulative), how many places and how many (event, place) rows are shown."""

    days: list[dt.date]
    places: dict[dt.date, int]
    rows: dict[dt.date, int]


def expected_counts(data_dir: Path) -> Expected:
    """Counted straight from the CSV files, independently of the code under test."""
    with open(data_dir / "geodata" / "gazetteer.csv", encoding="utf-8", newline="") as f:
        known = {row["id"] for row in csv.DictReader(f)}
    per_day: dict[dt.date, list[str]] = {}
    with open(data_dir / "events.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            day = dt.date.fromisoformat(row["date"])
            places = [p.strip() for p in row["places"].split(";") if p.strip() in known]
            per_day.setdefault(day, []).extend(p.strip() for p in places)
    first, last = min(per_day), max(per_day)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    seen: set[str] = set()
    rows = 0
    places_by_day, rows_by_day = {}, {}
    for day in days:
        todays = per_day.get(day, [])
        seen.update(todays)
        rows += len(todays)
        places_by_day[day] = len(seen)
        rows_by_day[day] = rows
    return Expected(days, places_by_day, rows_by_day)


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
        if b"streamlit" in cmdline and b"--server.port" in cmdline:
            if cmdline[cmdline.index(b"--server.port") + 1] == str(port).encode():
                root = pid
    if root is None:
        return []
    found = [root]
    for pid in found:
        found.extend(p for p, parent in parents.items() if parent == pid and p not in found)
    return found


def _status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler:
    """Peak memory of the server: the kernel's VmHWM of the streamlit process, and the largest
    sum of VmRSS over it and its children, sampled every 0.2 s (psutil is not in the venv)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.pids: list[int] = []
        self.peak_tree_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.pids:
                self.pids = server_pids(self.port)
            total = sum(_status_kb(p, "VmRSS") for p in self.pids)
            self.peak_tree_kb = max(self.peak_tree_kb, total)
            self._stop.wait(0.2)

    def __exit__(self, *exc: object) -> None:
        self.hwm_kb = _status_kb(self.pids[0], "VmHWM") if self.pids else 0
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return max(self.peak_tree_kb, getattr(self, "hwm_kb", 0)) / 1024


# --- driving one app --------------------------------------------------------------------------


@dataclass
class StepTrace:
    """One step in the page's clock (ms): key press, rerun request sent, map data in, painted.

    ``map_data`` is when the largest websocket message before the paint arrived: the element
    carrying the map (the places layer, or the baseline's whole map).
    """

    key: float
    request: float | None
    map_data: float | None
    painted: float
    bytes_in: int


@dataclass
class AppResult:
    app: str
    events: int
    traces: list[StepTrace] = field(default_factory=list)
    steps_wanted: int = 0
    skipped_steps: int = 0
    first_visit_s: float | None = None
    cold_loads_s: list[float] = field(default_factory=list)
    load_parts: list[dict[str, float | None]] = field(default_factory=list)
    load_bytes: int | None = None
    peak_mb: float | None = None
    note: str = ""
    seconds: float = 0.0

    def load_milestones(self) -> str:
        """Median cold-load milestones, e.g. 'socket open 1.0 s · map data in 2.5 s · …'."""
        parts = []
        for key, name in LOAD_PARTS.items():
            values = [p[key] for p in self.load_parts if p.get(key) is not None]
            if values:
                parts.append(f"{name} {statistics.median(values) / 1000:.1f}")
        return " · ".join(parts) + " s" if parts else "—"

    @property
    def steps_ms(self) -> list[float]:
        return [t.painted - t.key for t in self.traces]

    @property
    def step_bytes(self) -> list[int]:
        return [t.bytes_in for t in self.traces]

    def median_of(self, part: Callable[[StepTrace], float | None]) -> float | None:
        values = [v for v in (part(t) for t in self.traces) if v is not None]
        return statistics.median(values) if values else None

    @property
    def step_median(self) -> float | None:
        return statistics.median(self.steps_ms) if self.steps_ms else None

    @property
    def step_p95(self) -> float | None:
        return percentile(self.steps_ms, 95) if self.steps_ms else None


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without numpy."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def step_trace(page: Page, mark: int, painted: float) -> StepTrace:
    key = page.evaluate("() => window.__benchKeyAt")
    log = page.evaluate("(mark) => (window.__benchWs || []).slice(mark)", mark)
    sent = [t for t, out, _ in log if out and t >= key]
    before_paint = [(n, t) for t, out, n in log if not out and t <= painted]
    return StepTrace(
        key=key,
        request=sent[0] if sent else None,
        map_data=max(before_paint)[1] if before_paint else None,
        painted=painted,
        bytes_in=sum(n for _, out, n in log if not out),
    )


def log_length(page: Page) -> int:
    return page.evaluate("() => (window.__benchWs || []).length")


def bytes_received(page: Page, mark: int = 0) -> int:
    return page.evaluate(
        "(mark) => (window.__benchWs || []).slice(mark).reduce((s, m) => s + (m[1] ? 0 : m[2]), 0)",
        mark,
    )


def wait_quiet(page: Page, timeout_s: float) -> None:
    """Until the script is not running and no websocket message came for ``QUIET_S``."""
    page.wait_for_function(IDLE_JS, arg=QUIET_S * 1000, polling=100, timeout=timeout_s * 1000)


def open_and_time(browser: Browser, url: str, selector: str, timeout_s: float):
    """A new browser session (empty cache) opening ``url``: seconds to the first marker drawn."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_JS.replace("__SELECTOR__", json.dumps(selector)))
    page = context.new_page()
    page.goto(url, wait_until="commit")
    painted = page.wait_for_function(
        "() => window.__benchFirstPaint ?? false", timeout=timeout_s * 1000
    ).json_value()
    return context, page, painted / 1000


def load_parts(page: Page) -> dict[str, float | None]:
    return page.evaluate(LOAD_PARTS_JS)


def measure_app(
    browser: Browser,
    script: Path,
    label: str,
    data_dir: Path,
    events: int,
    selector: str,
    expected: Callable[[dt.date], int],
    steps: int,
    *,
    cold_loads: int = COLD_LOADS,
    step_timeout_s: float = 60,
    load_timeout_s: float = 900,
    log: Callable[[str], None] = print,
) -> AppResult:
    started = time.monotonic()
    result = AppResult(label, events, steps_wanted=steps)
    counts = expected_counts(data_dir)
    day = counts.days[min(START_OFFSET, len(counts.days) - 2)]
    env = {"DASHBOARD_DATA_DIR": str(data_dir), "DASHBOARD_TILES": "off"}
    with streamlit_server(script, env=env) as base:
        port = int(base.rsplit(":", 1)[1].split("/")[0])
        url = f"{base}/?to={day.isoformat()}"
        with MemorySampler(port) as memory:
            # 1. The first visitor after start: the server loads and caches the data.
            context, page, seconds = open_and_time(browser, url, selector, load_timeout_s)
            result.first_visit_s = seconds
            wait_quiet(page, load_timeout_s)
            context.close()
            log(f"  {label} N={events:,}: first visit {seconds:.2f} s")
            # 2. New sessions on a warm server.
            for _ in range(cold_loads):
                context, page, seconds = open_and_time(browser, url, selector, load_timeout_s)
                result.cold_loads_s.append(seconds)
                result.load_parts.append(load_parts(page))
                wait_quiet(page, load_timeout_s)
                result.load_bytes = bytes_received(page)
                context.close()
            if result.cold_loads_s:
                log(f"  {label} N={events:,}: new sessions {fmt_list(result.cold_loads_s, 's')}")
            # 3. Slider steps, one day to the right each, in one more session.
            context, page, _ = open_and_time(browser, url, selector, load_timeout_s)
            wait_quiet(page, load_timeout_s)
            slider = page.get_by_role("slider")
            warm_up = steps > 3  # the first step of a session pays one-off costs
            while len(result.traces) < steps and day < counts.days[-1]:
                day = day + dt.timedelta(days=1)
                changes = counts.rows[day] != counts.rows[day - dt.timedelta(days=1)]
                page.evaluate(TAG_OLD_JS, selector)
                mark = log_length(page)
                slider.focus()
                slider.press("ArrowRight")
                painted = None
                if changes:
                    painted = page.wait_for_function(
                        PAINTED_JS, arg=[selector, expected(day)], polling="raf",
                        timeout=step_timeout_s * 1000,
                    ).json_value()  # fmt: skip
                wait_quiet(page, step_timeout_s)
                if painted is None:
                    result.skipped_steps += 1  # nothing new to draw: nothing to time
                    continue
                trace = step_trace(page, mark, painted)
                if warm_up:
                    warm_up = False
                    continue
                result.traces.append(trace)
                log(
                    f"  {label} N={events:,}: step to {day} {trace.painted - trace.key:,.0f} ms "
                    f"(request {fmt_delta(trace.key, trace.request)}, map data "
                    f"{fmt_delta(trace.request, trace.map_data)}), {trace.bytes_in / 1024:,.0f} KB"
                )
            context.close()
    result.peak_mb = memory.peak_mb
    result.seconds = time.monotonic() - started
    return result


def fmt_delta(start: float | None, end: float | None) -> str:
    return "—" if start is None or end is None else f"+{end - start:,.0f} ms"


# --- measures without a browser session -------------------------------------------------------


def measure_mentions(log: Callable[[str], None] = print) -> tuple[list[float], int, int]:
    """Seconds per ``build_index`` over 1,000 generated articles; also (articles, mentions)."""
    from lib.articles import load_articles
    from lib.gazetteer import load_gazetteer
    from lib.mentions import build_index

    data_dir = generate.ensure(10_000)
    articles, _ = load_articles(data_dir / "articles")
    if len(articles) < MENTION_ARTICLES:
        data_dir = generate.ensure(100_000)
        articles, _ = load_articles(data_dir / "articles")
    gazetteer, _ = load_gazetteer(data_dir / "geodata" / "gazetteer.csv")
    chosen = [articles[k] for k in sorted(articles)[:MENTION_ARTICLES]]
    runs = []
    found = 0
    for _ in range(MENTION_RUNS):
        started = time.perf_counter()
        found = len(build_index(chosen, gazetteer))
        runs.append(time.perf_counter() - started)
    log(f"  mention index, {len(chosen)} articles: {fmt_list(runs, 's')}")
    return runs, len(chosen), found


def measure_png(data_dir: Path, day: dt.date, events: int) -> tuple[float | None, str]:
    """Wall seconds of ``python -m lib.export png`` for one view, or None and why not."""
    if not (REPO / "lib" / "export.py").exists():
        return None, "not run: lib.export missing"
    out = generate.OUT / f"map-{events}.png"
    command = [sys.executable, "-m", "lib.export", "png", "--to", day.isoformat()]
    command += ["--size", PNG_SIZE, "--out", str(out)]
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900
        )
    except subprocess.TimeoutExpired:
        return None, "not run: took over 900 s"
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if line.startswith("error")]
        return None, f"failed after {seconds:.0f} s: {(errors or done.stderr.splitlines()[-1:])[0]}"
    return seconds, f"{out.stat().st_size / 1024:.0f} KB PNG"


# --- machine and report -----------------------------------------------------------------------


def machine(browser_version: str) -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = _status_like("/proc/meminfo", "MemTotal")
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("streamlit", "folium", "streamlit-folium", "pandas", "playwright")
    )
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": browser_version,
        "packages": packages,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _status_like(path: str, key: str) -> int:
    for line in Path(path).read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def fmt_list(values: list[float], unit: str) -> str:
    return ", ".join(f"{v:.2f}" for v in values) + f" {unit}"


def fmt_ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def ratio(ours: float | None, theirs: float | None) -> str:
    """Baseline divided by dashboard: above 1 the dashboard is faster (or lighter)."""
    if not ours or not theirs:
        return "—"
    value = theirs / ours
    return f"**{value:,.0f}×**" if value >= 10 else f"{value:.1f}×"


def breakdown(ours: AppResult, base: AppResult | None, missing: str) -> list[str]:
    """Median parts of a step: key to request, request to map data, map data to paint."""
    parts = [
        ("key press → rerun request sent", lambda t: t.request and t.request - t.key),
        (
            "rerun request → map data received (server, transfer)",
            lambda t: t.map_data and t.request and t.map_data - t.request,
        ),
        (
            "map data received → markers painted (browser)",
            lambda t: t.map_data and t.painted - t.map_data,
        ),
    ]
    rows = []
    for name, part in parts:
        mine = ours.median_of(part)
        theirs = base.median_of(part) if base else None
        rows.append(
            f"| &nbsp;&nbsp;of which {name}, median ms | {fmt_ms(mine)} "
            f"| {fmt_ms(theirs) if base else missing} | |"
        )
    return rows


def size_table(ours: AppResult, base: AppResult | None) -> list[str]:
    def b(attr: str):
        return getattr(base, attr) if base else None

    cold = statistics.median(ours.cold_loads_s) if ours.cold_loads_s else None
    base_cold = statistics.median(base.cold_loads_s) if base and base.cold_loads_s else None
    kb = statistics.median(ours.step_bytes) / 1024 if ours.step_bytes else None
    base_kb = statistics.median(base.step_bytes) / 1024 if base and base.step_bytes else None
    missing = "—"
    base_cold_n = len(base.cold_loads_s) if base else 0
    rows = [
        "| measure | dashboard | naive baseline | baseline ÷ dashboard |",
        "|---|---:|---:|---:|",
        f"| **slider step → markers painted, median ms** | **{fmt_ms(ours.step_median)}** "
        f"| {fmt_ms(b('step_median'))} | {ratio(ours.step_median, b('step_median'))} |",
        f"| slider step → markers painted, p95 ms | {fmt_ms(ours.step_p95)} "
        f"| {fmt_ms(b('step_p95'))} | {ratio(ours.step_p95, b('step_p95'))} |",
        *breakdown(ours, base, missing),
        f"| steps timed (+ steps with nothing new, not timed) | {len(ours.steps_ms)} (+{ours.skipped_steps}) "
        f"| {f'{len(base.steps_ms)} (+{base.skipped_steps})' if base else missing} | |",
        f"| **cold load → first map paint**, new session, median s "
        f"(of {len(ours.cold_loads_s)}; baseline of {base_cold_n}) | **{fmt_s(cold)}** "
        f"| {fmt_s(base_cold)} | {ratio(cold, base_cold)} |",
        f"| &nbsp;&nbsp;cold load milestones, median s | {ours.load_milestones()} "
        f"| {base.load_milestones() if base else missing} | |",
        f"| first visitor after server start (loads the data), s | {fmt_s(ours.first_visit_s)} "
        f"| {fmt_s(b('first_visit_s'))} | {ratio(ours.first_visit_s, b('first_visit_s'))} |",
        f"| **bytes received per slider step**, median KB | **{fmt_ms(kb)}** "
        f"| {fmt_ms(base_kb)} | {ratio(kb, base_kb)} |",
        f"| bytes received by a new session until idle, KB | {fmt_ms((ours.load_bytes or 0) / 1024)} "
        f"| {fmt_ms((base.load_bytes or 0) / 1024) if base else missing} | |",
        f"| **peak server memory** (RSS), MB | **{fmt_ms(ours.peak_mb)}** "
        f"| {fmt_ms(b('peak_mb'))} | |",
    ]
    return rows


DEFINITIONS = f"""\
## Definitions

- **Slider step → markers painted**: the slider is focused and `ArrowRight` pressed (one day
  later, cumulative mode). The clock starts at the `keydown` event in the page
  (`performance.now()` in a capture-phase listener) and stops at the first animation frame
  (`requestAnimationFrame` polling in the top page, which shares frames with the same-origin
  map iframe) in which the map iframe holds exactly the number of markers the new day must
  show, counted independently from the CSV files, and none of the markers drawn before the key
  press. Markers are the dashboard's place paths (`{OUR_MARKER}`, one per place with events up
  to that day) and the baseline's marker icons (`{BASELINE_MARKER}`, one per event and place).
  The frame found is the one that paints them. Steps start {START_OFFSET} days after the first day
  of the data; the first changing step of a session is a warm-up and not counted; a step to a day
  with no new events draws nothing new and is not timed (counted as "nothing new"). The next
  step starts only when the script is idle and no websocket message arrived for {QUIET_S} s.
- **Cold load → first map paint**: a new browser context (empty cache) navigates to
  `/?to=<day>`; from navigation start to the first animation frame in which a marker exists in
  the map iframe. Milestones: the websocket's first message out (Streamlit's page shell is up),
  the map's data in (largest message before the paint), the map iframe created (its
  `performance.timeOrigin`), Leaflet loaded in it (resource timing), the first marker. "New session" runs against a server whose caches are warm (a reader opening a
  link); "first visitor after server start" includes loading and validating the data set.
- **Parts of a step** (same clock): *key press → rerun request sent* is the slider committing
  its value (the first websocket message the page sends after the key press);
  *request → map data received* is the script running up to the map and the map's element
  arriving (the largest websocket message before the paint: the dashboard's places layer with
  the constant base map, or the baseline's whole map); *map data → painted* is the browser's
  work: decoding, streamlit-folium swapping the layer (or rebuilding the map), Leaflet drawing.
  An init script wraps the page's `WebSocket` to time-stamp every message.
- **Bytes per slider step**: sum of the websocket messages the page received from the key
  press until idle, median over the timed steps. This includes the extra rerun the baseline's
  default `returned_objects` triggers.
- **Peak server memory**: the larger of the kernel's `VmHWM` of the Streamlit process and the
  largest sum of `VmRSS` over it and its children, sampled every 0.2 s (`/proc`; psutil is not in
  the venv), over the whole session: first visit, cold loads and steps.
- **Mention index**: `lib.mentions.build_index` over the first {MENTION_ARTICLES:,} articles (by id)
  of the generated 10,000-event corpus with its gazetteer, in-process, median of {MENTION_RUNS}.
- **PNG export**: wall time of `python -m lib.export png --to <day> --size {PNG_SIZE} --out …`
  with `DASHBOARD_DATA_DIR` pointing at the data set: Python start, data load, page build and
  Chromium render, as a journalist would run it.
- Headless Chromium, {VIEWPORT["width"]}×{VIEWPORT["height"]} viewport, `DASHBOARD_TILES=off`
  (no network). Medians are quoted because the machine is shared and noisy.
"""

NOTES_START = "<!-- notes: kept when results are regenerated -->"
NOTES_END = "<!-- /notes -->"
#: The section bench/load.py writes (concurrent viewers); kept like the notes.
LOAD_START = "<!-- load: written by python -m bench.load -->"
LOAD_END = "<!-- /load -->"


def write_report(
    path: Path,
    info: dict[str, str],
    sizes: list[int],
    results: dict[int, tuple[AppResult, AppResult | None, str]],
    summaries: dict[int, dict],
    mentions: tuple[list[float], int, int] | None,
    pngs: dict[int, tuple[float | None, str]],
    profile_text: str,
    targets: list[tuple[str, str, str, str]],
    total_s: float,
) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    notes = ""
    if NOTES_START in old and NOTES_END in old:
        notes = old[old.index(NOTES_START) : old.index(NOTES_END) + len(NOTES_END)]
    if LOAD_START in old and LOAD_END in old:
        notes += "\n\n" + old[old.index(LOAD_START) : old.index(LOAD_END) + len(LOAD_END)]
    lines = [
        "# Benchmarks: scrubbing the timeline from 100 to 100,000 events",
        "",
        f"Generated by `python -m bench.run` ({' '.join(sys.argv[1:]) or 'all sizes'}) on "
        f"{info['date']} in {total_s / 60:.1f} min. Re-run with `make bench`.",
        "",
        "## Machine",
        "",
        f"- CPU: {info['cpu']}; RAM {info['ram']}; load average at start {info['load']} "
        "(other work shares this machine)",
        f"- {info['os']}; Python {info['python']}; Chromium {info['chromium']} (headless)",
        f"- {info['packages']}",
        "",
        "## Targets",
        "",
        "| target | measured | met? |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c, _ in targets],
        "",
        "Where a target is missed, *Analysis* below says what bounds it and what was tried.",
        "",
    ]
    for n in sizes:
        if n not in results:
            continue
        ours, base, base_note = results[n]
        s = summaries.get(n, {})
        lines += [
            f"## {n:,} events",
            "",
            f"{s.get('places', '?'):,} places, {s.get('articles', '?'):,} articles "
            f"(mean {s.get('article_bytes_mean', '?'):,} bytes), {s.get('first_day')} to "
            f"{s.get('last_day')}.",
            "",
            *size_table(ours, base),
            "",
        ]
        if base_note:
            lines += [f"Naive baseline: {base_note}.", ""]
        for r in (ours, base):
            if r and r.note:
                lines += [f"Naive {r.app}: {r.note}" if r.app == "baseline" else r.note, ""]
    lines += ["## Once", "", "| measure | value | |", "|---|---:|---|"]
    if mentions:
        runs, n_articles, found = mentions
        lines.append(
            f"| mention index, {n_articles:,} articles, median of {len(runs)} | "
            f"{statistics.median(runs):.2f} s | {found:,} mentions; runs {fmt_list(runs, 's')} |"
        )
    for n, (seconds, note) in pngs.items():
        lines.append(f"| PNG export ({PNG_SIZE}), {n:,} events | {fmt_s(seconds)} s | {note} |")
    lines += ["", profile_text, "", DEFINITIONS]
    if notes:
        lines += ["", notes]
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def check_targets(
    results: dict[int, tuple[AppResult, AppResult | None, str]],
    mentions: tuple[list[float], int, int] | None,
    pngs: dict[int, tuple[float | None, str]],
) -> list[tuple[str, str, str, str]]:
    def verdict(value: float | None, limit: float) -> str:
        if value is None:
            return "not measured"
        return "yes" if value <= limit else "**no**"

    rows = []
    for n, limit in ((1_000, 150), (100_000, 400)):
        ours = results.get(n, (None,))[0]
        value = ours.step_median if ours else None
        rows.append(
            (
                f"slider step median ≤ {limit} ms at {n:,}",
                f"{fmt_ms(value)} ms" if value is not None else "—",
                verdict(value, limit),
                "",
            )
        )
    ours = results.get(10_000, (None,))[0]
    cold = statistics.median(ours.cold_loads_s) if ours and ours.cold_loads_s else None
    rows.append(
        (
            "cold load to first map paint ≤ 3 s at 10,000",
            f"{fmt_s(cold)} s (new session); first visitor after start "
            f"{fmt_s(ours.first_visit_s if ours else None)} s",
            verdict(cold, 3),
            "",
        )
    )
    ours, base, _ = results.get(10_000, (None, None, ""))
    if ours and base and ours.step_median and base.step_median:
        factor = base.step_median / ours.step_median
        rows.append(
            (
                "≥ 20× faster than the baseline at 10,000 (step median)",
                f"{factor:,.0f}×",
                "yes" if factor >= 20 else "**no**",
                "",
            )
        )
    else:
        rows.append(("≥ 20× faster than the baseline at 10,000", "—", "not measured", ""))
    value = statistics.median(mentions[0]) if mentions else None
    rows.append(
        ("mention index for 1,000 articles ≤ 1 s", f"{fmt_s(value)} s", verdict(value, 1), "")
    )
    for n, (seconds, note) in pngs.items():
        rows.append(
            (
                f"PNG export ≤ 5 s ({n:,} events)",
                f"{fmt_s(seconds)} s" if seconds else note,
                verdict(seconds, 5),
                "",
            )
        )
    return rows


# --- main ---------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        match = re.fullmatch(r"(\d+)(k?)", part)
        if not match:
            raise argparse.ArgumentTypeError(f"'{part}' is not a size such as 1000 or 10k")
        sizes.append(int(match[1]) * (1000 if match[2] else 1))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--smoke",
        action="store_true",
        help="N=100 only, 5 steps, no mention index or profile: checks the harness in a minute",
    )
    group.add_argument("--quick", action="store_true", help="N=100 and 1,000 only")
    group.add_argument("--sizes", type=parse_sizes, help="comma-separated, e.g. 1000,10k")
    parser.add_argument(
        "--steps", type=int, default=None, help=f"timed steps per app (default {STEPS})"
    )
    parser.add_argument("--no-baseline", action="store_true", help="measure the dashboard only")
    parser.add_argument("--out", type=Path, default=None, help="results file")
    parser.add_argument(
        "--budget",
        type=float,
        default=BUDGET_MIN,
        help=f"minutes; the server-side profile moves to a smaller size rather than run past "
        f"it (default {BUDGET_MIN:g})",
    )
    args = parser.parse_args(argv)

    if args.smoke:
        sizes, steps, mode = list(SMOKE), args.steps or 5, "smoke"
    elif args.quick:
        sizes, steps, mode = list(QUICK), args.steps or STEPS, "quick"
    elif args.sizes:
        sizes, steps, mode = sorted(args.sizes), args.steps or STEPS, "sizes"
    else:
        sizes, steps, mode = list(SIZES), args.steps or STEPS, "full"
    out = args.out or (RESULTS if mode == "full" else generate.OUT / f"results-{mode}.md")
    cold_loads = 1 if args.smoke else COLD_LOADS
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {message}", flush=True)

    summaries = {}
    for n in sizes:
        data_dir = generate.ensure(n)
        summaries[n] = json.loads((data_dir / "GENERATED.json").read_text())
        log(f"data for N={n:,}: {data_dir}")

    results: dict[int, tuple[AppResult, AppResult | None, str]] = {}
    pngs: dict[int, tuple[float | None, str]] = {}
    with sync_playwright() as playwright, launch(playwright) as browser:
        info = machine(browser.version)
        for n in sizes:
            data_dir = generate.OUT / f"data-{n}"
            counts = expected_counts(data_dir)
            ours = measure_app(
                browser, DASHBOARD, "dashboard", data_dir, n, OUR_MARKER,
                lambda d, c=counts: c.places[d], steps, cold_loads=cold_loads, log=log,
            )  # fmt: skip
            base, note = None, ""
            if args.no_baseline:
                note = "not run (--no-baseline)"
            elif n > BASELINE_MAX:
                largest = max((k for k in results if results[k][1]), default=None)
                if largest:
                    prior = results[largest][1]
                    # At least linear in the markers: one folium object each, ~2 ms of Python.
                    low = prior.step_median * n / largest / 1000 if prior.step_median else None
                    note = (
                        f"not run: extrapolated ≥ {low:,.0f} s per step from {largest:,}"
                        if low
                        else "not run"
                    )
                else:
                    note = "not run"
            else:
                base_steps = min(steps, BASELINE_STEPS.get(n, steps), 3 if args.smoke else steps)
                base = measure_app(
                    browser, BASELINE, "baseline", data_dir, n, BASELINE_MARKER,
                    lambda d, c=counts: c.rows[d], base_steps,
                    cold_loads=1 if n >= 10_000 else cold_loads,
                    step_timeout_s=600, log=log,
                )  # fmt: skip
                if n in BASELINE_STEPS and base.step_median:
                    base.note = (
                        f"{len(base.steps_ms)} steps only at this size: each takes "
                        f"{base.step_median / 1000:.0f} s or more (and up to a minute more for the "
                        "rerun it triggers), and a full run must stay under ~25 minutes."
                    )
            results[n] = (ours, base, note)
            day = counts.days[min(START_OFFSET, len(counts.days) - 1)]
            pngs[n] = measure_png(data_dir, day, n)
            log(f"  PNG export N={n:,}: {pngs[n]}")
    mentions, profile_text = None, "## Server side\n\nNot run (--smoke)."
    if not args.smoke:
        from bench import hotspots

        mentions = measure_mentions(log)
        # The profile loads the data once in-process, then reruns the script a few times:
        # about the first visit plus eight steps. The largest size that fits the budget.
        left = args.budget * 60 - (time.monotonic() - started)
        fits = [
            n
            for n in sizes
            if (results[n][0].first_visit_s or 0) + 8 * (results[n][0].step_median or 0) / 1000
            < left - 30
        ]
        size = max(fits or [min(sizes)])
        profile_text = hotspots.report(generate.OUT / f"data-{size}", log=log)
        if size != max(sizes):
            profile_text += (
                f"\n\nProfiled at {size:,} events, not {max(sizes):,}: the run had "
                f"{left / 60:.1f} min of its {args.budget:g} min budget left."
            )
    targets = check_targets(results, mentions, pngs)
    total = time.monotonic() - started
    write_report(out, info, sizes, results, summaries, mentions, pngs, profile_text, targets, total)
    log(f"wrote {out} in {total / 60:.1f} min")
    if not args.smoke:
        from bench import exports  # GIF, MP4, PDF and cached PNG: a section of their own

        exports.main(["--append", str(out)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
