"""Exports in a real Chromium: the PNG's pixels, and the standalone map opened from disk offline.

The fixture data set comes from tests/support/export_data.py. One session browser serves every test.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from lib.data.dataset import Dataset
from lib.map import mapview
from lib.map.viewstate import Bounds, filter_events, group_by_place, state_from_params
from lib.pictures import export, presentation
from lib.pictures.presentation import Size
from tests.support.export_data import HOSTILE_HTML, fixture_data, write_dataset

pytestmark = pytest.mark.browser

if TYPE_CHECKING:  # the fixture's type
    from tests.support.offline import OfflineContext

REPO = Path(__file__).resolve().parent.parent
READY = "() => window.newsmapExport && window.newsmapExport.ready === true"
PLACES = "path.leaflet-interactive"
#: Per channel (0-255): pins are filled at 95 % opacity over whatever lies beneath.
TOLERANCE = 24


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("export-browser") / "data")


@pytest.fixture(scope="module")
def data(data_root: Path) -> tuple[Dataset, pd.DataFrame, Bounds]:
    return fixture_data(data_root)


def view(bounds: Bounds, **params: str):
    state, notes = state_from_params(params, bounds)
    assert notes == []
    return state


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= TOLERANCE for a, b in zip(pixel[:3], colour, strict=True))


def colour_around(image: Image.Image, x: float, y: float, colour: str, reach: int) -> bool:
    """Whether ``colour`` is within ``reach`` pixels of (x, y) in the image."""
    want = rgb(colour)
    return any(
        near(image.getpixel((round(x) + dx, round(y) + dy)), want)
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
    )


@pytest.fixture(scope="module")
def cumulative_png(browser: Browser, data: tuple) -> tuple[export.Capture, Image.Image]:
    dataset, frame, bounds = data
    page = presentation.presentation_html(
        frame, view(bounds, to="2021-09-03"), dataset.articles, size=Size(1600, 900)
    )
    shot = export.capture(page, Size(1600, 900), scale=2, browser=browser)
    return shot, Image.open(io.BytesIO(shot.png)).convert("RGB")


# --- PNG --------------------------------------------------------------------------------------


def test_png_has_the_preset_size_at_twice_the_pixels(cumulative_png: tuple) -> None:
    _, image = cumulative_png
    assert image.size == (3200, 1800)
    # Not blank: outlines, fills, markers and text make many colours.
    assert len(image.resize((320, 180)).getcolors(maxcolors=1 << 16) or []) > 100


def test_png_markers_are_drawn_where_their_coordinates_project(cumulative_png: tuple) -> None:
    shot, image = cumulative_png
    by_place = {m["place_id"]: m for m in shot.markers}
    assert set(by_place) == {"alpha", "bravo", "charlie", "delta"}
    # Alpha: clash and political once each, clash first in the vocabulary; Bravo: attack.
    assert by_place["alpha"]["colour"] == mapview.TYPE_COLOURS["clash"]
    assert by_place["bravo"]["colour"] == mapview.TYPE_COLOURS["attack"]
    for place in ("alpha", "bravo"):
        m = by_place[place]
        assert m["in_frame"], place
        assert near(image.getpixel((round(m["x"] * 2), round(m["y"] * 2))), rgb(m["colour"])), place
    # Charlie is an area: its outline is drawn in its colour at its radius.
    charlie = by_place["charlie"]
    assert charlie["colour"] == mapview.TYPE_COLOURS["negotiation"] and charlie["r"] > 10
    edge_points = [
        (charlie["x"] + dx * charlie["r"], charlie["y"] + dy * charlie["r"])
        for dx, dy in ((1, 0), (-1, 0), (0, 1))
    ]
    assert all(
        colour_around(image, 2 * x, 2 * y, charlie["colour"], reach=3) for x, y in edge_points
    )
    # Delta is far away: left out of the frame, named at its edge instead.
    assert not by_place["delta"]["in_frame"]
    assert "Delta · 1 ⚑" in shot.text


def test_png_carries_title_dates_legend_and_credits(cumulative_png: tuple) -> None:
    shot, _ = cumulative_png
    text = shot.text
    assert presentation.DEFAULT_TITLE in text
    assert "As of 3 September 2021 · 5 events at 4 places" in text
    for label in ("clash", "attack", "negotiation", "political", "denial"):
        assert label in text
    assert "Sources: Express and 1 other article" in text
    assert "geoBoundaries AFG 2007 (public domain)" in text and "GeoNames (CC BY 4.0)" in text
    assert "OpenStreetMap" not in text  # no tiles, no tile credit


def test_png_is_the_same_for_the_same_view(
    browser: Browser, data: tuple, cumulative_png: tuple
) -> None:
    dataset, frame, bounds = data
    page = presentation.presentation_html(
        frame, view(bounds, to="2021-09-03"), dataset.articles, size=Size(1600, 900)
    )
    again = export.capture(page, Size(1600, 900), scale=2, browser=browser)
    first, _ = cumulative_png
    assert again.png == first.png or (
        Image.open(io.BytesIO(again.png)).tobytes() == Image.open(io.BytesIO(first.png)).tobytes()
    )


def test_png_command_renders_a_portrait_preset(data_root: Path, tmp_path: Path) -> None:
    # A process of its own, as a user runs it (and Playwright's sync API runs one per thread).
    out = tmp_path / "map.png"
    result = subprocess.run(
        [sys.executable, "-m", "lib", "export", "png", "--to", "2021-09-02",
         "--size", "1080x1350", "--scale", "1", "--out", str(out)],
        cwd=REPO, env={**os.environ, "DASHBOARD_DATA_DIR": str(data_root)},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert Image.open(out).size == (1080, 1350)


def test_selected_place_is_ringed_and_its_label_emphasised(browser: Browser, data: tuple) -> None:
    dataset, frame, bounds = data
    page_html = presentation.presentation_html(
        frame, view(bounds, to="2021-09-03", place="bravo"), dataset.articles, size=Size(1080, 1080)
    )
    context = browser.new_context(viewport={"width": 1080, "height": 1080})
    try:
        page = context.new_page()
        page.set_content(page_html)
        page.wait_for_function(READY)
        expect(page.locator(".nm-label.selected")).to_have_text("Bravo · 2 ⚑")
        expect(page.locator('path[stroke="#111"]')).to_have_count(1)  # the ring
        assert "highlighted: Bravo" in page.inner_text("header")
    finally:
        context.close()


# --- standalone HTML --------------------------------------------------------------------------


def expected_counts(frame: pd.DataFrame, bounds: Bounds, to: str) -> dict[str, int]:
    """Events per place the app's map shows for everything up to ``to`` (server grouping)."""
    groups = group_by_place(filter_events(frame, view(bounds, to=to)))
    return {g.place_id: g.count for g in groups}


