"""The live dashboard on the small fixture data set (tests/fixtures/live_map: 7 events at 5
places), served for a browser test module, and the helpers that open it and read the engine.

A test module uses the server by importing ``app`` (a module-scoped fixture: one server per
module that imports it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.support.server import streamlit_server

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "live_map"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

#: The engine's view of the map: markers per place, counts, and the label boxes as drawn.
STATE_JS = """() => {
  const e = window.newsmapEngine || (window.newsmapExport && window.newsmapExport.engine);
  const counts = {};
  for (let i = 0; i < e.np; i++) { if (e.count[i]) counts[e.D.places[i][0]] = e.count[i]; }
  return {events: newsmapState.events, places: newsmapState.places, step: newsmapState.step,
          counts, boxes: e.labelBoxes(), markers: e.group.getLayers().length};
}"""


@pytest.fixture(scope="module")
def app() -> Iterator[str]:
    env = {"DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(FIXTURE)}
    with streamlit_server(REPO / "dashboard.py", env=env) as url:
        yield url


def map_frame(page: Page) -> Frame:
    iframe = page.wait_for_selector(
        "iframe[src*='streamlit_folium']", state="attached", timeout=90_000
    )
    frame = iframe.content_frame()
    frame.wait_for_function("window.newsmapState && window.newsmapLabelsSettled", timeout=60_000)
    return frame


def url_params(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def open_dashboard(offline_context, app: str, query: str = "", viewport=DESKTOP):
    page = offline_context.new_page()
    page.set_viewport_size(viewport)
    # Before the page opens its socket: Playwright reports only sockets opened afterwards.
    page.nm_sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: page.nm_sent.append(str(f)[:80])))
    page.goto(f"{app}/{query}")
    frame = map_frame(page)
    # The timeline has posted its view once the caption shows counts.
    expect(page.locator(".nmt-counts")).not_to_be_empty(timeout=30_000)
    whole_page(page)
    return page, frame


def whole_page(page: Page) -> None:
    """Wait for what the page draws after the map's first paint (dashboard.py): the filters
    and the downloads. (The timeline's trigger that asks for them has been sent by then.)"""
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stMultiSelect").first).to_be_attached(timeout=30_000)
    expect(page.get_by_test_id("stDownloadButton").first).to_be_attached(timeout=30_000)


def state(frame: Frame) -> dict:
    return frame.evaluate(STATE_JS)
