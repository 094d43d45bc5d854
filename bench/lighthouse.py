"""Lighthouse scores for the live dashboard and for the standalone HTML export, by hand.

    python -m bench.lighthouse           # both targets, mobile preset; prints a Markdown table
    python -m bench.lighthouse --write   # ... and writes it into bench/results.md (make lighthouse)

Lighthouse comes from the npm registry (pinned below) into ``.cache/lighthouse/`` (git-ignored),
and drives the system Chromium (``CHROME_PATH``, default ``lib.pictures.browser.chromium_executable``).
Targets:

- *dashboard*: ``dashboard.py`` on a free port with the repository's data and tiles off.
- *standalone export*: ``python -m lib export html`` of the same data, served over HTTP with
  gzip as a CDN would (docs/publishing.md says to serve it compressed); Lighthouse's mobile preset
  (simulated slow 4G and a 4x slower CPU) is what a reader on a phone meets.

The dashboard's accessibility score comes from a snapshot taken once Streamlit has drawn the
page (``bench/lighthouse-snapshot.mjs``, Lighthouse's user-flow API): a navigation run audits it
before the content arrives. Reports (JSON and HTML) go to ``bench/out/lighthouse/``. Never part of ``make test``: scores
depend on the machine's load, and the run takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench import live
from lib.pictures.browser import chromium_executable
from tests.support.server import free_port, streamlit_server

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "13.5.0"
TOOL_DIR = REPO / ".cache" / "lighthouse"
OUT = REPO / "bench" / "out" / "lighthouse"
RESULTS = REPO / "bench" / "results.md"
START, END = "<!-- lighthouse: written by python -m bench.lighthouse -->", "<!-- /lighthouse -->"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def lighthouse_bin() -> Path:
    """The pinned Lighthouse CLI, installed with npm into .cache/lighthouse/ on first use."""
    binary = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
    installed = TOOL_DIR / "node_modules" / "lighthouse" / "package.json"
    if binary.exists() and json.loads(installed.read_text())["version"] == LIGHTHOUSE_VERSION:
        return binary
    if not shutil.which("npm"):
        sys.exit("npm not found: install Node.js and npm to run Lighthouse")
    TOOL_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOL_DIR),
         f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )  # fmt: skip
    return binary


class _GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (as any CDN serves them)."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = Path(self.translate_path(self.path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", free_port()), partial(_GzipHandler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_lighthouse(url: str, name: str, preset: str) -> dict:
    """Run Lighthouse on ``url``; return its JSON report (also saved under bench/out/)."""
    OUT.mkdir(parents=True, exist_ok=True)
    stem = OUT / f"{name}-{preset}"
    chrome = os.environ.get("CHROME_PATH") or chromium_executable()
    if not chrome:
        sys.exit("no Chromium found: set CHROME_PATH")
    command = [
        str(lighthouse_bin()), url,
        "--quiet",
        "--output=json", "--output=html", f"--output-path={stem}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--only-categories=" + ",".join(CATEGORIES),
        "--max-wait-for-load=60000",
    ]  # fmt: skip
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chrome})
    return json.loads(Path(f"{stem}.report.json").read_text(encoding="utf-8"))


def run_snapshot(url: str, name: str, preset: str) -> dict:
    """Lighthouse's snapshot of ``url`` once Streamlit has drawn it (bench/lighthouse-snapshot.mjs).

    Needed for the dashboard: a navigation run audits it before the content arrives over the
    websocket (on the mobile preset it audited an empty page and scored accessibility 100).
    """
    lighthouse_bin()
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"{name}-{preset}-snapshot.json"
    chrome = os.environ.get("CHROME_PATH") or chromium_executable() or ""
    script = REPO / "bench" / "lighthouse-snapshot.mjs"
    subprocess.run(
        ["node", str(script), str(TOOL_DIR), url, str(out), preset],
        check=True,
        env={**os.environ, "CHROME_PATH": chrome},
    )
    return json.loads(out.read_text(encoding="utf-8"))


def _score(report: dict, category: str) -> str:
    score = report["categories"][category]["score"]
    return "n/a" if score is None else f"{round(score * 100)}"


def summary(report: dict, a11y: dict | None = None) -> dict[str, str]:
    """Scores and metrics of a navigation ``report``; accessibility from ``a11y`` when given."""
    a11y = a11y or report
    row = {c: _score(a11y if c == "accessibility" else report, c) for c in CATEGORIES}
    for audit, label in METRICS.items():
        row[label] = report["audits"][audit].get("displayValue", "n/a").replace("\u00a0", " ")
    failed = [
        ref["id"]
        for ref in a11y["categories"]["accessibility"]["auditRefs"]
        if ref["weight"]
        and (a11y["audits"][ref["id"]].get("score") or 0) < 1
        and a11y["audits"][ref["id"]].get("scoreDisplayMode") == "binary"
    ]
    row["accessibility audits failed"] = ", ".join(failed) or "none"
    return row


def table(rows: list[tuple[str, dict[str, str]]]) -> str:
    columns = [*CATEGORIES, *METRICS.values(), "accessibility audits failed"]
    lines = [
        "| target | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, row in rows:
        lines.append(f"| {name} | " + " | ".join(row[c] for c in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", help="write the table into bench/results.md"
    )
    parser.add_argument(
        "--preset", choices=["mobile", "desktop"], default="mobile", help="Lighthouse preset"
    )
    args = parser.parse_args(argv)

    rows: list[tuple[str, dict[str, str]]] = []
    with streamlit_server(REPO / "dashboard.py", env={"DASHBOARD_TILES": "off"}) as url:
        navigation = run_lighthouse(url, "dashboard", args.preset)
        drawn = run_snapshot(url, "dashboard", args.preset)
        rows.append(("dashboard (main page)", summary(navigation, drawn)))

    export_dir = OUT / "site"
    export_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "lib.pictures.export",
            "html",
            "--out",
            str(export_dir / "map.html"),
        ],
        cwd=REPO,
        check=True,
    )
    with static_server(export_dir) as base:
        report = run_lighthouse(f"{base}/map.html", "standalone", args.preset)
        rows.append(("standalone HTML export (gzip)", summary(report)))

    text = table(rows)
    print(text)
    if args.write:
        chrome = os.environ.get("CHROME_PATH") or chromium_executable() or "?"
        version = subprocess.run(
            [chrome, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        section = (
            f"{START}\n## Lighthouse {LIGHTHOUSE_VERSION}, {args.preset} preset "
            f"({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)\n\n"
            f"`python -m bench.lighthouse --write` on {platform.machine()}, "
            f"{os.cpu_count()} cores shared with other work, {version}; the repository's data, "
            "tiles off; the export served over loopback HTTP with gzip. The dashboard's "
            "accessibility comes from a snapshot once Streamlit has drawn the page "
            "(bench/lighthouse-snapshot.mjs), the rest from a navigation run. Scores vary by a few "
            "points from run to run with the machine's load; reports in bench/out/lighthouse/.\n\n"
            + text
            + f"\n\n{END}"
        )
        live.write(section, START, END, RESULTS)
        print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