def shown_counts(page: Page) -> dict[str, int]:
    """Events per place the page's engine draws now."""
    return page.evaluate(
        """() => { const e = newsmapExport.engine, out = {};
            for (let i = 0; i < e.np; i++) { if (e.count[i]) out[e.D.places[i][0]] = e.count[i]; }
            return out; }"""
    )


@pytest.fixture
def standalone(
    data: tuple, tmp_path: Path, offline_context: OfflineContext
) -> tuple[Page, pd.DataFrame, Bounds]:
    """The standalone page starting on 2 September, opened from disk with no network."""
    dataset, frame, bounds = data
    file = tmp_path / "map.html"
    file.write_text(
        presentation.standalone_html(frame, view(bounds, to="2021-09-02"), dataset.articles),
        encoding="utf-8",
    )
    page = offline_context.new_page()
    page.goto(file.as_uri())
    page.wait_for_function(READY)
    return page, frame, bounds


def test_standalone_map_opens_offline_and_its_slider_changes_the_markers(
    standalone: tuple, offline_context: OfflineContext
) -> None:
    page, frame, bounds = standalone
    date = page.locator(".nmt-date")
    expect(date).to_have_text("As of 2 September 2021")
    assert shown_counts(page) == expected_counts(frame, bounds, "2021-09-02")

    slider = page.locator(".nmt-end")
    slider.focus()
    page.keyboard.press("Home")
    expect(date).to_have_text("As of 1 September 2021")
    assert shown_counts(page) == expected_counts(frame, bounds, "2021-09-01")

    page.keyboard.press("End")
    expect(date).to_have_text("As of 3 September 2021")
    # The same places and counts as the app's server-side grouping.
    assert shown_counts(page) == expected_counts(frame, bounds, "2021-09-03")
    expect(page.locator(".nm-edge")).to_contain_text("Delta · 1 ⚑")

    assert offline_context.blocked_requests == []
    assert offline_context.console_errors == []


def test_standalone_play_steps_to_the_next_day(standalone: tuple) -> None:
    page, frame, bounds = standalone
    play = page.locator(".nmt-play")
    play.click()
    expect(page.locator(".nmt-date")).to_have_text("As of 3 September 2021", timeout=5_000)
    assert shown_counts(page) == expected_counts(frame, bounds, "2021-09-03")
    # It stops by itself on the last day.
    expect(play).to_have_attribute("aria-pressed", "false", timeout=5_000)


def test_standalone_popup_shows_a_hostile_summary_as_text(standalone: tuple) -> None:
    page, _, _ = standalone
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    place = page.evaluate(
        """(colour) => { const e = newsmapExport.engine;
            for (let i = 0; i < e.np; i++) {
                if (e.count[i] && e.D.colours[e._mainType(i)] === colour) return e.D.places[i][0];
            } }""",
        mapview.TYPE_COLOURS["negotiation"],
    )
    page.locator(f".nm-label[data-place='{place}']").click()

    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(HOSTILE_HTML)
    expect(popup).to_contain_text("Source: “Attack on Bravo”")
    expect(popup.locator("img")).to_have_count(0)
    assert dialogs == []
