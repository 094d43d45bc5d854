"""Issue 20, in Chromium: an article's drafts in the review list on Add article. The map draws
them dashed; accepted and dropped cards survive a reload of the browser; the accepted ones are
saved to events.csv as drafts.

On a copy of the small fixture data set, with one editor account.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.editing import fill_login, one_editor_app, read_events
from ui.auth import COOKIE

pytestmark = pytest.mark.browser

WAIT = 30_000
SECRET = "alice's long password"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    with one_editor_app(tmp_path_factory.mktemp("review"), "alice", SECRET) as served:
        yield served


def open_list(page: Page, url: str) -> None:
    page.goto(f"{url}/Add_article")
    fill_login(page, "alice", SECRET)
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')", timeout=WAIT)
    picker = page.get_by_label("Article", exact=True)
    expect(picker).to_have_count(1, timeout=WAIT)
    picker.click()
    page.keyboard.type("kabul-talks")
    page.get_by_role("option", name="kabul-talks").click()


def test_drafts_are_dashed_on_the_map_and_the_list_survives_a_reload(offline_context, server):
    url, root = server
    page = offline_context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    open_list(page, url)
    expect(page.get_by_text("4 to decide, 0 accepted, 0 dropped")).to_be_visible(timeout=WAIT)
    dashed = page.frame_locator("iframe[src*='streamlit_folium']").first.locator(
        "path.leaflet-interactive[stroke-dasharray='5 4']"
    )
    expect(dashed).to_have_count(4, timeout=WAIT)  # one per draft, each at one place

    # The cards' buttons come in the cards' order.
    page.get_by_role("button", name="Accept as draft").first.click()
    expect(page.get_by_text("3 to decide, 1 accepted, 0 dropped")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Drop").nth(1).click()
    expect(page.get_by_text("2 to decide, 1 accepted, 1 dropped")).to_be_visible(timeout=WAIT)
    expect(dashed).to_have_count(3, timeout=WAIT)  # a dropped draft leaves the map
    page.screenshot(path="/tmp/review-list-1440.png", full_page=False)

    page.reload()
    expect(page.get_by_text("2 to decide, 1 accepted, 1 dropped")).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Save the list: add 1 accepted draft(s) to events.csv").click()
    expect(page.get_by_text("Saved 1 draft(s) to events.csv: E001.")).to_be_visible(timeout=WAIT)
    saved = {r["id"]: r for r in read_events(root)}
    assert saved["E001"]["review"] == "draft"
    assert "E002" not in saved
    expect(page.get_by_text("2 draft(s): 2 to decide, 0 accepted, 0 dropped")).to_be_visible()
    assert offline_context.blocked_requests == []
