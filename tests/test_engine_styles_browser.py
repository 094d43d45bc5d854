"""In a real Chromium: the engine lays its labels out, and says they have settled, only once the
stylesheets it measures with have loaded.

streamlit-folium links the map's stylesheets after its scripts have run and does not wait for
them, so the engine could lay out with no leaflet.css (the zoom buttons measured elsewhere,
13 px high) or no engine.css (labels measured in the wrong font), and set
``newsmapLabelsSettled`` before either arrived; the browser tests waited for the stylesheets
themselves. Here a server holds both stylesheets until the test lets them go, so the order of
events is fixed, not a race.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler
from typing import TYPE_CHECKING

import pytest

from lib.map.mapview import ENGINE_CSS, ENGINE_JS
from lib.map.offline import LEAFLET_JS, STATIC_DIR
from tests.support.server import http_server

if TYPE_CHECKING:
    from tests.support.offline import OfflineContext

pytestmark = pytest.mark.browser

LEAFLET_CSS = "vendor/leaflet-1.9.3/leaflet.css"
HELD = {f"/static/{LEAFLET_CSS}", *(f"/static/{css}" for css in ENGINE_CSS)}

#: Three places with events (the shape of lib.map.engine.engine_data), one in the map's top-left
#: corner, where the zoom buttons are once leaflet.css has placed them.
DATA = {
    "v": 1,
    "first": "2021-09-01",
    "ndays": 2,
    "title": "Styles",
    "types": ["clash"],
    "typeLabels": ["Clash"],
    "colours": ["#d62728"],
    "claimants": [],
    "articles": ["a1"],
    "places": [
        ["corner", "Corner Town", 35.64, 68.15, 1, 2],
        ["middle", "Middle Village", 35.1, 69.1, 1, 2],
        ["east", "East Pass", 35.0, 69.5, 1, 2],
    ],
    "rows": {"d": [0, 0, 1], "p": [0, 1, 2], "t": [0, 0, 0], "c": [-1, -1, -1], "e": [0, 1, 2]},
    "events": {"x": [0, 0, 0], "ao": [0, 1, 2, 3], "ai": [0, 0, 0]},
}

#: As streamlit-folium does it: the scripts first, then the stylesheets linked (not awaited),
#: then the map's script at once.
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>styles</title></head>
<body style="margin:0"><div id="map" style="width:800px;height:500px"></div>
{scripts}
<script>
for (const href of {css}) {{
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  document.head.appendChild(link);
}}
const map = L.map("map", {{center: [35.2, 69.05], zoom: 9, maxZoom: 14}});
window.engine = new Newsmap.Engine(map, {data}, {{}});
engine.setView({{mode: "cumulative", start: 0, end: 1}});
</script></body></html>
"""


class _Handler(SimpleHTTPRequestHandler):
    """static/ at /static/, the page at /, the stylesheets in HELD once ``release`` is set."""

    release: threading.Event
    page: bytes

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.page)))
            self.end_headers()
            self.wfile.write(self.page)
            return
        if path in HELD:
            self.release.wait(timeout=60)
        if path.startswith("/static/"):
            self.path = path.removeprefix("/static")
            super().do_GET()
            return
        self.send_error(404)

    def log_message(self, *args: object) -> None:  # quiet in test output
        pass


@pytest.fixture
def held_styles() -> Iterator[tuple[str, threading.Event]]:
    """(URL of the page, the event that lets its stylesheets go)."""
    release = threading.Event()
    scripts = "\n".join(
        f'<script src="/static/{name}"></script>' for name in (LEAFLET_JS, *ENGINE_JS)
    )
    css = json.dumps([f"/static/{name}" for name in (LEAFLET_CSS, *ENGINE_CSS)])
    page = PAGE.format(scripts=scripts, css=css, data=json.dumps(DATA)).encode()
    handler = type("Handler", (_Handler,), {"release": release, "page": page})
    with http_server(partial(handler, directory=STATIC_DIR)) as url:
        try:
            yield f"{url}/", release
        finally:
            release.set()


#: Each label as drawn, and the box the layout gave it; the zoom buttons' box.
DRAWN_JS = """() => {
  const rel = (r) => engine._rel(r);
  const labels = Object.entries(engine.placedLabels || {}).map(([i, spot]) => {
    const el = engine.labelled[engine.D.places[i][0]].el;
    return {text: spot.text, box: spot.box, drawn: rel(el.getBoundingClientRect())};
  });
  return {labels, zoom: rel(document.querySelector('.leaflet-control-zoom').getBoundingClientRect())};
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and (b["y"] < a["y"] + a["h"])
    )


def test_labels_settle_only_after_the_stylesheets_have_loaded(
    offline_context: OfflineContext, held_styles: tuple[str, threading.Event]
) -> None:
    """Regression: labels reported settled before leaflet.css and engine.css had loaded."""
    url, release = held_styles
    page = offline_context.new_page()
    page.goto(url, wait_until="commit")
    # The engine has shown its first view (setView lays labels out synchronously, when it can).
    page.wait_for_function("window.newsmapState && newsmapState.step === 1", timeout=30_000)
    assert page.evaluate("window.newsmapLabelsSettled") is not True
    assert page.evaluate("Object.keys(engine.placedLabels || {}).length") == 0
    release.set()
    page.wait_for_function("window.newsmapLabelsSettled === true", timeout=30_000)
    assert page.evaluate(
        "Array.from(document.querySelectorAll('link[rel=stylesheet]')).every((l) => l.sheet)"
    )
    drawn = page.evaluate(DRAWN_JS)
    assert {label["text"] for label in drawn["labels"]} == {
        "Corner Town · 1",
        "Middle Village · 1",
        "East Pass · 1",
    }
    for label in drawn["labels"]:
        # Measured in the labels' own font: the text fits the box the layout kept free for it.
        assert label["drawn"]["w"] <= label["box"]["w"] + 0.5, label
        assert not overlap(label["box"], drawn["zoom"]), label
    assert offline_context.console_errors == []
