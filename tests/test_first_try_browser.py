"""Issue 22 in a real Chromium: what a first try found, for readers and journalists.

Same fixture data and server as tests/test_dashboard_browser.py (7 events at 5 places: Alpha and
Beta share a point, Gamma is a district, Farland lies far outside the opening view, Wideland
is a country-wide circle).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests import test_dashboard_browser as dashboard

pytestmark = pytest.mark.browser

#: The dashboard on the fixture data (a server for this module).
app = dashboard.app


def test_a_picture_downloads_in_one_click_and_its_name_carries_the_preset(offline_context, app):
    page = offline_context.new_page()
    page.set_viewport_size(dashboard.DESKTOP)
    page.goto(f"{app}/Screenshot_mode?from=2021-08-30&to=2021-09-02&mode=window")
    button = page.get_by_role("button", name="⬇ GIF")
    expect(button).to_be_enabled(timeout=60_000)
    with page.expect_download(timeout=120_000) as caught:
        button.click()
    download = caught.value
    assert download.suggested_filename == "panjshir-map_2021-08-30_2021-09-02_1600x900.gif"
    gif = Image.open(io.BytesIO(download.path().read_bytes()))
    assert gif.size == (1600, 900) and gif.n_frames == 4  # 30 Aug to 2 Sep
