"""The single-file HTML export's place panel in a real Chromium, opened from file:// offline.

A click (a tap on a phone, Enter from the keyboard) on a place opens the reader edition's panel
(static/newsmap/panel.js) beside or under the map: the place's events in the view, contested
claims side by side and every passage naming the place, with no network and no popup.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lib.map.viewstate import state_from_params
from lib.pictures import export
from lib.pictures.presentation import Size
from tests.support.axe import failing, report, run_axe
from tests.support.export_data import HOSTILE_HTML, fixture_data, write_dataset
from tests.support.offline import OfflineContext, open_offline

pytestmark = pytest.mark.browser

READY = "() => window.newsmapExport && window.newsmapExport.ready === true"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
PANEL = "#nm-panel"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export of the fixture data, as ``python -m lib export html --to 2021-09-03`` writes it."""
    folder = tmp_path_factory.mktemp("export-panel-browser")
    root = write_dataset(folder / "data")
    bounds = fixture_data(root)[2]
    state, notes = state_from_params({"to": "2021-09-03"}, bounds)
    assert notes == []
    page = export.render(
        "html", export.load_export_data(root, cache=False), state, size=Size(1600, 900)
    )
    out = folder / "map.html"
    out.write_text(page, encoding="utf-8")
    return out


@pytest.fixture(params=list(SIZES))
def opened(
    request, browser: Browser, exported: Path
) -> Iterator[tuple[Page, OfflineContext, bool]]:
    phone = request.param == "phone"
    width, height = SIZES[request.param]
    offline = open_offline(
        browser, viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone
    )
    page = offline.new_page()
    page.goto(exported.as_uri())
    page.wait_for_function(READY)
    yield page, offline, phone
    offline.context.close()


def choose(page: Page, place: str, phone: bool) -> None:
    label = page.locator(f".nm-label[data-place='{place}']")
    if phone:
        label.tap()
    else:
        label.click()


def test_a_place_opens_its_panel_with_events_and_passages(opened) -> None:
    page, offline, phone = opened
    panel = page.locator(PANEL)
    expect(panel).to_be_hidden()  # the map has the whole frame until a place is chosen
    choose(page, "bravo", phone)

    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_have_text("Bravo")
    expect(panel).to_contain_text("2 events here")
    expect(panel).to_contain_text("An attack hits Bravo.")
    expect(panel).to_contain_text("“An attack hit Bravo on Thursday.”")  # the quote
    # E4 and Delta's denial of it, side by side.
    expect(panel.locator(".nme-side .nme-ev")).to_have_count(2)
    expect(panel.locator(".nme-side")).to_contain_text("Officials in Delta deny the claim.")
    passages = panel.locator(".nme-passage")
    expect(passages).to_have_count(2)
    expect(passages.nth(1)).to_contain_text("An attack hit Bravo on Thursday.")
    expect(passages.nth(1).locator("mark")).to_have_text("Bravo")
    expect(passages.nth(1).locator("cite")).to_have_text("“Attack on Bravo” (5 September 2021)")
    # No article reader in one file: sources are named, not dead buttons.
    expect(panel.locator("button.nme-link")).to_have_count(0)
    expect(page.locator(".leaflet-popup")).to_have_count(0)  # the panel replaces the popup
    # The map made room for the panel and kept the chosen place in sight.
    expect(page.locator(".nm-label.selected[data-place='bravo']")).to_be_visible()
    expect(page.locator("#nm-status")).to_have_text("Bravo: 2 events here (As of 3 September 2021)")

    box, view = panel.bounding_box(), page.viewport_size
    assert box and box["height"] > 150
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"] + 1
    assert box["y"] + 40 < view["height"]  # in the frame without scrolling the page

    bad = failing(run_axe(page))
    assert bad == [], f"{len(bad)} axe violations:\n{report(bad)}"
    assert offline.blocked_requests == []
    assert offline.console_errors == []


def test_panel_follows_the_slider_and_closes_back_to_the_map(opened) -> None:
    page, _, phone = opened
    choose(page, "bravo", phone)
    panel = page.locator(PANEL)
    expect(panel).to_contain_text("2 events here")
    slider = page.locator(".nmt-end")
    slider.focus()
    page.keyboard.press("Home")  # 1 September: nothing at Bravo yet
    expect(panel).to_contain_text("0 events here")
    expect(panel).to_contain_text("No event here in these dates and filters.")
    expect(panel.locator(".nme-passage")).to_have_count(2)  # passages do not depend on dates

    panel.locator("[data-close='place']").click()
    expect(panel).to_be_hidden()
    expect(page.locator(".nm-label.selected:visible")).to_have_count(0)


def test_enter_on_a_place_label_opens_the_panel(opened) -> None:
    page, _, _ = opened
    page.locator(".nm-label[data-place='alpha']").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"{PANEL} h2")).to_have_text("Alpha")
    expect(page.locator(PANEL)).to_contain_text("Fighters clash at Alpha.")


def test_hostile_summary_in_the_panel_stays_text(opened) -> None:
    page, offline, phone = opened
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    choose(page, "charlie", phone)
    panel = page.locator(PANEL)
    expect(panel).to_contain_text(HOSTILE_HTML)
    expect(panel.locator("img")).to_have_count(0)
    assert dialogs == [] and offline.console_errors == []
