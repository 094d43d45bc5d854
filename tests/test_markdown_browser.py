"""In a real Chromium: hostile text from the data and the URL renders as text, fetches nothing.

AppTest (tests/test_hostile_input.py) sees the Markdown source; only Streamlit's own renderer
in a browser shows whether a link or an image would form. The server runs on a poisoned copy
of the data (tests/support/hostile.poison) with every request off this machine blocked.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from lib.access import users
from lib.data.dataset import REPO_ROOT
from tests.support.editing import CHEAP_HASHER, fill_login
from tests.support.hostile import ARTICLE, LINK, PAYLOAD, poison
from tests.support.server import streamlit_server
from ui.auth import COOKIE

pytestmark = pytest.mark.browser

if TYPE_CHECKING:
    from tests.support.offline import OfflineContext

EVIL = "evil.example"
SECRET = "mallory's long password"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("poisoned")


@pytest.fixture(scope="module")
def app(tmp_path_factory, data) -> Iterator[str]:
    shutil.copytree(REPO_ROOT / "articles", data / "articles")
    shutil.copytree(REPO_ROOT / "geodata", data / "geodata")
    shutil.copy(REPO_ROOT / "events.csv", data / "events.csv")
    poison(Path(data))
    # An editor whose display name is the payload ("Logged in as ..." on every editor page).
    users_file = tmp_path_factory.mktemp("secrets") / "users.toml"
    account = users.Account("mallory", "editor", CHEAP_HASHER.hash(SECRET), LINK)
    users.save(users_file, {"mallory": account})
    env = {
        "DASHBOARD_DATA_DIR": str(data),
        "DASHBOARD_TILES": "off",
        "DASHBOARD_USERS_FILE": str(users_file),
        "DASHBOARD_EDITOR_PASSWORD": "",
    }
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


def test_editor_pages_show_hostile_data_and_parameters_as_text_logged_in(
    offline_context, app, data
):
    """Issue 21: the ten Markdown sinks of the editor pages, in Chromium, logged in."""
    page = offline_context.new_page()
    page.goto(f"{app}/Edit_places?" + urlencode({"name": LINK}))
    fill_login(page, "mallory", SECRET)
    # The display name, then the ?name= parameter filled into the form and looked up.
    assert_text_not_markup(page, offline_context, "Logged in as [Session expired")
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')", timeout=60_000)
    page.goto(f"{app}/Edit_places?" + urlencode({"name": LINK}))
    page.get_by_role("button", name="Look up").click()
    assert_text_not_markup(page, offline_context, "'[Session expired - click to log in again](")

    # A place whose name and source are the payload, with a form problem.
    page.goto(f"{app}/Add_article")
    picker = page.get_by_label("Article", exact=True)
    expect(picker).to_have_count(1, timeout=60_000)
    picker.click()
    page.keyboard.type(ARTICLE)  # filters the list: one option left
    page.get_by_role("option", name=ARTICLE).click()
    # The review list's cards quote the article's sentences and the (hostile) place names.
    assert_text_not_markup(page, offline_context, "Shotul [Session expired")

    page.goto(f"{app}/History")
    assert_text_not_markup(page, offline_context, "No saves recorded yet")
    # An unknown place id in events.csv: no "Add the place" link carries it. Last in
    # this module, since it leaves the data with an error.
    events = data / "events.csv"
    rows = list(csv.reader(io.StringIO(events.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index("places")] = LINK
    with events.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    page.goto(f"{app}/Edit_events")
    assert_text_not_markup(page, offline_context, "must be fixed before saving")
    assert_text_not_markup(page, offline_context, "Logged in as [Session expired")
