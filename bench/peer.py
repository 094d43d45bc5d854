"""``python -m bench.peer`` (part of ``make bench``): the folium-native peer's drag frame.

The peer is ``bench/peer_timeline_app.py``: folium's ``Timeline`` + ``TimelineSlider`` plugins in
``st_folium``, one GeoJSON feature per event. Measured with ``bench.live``'s probe: a real mouse
drag of the slider's thumb (leaflet.timeline's ``input.time-slider`` in the map iframe), one day
per move with the button held, from the ``input`` event to the map frame's next animation frame
after the timeline changed the features it shows (``L.Timeline.updateDisplayedLayers``, which the
slider calls synchronously from that event). A move that changes no feature is not timed. Also
the WebSocket bytes received while dragging and the cold load to the first drawn feature.

Results replace the section between the ``peer`` markers of bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Frame, Page, sync_playwright

from bench import generate, live
from bench.live import percentile
from lib.pictures.browser import launch
from tests.support.server import streamlit_server

REPO = Path(__file__).resolve().parent.parent
APP = Path(__file__).resolve().parent / "peer_timeline_app.py"
RESULTS = Path(__file__).resolve().parent / "results.md"
START, END = "<!-- peer: written by python -m bench.peer -->", "<!-- /peer -->"
SIZES = (1_000, 10_000)
STEPS = 24
DAY_MS = 86_400_000

# Installed in the map frame once the timeline exists. Each paint record is (the input event's
# epoch ms, the next animation frame's epoch ms, features shown), as in bench.live.
FRAME_PROBE = """() => {
  const now = () => performance.timeOrigin + performance.now();
  window.__inputs = []; window.__paints = [];
  let lastInput = null;
  document.querySelector('.time-slider').addEventListener('input', () => {
    lastInput = now(); window.__inputs.push(lastInput); }, true);
  const proto = L.Timeline.prototype, update = proto.updateDisplayedLayers;
  proto.updateDisplayedLayers = function () {
    const before = this.getLayers().length;
    const result = update.apply(this, arguments);
    const after = this.getLayers().length, at = lastInput;
    if (after !== before && at !== null) {
      lastInput = null;
      requestAnimationFrame(() => window.__paints.push([at, now(), after]));
    }
    return result;
  };
}"""
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
READY = (
    "() => window.L && L.Timeline && document.querySelector('.time-slider')"
    " && document.querySelector('path.leaflet-interactive')"
)


def map_frame(page: Page, timeout_s: float) -> Frame:
    # Polls every frame rather than waiting on the first iframe found: st_folium may replace
    # its iframe while the page settles, and a wait on a detached frame never returns.
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.evaluate(READY):
                        return frame
                except Exception:  # detached or navigating: look again
                    pass
        page.wait_for_timeout(50)
    raise TimeoutError(f"the peer's map did not draw within {timeout_s:.0f} s")


def cold_load(browser, url: str, timeout_s: float) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    map_frame(page, timeout_s)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def measure(browser, url: str, timeout_s: float) -> dict:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    received: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda f: received.append(len(f) if isinstance(f, bytes | str) else 0)
        ),
    )
    page.goto(url)
    frame = map_frame(page, timeout_s)
    page.wait_for_timeout(1500)
    frame.evaluate(FRAME_PROBE)
    slider = frame.locator(".time-slider")
    low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    days = int((high - low) // DAY_MS) + 1
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()

    def at(day: int) -> tuple[float, float]:
        # Noon of the day: half a day of slack either side of the pixel rounding.
        value = min(high, low + day * DAY_MS + DAY_MS / 2)
        frac = (value - low) / (high - low)
        return box["x"] + 8 + (box["width"] - 16) * frac, box["y"] + box["height"] / 2

    steps = min(STEPS, days - 1)
    page.mouse.move(*at(days - 1))
    page.mouse.down()  # the thumb jumps to the last day: a warm-up, not timed
    frame.evaluate(TWO_FRAMES)
    page.wait_for_timeout(500)
    frame.evaluate("() => { window.__inputs.length = 0; window.__paints.length = 0; }")
    received.clear()
    for k in range(1, steps + 1):
        page.mouse.move(*at(days - 1 - k))
        frame.wait_for_function(f"window.__inputs.length >= {k}", timeout=60_000)
        frame.evaluate(TWO_FRAMES)
    paints = frame.evaluate("window.__paints")
    drag_bytes = sum(received)
    page.mouse.up()
    context.close()
    latencies = [p - i for i, p, _ in paints]
    if not latencies:
        raise RuntimeError("the peer's slider moved but no feature changed: the probe is broken")
    return {
        "drag_median": statistics.median(latencies),
        "drag_p95": percentile(latencies, 0.95),
        "steps": len(latencies),
        "moves": steps,
        "features_last": paints[-1][2],
        "kb_per_step": drag_bytes / 1024 / max(1, steps),
        "days": days,
    }


def run(sizes: tuple[int, ...], timeout_s: float = 600) -> list[tuple[int, dict]]:
    return run_app(APP, sizes, lambda browser, url, n: measure(browser, url, timeout_s), timeout_s)


def run_app(
    app: Path,
    sizes: tuple[int, ...],
    measure_one: Callable[[Browser, str, int], dict],
    timeout_s: float = 600,
    first_paint: Callable[[Browser, str, float], float] | None = None,
) -> list[tuple[int, dict]]:
    """Start ``app`` on each size's data; two cold loads, then ``measure_one(browser, url, n)``.

    A size that fails is reported in its row (``error``), not fatal. Shared with
    ``bench.baseline``; ``first_paint`` is that app's cold-load probe (default: this one's).
    """
    first_paint = first_paint or cold_load
    rows = []
    with sync_playwright() as playwright, launch(playwright) as browser:
        for n in sizes:
            data_dir = generate.ensure(n)
            env = {"DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(data_dir)}
            load = os.getloadavg()[0]
            started = time.perf_counter()
            try:
                with streamlit_server(app, env=env, timeout=timeout_s) as url:
                    first = first_paint(browser, url, timeout_s)
                    second = first_paint(browser, url, timeout_s)
                    result = measure_one(browser, url, n)
            except Exception as error:  # a size that does not finish is reported, not fatal
                result = {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
                first = second = None
            result.update(
                first_load_s=first,
                second_load_s=second,
                load_avg=load,
                wall_s=time.perf_counter() - started,
            )
            rows.append((n, result))
            print(n, json.dumps(result), flush=True)
    return rows


def report(rows: list[tuple[int, dict]]) -> str:
    lines = [
        START,
        "## folium-native peer: Timeline + TimelineSlider in st_folium",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, headless Chromium, other "
        "jobs sharing the 2 cores (1-minute load average at the start of each size below). "
        "`bench/peer_timeline_app.py`: one GeoJSON feature per event, an SVG circle per place; "
        "drag frame measured like the dashboard's (`input` event on the slider to the next "
        f"animation frame after the features shown changed), over {STEPS} one-day mouse moves "
        "with the button held.",
        "",
        "| events | drag frame median / p95 ms (timed moves) | KB received per drag step | "
        "cold load, first visitor / new session s | load avg |",
        "|---|---|---|---|---|",
    ]
    for n, r in rows:
        if "error" in r:
            lines.append(
                f"| {n:,} | not measured: {r['error']} (after {r['wall_s']:.0f} s) | | | "
                f"{r['load_avg']:.1f} |"
            )
            continue
        lines.append(
            f"| {n:,} | {r['drag_median']:.1f} / {r['drag_p95']:.1f} ({r['steps']} of "
            f"{r['moves']}) | {r['kb_per_step']:.2f} | {r['first_load_s']:.2f} / "
            f"{r['second_load_s']:.2f} | {r['load_avg']:.1f} |"
        )
    lines += ["", END]
    return "\n".join(lines)


def write(section: str, path: Path = RESULTS) -> None:
    live.write(section, START, END, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.peer", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per size")
    args = parser.parse_args(argv)
    sizes = tuple(int(s.replace("k", "000")) for s in args.sizes.split(","))
    write(report(run(sizes, args.timeout)), args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
