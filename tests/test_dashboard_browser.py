"""The dashboard in a real Chromium with the network cut off: what only a browser shows."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Frame, Page, expect

from tests.support.server import streamlit_server

REPO = Path(__file__).resolve().parent.parent
PLACES = "path.leaflet-interactive"  # one SVG path per place; outlines are not interactive


@pytest.fixture(scope="module")
def app() -> Iterator[str]:
    with streamlit_server(REPO / "dashboard.py", env={"DASHBOARD_TILES": "off"}) as url:
        yield url


def map_frame(page: Page) -> Frame:
    iframe = page.wait_for_selector(
        "iframe[src*='streamlit_folium']", state="attached", timeout=60_000
    )
    frame = iframe.content_frame()
    frame.wait_for_selector(PLACES, timeout=30_000)
    frame.wait_for_function("window.newsmapLabelsSettled === true", timeout=15_000)
    return frame


def url_params(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def open_dashboard(offline_context, app: str, query: str = "") -> tuple[Page, Frame]:
    page = offline_context.new_page()
    page.goto(f"{app}/{query}")
    return page, map_frame(page)


def test_map_renders_offline_with_one_marker_per_place(offline_context, app):
    page, frame = open_dashboard(offline_context, app, "?to=2021-08-30")
    # 15 Aug-30 Aug: Kabul, Afghanistan, Khawak Pass, Shotul, Panjshir Valley.
    expect(frame.locator(PLACES)).to_have_count(5)
    expect(frame.locator(".place-label")).to_have_count(5)
    expect(frame.get_by_text("Shotul · 1", exact=True)).to_be_visible()
    expect(frame.locator(".map-legend")).to_contain_text("contested claims")
    expect(page.get_by_text("As of 30 August 2021")).to_be_visible()
    assert offline_context.blocked_requests == []
    assert offline_context.console_errors == []


def test_the_slider_changes_the_markers_and_the_url(offline_context, app):
    page, frame = open_dashboard(offline_context, app, "?to=2021-08-30")
    slider = page.get_by_role("slider")
    slider.focus()
    slider.press("ArrowRight")  # 31 Aug adds Khenj, the Panjshir province and Golbahar
    expect(frame.locator(PLACES)).to_have_count(8, timeout=15_000)
    expect(page).to_have_url(re.compile(r"to=2021-08-31"), timeout=15_000)


def test_permalink_reproduces_the_view(offline_context, app):
    page, frame = open_dashboard(
        offline_context, app, "?to=2021-09-01&mode=window&from=2021-09-01&place=khawak_pass"
    )
    expect(page.get_by_text("1 Sep – 1 Sep 2021")).to_be_visible()
    expect(page.get_by_role("heading", name="Khawak Pass", exact=True)).to_be_visible()
    # 1 Sep only: the Khawak claim (E013) and the Panjshir valley, province and Shotul/Golbahar.
    assert url_params(page) == {
        "to": "2021-09-01",
        "from": "2021-09-01",
        "mode": "window",
        "place": "khawak_pass",
    }


def test_clicking_a_marker_shows_the_passages_naming_the_place(offline_context, app):
    page, frame = open_dashboard(offline_context, app)
    frame.get_by_text(re.compile(r"^Shotul · \d+")).click()
    expect(page.get_by_role("heading", name="Shotul", exact=True)).to_be_visible(timeout=15_000)
    passages = page.locator(".passage")
    expect(passages).to_have_count(6)
    expect(passages.first.locator("mark")).to_have_text(re.compile("Shotul", re.I))
    assert url_params(page)["place"] == "shotul"
    assert offline_context.console_errors == []


def test_click_on_partly_visible_map_selects_the_place(offline_context, app):
    # Regression: Leaflet focused the map on mousedown, which scrolled the page to show the
    # whole map, so the mouseup landed elsewhere and the click on a marker was lost.
    page, frame = open_dashboard(offline_context, app)
    kabul = frame.evaluate(
        """() => { for (const k in window.map._layers) { const l = window.map._layers[k];
            if (l.feature && l.feature.properties.place_id === 'kabul') {
              const p = window.map.latLngToContainerPoint(l.getLatLng());
              const r = window.map.getContainer().getBoundingClientRect();
              return [r.x + p.x, r.y + p.y]; } } }"""
    )
    box = page.locator("iframe[src*='streamlit_folium']").bounding_box()
    x, y = box["x"] + kabul[0], box["y"] + kabul[1]
    # A window just tall enough to show the marker, not the whole map.
    page.set_viewport_size({"width": 1280, "height": int(y) + 40})
    assert box["y"] + box["height"] > y + 40, "the map must be partly off-screen for this test"
    page.mouse.click(x, y)
    expect(page.get_by_role("heading", name="Kabul", exact=True)).to_be_visible(timeout=15_000)


def test_play_steps_through_the_days(offline_context, app):
    page, _ = open_dashboard(offline_context, app, "?to=2021-08-30")
    page.get_by_role("button", name="▶ Play").click()
    expect(page).to_have_url(re.compile(r"to=2021-08-31"), timeout=20_000)
    page.get_by_role("button", name="⏸ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=20_000)
    stopped_at = url_params(page)["to"]
    time.sleep(2)  # a paused timeline stays where it is
    assert url_params(page)["to"] == stopped_at


def test_with_tiles_on_only_the_tile_server_is_contacted(offline_context):
    with streamlit_server(REPO / "dashboard.py") as url:
        page, frame = open_dashboard(offline_context, url)
        expect(frame.locator(PLACES)).to_have_count(11)  # places with events
        hosts = {urlsplit(u).hostname for u in offline_context.blocked_requests}
        assert hosts <= {"tile.openstreetmap.org"}
