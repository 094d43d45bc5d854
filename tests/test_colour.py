"""WCAG contrast arithmetic and the text colour chosen for the event types' tags."""

from __future__ import annotations

import pytest

from lib.map import colour
from lib.map.mapview import TYPE_COLOURS

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#000000", 21.0),  # order does not matter
        ("#777", "#777777", 1.0),  # short form
        ("#ffffff", "#ff7f0e", 2.53),  # the orange tag issue 10 measured
        ("#767676", "#ffffff", 4.54),  # the classic lightest AA grey on white
    ],
)
def test_contrast_matches_the_wcag_figures(a: str, b: str, ratio: float) -> None:
    assert colour.contrast(a, b) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("bad", ["orange", "#12345", "#ggg", ""])
def test_rgb_refuses_what_is_not_a_hex_colour(bad: str) -> None:
    with pytest.raises(ValueError, match="not a hex colour"):
        colour.rgb(bad)


@pytest.mark.parametrize("event_type", sorted(TYPE_COLOURS))
def test_every_type_tag_text_meets_aa(event_type: str) -> None:
    background = TYPE_COLOURS[event_type]
    assert colour.contrast(colour.text_on(background), background) >= colour.AA_NORMAL_TEXT


def test_text_on_picks_black_on_orange_and_white_on_dark_red() -> None:
    assert colour.text_on("#ff7f0e") == colour.DARK_TEXT
    assert colour.text_on("#b00") == colour.LIGHT_TEXT


@pytest.mark.parametrize("grey", [f"#{v:02x}{v:02x}{v:02x}" for v in range(0, 256, 5)])
def test_text_on_meets_aa_on_any_grey(grey: str) -> None:
    # The hardest backgrounds lie around mid-grey, where black and white do about equally.
    assert colour.contrast(colour.text_on(grey), grey) >= colour.AA_NORMAL_TEXT
