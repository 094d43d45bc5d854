"""``python -m bench.live`` (part of ``make bench``): the live timeline, measured in Chromium.

For each size N (events; data from ``bench.generate``) it starts the dashboard and measures

- **drag frame**: a real mouse drag of the timeline's thumb, one day per move; from the
  ``input`` event in the page to the map frame's next animation frame after the engine has
  restyled (both as epoch milliseconds: ``performance.timeOrigin + performance.now()``);
- **bytes per drag step**: WebSocket bytes the browser receives (and frames it sends) while
  the mouse is held down, per step;
- **settle**: mouse release to the permalink showing the new day (the fragment's last write);
- **cold load**: navigation to the map's first paint: the first visitor on data the server has
  never seen (it parses and validates it, then caches that on disk), the first visitor after a
  restart on the same files (reads the cache), and a second, new browser session;
- **Play at 4x**: days shown per second, late ticks and dropped days over the whole period.

Results replace the section between the ``live`` markers of bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

from playwright.sync_api import Frame, Page, sync_playwright

from bench import generate
from lib.pictures.browser import launch
from tests.support.server import streamlit_server

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.md"
START, END = "<!-- live: written by python -m bench.live -->", "<!-- /live -->"
SIZES = (1_000, 10_000, 100_000)
STEPS = 24
TARGETS = {1_000: 16, 10_000: 33, 100_000: 100}  # drag frame, ms

PAGE_PROBE = """() => {
  window.__inputs = [];
  document.querySelector('.nmt-end').addEventListener('input',
    () => window.__inputs.push(performance.timeOrigin + performance.now()), true);
}"""
FRAME_PROBE = """() => {
  window.__paints = []; window.__days = [];
  const engine = window.newsmapEngine, set = engine.setView.bind(engine);
  engine.setView = (v) => { const r = set(v); window.__days.push(engine.view.end);
    requestAnimationFrame(() => window.__paints.push(performance.timeOrigin + performance.now()));
    return r; };
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def map_frame(page: Page, timeout_s: float = 240) -> Frame:
    handle = page.wait_for_selector(
        "iframe[src*='streamlit_folium']", state="attached", timeout=timeout_s * 1000
    )
    frame = handle.content_frame()
    frame.wait_for_function(
        "window.newsmapState && newsmapState.painted > 0", timeout=timeout_s * 1000
    )
    page.wait_for_selector(".nmt-end", timeout=timeout_s * 1000)
    return frame


def cold_load(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    map_frame(page)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def thumb(page: Page, day: int) -> tuple[float, float]:
    box = page.locator(".nmt-end").bounding_box()
    top = int(page.locator(".nmt-end").get_attribute("max"))
    return box["x"] + 9 + (box["width"] - 18) * day / top, box["y"] + box["height"] / 2


def measure(browser, url: str, first_load: float) -> dict:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    received: list[int] = []
    sent: list[int] = []

    def on_ws(ws):
        ws.on(
            "framereceived", lambda f: received.append(len(f) if isinstance(f, bytes | str) else 0)
        )
        ws.on("framesent", lambda f: sent.append(1))

    page.on("websocket", on_ws)
    page.goto(url)
    frame = map_frame(page)
    page.wait_for_timeout(1500)
    page.evaluate(PAGE_PROBE)
    frame.evaluate(FRAME_PROBE)
    top = int(page.locator(".nmt-end").get_attribute("max"))
    steps = min(STEPS, top)
    page.mouse.move(*thumb(page, top))
    page.mouse.down()
    received.clear()
    sent.clear()
    latencies = []
    for k in range(1, steps + 1):
        page.mouse.move(*thumb(page, top - k))
        frame.wait_for_function(f"window.__paints.length >= {k}", timeout=30_000)
    inputs = page.evaluate("window.__inputs")
    paints = frame.evaluate("window.__paints")
    # Each paint answers the inputs since the previous paint (Chromium coalesces some moves):
    # time it from the first of them. Paints with no new input (a settle) are not timed.
    latencies, previous = [], float("-inf")
    for paint in paints:
        pending = [i for i in inputs if previous < i <= paint]
        if pending:
            latencies.append(paint - pending[0])
        previous = paint
    drag_bytes, drag_sent = sum(received), len(sent)
    released = time.perf_counter()
    received.clear()
    page.mouse.up()
    day = page.evaluate("Newsmap.isoDay(newsmapView.first, newsmapView.end)")
    page.wait_for_function(f"location.search.includes('to={day}')", timeout=60_000)
    settle = time.perf_counter() - released
    page.wait_for_timeout(1000)
    settle_kb = sum(received) / 1024  # the fragment's rerun: panel, table, URL (not the map)
    # Play at 4x from the first day to the last.
    page.evaluate("""() => { const i = document.querySelector('.nmt-end'); i.value = 0;
        i.dispatchEvent(new Event('input')); i.dispatchEvent(new Event('change')); }""")
    page.wait_for_timeout(3000)
    page.locator(".nmt-speed").select_option("4")
    sent.clear()
    frame.evaluate("window.__days = []")
    page.locator(".nmt-play").click()
    page.wait_for_function("window.newsmapPlay && newsmapPlay.ended", timeout=(top / 4 + 60) * 1000)
    play = page.evaluate(
        "({shown: newsmapPlay.shown, late: newsmapPlay.late || 0, "
        "ms: newsmapPlay.ended - newsmapPlay.started})"
    )
    painted = set(frame.evaluate("window.__days"))
    # Days between the first and the last day Play painted that the map never painted.
    missing = (
        [d for d in range(min(painted), max(painted) + 1) if d not in painted] if painted else []
    )
    play_sent = len(sent)
    context.close()
    return {
        "drag_median": statistics.median(latencies),
        "drag_p95": percentile(latencies, 0.95),
        "steps": len(latencies),
        "kb_per_step": drag_bytes / 1024 / max(1, steps),
        "frames_sent": drag_sent,
        "settle_s": settle,
        "settle_kb": settle_kb,
        "first_load_s": first_load,
        "play_fps": play["shown"] / (play["ms"] / 1000),
        "play_late": play["late"],
        # Days between Play's first and last day that the map never painted.
        "play_dropped": len(missing),
        "play_frames_sent": play_sent,
        "play_days": (max(painted) - min(painted)) if painted else 0,
        "days": top + 1,
    }


def run(sizes: tuple[int, ...]) -> list[tuple[int, dict]]:
    rows = []
    with sync_playwright() as playwright, launch(playwright) as browser:
        for n in sizes:
            data_dir = generate.ensure(n)
            env = {"DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(data_dir)}
            # A server on data it has never seen parses and validates it (and caches the
            # result on disk); a restarted server on the same files reads that cache. The
            # second is what "the first visitor after a server start" meets in practice.
            # Both start as `make run` does (ui.replica: the data loads before the server
            # answers), so the first visitor finds it loaded.
            server = {"env": env, "timeout": 600, "replica": True}
            with streamlit_server(REPO / "dashboard.py", **server) as url:
                uncached = cold_load(browser, url)
            with streamlit_server(REPO / "dashboard.py", **server) as url:
                first = cold_load(browser, url)
                second = cold_load(browser, url)
                result = measure(browser, url, first)
                result["second_load_s"] = second
                result["uncached_load_s"] = uncached
                rows.append((n, result))
                print(n, json.dumps(result), flush=True)
    return rows


def report(rows: list[tuple[int, dict]]) -> str:
    lines = [
        START,
        "## Live timeline (issue 9): drag, settle, Play, cold load",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{platform.python_version()}, headless Chromium, other jobs sharing the 2 cores. "
        "Drag frame: `input` event on the slider to the map's next animation frame after the "
        f"engine restyled, over {STEPS} one-day mouse moves with the button held.",
        "",
        "| events | drag frame median / p95 ms (target) | KB received per drag step | "
        "frames sent while dragging | settle s (KB received) | cold load s: first visitor on new data / "
        "first visitor after a restart / new session | "
        "Play 4x: days/s, late ticks, dropped days, frames sent |",
        "|---|---|---|---|---|---|---|",
    ]
    for n, r in rows:
        lines.append(
            f"| {n:,} | {r['drag_median']:.1f} / {r['drag_p95']:.1f} ({TARGETS.get(n, '-')}) "
            f"| {r['kb_per_step']:.2f} | {r['frames_sent']} | {r['settle_s']:.2f} ({r['settle_kb']:.0f}) "
            f"| {r.get('uncached_load_s', float('nan')):.2f} / {r['first_load_s']:.2f} / {r['second_load_s']:.2f} "
            f"| {r['play_fps']:.2f}, {r['play_late']}, {r['play_dropped']}, {r['play_frames_sent']} |"
        )
    lines += ["", END]
    return "\n".join(lines)


def publish(section: str, start: str, end: str, out: Path, *, dry_run: bool = False) -> None:
    """Print ``section`` and, unless ``dry_run``, write it between its markers in ``out``."""
    print(section)
    if not dry_run:
        write(section, start, end, out)
        print(f"wrote {out}")


def write(section: str, start: str = START, end: str = END, path: Path = RESULTS) -> None:
    """Replace the section between ``start`` and ``end`` in ``path`` (append it if absent)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.live", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    args = parser.parse_args(argv)
    sizes = tuple(int(s.replace("k", "000")) for s in args.sizes.split(","))
    write(report(run(sizes)), path=args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
