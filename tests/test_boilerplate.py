"""Boilerplate: line ranges in the metadata, their spans, and the Add article proposal."""

import pytest

from lib.data.boilerplate import format_ranges, line_spans, parse_ranges, propose_boilerplate

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "cell, ranges, errors",
    [
        ("12-14;40", [(12, 14), (40, 40)], 0),
        (" 5 - 11 ; 35 ", [(5, 11), (35, 35)], 0),
        ("", [], 0),
        ("5-3", [], 1),  # end before start
        ("0", [], 1),  # lines count from 1
        ("line 4", [], 1),
        ("4-x;7", [(7, 7)], 1),  # the good part still loads
        ("49-52", [], 1),  # past the last line of a 50-line text
    ],
)
def test_parse_ranges(cell, ranges, errors):
    parsed, messages = parse_ranges(cell, line_count=50)
    assert parsed == ranges and len(messages) == errors


def test_format_ranges_merges_adjacent_lines():
    assert format_ranges([(12, 12), (5, 6), (7, 9)]) == "5-9;12"


def test_line_spans_cover_whole_lines_without_the_newline():
    text = "one\ntwo\nthree\nfour"
    spans = line_spans(text, [(2, 3), (4, 4), (9, 9)])
    assert [text[s:e] for s, e in spans] == ["two\nthree", "four"]


ARTICLE = """Rebels hold the valley
Fighters gathered in Bazarak, a resident said
Fighters said they held the line.

Sign up to receive our rundown of the day's top stories
Invalid email

Afghanistan Panjshir

A fighter on patrol (Image: GETTY)
JUST IN: Minister resigns over plan
Taliban declare China as closest ally [ANALYSIS]
A truck is seen near the valley.
A truck is seen near the valley.
  • Rebels are held up in the valley
"We will not surrender," he said.
© 2024 Some Outlet. All rights reserved."""


def test_propose_boilerplate_finds_the_furniture_and_keeps_the_reporting():
    proposed = propose_boilerplate(ARTICLE)
    lines = ARTICLE.split("\n")
    marked = {n: why for s, e, why in proposed for n in range(s, e + 1)}
    assert marked[5] == marked[6] == "newsletter box"
    assert "tag" in marked[8]
    assert marked[10] == "image caption"
    assert marked[11] == marked[12] == "related link"
    assert "repeated" in marked[13] and "repeated" in marked[14]
    assert marked[17] == "footer"
    # headline, standfirst without a full stop, reporting and bullets are not proposed
    for n in (1, 2, 3, 15, 16):
        assert n not in marked, (n, lines[n - 1])
    assert (5, 6, "newsletter box") in proposed  # one range for the box, blank lines joined


def test_propose_boilerplate_of_a_clean_text_is_empty():
    assert propose_boilerplate("Headline\nOne sentence.\n\nAnother one.") == []
