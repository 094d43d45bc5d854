"""Links between the map and the Articles page keep the reader's view both ways."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from lib.map import links
from lib.map.viewstate import Bounds

pytestmark = pytest.mark.unit


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def test_articles_link_carries_the_view_and_renames_the_article_filter() -> None:
    view = {
        "to": "2021-09-02",
        "from": "2021-08-30",
        "mode": "window",
        "type": "clash,attack",
        "claimant": "NRF",
        "article": "lions-hold-line",
        "place": "kabul",
    }
    href = links.articles_href("rebels-final-stand", "shotul", 120, view)
    assert href.startswith("./Articles?")
    assert href.endswith("#m120")
    assert query(href) == {
        "article": "rebels-final-stand",  # the article shown, not the map's filter
        "place": "shotul",  # the passage's place wins over the view's selection
        "to": "2021-09-02",
        "from": "2021-08-30",
        "mode": "window",
        "type": "clash,attack",
        "claimant": "NRF",
        "map_article": "lions-hold-line",
    }


def test_round_trip_map_to_articles_to_map_keeps_the_view() -> None:
    view = {"to": "2021-09-01", "mode": "window", "from": "2021-08-31", "article": "a,b"}
    articles_url = links.articles_href("a", view=view)
    back = query(links.map_href(query(articles_url), "khawak_pass"))
    assert back == {**view, "place": "khawak_pass"}


def test_links_without_a_view_are_the_plain_ones() -> None:
    assert links.articles_href("x") == "./Articles?article=x"
    assert links.articles_href("x", "kabul", 0) == "./Articles?article=x&place=kabul#m0"
    assert links.map_href({"article": "x", "place": "kabul"}) == "./"
    assert links.map_href({}, "kabul") == "./?place=kabul"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": ["clash", "attack"]}, {"type": "clash,attack"}),  # repeated parameter
        ({"to": ""}, {}),  # empty values are dropped, not sent as "to="
        ({"mode": "window", "unknown": "x"}, {"mode": "window"}),  # only view parameters pass
    ],
)
def test_map_params_normalise_what_the_url_holds(params, expected) -> None:
    assert links.map_params(params, None) == expected


def test_hostile_values_are_url_encoded() -> None:
    href = links.articles_href("a", "x'><script>", view={"claimant": "a&b=c"})
    assert "<" not in href and "'" not in href
    assert query(href)["claimant"] == "a&b=c"


BOUNDS = Bounds(
    first=dt.date(2021, 8, 15),
    last=dt.date(2021, 9, 4),
    types=("clash", "attack"),
    claimants=("NRF", "Taliban"),
    articles=("a", "b"),
    places=("kabul", "shotul"),
)


def test_honoured_view_drops_what_the_map_would_ignore() -> None:
    # Regression: an unknown place from the URL was copied into every link on the Articles page
    # (42 links to a hostile address-like string).
    given = {
        "article": "b",
        "place": "[Log in](http://evil.example/login)",
        "claimant": "NRF,evil",
        "to": "2021-09-02",
        "map_article": "a",
    }
    params, focus, notes = links.honoured_view(given, BOUNDS)
    assert focus is None
    assert params == {"to": "2021-09-02", "claimant": "NRF", "map_article": "a"}
    assert any("evil.example" in n for n in notes) and any("'claimant=evil'" in n for n in notes)
    assert "evil" not in links.map_href(params, focus)


def test_honoured_view_keeps_a_known_place_and_adds_nothing_unasked() -> None:
    params, focus, notes = links.honoured_view({"article": "a", "place": "shotul"}, BOUNDS)
    # No dates were given: none are invented, so the map can restore the reader's last view.
    assert (params, focus, notes) == ({}, "shotul", [])
    params, _, _ = links.honoured_view({"from": "2021-08-20", "to": "2021-08-25"}, BOUNDS)
    assert params == {"from": "2021-08-20", "to": "2021-08-25", "mode": "window"}
