"""The corpus loader: metadata, inferred dates, and dropping in a new file."""

import datetime as dt

import pytest

from lib.data.articles import load_articles
from lib.data.dataset import REPO_ROOT
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

HEADER = (
    "id,file,outlet,outlet_evidence,published_from,published_to,date_inferred,"
    "date_reasoning,seed_file,notes\n"
)


def write(tmp_path, meta_rows, files):
    (tmp_path / "articles.csv").write_text(HEADER + "".join(meta_rows), encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load_articles(tmp_path)


def test_every_shipped_article_has_a_headline_a_date_window_and_its_reasoning():
    articles, problems = load_articles(REPO_ROOT / "articles")
    assert problems == []
    assert articles
    for article in articles.values():
        assert article.headline
        assert article.published_from <= article.published_to
        assert article.date_reasoning or not article.date_inferred
        # An outlet is named only with the words of the text that identify it.
        assert article.outlet_evidence or not article.outlet


def test_fixture_metadata_loads():
    articles, problems = load_articles(FIXTURE_DATA / "articles")
    assert problems == []
    assert articles["valley-attack"].published_from == dt.date(2021, 9, 1)
    assert not articles["valley-attack"].date_inferred


def test_title_replaces_a_wrong_first_line_as_the_headline():
    articles, _ = load_articles(FIXTURE_DATA / "articles")
    talks = articles["kabul-talks"]
    assert talks.text.startswith("Pentagon reviews its year\n")  # the text stays verbatim
    assert talks.headline == "Talks in Kabul fail"
    assert articles["valley-attack"].headline == "Fighters hold the valley after night attack"


def test_boilerplate_lines_and_spans():
    articles, _ = load_articles(FIXTURE_DATA / "articles")
    attack = articles["valley-attack"]
    assert attack.boilerplate == ((5, 6),)
    assert attack.boilerplate_lines == frozenset({5, 6})
    ((start, end),) = attack.boilerplate_spans
    assert attack.text[start:end] == (
        "Fighters near Bazarak (Image: Agency)\nSign up to receive our newsletter"
    )


def test_a_bad_boilerplate_range_names_row_and_column(tmp_path):
    header = HEADER.strip() + ",title,boilerplate\n"
    (tmp_path / "articles.csv").write_text(
        header + "a,a.txt,,,,,yes,,,,,2-1;3\nb,b.txt,,,,,yes,,,,,9\n", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text("A\nline\nline\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("B\nline\n", encoding="utf-8")
    articles, problems = load_articles(tmp_path)
    assert articles["a"].boilerplate == ((3, 3),)  # the good range still applies
    assert articles["b"].boilerplate == ()
    found = {(p.row, p.column) for p in problems}
    assert found == {(2, "boilerplate"), (3, "boilerplate")}
    assert any("past the last line" in p.message for p in problems)


def test_shipped_articles_are_the_seed_texts_verbatim():
    seeds = REPO_ROOT.parent / "shared" / "seeds"
    articles, _ = load_articles(REPO_ROOT / "articles")
    import csv

    rows = list(csv.DictReader((REPO_ROOT / "articles" / "articles.csv").open(encoding="utf-8")))
    if not seeds.is_dir():  # only the CI and developer machines have shared/ beside the repo
        import pytest

        pytest.skip("no shared/seeds beside the repository")
    for row in rows:
        assert (REPO_ROOT / "articles" / row["file"]).read_bytes() == (
            seeds / row["seed_file"]
        ).read_bytes()


def test_a_text_file_without_metadata_still_loads_with_a_warning(tmp_path):
    articles, problems = write(tmp_path, [], {"new-story.txt": "Headline\nBody in Shotul."})
    assert articles["new-story"].headline == "Headline"
    assert articles["new-story"].published_from is None
    assert articles["new-story"].published_label == "date unknown"
    assert [p.severity for p in problems] == ["warning"]
    assert "new-story.txt has no row" in problems[0].message


def test_bad_metadata_rows_name_row_and_column(tmp_path):
    rows = [
        "good,good.txt,,,2021-09-02,2021-09-03,yes,,,\n",
        "bad-date,bad.txt,,,02/09/2021,,yes,,,\n",
        "missing,nothere.txt,,,,,yes,,,\n",
    ]
    articles, problems = write(tmp_path, rows, {"good.txt": "G\n", "bad.txt": "B\n"})
    assert "good" in articles
    messages = {(p.row, p.column): p.message for p in problems}
    assert "'02/09/2021' is not a date" in messages[(3, "published_from")]
    assert "does not exist" in messages[(4, "file")]


def test_published_label_reads_like_a_person_wrote_it():
    articles, _ = load_articles(FIXTURE_DATA / "articles")
    assert articles["kabul-talks"].published_label == "between 2 and 3 September 2021 (inferred)"
    assert articles["valley-attack"].published_label == "1 September 2021"
