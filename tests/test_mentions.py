"""The mention index: what the map links each marker to."""

import json
import subprocess
import sys
import tracemalloc

import pytest

from lib.data.articles import Article
from lib.data.dataset import REPO_ROOT, load_dataset
from lib.data.gazetteer import Gazetteer, Place
from lib.data.mentions import Matcher, build_index, find_mentions, sentence_spans
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit


def place(pid, name, *variants, not_in=()):
    return Place(pid, name, "town", 35.0, 69.0, "town", 1.0, "AF", "test", variants, not_in=not_in)


GAZ = Gazetteer(
    {
        p.id: p
        for p in [
            place("kabul", "Kabul"),
            place("jabal_saraj", "Jabal os Saraj", "Jabul-Saraj"),
            place(
                "panjshir_province", "Panjshir Province", "Panjshir", not_in=("Lion of Panjshir",)
            ),
            place("panjshir_valley", "Panjshir Valley"),
            place("bazarak", "Bāzārak"),
        ]
    }
)
MATCHER = Matcher.from_gazetteer(GAZ)


def mentions(text):
    return [(m.place_id, m.matched) for m in find_mentions(Article("a", "a.txt", text), MATCHER)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Fighting in Kabul.", [("kabul", "Kabul")]),
        ("Kabulis celebrated.", []),  # not a word-boundary match
        ("Kabul's airport", [("kabul", "Kabul")]),  # possessive
        ("Kabul’s airport", [("kabul", "Kabul")]),  # curly possessive
        ("from Jabul Saraj", [("jabal_saraj", "Jabul Saraj")]),  # space for hyphen
        ("from JABUL-SARAJ", [("jabal_saraj", "JABUL-SARAJ")]),
        ("from Jabul\u2011Saraj", [("jabal_saraj", "Jabul\u2011Saraj")]),  # non-breaking hyphen
        ("in ‘Panjshir Valley’", [("panjshir_valley", "Panjshir Valley")]),  # longest wins
        ("in Bazarak", [("bazarak", "Bazarak")]),  # accent-insensitive
        ("the Lion of Panjshir spoke", []),  # an epithet, not the place
        ("the “Lion of Panjshir” in Panjshir", [("panjshir_province", "Panjshir")]),
        # an organisation's name ending in a place name is not a mention of the place
        ("The National Resistance Front of Panjshir fought", []),
        ("the Central Bank of Kabul", []),
        ("the Resistance Front for the Panjshir Valley", []),
        # lower case: a front of the fighting, not an organisation
        ("on the front of Panjshir", [("panjshir_province", "Panjshir")]),
        ("the Front (NRF) in Kabul", [("kabul", "Kabul")]),
        ("JabulSaraj", [("jabal_saraj", "JabulSaraj")]),  # no separator at all
    ],
)
def test_matching(text, expected):
    assert mentions(text) == expected


def test_boilerplate_lines_are_not_searched():
    text = "Kabul falls\nFighting in Kabul.\nKabul skyline (Image: X)\nKabul again."
    article = Article("a", "a.txt", text, boilerplate=((3, 3),))
    found = [(m.matched, text[: m.start].count("\n") + 1) for m in find_mentions(article, MATCHER)]
    assert found == [("Kabul", 1), ("Kabul", 2), ("Kabul", 4)]


def test_a_100000_character_name_takes_linear_memory():
    """Regression: the matcher stored every prefix of every name (4.9 GB for this name)."""
    name = ("abcdefghij" * 10_000)[:100_000]
    gazetteer = Gazetteer({"long": place("long", name)})
    tracemalloc.start()
    matcher = Matcher.from_gazetteer(gazetteer)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 60e6  # about 14 MB measured; the old matcher needed 4,900 MB
    text = f"In {name}, and in {name[:-1]}."
    found = find_mentions(Article("a", "a.txt", text), matcher)
    assert [(m.place_id, m.start) for m in found] == [("long", 3)]


def test_spans_and_sentence_point_into_the_article():
    text = "First sentence. The Taliban reached Kabul on Sunday! Last one."
    (m,) = find_mentions(Article("a", "a.txt", text), MATCHER)
    assert text[m.start : m.end] == "Kabul"
    assert m.sentence == "The Taliban reached Kabul on Sunday!"
    assert text[m.sentence_start :].startswith(m.sentence)


def test_sentences_split_on_line_breaks_and_quotes():
    text = "Headline\n‘We held,’ he said. “Next.” Done"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Headline",
        "‘We held,’ he said.",
        "“Next.”",
        "Done",
    ]


def test_index_of_the_shipped_corpus_covers_every_spelling_the_reporting_uses():
    data = load_dataset(REPO_ROOT)
    index = build_index(data.articles.values(), data.gazetteer)
    found = {(m.place_id, m.matched) for m in index}
    for expected in [
        ("jabal_saraj", "Jabul-Saraj"),
        ("khawak_pass", "Khavak"),
        ("khawak_pass", "Khawak pass"),
        ("salang_pass", "Shalang Pass"),
        ("golbahar", "Golbahar"),
        ("shotul", "Shotul"),
        ("pakistan", "Pakistan"),
        ("uzbekistan", "Uzbekistan"),
    ]:
        assert expected in found
    assert all(m.matched.lower() != "lion of panjshir" for m in index)
    # Nothing from a caption, tag or newsletter box, and no organisation's name.
    for m in index:
        article = data.articles[m.article_id]
        assert not any(s <= m.start < e for s, e in article.boilerplate_spans), m
        assert "Front of" not in article.text[max(0, m.start - 9) : m.start], m


def test_cli_prints_json_lines(monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(FIXTURE_DATA))
    out = subprocess.run(
        [sys.executable, "-m", "lib", "mentions"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert set(rows[0]) == {
        "article_id",
        "place_id",
        "matched",
        "start",
        "end",
        "sentence",
        "sentence_start",
        "caption",
    }
    # The fixture's Bazarak caption (a boilerplate line) and its 'National Resistance Front of
    # Panjshir' are not mentions.
    assert [(r["article_id"], r["matched"]) for r in rows] == [
        ("valley-attack", "Bazarak"),
        ("valley-attack", "Shotul"),
        ("valley-attack", "Shotul"),
        ("kabul-talks", "Kabul"),
        ("kabul-talks", "Panjshir"),
        ("kabul-talks", "Panjshir Valley"),
        ("kabul-talks", "Bazarak"),
    ]
