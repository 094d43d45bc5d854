"""``python -m bench.baseline`` (part of ``make bench``): the naive app, with the drag probe.

The naive app is ``bench/baseline_app.py``: what a first Streamlit + folium map usually looks
like (a ``st.slider``, one ``folium.Marker`` per event and place, the whole map rebuilt and sent
on every run). It gets the same drag as ``bench.live`` and ``bench.peer``: the mouse holds the
slider's thumb and moves it one day per move. Streamlit's slider sends nothing while it is held,
so the map cannot follow the drag; the probe checks that (websocket frames sent and marker
drawings changed while the button is down), then times **release to markers painted**: from
the ``pointerup`` event in the page to the first animation frame in which the map holds as many
markers as the app's caption says for the new day, none of them drawn before the release. That
is the naive app's only step, to be read against the live timeline's drag frame and settle.
Also the WebSocket bytes received per release (until the page is idle, including the extra
rerun the default ``returned_objects`` triggers) and the cold load to the first marker.

Results replace the section between the ``baseline`` markers of bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from playwright.sync_api import Page

from bench import live, peer
from bench.live import percentile
from bench.peer import TWO_FRAMES

APP = Path(__file__).resolve().parent / "baseline_app.py"
RESULTS = Path(__file__).resolve().parent / "results.md"
START, END = "<!-- baseline: written by python -m bench.baseline -->", "<!-- /baseline -->"
SIZES = (1_000, 10_000)
#: Releases per size: a naive step takes about 2 s at 1,000 events and 20 s at 10,000.
RELEASES = {1_000: 5, 10_000: 3}
DRAG_DAYS = 3
QUIET_S = 0.6

MAP = "iframe[src*='streamlit_folium']"
MARKER = "img.leaflet-marker-icon"
# How many markers the map shows in the newest map iframe, and the caption's count and day.
STATE_JS = """([iframe, marker]) => {
  const caption = Array.from(document.querySelectorAll('[data-testid=stMarkdownContainer]'))
    .map((e) => e.innerText).find((t) => t.startsWith('As of')) || '';
  const m = caption.match(/^As of (.+?): ([0-9,]+) markers/);
  let drawn = 0, old = 0;
  for (const f of document.querySelectorAll(iframe)) {
    const d = f.contentDocument;
    if (!d) { continue; }
    for (const el of d.querySelectorAll(marker)) { drawn += 1; if (el.__benchOld) { old += 1; } }
  }
  return {day: m ? m[1] : null, expected: m ? Number(m[2].replace(/,/g, '')) : null,
          drawn, old};
}"""
# Before a release: mark the markers drawn now, and time-stamp the release in the page.
ARM_JS = """([iframe, marker]) => {
  window.__releasedAt = null;
  window.addEventListener('pointerup', () => {
    window.__releasedAt = performance.timeOrigin + performance.now(); }, {capture: true, once: true});
  for (const f of document.querySelectorAll(iframe)) {
    const d = f.contentDocument;
    if (d) { for (const el of d.querySelectorAll(marker)) { el.__benchOld = true; } }
  }
}"""
# Polled every animation frame after the release: the epoch ms of the first frame in which
# the caption shows a new day and the map holds exactly its markers, none from before.
PAINTED_JS = """([iframe, marker, before]) => {
  const caption = Array.from(document.querySelectorAll('[data-testid=stMarkdownContainer]'))
    .map((e) => e.innerText).find((t) => t.startsWith('As of')) || '';
  const m = caption.match(/^As of (.+?): ([0-9,]+) markers/);
  if (!m || m[1] === before) { return false; }
  const expected = Number(m[2].replace(/,/g, ''));
  for (const f of document.querySelectorAll(iframe)) {
    const d = f.contentDocument;
    if (!d) { continue; }
    const els = d.querySelectorAll(marker);
    if (els.length !== expected) { continue; }
    if (Array.from(els).some((el) => el.__benchOld)) { continue; }
    return performance.timeOrigin + performance.now();
  }
  return false;
}"""
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def first_marker(page: Page, timeout_s: float) -> None:
    page.wait_for_function(
        f"""() => Array.from(document.querySelectorAll({json.dumps(MAP)}))
            .some((f) => f.contentDocument && f.contentDocument.querySelector({json.dumps(MARKER)}))""",
        polling="raf",
        timeout=timeout_s * 1000,
    )


def cold_load(browser, url: str, timeout_s: float) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    first_marker(page, timeout_s)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def measure(browser, url: str, releases: int, timeout_s: float) -> dict:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    received: list[tuple[float, int]] = []
    sent: list[float] = []

    def on_ws(ws) -> None:
        ws.on(
            "framereceived",
            lambda f: received.append(
                (time.monotonic(), len(f) if isinstance(f, bytes | str) else 0)
            ),
        )
        ws.on("framesent", lambda f: sent.append(time.monotonic()))

    page.on("websocket", on_ws)
    page.goto(url)
    first_marker(page, timeout_s)

    def idle() -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            last = received[-1][0] if received else 0
            if time.monotonic() - last > QUIET_S and page.evaluate(IDLE_JS):
                return
            page.wait_for_timeout(100)
        raise TimeoutError("the naive app did not settle")

    idle()
    # Streamlit's slider (react-aria): a hidden range input inside the thumb, which sits on
    # the track at the input's value.
    value = page.locator("[data-testid=stSlider] input[type=range]")
    track = page.locator("[data-testid=stSlider] [role=group] > div").first.bounding_box()
    low, high = float(value.get_attribute("min")), float(value.get_attribute("max"))
    per_day = track["width"] * float(value.get_attribute("step")) / (high - low)
    args = [MAP, MARKER]
    latencies, kbs, sent_while_held, painted_while_held = [], [], 0, 0
    shown = [page.evaluate(STATE_JS, args)["day"]]
    for _ in range(releases):
        at = (float(value.get_attribute("value")) - low) / (high - low)
        if at * (high - low) < DRAG_DAYS * float(value.get_attribute("step")):
            raise RuntimeError("the slider reached the first day: use fewer releases")
        x, y = track["x"] + track["width"] * at, track["y"] + track["height"] / 2
        before = page.evaluate(STATE_JS, args)
        page.evaluate(ARM_JS, args)
        page.mouse.move(x, y)
        page.mouse.down()
        mark_sent = len(sent)
        for k in range(1, DRAG_DAYS + 1):
            page.mouse.move(x - k * per_day, y)
            page.evaluate(TWO_FRAMES)
        page.wait_for_timeout(300)
        held = page.evaluate(STATE_JS, args)
        sent_while_held += len(sent) - mark_sent
        painted_while_held += held["old"] != held["drawn"] or held["day"] != before["day"]
        mark = len(received)
        page.mouse.up()
        painted = page.wait_for_function(
            PAINTED_JS, arg=[MAP, MARKER, before["day"]], polling="raf", timeout=timeout_s * 1000
        ).json_value()
        latencies.append(painted - page.evaluate("window.__releasedAt"))
        idle()
        kbs.append(sum(n for _, n in received[mark:]) / 1024)
        shown.append(page.evaluate(STATE_JS, args)["day"])
    context.close()
    return {
        "release_median": statistics.median(latencies),
        "release_p95": percentile(latencies, 0.95),
        "releases": len(latencies),
        "kb_per_release": statistics.median(kbs),
        "sent_while_held": sent_while_held,
        "painted_while_held": painted_while_held,
        "days_shown": shown,
    }


def run(sizes: tuple[int, ...], timeout_s: float = 600) -> list[tuple[int, dict]]:
    return peer.run_app(
        APP,
        sizes,
        lambda browser, url, n: measure(browser, url, RELEASES.get(n, 3), timeout_s),
        timeout_s,
        first_paint=cold_load,
    )


def report(rows: list[tuple[int, dict]]) -> str:
    lines = [
        START,
        "## Naive baseline: st.slider and one folium.Marker per event",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, headless Chromium, other "
        "jobs sharing the 2 cores (1-minute load average at the start of each size below). "
        "`bench/baseline_app.py`, driven with the drag probe of `bench.live`: the thumb held "
        f"and moved one day at a time for {DRAG_DAYS} days, then released. The map cannot follow "
        "the drag (Streamlit's slider sends its value on release), so the step timed is release "
        "(`pointerup` in the page) to the next day's markers painted.",
        "",
        "| events | map followed the drag? (frames sent while held) | release to markers "
        "painted, median / p95 ms (releases) | KB received per release | cold load, first "
        "visitor / new session s | load avg |",
        "|---|---|---|---|---|---|",
    ]
    for n, r in rows:
        if "error" in r:
            lines.append(
                f"| {n:,} | not measured: {r['error']} (after {r['wall_s']:.0f} s) | | | | "
                f"{r['load_avg']:.1f} |"
            )
            continue
        followed = "no" if not r["painted_while_held"] else f"{r['painted_while_held']} times"
        lines.append(
            f"| {n:,} | {followed} ({r['sent_while_held']}) | {r['release_median']:,.0f} / "
            f"{r['release_p95']:,.0f} ({r['releases']}) | {r['kb_per_release']:,.0f} | "
            f"{r['first_load_s']:.2f} / {r['second_load_s']:.2f} | {r['load_avg']:.1f} |"
        )
    lines += [
        "",
        "Not run at 100,000 events: a step there was extrapolated at 202 s or more from the "
        "20 s measured at 10,000 (slider-design section below).",
        "",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.baseline", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--timeout", type=float, default=600, help="seconds per wait")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    sizes = tuple(int(s.replace("k", "000")) for s in args.sizes.split(","))
    section = report(run(sizes, args.timeout))
    live.publish(section, START, END, args.out, dry_run=args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
