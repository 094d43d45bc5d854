"""Issue 10 in a real Chromium: phones, the embed's frame sizes, and links that keep the view.

Same fixture data and server as tests/test_dashboard_browser.py (7 events at 5 places; both from
tests/support/live_dashboard.py).
"""

# ruff: noqa: F811  (the app fixture imported from tests/support/live_dashboard.py looks redefined)

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.data.dataset import load_dataset
from lib.map.viewstate import ViewState, events_frame
from lib.pictures import presentation
from tests.support.live_dashboard import (  # noqa: F401 (app: a fixture)
    FIXTURE,
    PHONE,
    app,
    map_frame,
    open_dashboard,
    state,
    url_params,
)

pytestmark = pytest.mark.browser

#: How far every scrollable box of the page has scrolled, added up (Streamlit scrolls a div).
SCROLLED_JS = """() => window.scrollY + Array.from(document.querySelectorAll('*'))
    .reduce((sum, el) => sum + el.scrollTop, 0)"""


def swipe(page: Page, x: float, y: float, dy: float) -> None:
    """A one-finger vertical swipe by ``dy`` pixels (negative: up), as touch events."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for k in range(1, 11):
        point = {"x": x, "y": y + dy * k / 10}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_on_a_phone_the_map_is_on_the_first_screen_and_a_swipe_scrolls_past_it(phone_context, app):
    page = phone_context.new_page()
    page.goto(f"{app}/?to=2021-09-03")
    frame = map_frame(page)
    box = page.locator("iframe[src*='streamlit_folium']").bounding_box()
    assert box["y"] < PHONE["height"] - 200, box  # most of the map's top on the first screen
    # The legend folds on a small map, and the map has its places drawn.
    assert frame.evaluate("newsmapEngine.legendBox.open") is False
    assert state(frame)["markers"] >= 3
    before = page.evaluate(SCROLLED_JS)
    centre_before = frame.evaluate("newsmapEngine.map.getCenter()")
    swipe(page, box["x"] + box["width"] / 2, box["y"] + min(box["height"], 400) - 40, -300)
    page.wait_for_timeout(500)
    assert page.evaluate(SCROLLED_JS) > before + 100, "the page scrolled past the map"
    assert frame.evaluate("newsmapEngine.map.getCenter()") == centre_before, "the map did not pan"


@pytest.fixture(scope="module")
def standalone_file(tmp_path_factory) -> Path:
    data = load_dataset(FIXTURE)
    html = presentation.standalone_html(
        events_frame(data.events.events, data.gazetteer),
        ViewState(end=presentation.dt.date(2021, 9, 3)),
        data.articles,
    )
    file = tmp_path_factory.mktemp("embed") / "map.html"
    file.write_text(html, encoding="utf-8")
    return file


@pytest.mark.parametrize("size", [(360, 640), (600, 400)], ids=["360x640", "600x400"])
def test_the_embed_keeps_half_its_frame_for_the_map_and_popups_fit(
    offline_context, standalone_file, size
):
    width, height = size
    page = offline_context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(standalone_file.as_uri())
    page.wait_for_function("window.newsmapExport && newsmapExport.ready", timeout=20_000)
    box = page.locator(".folium-map").bounding_box()
    assert box["height"] >= height / 2, box
    # The credits (a CC BY requirement) stay inside the frame, folded to one line.
    credits = page.locator("footer summary").bounding_box()
    assert credits["y"] + credits["height"] <= height + 0.5, credits
    assert credits["height"] <= 40, credits
    # A place's popup fits inside the map, and nothing is drawn over it.
    page.locator(".nm-label[data-place='gamma']").click()
    popup = page.locator(".leaflet-popup-content-wrapper")
    expect(popup).to_be_visible()
    # Leaflet pans the map to fit the popup (an animation): wait for the map to come to rest.
    page.wait_for_function(
        """() => { const p = document.querySelector('.leaflet-popup-content-wrapper')
                     .getBoundingClientRect(),
                         m = document.querySelector('.folium-map').getBoundingClientRect();
                   return p.top >= m.top - 0.5 && p.bottom <= m.bottom + 0.5; }""",
        timeout=5_000,
    )
    p = popup.bounding_box()
    assert box["x"] - 0.5 <= p["x"] and p["x"] + p["width"] <= box["x"] + box["width"] + 0.5, p
    assert box["y"] - 0.5 <= p["y"] and p["y"] + p["height"] <= box["y"] + box["height"] + 0.5, p
    for fx, fy in ((0.1, 0.1), (0.5, 0.5), (0.9, 0.9), (0.1, 0.9), (0.9, 0.1)):
        x, y = p["x"] + p["width"] * fx, p["y"] + p["height"] * fy
        on_top = page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup')", [x, y]
        )
        assert on_top, f"something is drawn over the popup at {fx}, {fy}"


def test_moving_between_pages_by_the_sidebar_keeps_the_view(offline_context, app):
    query = "?from=2021-08-25&to=2021-09-01&mode=window&type=casualty_claim,denial&place=gamma"
    page, frame = open_dashboard(offline_context, app, query)
    wanted = url_params(page)
    assert wanted["place"] == "gamma" and wanted["from"] == "2021-08-25"
    paths = {"Articles": "/Articles", "Screenshot mode": "/Screenshot_mode", "dashboard": "/"}
    for name in ("Articles", "Screenshot mode", "dashboard"):
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
        # The new page first (its run finishing is not enough: the last page's run was over
        # too, and both pages have a "Back to the map" link).
        page.wait_for_function("p => location.pathname === p", arg=paths[name], timeout=60_000)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')"
            "?.getAttribute('data-test-script-state') === 'notRunning'",
            timeout=60_000,
        )
        if name == "Screenshot mode":
            # The picture shows the same view: its link back carries every parameter.
            back = page.get_by_role("link", name="← Back to the map").get_attribute("href")
            for key, value in wanted.items():
                assert f"{key}={value}".replace(",", "%2C") in back, (key, back)
    frame = map_frame(page)
    page.wait_for_function("location.search.includes('place=gamma')", timeout=20_000)
    assert url_params(page) == wanted
    expect(page.locator(".nme-place-head h2")).to_have_text("Gamma", timeout=20_000)
    frame.wait_for_function("newsmapState.view.end === 12 && newsmapState.view.start === 5")
    assert state(frame)["counts"] == {"gamma": 2}
