"""``python -m bench.edition`` (part of ``make bench``): the reader edition served by nginx.

For each size N (events; data from ``bench.generate``) it publishes the edition
(``python -m lib publish``), serves it with Debian's nginx (gzip on, started here on a free port
with its own config, pid, logs and temp folders) and measures, in headless Chromium:

- **first paint**: navigation to the markers painted (the engine's first view's animation
  frame, ``newsmapState.painted``, in ms since navigation start), fresh browser context each
  time (nothing cached), median of ``LOADS``;
- **transfer before the first paint**: bytes on the wire (Resource Timing ``transferSize``:
  gzipped bodies plus headers) of the page and every file that finished before that paint;
- **drag frame**: a real mouse drag of the timeline's thumb, one day per move; from the
  ``input`` event to the next animation frame after the engine restyled (same document);
- **readers served**: ``READERS`` concurrent readers (threads of this process, one keep-alive
  connection each) each loading the page, its assets, the first-paint data, the manifest and
  one article, as a browser would (gzip accepted): p95 of a reader's whole load, requests a
  second. The client shares the 2 cores with nginx, so these are lower bounds.

Results replace the section between the ``edition`` markers of bench/results.md. Never part of
``make test``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench import generate, live
from lib.edition import publish
from lib.pictures.browser import launch
from tests.support.server import free_port

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
RESULTS = REPO / "bench" / "results.md"
START, END = "<!-- edition: written by python -m bench.edition -->", "<!-- /edition -->"
SIZES = (1_000, 10_000, 100_000)
NGINX = "/usr/sbin/nginx"
LOADS = 5
STEPS = 24
READERS = 500
#: Issue 18's targets: first paint (s) and transfer before it (KB) per size; the app's drag frame.
PAINT_TARGET = {1_000: 0.8, 10_000: 0.8, 100_000: 1.5}
TRANSFER_TARGET = {100_000: 1536}
DRAG_TARGET = live.TARGETS


def nginx_config(root: Path, port: int, work: Path) -> str:
    """A config that serves ``root`` on 127.0.0.1:``port`` as docs/publishing.md describes
    (gzip, a year for hashed files, a minute for the page), with every path under ``work``."""
    return f"""
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    sendfile on;
    keepalive_requests 10000;
    gzip on;
    gzip_types application/javascript text/css application/json;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location ~ "\\.[0-9a-f]{{16}}\\.(js|css)$" {{
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}
        location = /edition.json {{ return 404; }}
        location / {{ add_header Cache-Control "public, max-age=60"; }}
    }}
}}
"""


@contextmanager
def nginx_server(root: Path, timeout: float = 30) -> Iterator[str]:
    """nginx serving ``root``; yields its URL. Stops the nginx this started, and only it."""
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as tmp:
        work, port = Path(tmp), free_port()
        conf = work / "nginx.conf"
        conf.write_text(nginx_config(root.resolve(), port, work), encoding="utf-8")
        proc = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(work), "-e", str(work / "e.log")]
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"nginx exited: {(work / 'e.log').read_text()}")
                try:
                    with urllib.request.urlopen(url, timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)  # a poll interval, not a guess at the start-up time
            yield url
        finally:
            proc.send_signal(signal.SIGQUIT)  # graceful: the master stops its worker
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


PAINTED = "() => window.newsmapState && newsmapState.painted > 0 && window.newsmapEdition"
TRANSFER = """() => {
  const painted = newsmapState.painted;
  const nav = performance.getEntriesByType('navigation')[0];
  let bytes = nav.transferSize, files = 1;
  for (const r of performance.getEntriesByType('resource')) {
    if (r.responseEnd <= painted) { bytes += r.transferSize; files += 1; }
  }
  return {painted, bytes, files};
}"""
PROBE = """() => {
  window.__inputs = []; window.__paints = [];
  document.querySelector('.nmt-end').addEventListener('input',
    () => window.__inputs.push(performance.now()), true);
  const engine = newsmapEdition.engine, set = engine.setView.bind(engine);
  engine.setView = (v) => { const r = set(v);
    requestAnimationFrame(() => window.__paints.push(performance.now())); return r; };
}"""


def first_paint(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(PAINTED, timeout=120_000)
    result = page.evaluate(TRANSFER)
    context.close()
    return result


def drag(page: Page) -> list[float]:
    page.evaluate(PROBE)
    top = int(page.locator(".nmt-end").get_attribute("max"))
    steps = min(STEPS, top)
    page.mouse.move(*live.thumb(page, top))
    page.mouse.down()
    for k in range(1, steps + 1):
        page.mouse.move(*live.thumb(page, top - k))
        page.wait_for_function(f"window.__paints.length >= {k}", timeout=30_000)
    page.mouse.up()
    inputs, paints = page.evaluate("[window.__inputs, window.__paints]")
    latencies, previous = [], float("-inf")
    for paint in paints:
        pending = [i for i in inputs if previous < i <= paint]
        if pending:
            latencies.append(paint - pending[0])
        previous = paint
    return latencies


def reader_paths(root: Path) -> tuple[list[str], list[str]]:
    """What a new reader's browser asks for (page, assets, first-paint data, manifest), and
    the article files one of which each reader opens."""
    page = (root / "index.html").read_text(encoding="utf-8")
    first = [
        "",
        *re.findall(r'(?:src|href|content)="((?:assets|data)/[^"]+)"', page),
    ]  # page, files
    (manifest,) = [p for p in first if p.startswith("data/manifest.")]
    _, data = publish.read_data_script((root / manifest).read_bytes())
    return first, sorted(data["articles"].values())


def serve_readers(url: str, root: Path, readers: int = READERS) -> dict:
    first, articles = reader_paths(root)
    host, port = url.split("//")[1].rstrip("/").split(":")
    rng = random.Random(18)
    picks = [rng.choice(articles) for _ in range(readers)]

    def one(article: str) -> tuple[float, int, int]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        requests = failed = 0
        try:
            for path in [*first, article]:
                conn.request("GET", "/" + path, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                requests += 1
                failed += response.status != 200
        except OSError:
            failed += 1
        finally:
            conn.close()
        return time.perf_counter() - started, requests, failed

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=readers) as pool:
        done = list(pool.map(one, picks))
    elapsed = time.perf_counter() - started
    times = [d[0] for d in done]
    return {
        "readers": readers,
        "p95_s": live.percentile(times, 0.95),
        "median_s": statistics.median(times),
        "requests": sum(d[1] for d in done),
        "failed": sum(d[2] for d in done),
        "rps": sum(d[1] for d in done) / elapsed,
        "elapsed_s": elapsed,
    }


def app_first_paint(data: Path, browser) -> tuple[float, int]:
    """The app's figure for the same data: a new session's navigation to its map painted
    (``bench.live.cold_load``), median of the loads after the server's first; a load whose
    map never paints is left out (and said)."""
    from tests.support.server import streamlit_server

    env = {"DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(data)}
    with streamlit_server(REPO / "dashboard.py", env=env, timeout=600) as url:
        times, failed = [], 0
        for _ in range(4):  # the first visitor parses and caches the data: not counted
            try:
                times.append(live.cold_load(browser, url))
            except PlaywrightTimeoutError:
                failed += 1
                print("the app's map did not paint within 240 s; that load is left out")
        return (statistics.median(times[1:]) if len(times) > 1 else float("nan")), failed


def measure(n: int, browser, with_app: bool = True) -> dict:
    data = generate.ensure(n)
    site = OUT / f"edition-{n}"
    started = time.perf_counter()
    publish.publish(site, data)
    publish_s = time.perf_counter() - started
    with nginx_server(site) as url:
        loads = [first_paint(browser, url) for _ in range(LOADS)]
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(PAINTED, timeout=120_000)
        page.wait_for_timeout(1000)
        latencies = drag(page)
        context.close()
        served = serve_readers(url, site)
    app_s, app_failed = app_first_paint(data, browser) if with_app else (float("nan"), 0)
    painted = [x["painted"] for x in loads]
    return {
        "app_s": app_s,
        "app_failed": app_failed,
        "publish_s": publish_s,
        "paint_median_s": statistics.median(painted) / 1000,
        "paint_max_s": max(painted) / 1000,
        "transfer_kb": statistics.median(x["bytes"] for x in loads) / 1024,
        "files": loads[0]["files"],
        "drag_median": statistics.median(latencies),
        "drag_p95": live.percentile(latencies, 0.95),
        **{f"served_{k}": v for k, v in served.items()},
    }


def _app_cell(r: dict) -> str:
    value = "none of 3 painted" if r["app_s"] != r["app_s"] else f"{r['app_s']:.2f}"  # NaN
    failed = r.get("app_failed", 0)
    return value + (f" ({failed} of 4 loads never painted)" if failed else "")


def report(rows: list[tuple[int, dict]]) -> str:
    load = os.getloadavg()
    lines = [
        START,
        "## Reader edition (issue 18): first paint, transfer, drag, readers served by nginx",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{platform.python_version()}, headless Chromium, Debian's nginx with gzip on this machine "
        f"(no network between them), load average at the end {load[0]:.1f} {load[1]:.1f} "
        f"{load[2]:.1f} on 2 cores shared with other jobs. First paint: navigation to the "
        f"engine's first painted frame, fresh context each time, median (max) of {LOADS}. "
        "Transfer: bytes on the wire (gzip, headers included) of everything that finished "
        f"before that paint. Drag: {STEPS} one-day mouse moves. Readers: {READERS} concurrent "
        "readers, each loading the page, its assets, the first-paint data, the manifest and "
        "one article on one keep-alive connection; the client runs on the same 2 cores. "
        "The app's first paint: a new session's navigation to its map painted "
        "(`bench.live.cold_load`, median of the loads after the server's first, which parses and caches the data; 4 loads, a load whose map does not paint within 240 s left out).",
        "",
        "| events | publish s | first paint s: median, max (target) | the app's first paint s | transfer before paint KB (target) | "
        "files | drag frame median / p95 ms (target) | readers: p95 s of a whole load, "
        "requests/s, failed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, r in rows:
        lines.append(
            f"| {n:,} | {r['publish_s']:.1f} | {r['paint_median_s']:.2f}, max {r['paint_max_s']:.2f} "
            f"({PAINT_TARGET.get(n, '-')}) | {_app_cell(r)} | {r['transfer_kb']:.0f} "
            f"({TRANSFER_TARGET.get(n, '-')}) | {r['files']} | {r['drag_median']:.1f} / "
            f"{r['drag_p95']:.1f} ({DRAG_TARGET.get(n, '-')}) | {r['served_p95_s']:.2f}, "
            f"{r['served_rps']:.0f}, {r['served_failed']} |"
        )
    lines += ["", END]
    return "\n".join(lines)


LH_START = "<!-- edition-lighthouse: written by python -m bench.edition --lighthouse -->"
LH_END = "<!-- /edition-lighthouse -->"


def lighthouse_section() -> str:
    """Lighthouse (bench.lighthouse: pinned, mobile preset) on the edition of the shipped data
    served by nginx: the map, and the article reader opened on a passage."""
    from bench import lighthouse
    from lib.data.dataset import load_dataset
    from lib.data.mentions import build_index

    site = OUT / "edition-shipped"
    publish.publish(site, REPO)
    dataset = load_dataset(REPO)
    first = build_index(dataset.articles.values(), dataset.gazetteer)[0]
    rows = []
    with nginx_server(site) as url:
        for name, target in (
            ("edition: the map", url),
            ("edition: article reader", f"{url}?read={first.article_id}&at={first.start}"),
        ):
            stem = "edition-reader" if "reader" in name else "edition"
            rows.append(
                (name, lighthouse.summary(lighthouse.run_lighthouse(target, stem, "mobile")))
            )
    load = os.getloadavg()
    return "\n".join(
        [
            LH_START,
            "## Reader edition (issue 18): Lighthouse, mobile preset",
            "",
            f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: Lighthouse "
            f"{lighthouse.LIGHTHOUSE_VERSION}, mobile preset (simulated slow 4G, 4x slower CPU), "
            "the edition of the shipped data served by Debian's nginx with gzip; load average "
            f"{load[0]:.1f} on 2 cores shared with other jobs.",
            "",
            lighthouse.table(rows),
            "",
            LH_END,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.edition", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument(
        "--no-app", action="store_true", help="leave out the app's figure (no Streamlit server)"
    )
    parser.add_argument(
        "--lighthouse",
        action="store_true",
        help="instead: Lighthouse on the edition of the shipped data (npm; its own section)",
    )
    args = parser.parse_args(argv)
    if args.lighthouse:
        section = lighthouse_section()
        live.write(section, LH_START, LH_END, args.out)
        print(section)
        return 0
    sizes = tuple(int(s.replace("k", "000")) for s in args.sizes.split(","))
    rows = []
    with sync_playwright() as playwright, launch(playwright) as browser:
        for n in sizes:
            rows.append((n, measure(n, browser, with_app=not args.no_app)))
            print(n, json.dumps(rows[-1][1]), flush=True)
    section = report(rows)
    live.write(section, START, END, args.out)
    print(section)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
