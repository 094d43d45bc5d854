"""The mention index: what the map links each marker to."""

import json
import subprocess
import sys

import pytest

from lib.articles import Article
from lib.dataset import REPO_ROOT, load_dataset
from lib.gazetteer import Gazetteer, Place
from lib.mentions import Matcher, build_index, find_mentions, sentence_spans


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
    ],
)
def test_matching(text, expected):
    assert mentions(text) == expected


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
        ("khenj", "Khenj District"),
        ("shotul", "Shotul"),
    ]:
        assert expected in found
    assert all(m.matched.lower() != "lion of panjshir" for m in index)


def test_cli_prints_json_lines():
    out = subprocess.run(
        [sys.executable, "-m", "lib.mentions"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert len(rows) > 50
    assert set(rows[0]) == {
        "article_id",
        "place_id",
        "matched",
        "start",
        "end",
        "sentence",
        "sentence_start",
    }
