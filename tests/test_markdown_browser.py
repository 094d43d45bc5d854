"""In a real Chromium: hostile text from the data and the URL renders as text, fetches nothing.

AppTest (tests/test_hostile_input.py) sees the Markdown source; only Streamlit's own renderer
in a browser shows whether a link or an image would form. The server runs on a poisoned copy
of the data (tests/support/hostile.poison) with every request off this machine blocked.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from lib.data.dataset import REPO_ROOT
from tests.support.hostile import ARTICLE, LINK, PAYLOAD, poison
from tests.support.server import streamlit_server

pytestmark = pytest.mark.browser

if TYPE_CHECKING:
    from tests.support.offline import OfflineContext

EVIL = "evil.example"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("poisoned")
    shutil.copytree(REPO_ROOT / "articles", data / "articles")
    shutil.copytree(REPO_ROOT / "geodata", data / "geodata")
    shutil.copy(REPO_ROOT / "events.csv", data / "events.csv")
    poison(Path(data))
    env = {"DASHBOARD_DATA_DIR": str(data), "DASHBOARD_TILES": "off"}
    with streamlit_server(REPO_ROOT / "dashboard.py", env=env) as url:
        yield url


def assert_text_not_markup(page: Page, offline: OfflineContext, visible: str) -> None:
    expect(page.get_by_text(visible, exact=False).first).to_be_visible(timeout=60_000)
    # Every frame: the Markdown elements live in the main document.
    links = page.locator(f"a[href*='{EVIL}']")
    assert links.count() == 0, [
        links.nth(i).evaluate("a => a.outerHTML") for i in range(links.count())
    ]
    assert page.locator(f"img[src*='{EVIL}']").count() == 0
    assert "\u202e" not in page.inner_text("body")  # no reversed text
    assert not [u for u in offline.blocked_requests if EVIL in u], offline.blocked_requests


def test_articles_page_shows_hostile_metadata_and_parameters_as_text(offline_context, app):
    page = offline_context.new_page()
    page.goto(f"{app}/Articles?" + urlencode({"article": ARTICLE, "place": PAYLOAD}))
    # The escaped link reads as its Markdown source, brackets and all.
    assert_text_not_markup(page, offline_context, "[Session expired - click to log in again](")
    expect(page.get_by_text("&lt;b&gt;bold").first).to_be_visible()  # the entity, not "<b>"
    assert page.get_by_text("is not a known place; ignored").count() == 1


def test_screenshot_mode_shows_hostile_link_parameters_as_text(offline_context, app):
    page = offline_context.new_page()
    page.goto(f"{app}/Screenshot_mode?" + urlencode({"claimant": LINK, "type": LINK}))
    assert_text_not_markup(page, offline_context, "'claimant=[Session expired - click to log in")
