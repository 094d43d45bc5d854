"""The Articles page's event cards: readable type tags, and links that carry the map's view.
(The map's place panel is drawn by static/newsmap/panel.js: tests/js/panel.test.mjs.)"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from lib.map import colour
from lib.map.mapview import TYPE_COLOURS
from ui import render

pytestmark = pytest.mark.unit

ROW = {
    "event_id": "E1",
    "event_type": "attack",
    "date": "2021-09-01",
    "date_precision": "day",
    "date_basis": "",
    "claimant": "NRF",
    "status": "claimed",
    "contested_with": "",
    "casualties": "",
    "summary": "An attack.",
    "quote": "It was attacked.",
    "articles": "a-one",
}
VIEW = {"to": "2021-09-02", "mode": "window", "from": "2021-09-01", "article": "a-two"}


def hrefs(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r"href='([^']*)'", fragment)]


@pytest.mark.parametrize("event_type", sorted(TYPE_COLOURS))
def test_type_tag_text_meets_aa_on_its_colour(event_type: str) -> None:
    # Regression: white text on the orange "attack" tag was 2.53:1.
    card = render.event_card({**ROW, "event_type": event_type}, {})
    style = re.search(r"class='tag' style='background:(#\w+);color:(#\w+)'", card)
    assert style, card
    assert colour.contrast(style[2], style[1]) >= colour.AA_NORMAL_TEXT


def test_card_links_carry_the_view() -> None:
    card = render.event_card(ROW, {"a-one": "Headline"}, VIEW)
    for href in hrefs(card):
        query = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
        assert query["to"] == "2021-09-02" and query["map_article"] == "a-two"
        assert query["article"] == "a-one"


def test_links_without_a_view_stay_as_they_were() -> None:
    assert hrefs(render.event_card(ROW, {})) == ["./Articles?article=a-one"]


@pytest.mark.parametrize("name", ["STYLE", "PAGE_STYLE", "ARTICLE_STYLE"])
def test_page_stylesheets_survive_the_html_sanitiser(name):
    """Regression: st.html sanitises with DOMPurify, which drops a whole <style> element whose
    text looks like markup; a comment in static/app/article.css that named ``#m<offset>``
    left the Articles page with no highlighting at all."""
    css = getattr(render, name)
    assert css.startswith("<style>") and css.endswith("</style>")
    inner = css.removeprefix("<style>").removesuffix("</style>")
    assert not re.search(r"<[/\w]", inner)
    assert re.search(r"[.#\w][^{}]*\{[^{}]*:[^{}]*\}", inner), "no rule read from static/app/"


def test_a_disputed_row_with_no_rival_row_gets_the_contested_tag_on_its_card() -> None:
    # Regression: the card looked at contested_with only, so a row whose status is 'disputed'
    # but which no other row contests had the tag on the map and none on its card.
    disputed = render.event_card({**ROW, "status": "disputed", "contested_with": ""}, {})
    rival = render.event_card({**ROW, "contested_with": "E9"}, {})
    plain = render.event_card(ROW, {})
    assert "tag contested" in disputed and "tag contested" in rival
    assert "tag contested" not in plain


def test_the_card_and_the_map_call_the_same_rows_contested() -> None:
    import pandas as pd

    from lib.data.events import is_contested

    cells = [("", "claimed"), ("", "disputed"), ("E9", "claimed"), ("E9;E10", "disputed")]
    frame = pd.DataFrame(cells, columns=["contested_with", "status"])
    on_the_map = is_contested(frame["contested_with"], frame["status"]).tolist()
    on_cards = [
        "tag contested" in render.event_card({**ROW, "contested_with": c, "status": s}, {})
        for c, s in cells
    ]
    assert on_the_map == on_cards == [False, True, True, True]
