"""The reader UI's JavaScript (static/newsmap/core.js, params.js, panel.js) run in node, for
tests that check what a page draws from what Python sent: the events table of a view from the
map's engine data, a place's panel from its place data. No browser: a few milliseconds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

import pytest

from lib.map.offline import STATIC_DIR

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

_SCRIPT = """
const fs = require("fs"), vm = require("vm");
const ctx = vm.createContext({URLSearchParams});
ctx.window = ctx;
for (const f of ["core.js", "params.js", "panel.js"]) {
  vm.runInContext(fs.readFileSync(process.argv[1] + "/" + f, "utf8"), ctx, {filename: f});
}
const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const N = ctx.Newsmap, out = {};
const href = (a, p, at) => "./Articles?article=" + a + (p ? "&place=" + p : "") + (at != null ? "#m" + at : "");
if (job.table) { out.table = N.eventsTable(job.D, job.view); }
if (job.place) { out.panel = N.placePanel(job.place, job.view, job.D, job.links ? {articleHref: href} : undefined); }
process.stdout.write(JSON.stringify(out));
"""


def run(
    D: dict, view: dict, *, table: bool = False, place: dict | None = None, links: bool = False
):
    """``{"table": html, "panel": html}`` as the page draws them for ``view``."""
    assert NODE is not None, "node is not installed"
    with tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp) / "job.json"
        job.write_text(
            json.dumps({"D": D, "view": view, "table": table, "place": place, "links": links}),
            encoding="utf-8",
        )
        result = subprocess.run(
            [NODE, "-e", _SCRIPT, str(STATIC_DIR / "newsmap"), str(job)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def table_ids(html: str) -> list[str]:
    """The event ids of the events table's rows, in order (newest first)."""
    return [
        unescape(i) for i in re.findall(r"<span class='nme-id'>\[([^\]]*)\]</span></td></tr>", html)
    ]


def dashboard_summaries() -> dict[str, str]:
    """``{event id: summary}`` of every event the main page's map, table and panels draw from:
    the engine data of the data set the app's caches hold now (after an ``AppTest`` run of the
    dashboard in this process)."""
    from ui import data as store

    info = store.engine_data()["info"]
    assert info is not None, "the fixture is small: the engine data carries every event's text"
    return {row[5]: row[3] for row in info}
