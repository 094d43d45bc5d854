"""AppTest for the main screen on the fixture data: what the server renders for a view.

The live timeline itself runs in the browser (tests/test_dashboard_browser.py); here the view
arrives as a link or as the timeline component's settled state, as Python sees it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.apptest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "live_map"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A private copy of the fixture, so a test may change it."""
    shutil.copytree(FIXTURE, tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def dashboard(params=None):
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def table_ids(at):
    return set(at.dataframe[0].value["id"])


def components(at):
    return [e for e in at.main if "json_args" in dir(getattr(e, "proto", None))]


def map_args(at) -> str:
    (component,) = [e for e in components(at) if "Newsmap.bridge" in e.proto.json_args]
    return component.proto.json_args


def test_default_view_shows_every_event_and_sends_every_day_once(data_dir):
    at = dashboard()
    assert not at.exception
    assert table_ids(at) == {f"E{i}" for i in range(1, 8)}
    args = map_args(at)
    # Every place is in the map's data, whatever the dates: the browser filters.
    for place in ("alpha", "beta", "gamma", "farland", "wideland"):
        assert f'\\"{place}\\"' in args or f'"{place}"' in args
    assert at.query_params["to"] == "2021-09-03"


def test_the_map_arguments_do_not_change_with_the_view(data_dir):
    first = map_args(dashboard({"to": "2021-08-25"}))
    second = map_args(dashboard({"to": "2021-09-02", "type": "clash", "place": "gamma"}))
    assert first == second  # so the browser keeps the iframe, its pan and its zoom


def test_query_parameters_set_dates_filters_and_place(data_dir):
    at = dashboard({"to": "2021-09-02", "type": "clash", "place": "gamma"})
    assert not at.exception
    assert at.multiselect(key="view.types").value == ["clash"]
    assert table_ids(at) == {"E1", "E6"}
    assert at.selectbox(key="view.place").value == "gamma"
    html = "".join(h.proto.body for h in at.html)
    assert "<h2>Gamma</h2>" in html and "1 event here in the selected dates" in html


def test_a_settled_scrub_updates_table_and_url(data_dir):
    at = dashboard()
    at.session_state["view.end"] = dt.date(2021, 8, 25)
    at.run()
    assert table_ids(at) == {"E1", "E2"}
    assert at.query_params["to"] == "2021-08-25"


def test_window_mode_shows_only_the_window(data_dir):
    at = dashboard({"from": "2021-08-30", "to": "2021-09-01"})
    assert at.radio(key="view.mode").value == "window"
    assert table_ids(at) == {"E3", "E4", "E5"}
    assert at.query_params["from"] == "2021-08-30"


def test_filters_change_the_counts(data_dir):
    at = dashboard()
    at.multiselect(key="view.claimants").set_value(["Side B"]).run()
    assert table_ids(at) == {"E4"}


def test_bad_link_parameters_are_explained_as_text(data_dir):
    at = dashboard({"to": "2030-01-01", "place": "[atlantis](http://evil.example/)"})
    html = "".join(h.proto.body for h in at.html)
    assert "outside the data" in html and "[atlantis](http://evil.example/)" in html
    assert "<a " not in html.split("nm-note", 1)[1].split("</div>", 1)[0]
    assert len(table_ids(at)) == 7


def test_contested_claims_side_by_side_and_the_count_matches_the_cards(data_dir):
    at = dashboard({"place": "gamma", "to": "2021-08-30"})
    html = "".join(h.proto.body for h in at.html)
    assert "side-by-side" in html and "E3" in html and "E4" in html
    assert "2 events here in the selected dates" in html
    assert "rival claim" not in html  # both claims are at Gamma: nothing from elsewhere


def test_a_hostile_place_name_shows_as_text(data_dir):
    gazetteer = data_dir / "geodata" / "gazetteer.csv"
    evil = "Gamma <img src=x onerror=alert(1)> [x](http://evil.example/)"
    gazetteer.write_text(
        gazetteer.read_text(encoding="utf-8").replace("gamma,Gamma,", f'gamma,"{evil}",', 1),
        encoding="utf-8",
    )
    at = dashboard({"place": "gamma"})
    html = "".join(h.proto.body for h in at.html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html


def test_a_broken_row_is_reported_and_the_rest_still_shows(data_dir):
    events = data_dir / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("E2,2021-08-25", "E2,2021-13-25", 1),
        encoding="utf-8",
    )
    at = dashboard()
    assert table_ids(at) == {"E1", "E3", "E4", "E5", "E6", "E7"}
    assert "data problem" in at.expander[0].label


def test_the_panel_says_who_changed_an_event_last(data_dir):
    from lib.editing import history

    events = data_dir / "events.csv"
    old = events.read_bytes()
    new = old.replace(b"Side B denies losses.", b"Side B denies any losses.")
    events.write_bytes(new)
    history.record(data_dir, "events.csv", old, new, who="alice", who_label="Alice <Desk>")
    at = dashboard({"place": "gamma", "to": "2021-08-30"})
    html = "".join(h.proto.body for h in at.html)
    assert "Last changed by Alice &lt;Desk&gt; on " in html
    assert html.count("Last changed by") == 1  # only E4 was changed


def test_passage_links_keep_every_view_parameter(data_dir):
    """Regression (issue 22): "Every passage naming X" linked to the article with the place only,
    so "Back to the map" opened on the last day with every event."""
    view = {
        "from": "2021-08-25",
        "to": "2021-09-02",
        "mode": "window",
        "place": "gamma",
        "type": "casualty_claim,denial",
    }
    at = dashboard(view)
    html = "".join(h.proto.body for h in at.html)
    section = html.split("Every passage naming Gamma", 1)[1]
    hrefs = re.findall(r"href='([^']*Articles[^']*)'", section)
    assert hrefs, "no passage links"
    for href in hrefs:
        query = parse_qs(urlsplit(unescape(href)).query)
        assert {k: v[0] for k, v in query.items() if k != "article"} == view
