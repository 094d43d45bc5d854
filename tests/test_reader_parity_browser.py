"""One reader UI: the app's place panel, events table and passages are the reader edition's.

The same data (the small fixture set) is published as an edition and served by the app; for the
same views, opened as the same permalink in both, the panel (events, contested claims side by
side, every passage naming the place) and the table read the same, and every passage leads to
the same place in the same article (the app's links to its Articles page, the edition's
buttons to its article reader). Both are drawn by static/newsmap/panel.js; this catches a page
that feeds it something else (a frame without approved-only rows, other dates, other filters).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from lib.edition import publish
from tests.fixtures import FIXTURE_DATA
from tests.support.server import streamlit_server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2021, 9, 5, 14, 2, tzinfo=dt.UTC)
#: Permalinks opened in both: a place on a day, a window with a type filter, a claimant.
VIEWS = [
    "to=2021-08-31&place=shotul",
    "to=2021-09-03&place=bazarak",
    "from=2021-08-31&to=2021-09-01&mode=window&place=shotul",
    "type=attack,territorial_claim&place=shotul",
    "to=2021-09-03&place=kabul",
]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(the app's URL, the edition's index.html URL) on one copy of the fixture data."""
    root = tmp_path_factory.mktemp("parity")
    data = root / "data"
    shutil.copytree(FIXTURE_DATA, data)
    out = root / "edition"
    publish.publish(out, data, now=NOW)
    env = {"DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(data)}
    with streamlit_server(REPO / "dashboard.py", env=env) as url:
        yield url, (out / "index.html").as_uri()


def app_view(page: Page, url: str, query: str) -> dict:
    page.goto(f"{url}?{query}")
    panel = page.locator(".nm-reader-panel[data-drawn='yes'] .nme-place-head")
    expect(panel).to_have_count(1, timeout=90_000)
    expect(page.locator(".nm-reader-table[data-drawn='yes']")).to_have_count(1, timeout=30_000)
    links = page.locator(".nm-reader-panel .nme-passage a")
    passages = []
    for i in range(links.count()):
        href = urlsplit(links.nth(i).get_attribute("href"))
        query_ = parse_qs(href.query)
        passages.append((query_["article"][0], href.fragment.removeprefix("m")))
    return {
        "panel": page.locator(".nm-reader-panel .nm-place").inner_text(),
        "table": page.locator(".nm-reader-table").inner_text(),
        "passages": passages,
    }


def edition_view(page: Page, url: str, query: str) -> dict:
    page.goto(f"{url}?{query}")
    page.wait_for_function("() => window.newsmapEdition && window.newsmapEdition.ready === true")
    expect(page.locator("#nme-panel .nme-place-head")).to_have_count(1, timeout=30_000)
    expect(page.locator("#nme-table table, #nme-table p")).not_to_have_count(0)
    buttons = page.locator("#nme-panel .nme-passage button")
    passages = [
        (buttons.nth(i).get_attribute("data-article"), buttons.nth(i).get_attribute("data-at"))
        for i in range(buttons.count())
    ]
    return {
        "panel": page.locator("#nme-panel").inner_text(),
        "table": page.locator("#nme-table").inner_text(),
        "passages": passages,
    }


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("query", VIEWS)
def test_the_apps_panel_and_table_are_the_editions(offline_context, pair, query) -> None:
    app_url, edition_url = pair
    page = offline_context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    in_app = app_view(page, app_url, query)
    in_edition = edition_view(page, edition_url, query)
    assert normal(in_app["panel"]) == normal(in_edition["panel"])
    assert normal(in_app["table"]) == normal(in_edition["table"])
    assert in_app["passages"] == in_edition["passages"]
    assert in_app["passages"], "every view here names a place with passages"
    assert offline_context.blocked_requests == []
