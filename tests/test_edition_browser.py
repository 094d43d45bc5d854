"""The reader edition in a real Chromium, served over HTTP from a sub-folder (and from file://)
with the network cut off: markers, slider, Play, every place's panel, passages, the article
reader and back, app permalinks, notes for bad parameters, phone size, keyboard, axe-core.

Data: the small fixture set (tests/fixtures/data), published once per module.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from lib.data.dataset import Dataset, load_dataset
from lib.edition import publish
from lib.map.viewstate import (
    Bounds,
    events_frame,
    filter_events,
    group_by_place,
    state_from_params,
    state_to_params,
)
from tests.fixtures import FIXTURE_DATA
from tests.support.axe import project_controlled, run_axe
from tests.support.hostile import HOSTILE, poison_fixture
from tests.support.server import http_server

pytestmark = pytest.mark.browser

if TYPE_CHECKING:  # the fixture's type only
    from tests.support.offline import OfflineContext

READY = "() => window.newsmapEdition && window.newsmapEdition.ready === true"
NOW = dt.datetime(2021, 9, 5, 14, 2, tzinfo=dt.UTC)
SERIOUS = ("serious", "critical")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(URL of the edition, its folder): published under /graphics/panjshir/ of a static server."""
    root = tmp_path_factory.mktemp("edition-site")
    data = root / "data"
    shutil.copytree(FIXTURE_DATA, data)
    out = root / "www" / "graphics" / "panjshir"
    publish.publish(out, data, now=NOW)
    handler = functools.partial(_Quiet, directory=str(root / "www"))
    with http_server(handler) as url:
        yield f"{url}/graphics/panjshir/", out


@pytest.fixture(scope="module")
def data() -> tuple[Dataset, pd.DataFrame, Bounds]:
    dataset = load_dataset(FIXTURE_DATA)
    frame = events_frame(dataset.events.events, dataset.gazetteer)
    return dataset, frame, Bounds.of(frame, dataset.articles, dataset.gazetteer.places)


def open_edition(context: OfflineContext, url: str, query: str = "") -> Page:
    page = context.new_page()
    page.goto(url + (f"?{query}" if query else ""))
    page.wait_for_function(READY)
    return page


def expected(frame: pd.DataFrame, bounds: Bounds, params: dict) -> dict[str, int]:
    """Events per place that the app's server-side grouping gives for ``params``."""
    state, _ = state_from_params(params, bounds)
    return {g.place_id: g.count for g in group_by_place(filter_events(frame, state))}


def shown(page: Page) -> dict[str, int]:
    return page.evaluate(
        """() => { const e = newsmapEdition.engine, out = {};
            for (let i = 0; i < e.np; i++) { if (e.count[i]) out[e.D.places[i][0]] = e.count[i]; }
            return out; }"""
    )


def label(page: Page, place: str):
    return page.locator(f".nm-label:not(.nm-measure)[data-place='{place}']")


def query_of(page: Page) -> dict[str, str]:
    return dict(re.findall(r"[?&]([^=&]+)=([^&]*)", page.url))


