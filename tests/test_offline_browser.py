"""In a real Chromium with no network: the map draws its markers from vendored assets only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import pytest
from playwright.sync_api import Frame, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from lib.map import offline
from tests.support.server import streamlit_server

pytestmark = pytest.mark.browser

if TYPE_CHECKING:  # the fixture's type
    from tests.support.offline import OfflineContext

APP = Path(__file__).resolve().parent / "apps" / "offline_map_app.py"
CIRCLES = "path.leaflet-interactive"
MARKER_ICON = "img.leaflet-marker-icon"


@pytest.fixture(scope="module", params=["", "news"], ids=["root", "base-url-path"])
def app(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(page URL, URL path of static/) of the fixture app, with and without a base URL path."""
    env = {"STREAMLIT_SERVER_BASE_URL_PATH": request.param} if request.param else {}
    with streamlit_server(APP, env=env) as url:
        yield url + "/", offline.static_base_url(request.param)


def map_frame(page: Page) -> Frame:
    # "attached", not visible: when the map's scripts fail the iframe stays 0 px high.
    iframe = page.wait_for_selector(
        "iframe[src*='streamlit_folium']", state="attached", timeout=60_000
    )
    frame = iframe.content_frame()
    assert frame is not None
    return frame


def assert_markers_drawn(frame: Frame, icon_src_prefix: str, offline: OfflineContext) -> None:
    try:
        expect(frame.locator(".leaflet-container")).to_have_count(1, timeout=20_000)
        expect(frame.locator(CIRCLES)).to_have_count(3)
        icon = frame.locator(MARKER_ICON)
        expect(icon).to_have_count(1)
        # Loaded, not just present: a 404 leaves an <img> with naturalWidth 0 (a broken icon).
        frame.wait_for_function(
            "s => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0 }",
            arg=MARKER_ICON,
            timeout=15_000,
        )
        assert icon.get_attribute("src").startswith(icon_src_prefix)
    except (AssertionError, PlaywrightTimeoutError) as error:
        # What the page failed to fetch usually explains a missing map or icon.
        raise AssertionError(
            f"{error}\nblocked requests: {offline.blocked_requests}"
            f"\nconsole errors: {offline.console_errors}"
        ) from error


def test_streamlit_map_draws_markers_with_no_network(
    app: tuple[str, str], offline_context: OfflineContext
) -> None:
    url, static = app
    page = offline_context.new_page()
    page.goto(url)

    frame = map_frame(page)
    assert_markers_drawn(
        frame, f"{static}/vendor/leaflet-1.9.3/images/marker-icon", offline_context
    )
    # A map whose scripts failed leaves the component iframe 0 px high.
    assert page.locator("iframe[src*='streamlit_folium']").bounding_box()["height"] >= 300
    assert offline_context.blocked_requests == []
    assert offline_context.console_errors == []


def test_exported_html_opens_from_disk_with_no_network(
    offline_context: OfflineContext, tmp_path: Path
) -> None:
    m = offline.offline_map(location=[34.9, 69.6], zoom_start=8, tiles=None, max_zoom=18)
    for lat, lon in [(34.8, 69.2), (35.0, 69.6), (35.2, 70.0)]:
        folium.CircleMarker([lat, lon], radius=8, color="crimson", fill=True).add_to(m)
    folium.Marker([34.6, 69.9]).add_to(m)
    export = tmp_path / "map.html"
    export.write_text(offline.inline_assets_html(m.get_root().render()), encoding="utf-8")

    page = offline_context.new_page()
    page.goto(export.as_uri())

    assert_markers_drawn(page.main_frame, "data:image/png;base64,", offline_context)
    assert offline_context.blocked_requests == []
    assert offline_context.console_errors == []
