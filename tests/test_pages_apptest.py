"""AppTest for the viewer pages: what a reader sees as they move the slider and filters."""

import datetime as dt
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from lib.dataset import REPO_ROOT
from tests.fixtures import FIXTURE_DATA

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


def dashboard(params=None):
    at = AppTest.from_file("../dashboard.py", default_timeout=30)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def table_ids(at):
    return set(at.dataframe[0].value["id"])


def map_places(at):
    """Place ids in the map's swappable layer, as sent to the browser."""
    import json
    import re

    (component,) = [
        e
        for e in at.main
        if getattr(e, "type", "") == "unknown" or "json_args" in dir(e.proto)
        if "feature_group" in getattr(e.proto, "json_args", "")
    ]
    args = json.loads(component.proto.json_args)
    return set(re.findall(r'"place_id": "([a-z0-9_]+)"', args["feature_group"]))


def test_default_view_shows_every_event(fixture_dir):
    at = dashboard()
    assert not at.exception
    assert table_ids(at) == {"F001", "F002", "F003", "F004", "F005"}
    assert "As of 1 September 2021" in at.markdown[0].value + "".join(m.value for m in at.markdown)


def test_query_parameters_set_dates_filters_and_place(data_dir):
    at = dashboard({"to": "2021-08-31", "type": "attack", "place": "shotul"})
    assert not at.exception
    assert at.slider(key="view.end").value == D(2021, 8, 31)
    assert at.multiselect(key="view.types").value == ["attack"]
    assert table_ids(at) == {"E004", "E007"}
    assert at.selectbox(key="view.place").value == "shotul"
    assert any("Every passage naming Shotul" in h.proto.body for h in at.html)


def test_moving_the_slider_changes_table_map_and_url(fixture_dir):
    at = dashboard()
    assert map_places(at) == {"bazarak", "shotul", "kabul", "panjshir_valley"}
    at.slider(key="view.end").set_value(D(2021, 8, 31)).run()
    assert table_ids(at) == {"F001", "F002", "F003"}
    assert map_places(at) == {"bazarak", "shotul"}
    assert at.query_params["to"] == "2021-08-31"


def test_window_mode_shows_only_the_window(fixture_dir):
    at = dashboard({"from": "2021-08-31", "to": "2021-08-31"})
    assert at.radio(key="view.mode").value == "window"
    assert table_ids(at) == {"F001", "F002", "F003"}
    at.slider(key="view.range").set_value((D(2021, 9, 1), D(2021, 9, 1))).run()
    assert table_ids(at) == {"F004", "F005"}
    assert at.query_params["from"] == "2021-09-01"


def test_filters_change_the_counts(data_dir):
    at = dashboard()
    at.multiselect(key="view.claimants").set_value(["Ahmad Massoud"]).run()
    assert table_ids(at) == {"E017", "E035"}
    at.multiselect(key="view.types").set_value(["denial"]).run()
    assert table_ids(at) == {"E035"}


def test_bad_link_parameters_are_explained(fixture_dir):
    at = dashboard({"to": "2030-01-01", "place": "atlantis"})
    warnings = " ".join(w.value for w in at.warning)
    assert "outside the data" in warnings and "atlantis" in warnings
    assert table_ids(at) == {"F001", "F002", "F003", "F004", "F005"}


def test_choosing_a_place_lists_contested_claims_side_by_side_and_every_passage(data_dir):
    at = dashboard()
    at.selectbox(key="view.place").set_value("shotul").run()
    html = "".join(h.proto.body for h in at.html)
    assert "side-by-side" in html  # E023 (NRF) against E022 (Taliban)
    assert "E022" in html and "E023" in html
    assert html.count("class='passage'") == 6  # every sentence naming Shotul in the corpus
    assert "<mark>Shotul</mark>" in html
    assert at.query_params["place"] == "shotul"


def test_a_hostile_summary_shows_as_text(data_dir):
    events = data_dir / "events.csv"
    text = events.read_text(encoding="utf-8")
    evil = "<img src=x onerror=alert(1)> [click](javascript:alert(2))"
    text = text.replace("Residents say the Taliban attacked the valley on two fronts", evil, 1)
    events.write_text(text, encoding="utf-8")
    at = dashboard({"place": "shotul"})
    html = "".join(h.proto.body for h in at.html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html and "href='javascript" not in html


def test_a_broken_row_is_reported_and_the_rest_still_shows(fixture_dir):
    events = fixture_dir / "events.csv"
    text = events.read_text(encoding="utf-8").replace(
        "F003,2021-08-31,approximate", "F003,2021-13-31,approximate", 1
    )
    events.write_text(text, encoding="utf-8")
    at = dashboard()
    assert table_ids(at) == {"F001", "F002", "F004", "F005"}
    assert "data problem" in at.expander[0].label


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