def test_the_edition_paints_every_marker_offline_from_a_sub_folder(
    site: tuple, data: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    _, frame, bounds = data
    page = open_edition(offline_context, url)
    assert shown(page) == expected(frame, bounds, {})
    expect(page.locator(".nmt-date")).to_have_text("As of 1 September 2021")
    expect(page.locator(".nmt-counts")).to_have_text("5 events at 4 places")
    expect(page.locator("#nme-published")).to_have_text(
        "Last published 5 September 2021 14:02 UTC."
    )
    expect(page.locator("#nme-table tbody tr")).to_have_count(5)
    assert offline_context.blocked_requests == []
    assert offline_context.console_errors == []


def test_the_slider_and_play_change_markers_table_and_address(
    site: tuple, data: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    _, frame, bounds = data
    page = open_edition(offline_context, url)
    slider = page.locator(".nmt-end")
    slider.focus()
    page.keyboard.press("Home")
    expect(page.locator(".nmt-date")).to_have_text("As of 31 August 2021")
    assert shown(page) == expected(frame, bounds, {"to": "2021-08-31"})
    expect(page.locator("#nme-table tbody tr")).to_have_count(3)  # the table follows the dates
    expect(page).to_have_url(re.compile(r"\?to=2021-08-31$"))

    page.locator(".nmt-play").click()
    expect(page.locator(".nmt-date")).to_have_text("As of 1 September 2021", timeout=5_000)
    assert shown(page) == expected(frame, bounds, {"to": "2021-09-01"})
    expect(page.locator(".nmt-play")).to_have_attribute("aria-pressed", "false", timeout=5_000)
    expect(page.locator("#nme-table tbody tr")).to_have_count(5)


def test_every_place_opens_its_panel_with_its_events_and_passages(
    site: tuple, data: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    dataset, frame, bounds = data
    page = open_edition(offline_context, url)
    from lib.data.mentions import build_index, by_place

    passages = by_place(build_index(dataset.articles.values(), dataset.gazetteer))
    counts = expected(frame, bounds, {})
    assert len(counts) == 4
    for place_id, count in counts.items():
        label(page, place_id).click()
        panel = page.locator("#nme-panel")
        name = dataset.gazetteer.places[place_id].name
        expect(panel.locator("h2")).to_have_text(name)
        expect(panel).to_contain_text(f"{count} event{'s' if count > 1 else ''} here")
        expect(panel.locator(".nme-passage")).to_have_count(len(passages.get(place_id, [])))
        expect(page).to_have_url(re.compile(rf"place={place_id}"))
        # Said to screen readers, as the app's panel heading is.
        expect(page.locator("#nme-status[role='status']")).to_contain_text(f"{name}: {count} event")
    assert page.locator(".leaflet-popup").count() == 0  # the panel, not a popup over labels


def test_contested_claims_stand_side_by_side(site: tuple, offline_context: OfflineContext) -> None:
    url, _ = site
    page = open_edition(offline_context, url, "place=bazarak")
    side = page.locator("#nme-panel .nme-side").first
    expect(side.locator(".nme-ev")).to_have_count(2)
    expect(side).to_contain_text("Fighters in Bazarak say they repelled an attack from Shotul.")
    expect(side).to_contain_text("The Taliban say they have taken Shotul.")


def test_a_passage_opens_the_article_reader_and_back_keeps_the_view(
    site: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    page = open_edition(offline_context, url, "to=2021-09-01&type=civilian_harm")
    label(page, "panjshir_valley").click()
    map_url = page.url
    before = page.evaluate("() => newsmapEdition.view()")

    page.locator("#nme-panel .nme-passage button").first.click()
    reader = page.locator("#nme-reader")
    expect(reader).to_be_visible()
    expect(page.locator("#nme-map")).to_be_hidden()
    expect(reader.locator("h2")).to_have_text("Talks in Kabul fail")
    expect(reader).to_contain_text("'on Wednesday' is 1 Sep; written a day or two later.")
    target = reader.locator("mark.nme-target")
    expect(target).to_have_text("Panjshir Valley")
    expect(target).to_be_in_viewport()
    expect(reader.locator("mark")).to_have_count(4)  # every place name highlighted
    assert "read=kabul-talks" in page.url and "at=" in page.url

    reader.get_by_role("button", name="Back to the map").click()
    expect(page.locator("#nme-map")).to_be_visible()
    expect(reader).to_be_hidden()
    assert page.url == map_url
    assert page.evaluate("() => newsmapEdition.view()") == before
    expect(page.locator("#nme-panel h2")).to_have_text("Panjshir Valley")


def test_an_article_link_opens_the_reader_and_the_browser_back_button_returns(
    site: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    page = open_edition(offline_context, url, "place=kabul")
    page.locator("#nme-panel .nme-ev button[data-article='kabul-talks']").first.click()
    expect(page.locator("#nme-reader h2")).to_have_text("Talks in Kabul fail")
    page.go_back()
    expect(page.locator("#nme-map")).to_be_visible()
    expect(page.locator("#nme-panel h2")).to_have_text("Kabul")


@pytest.mark.parametrize(
    "params",
    [
        {"to": "2021-08-31"},
        {"from": "2021-09-01", "to": "2021-09-01", "mode": "window"},
        {"type": "attack,territorial_claim", "place": "shotul"},
        {"claimant": "Taliban"},
        {"article": "kabul-talks"},
    ],
)
def test_an_app_permalink_gives_the_same_view_in_the_edition(
    site: tuple, data: tuple, offline_context: OfflineContext, params: dict
) -> None:
    url, _ = site
    _, frame, bounds = data
    state, notes = state_from_params(params, bounds)
    assert notes == []
    page = open_edition(offline_context, url, urlencode(state_to_params(state)))
    assert shown(page) == expected(frame, bounds, params)
    kept = filter_events(frame, state).drop_duplicates("event_id")
    expect(page.locator("#nme-table tbody tr")).to_have_count(len(kept))
    assert query_of(page) == {k: v.replace(",", "%2C") for k, v in state_to_params(state).items()}
    if state.place:
        here = kept[kept["event_id"].isin(frame[frame["place_id"] == state.place]["event_id"])]
        expect(page.locator("#nme-panel .nme-ev")).to_have_count(len(here))


def test_an_unknown_parameter_or_malformed_value_shows_a_note_not_a_blank_page(
    site: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    page = open_edition(offline_context, url, "to=31-08-2021&colour=red&place=%3Cb%3Ex")
    notes = page.locator("#nme-notes .nme-note")
    expect(notes).to_contain_text(
        [
            "'colour' is not a parameter of this map; ignored",
            "'to=31-08-2021' is not a date (YYYY-MM-DD); showing up to the last day",
            "'place=<b>x' is not a known place; ignored",
        ]
    )
    expect(page.locator("#nme-notes b")).to_have_count(0)
    expect(page.locator(".nmt-counts")).to_have_text("5 events at 4 places")


def test_a_link_to_an_object_property_is_an_unknown_place_and_article(
    site: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    page = open_edition(offline_context, url, "place=constructor&read=__proto__")
    notes = page.locator("#nme-notes .nme-note")
    expect(notes).to_contain_text(
        [
            "'place=constructor' is not a known place; ignored",
            "'read=__proto__' is not an article of this edition; ignored",
        ]
    )
    expect(page.locator("#nme-map")).to_be_visible()
    assert offline_context.console_errors == []
    expect(page.locator(".nmt-counts")).to_have_text("5 events at 4 places")


def test_the_edition_works_from_file_urls(site: tuple, offline_context: OfflineContext) -> None:
    _, out = site
    page = offline_context.new_page()
    page.goto((out / "index.html").as_uri() + "?place=shotul")
    page.wait_for_function(READY)
    expect(page.locator("#nme-panel h2")).to_have_text("Shotul")
    page.locator("#nme-panel .nme-passage button").first.click()
    expect(page.locator("#nme-reader h2")).to_have_text(
        "Fighters hold the valley after night attack"
    )
    assert offline_context.console_errors == []


def test_on_a_phone_the_page_fits_and_a_tap_opens_the_panel(
    site: tuple, phone_context: OfflineContext
) -> None:
    url, _ = site
    page = open_edition(phone_context, url)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = page.locator("#nme-map").bounding_box()
    assert box["width"] >= 360 and box["height"] >= 300
    label(page, "bazarak").tap()
    expect(page.locator("#nme-panel h2")).to_have_text("Bazarak")
    expect(page.locator("#nme-panel h2")).to_be_in_viewport()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_the_keyboard_reaches_a_place_its_passages_and_the_reader(
    site: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    page = open_edition(offline_context, url)
    label(page, "kabul").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#nme-panel h2")).to_have_text("Kabul")
    passage = page.locator("#nme-panel .nme-passage button").first
    passage.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#nme-reader")).to_be_visible()
    assert page.evaluate("() => document.activeElement.tagName") == "H2"
    page.keyboard.press("Escape")
    expect(page.locator("#nme-map")).to_be_visible()
    assert page.evaluate("() => document.activeElement.dataset.article") == "kabul-talks"


@pytest.mark.parametrize("context_name", ["offline_context", "phone_context"])
def test_axe_finds_no_serious_violation_on_the_map_panel_and_reader(
    site: tuple, request: pytest.FixtureRequest, context_name: str
) -> None:
    url, _ = site
    context = request.getfixturevalue(context_name)
    page = open_edition(context, url, "place=shotul")
    expect(page.locator("#nme-panel h2")).to_have_text("Shotul")
    found = [v for v in project_controlled(run_axe(page)) if v.impact in SERIOUS]
    page.locator("#nme-panel .nme-passage button").first.click()
    expect(page.locator("#nme-reader")).to_be_visible()
    found += [v for v in project_controlled(run_axe(page)) if v.impact in SERIOUS]
    assert found == [], "\n".join(map(str, found))


def test_hostile_data_shows_as_text_in_panel_reader_and_table(
    tmp_path: Path, offline_context: OfflineContext
) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    poison_fixture(data)
    out = tmp_path / "site"
    publish.publish(out, data, now=NOW, title="Map " + HOSTILE)
    page = offline_context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((out / "index.html").as_uri() + "?place=shotul")
    page.wait_for_function(READY)
    panel = page.locator("#nme-panel")
    expect(panel.locator("h2")).to_have_text("Shotul " + HOSTILE)
    expect(panel).to_contain_text(HOSTILE)
    expect(page.locator("#nme-table")).to_contain_text(HOSTILE)
    page.locator("#nme-panel .nme-passage button").first.click()
    expect(page.locator("#nme-reader")).to_contain_text(HOSTILE)
    expect(page.locator("img")).to_have_count(0)
    assert page.evaluate("() => window.pwned") is None
    assert dialogs == []


def test_the_filters_and_window_mode_change_markers_and_address(
    site: tuple, data: tuple, offline_context: OfflineContext
) -> None:
    url, _ = site
    _, frame, bounds = data
    page = open_edition(offline_context, url)
    page.locator(".nme-filters summary").click()
    page.get_by_label("attack", exact=True).check()
    expect(page).to_have_url(re.compile(r"type=attack"))
    assert shown(page) == expected(frame, bounds, {"type": "attack"})
    expect(page.locator("#nme-table tbody tr")).to_have_count(1)

    page.get_by_label(re.compile("Show a window of days")).check()
    expect(page).to_have_url(re.compile(r"from=2021-08-31.*mode=window"))
    expect(page.locator(".nmt-start")).to_be_visible()
    page.locator(".nmt-start").focus()
    page.keyboard.press("End")  # the first day pushed to the last: a one-day window
    expect(page.locator(".nmt-date")).to_have_text("1 September 2021")
    assert shown(page) == expected(
        frame, bounds, {"type": "attack", "from": "2021-09-01", "to": "2021-09-01"}
    )


def test_the_corrections_log_reaches_readers(tmp_path: Path, offline_context: OfflineContext):
    from lib.editing import history

    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    out = tmp_path / "site"
    publish.publish(out, data, now=NOW)
    events = data / "events.csv"
    old = events.read_bytes()
    new = old.replace(b"F004,2021-09-01,", b"F004,2021-08-31,")
    events.write_bytes(new)
    history.record(data, "events.csv", old, new, who="ed", note="The talks were on Tuesday.")
    publish.publish(out, data, now=NOW + dt.timedelta(days=1))
    page = offline_context.new_page()
    page.goto((out / "index.html").as_uri())
    page.wait_for_function(READY)
    expect(page.locator("#nme-published")).to_have_text(
        "Last published 6 September 2021 14:02 UTC."
    )
    item = page.locator(".nme-corrections li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(
        "Updated 6 September 2021 14:02 UTC: the date of one event corrected"
    )
    expect(item).to_contain_text("Editor's note: The talks were on Tuesday.")
