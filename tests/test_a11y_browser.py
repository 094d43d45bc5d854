"""Every page in a real Chromium, checked by axe-core in every frame, at desktop and phone sizes.

The bar (issue 10): no serious or critical violation, and no moderate one the project controls
(tests/support/axe.py says what is Streamlit's and why). The Articles page's passage links are
checked here too: they land on the passage and keep the map's view.

Data: the small fixture data set of tests/support/export_data.py, so no test depends on the shipped data.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from lib.data import mentions
from lib.map.viewstate import state_from_params
from lib.pictures import presentation
from tests.support.axe import failing, report, run_axe
from tests.support.export_data import fixture_data, write_dataset
from tests.support.server import streamlit_server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "a11y-test-password"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("a11y") / "data")


@pytest.fixture(scope="module")
def app(data_dir: Path) -> Iterator[str]:
    env = {
        "DASHBOARD_DATA_DIR": str(data_dir),
        "DASHBOARD_TILES": "off",
        "DASHBOARD_EDITOR_PASSWORD": PASSWORD,
    }
    with streamlit_server(REPO / "dashboard.py", env=env) as url:
        yield url


def settle(page: Page) -> None:
    """Wait until the script has run and every frame has loaded (no fixed sleeps)."""
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=60_000,
    )
    # Streamlit draws a skeleton where an element's code is still loading, after the run ends.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stSkeleton]')", timeout=30_000
    )
    for frame in page.frames:
        frame.wait_for_function("() => document.readyState === 'complete'", timeout=30_000)
    for iframe in page.locator("iframe[src*='streamlit_folium']").all():
        iframe.content_frame.locator(".leaflet-container").wait_for(timeout=30_000)


def open_page(offline_context, app: str, path: str, size: str) -> Page:
    page = offline_context.new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(f"{app}/{path}")
    settle(page)
    return page


def assert_accessible(page: Page) -> None:
    bad = failing(run_axe(page))
    assert bad == [], f"{len(bad)} axe violations on {page.url}:\n{report(bad)}"


def log_in(page: Page) -> None:
    page.get_by_label("Editor password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached(timeout=30_000)
    settle(page)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(
    "path",
    [
        "Articles?article=a-two",
        "Articles?article=a-one&place=alpha#m0",
        "Screenshot_mode?to=2021-09-02",
        "Edit_events",
        "Edit_places",
        "Add_article",
        "History",
    ],
)
def test_page_has_no_axe_violations(offline_context, app, path: str, size: str) -> None:
    assert_accessible(open_page(offline_context, app, path, size))


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("path", ["Edit_events", "Edit_places", "Add_article"])
def test_editor_page_logged_in_has_no_axe_violations(offline_context, app, path, size) -> None:
    page = open_page(offline_context, app, path, size)
    log_in(page)
    assert_accessible(page)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("query", ["?to=2021-09-03", "?to=2021-09-03&place=bravo"])
def test_main_page_and_map_iframe_have_no_axe_violations(offline_context, app, query, size):
    assert_accessible(open_page(offline_context, app, query, size))


@pytest.mark.parametrize("size", list(SIZES))
def test_standalone_export_has_no_axe_violations(offline_context, data_dir, tmp_path, size):
    out = tmp_path / "map.html"
    subprocess.run(
        [sys.executable, "-m", "lib", "export", "html", "--out", str(out)],
        cwd=REPO,
        env={"DASHBOARD_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    page = offline_context.new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(out.as_uri())
    page.wait_for_function("() => window.newsmapExport && window.newsmapExport.ready === true")
    assert_accessible(page)


def test_screenshot_mode_picture_file_has_no_axe_violations(offline_context, data_dir, tmp_path):
    # The picture downloads as HTML ("This picture (HTML)"): opened on its own, its document
    # needs a language and zoom, which axe does not ask of it inside the preview iframe.
    dataset, frame, bounds = fixture_data(data_dir)
    state, _ = state_from_params({"to": "2021-09-03"}, bounds)
    file = tmp_path / "picture.html"
    file.write_text(
        presentation.presentation_html(frame, state, dataset.articles, dataset.gazetteer.places),
        encoding="utf-8",
    )
    page = offline_context.new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
    page.goto(file.as_uri())
    page.wait_for_function("() => document.documentElement.dataset.ready === 'true'")
    assert_accessible(page)


# --- passage links --------------------------------------------------------------------------


def in_viewport(page: Page, selector: str) -> bool:
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_passage_link_scrolls_to_and_highlights_the_passage(
    offline_context, app, data_dir, size
) -> None:
    # Regression: the page opened at its top, thousands of pixels above the passage on a phone,
    # because the browser's jump to #m<offset> happens before Streamlit draws the article.
    # "Delta" is the last name in a-one: the bottom of the article.
    page = offline_context.new_page()
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    page.goto(f"{app}/Articles?article=a-one&place=delta#m{offset_of(data_dir, 'a-one', 'delta')}")
    target = page.locator(".passage-target-name")
    expect(target).to_have_count(1, timeout=30_000)
    expect(target).to_have_text("Delta")
    expect(target).to_be_focused()
    expect(page.locator(".article .passage-target")).to_contain_text("Officials met in Delta")
    page.wait_for_function(
        """() => { const r = document.querySelector('.passage-target-name').getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    assert in_viewport(page, ".passage-target-name")


def offset_of(data_dir: Path, article_id: str, place_id: str) -> int:
    """Where the mention index finds ``place_id`` in the article: the ``#m`` of passage links."""
    dataset, _, _ = fixture_data(data_dir)
    index = mentions.build_index(dataset.articles.values(), dataset.gazetteer)
    return next(m.start for m in index if m.article_id == article_id and m.place_id == place_id)


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def test_articles_links_back_to_the_map_keep_the_view(offline_context, app) -> None:
    view = "to=2021-09-02&from=2021-09-01&mode=window&type=clash&map_article=a-one"
    page = open_page(offline_context, app, f"Articles?article=a-one&place=alpha&{view}", "phone")
    expected = {
        "to": "2021-09-02",
        "from": "2021-09-01",
        "mode": "window",
        "type": "clash",
        "article": "a-one",  # the map's article filter, restored under its own name
    }
    back = page.get_by_role("link", name="← Back to the map").get_attribute("href")
    assert query(back) == {**expected, "place": "alpha"}
    mention = page.locator("a.mention", has_text="Delta").first.get_attribute("href")
    assert query(mention) == {**expected, "place": "delta"}
