"""The reader edition's JavaScript (static/newsmap/params.js, panel.js, edition.js) in node:
the files parse, and a permalink's parameters give the view the app gives
(lib.map.viewstate.state_from_params), with the same notes for values it ignores."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from lib.data.dataset import load_dataset
from lib.edition import publish
from lib.map.viewstate import Bounds, events_frame, state_from_params
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

NEWSMAP = publish.STATIC_DIR / "newsmap"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

#: Runs core.js and params.js in a fresh context and reads every query of argv[2] (JSON).
READ = """
const fs = require("fs"), vm = require("vm");
const ctx = vm.createContext({URLSearchParams});
for (const f of ["core.js", "params.js"]) {
  vm.runInContext(fs.readFileSync(process.argv[1] + "/" + f, "utf8"), ctx);
}
const D = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const input = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const out = input.queries.map(q => ctx.Newsmap.readParams(q, D, input.places));
process.stdout.write(JSON.stringify(out));
"""


@needs_node
@pytest.mark.parametrize("name", ["params.js", "panel.js", "edition.js"])
def test_edition_javascript_parses(name: str) -> None:
    result = subprocess.run([NODE, "--check", str(NEWSMAP / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


#: Permalinks as the app writes them, and values it ignores with a note.
QUERIES = [
    "",
    "to=2021-08-31",
    "to=2021-09-01&from=2021-08-31&mode=window",
    "from=2021-08-31",  # "from" alone means window mode
    "to=2021-09-01&type=attack,clash&claimant=Taliban",
    "type=attack&type=negotiation",  # repeated, as well as comma-separated
    "article=kabul-talks&place=shotul",
    "to=2021-13-45",  # not a date
    "to=2022-01-01&from=2020-01-01",  # outside the data: clamped
    "from=2021-09-01&to=2021-08-31",  # swapped
    "place=nowhere&claimant=%3Cimg%20src%3Dx%3E",
    "type=not_a_type",
]


@needs_node
def test_a_permalink_gives_the_view_the_app_gives(tmp_path: Path) -> None:
    dataset = load_dataset(FIXTURE_DATA)
    frame = events_frame(dataset.events.events, dataset.gazetteer)
    bounds = Bounds.of(frame, dataset.articles, dataset.gazetteer.places)
    edition = publish.build(dataset, published=dt.datetime(2021, 9, 5, tzinfo=dt.UTC))
    (engine_file,) = [f for f in edition.files if f.startswith("data/engine.")]
    _, data = publish.read_data_script(edition.files[engine_file])
    (tmp_path / "engine.json").write_text(json.dumps(data))
    places = sorted(dataset.gazetteer.places)
    (tmp_path / "input.json").write_text(json.dumps({"queries": QUERIES, "places": places}))
    done = subprocess.run(
        [
            NODE,
            "-e",
            READ,
            str(NEWSMAP),
            str(tmp_path / "engine.json"),
            str(tmp_path / "input.json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    first = dt.date.fromisoformat(data["first"])
    for query, js in zip(QUERIES, json.loads(done.stdout), strict=True):
        params: dict[str, str | list[str]] = {}
        for key, value in parse_qsl(query):
            # Streamlit's query_params: one value as a string, a repeated one as a list.
            before = params.get(key)
            if before is None:
                params[key] = value
            else:
                params[key] = [*(before if isinstance(before, list) else [before]), value]
        state, notes = state_from_params(params, bounds)
        view = js["view"]
        assert view["mode"] == state.mode, query
        assert first + dt.timedelta(days=view["end"]) == state.end, query
        if state.mode == "window":
            assert first + dt.timedelta(days=view["start"]) == state.start, query
        assert tuple(view["types"]) == state.types, query
        assert tuple(view["claimants"]) == state.claimants, query
        assert tuple(view["articles"]) == state.articles, query
        assert view["place"] == state.place, query
        assert js["notes"] == notes, query
