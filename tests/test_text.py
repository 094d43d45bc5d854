"""Folding, name keys, quote normalisation and the one HTML-escaping place."""

import pytest

from lib import text
from lib.text import escape, fold, highlight, name_key, normalize_quote, split_list, tokens


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
