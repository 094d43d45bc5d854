"""Folding, name keys, quote normalisation and the one HTML-escaping place."""

import re

import pytest

from lib.data import text
from lib.data.text import (
    escape,
    fold,
    highlight,
    markdown_escape,
    name_key,
    normalize_quote,
    split_list,
    tokens,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "a, b",
    [
        ("Jabul-Saraj", "jabul saraj"),
        ("Jabul-Saraj", "JabulSaraj"),
        ("Bāzārak", "Bazarak"),
        ("’Unābah", "Unabah"),  # GeoNames writes an ayn mark before the name
        ("Khawak  Pass", "khawak-pass"),
        ("Jabal\u2011Saraj", "Jabal Saraj"),  # non-breaking hyphen from a word processor
    ],
)
def test_name_key_ignores_case_accents_and_separators(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [("Kabul", "Kabulis"), ("Khinj", "Khinjan"), ("Shotul", "Shotu")])
def test_name_key_keeps_different_names_apart(a, b):
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize("text", ["Bāzārak’s “quote” – İstanbul ß", "plain", "", "ﬁ ligature"])
def test_fold_keeps_length_so_spans_map_back(text):
    assert len(fold(text)) == len(text)


def test_tokens_spans_index_the_original_text():
    text = "Taliban attacked ‘Shotul’ from Jabul-Saraj."
    spans = {tok: text[s:e] for tok, s, e in tokens(text)}
    assert spans["shotul"] == "Shotul"
    assert spans["jabul"] == "Jabul"


def test_normalize_quote_matches_curly_and_straight_quotes_and_wrapped_lines():
    article = "the group’s fighters had entered\nPanjshir"
    typed = "the group's fighters had entered Panjshir"
    assert normalize_quote(typed) in normalize_quote(article)


def test_escape_neutralises_markup_and_attribute_breakouts():
    hostile = '<img src=x onerror=alert(1)>" onmouseover="x'
    out = escape(hostile)
    assert "<" not in out and '"' not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_highlight_escapes_around_and_inside_marks():
    text = "<b>Shotul</b> & Golbahar"
    out = highlight(text, [(3, 9), (16, 24)])
    assert out == "&lt;b&gt;<mark>Shotul</mark>&lt;/b&gt; &amp; <mark>Golbahar</mark>"


def test_highlight_merges_overlapping_spans():
    assert highlight("Panjshir Valley", [(0, 15), (0, 8)]) == "<mark>Panjshir Valley</mark>"


def test_split_list_trims_and_drops_empty_items():
    assert split_list(" shotul ;; golbahar; ") == ["shotul", "golbahar"]


# --- Markdown: untrusted text for st.warning / st.caption / st.subheader ------------------------

PAYLOADS = {
    "link": "[Session expired - click to log in again](http://evil.example/login)",
    "image": "![x](http://evil.example/pixel.png)",
    "entity": "&lt;b&gt;bold&lt;/b&gt; &amp; &#x41;",
    "bidi": "photo\u202egnp.exe\u202c and \u2066isolated\u2069",
    "autolink": "www.evil.example and <http://evil.example> and a@evil.example",
    "html": "<img src=http://evil.example/raw.png onerror=alert(1)>",
    "streamlit": ":red[alarm] :material/home: $x^2$ **bold** _it_ `code`",
    "block": "# heading\n    code block\n> quote\n1. list\n===",
}
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def commonmark_text(source: str) -> str:
    """What a CommonMark renderer shows for source made only of text and backslash escapes."""
    return _ESCAPED.sub(r"\1", source)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_markdown_escape_leaves_no_markup_only_literal_characters(payload):
    source = markdown_escape(payload)
    # Every ASCII punctuation character is backslash-escaped, so no link, image, entity,
    # autolink, HTML, directive, maths or block syntax can form; letters cannot form any.
    assert not re.search(r"[!-/:-@\[-`{-~]", _ESCAPED.sub("", source)), source
    # GFM autolinks are matched on the unescaped text: none may match there.
    shown = commonmark_text(source)
    assert not re.search(r"(?i)(https?|ftp)://|www\.|@[-\w]", shown), shown
    # ... and it reads as typed: bidi controls dropped, line breaks as spaces (one paragraph),
    # word joiners (invisible) inside would-be autolinks.
    expected = re.sub(r"[ \t]*\n+[ \t]*", " ", re.sub("[\u202a-\u202e\u2066-\u2069]", "", payload))
    assert shown.replace("\u2060", "") == expected


def test_markdown_escape_drops_bidi_overrides_so_text_reads_as_stored():
    assert commonmark_text(markdown_escape(PAYLOADS["bidi"])) == "photognp.exe and isolated"


def test_markdown_escape_keeps_entities_as_typed():
    assert markdown_escape("&lt;") == r"\&lt\;"  # shows "&lt;", not "<"


def test_html_escape_drops_bidi_overrides_too():
    assert escape("a\u202eb\u2066c") == "abc"


@pytest.mark.parametrize(
    ("count", "word", "plural_form", "expected"),
    [
        (1, "event", None, "1 event"),  # regression: the dashboard said "1 events at 1 places"
        (0, "event", None, "0 events"),  # zero takes the plural in English
        (2, "place", None, "2 places"),
        (1, "country", "countries", "1 country"),
        (3, "country", "countries", "3 countries"),
        (12000, "event", None, "12,000 events"),
    ],
)
def test_plural_says_counts_as_a_reader_would(count, word, plural_form, expected) -> None:
    assert text.plural(count, word, plural_form) == expected
