"""AppTest for the Articles page (the main screen: tests/test_dashboard_apptest.py)."""

import datetime as dt
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from lib.data.dataset import REPO_ROOT
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.apptest

D = dt.date


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A private copy of the data, so a test may change it."""
    shutil.copytree(REPO_ROOT / "articles", tmp_path / "articles")
    shutil.copytree(REPO_ROOT / "geodata", tmp_path / "geodata")
    shutil.copy(REPO_ROOT / "events.csv", tmp_path / "events.csv")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def fixture_dir(tmp_path, monkeypatch):
    """A private copy of the small fixture data set, for tests that count what is shown."""
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_articles_page_highlights_mentions_and_links_them_to_the_map(data_dir):
    at = AppTest.from_file("../pages/1_Articles.py", default_timeout=30)
    at.query_params["article"] = "rebels-clash-last-region"
    at.query_params["place"] = "shotul"
    at.run()
    assert not at.exception
    body = "".join(h.proto.body for h in at.html)
    assert "<a id='m" in body and "href='./?place=shotul'" in body
    assert "<mark>Jabul-Saraj</mark>" in body
    assert "class='mention focus'" in body
    assert "Sign up to receive" not in body  # not in this article anyway; see next test


def test_articles_page_can_hide_page_furniture(data_dir):
    at = AppTest.from_file("../pages/1_Articles.py", default_timeout=30)
    at.query_params["article"] = "rebels-final-stand"
    at.run()
    assert "Sign up to receive" not in "".join(h.proto.body for h in at.html)
    at.toggle[0].set_value(False).run()
    assert "Sign up to receive" in "".join(h.proto.body for h in at.html)


def test_articles_page_lists_an_undated_article_dropped_into_the_folder(data_dir):
    (data_dir / "articles" / "wire-copy.txt").write_text(
        "Wire copy\nFighting was reported near Bazarak.", encoding="utf-8"
    )
    at = AppTest.from_file("../pages/1_Articles.py", default_timeout=30)
    at.query_params["article"] = "wire-copy"
    at.run()
    assert not at.exception
    assert at.selectbox[0].value == "wire-copy"
    assert at.selectbox[0].options[-1].startswith("Wire copy (date unknown)")
    assert "<mark>Bazarak</mark>" in "".join(h.proto.body for h in at.html)


def test_articles_page_heading_is_the_editors_title_when_set(fixture_dir):
    """Regression (issue 22): the heading was the text's first line, another story's headline."""
    at = AppTest.from_file("../pages/1_Articles.py", default_timeout=30)
    at.query_params["article"] = "kabul-talks"
    at.run()
    assert not at.exception
    body = "".join(h.proto.body for h in at.html)
    assert "<h2 class='headline'>Talks in Kabul fail</h2>" in body
    assert "<h2 class='headline'>Pentagon" not in body
    # An article without a title keeps its first line as the heading.
    at.selectbox[0].set_value("valley-attack").run()
    body = "".join(h.proto.body for h in at.html)
    assert "<h2 class='headline'>Fighters hold the valley after night attack</h2>" in body
