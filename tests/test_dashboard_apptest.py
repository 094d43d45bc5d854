"""AppTest for the main screen on the fixture data: what the server sends for a view.

The live timeline, the place panel and the events table run in the browser
(tests/test_dashboard_browser.py, tests/test_reader_parity_browser.py); here the view arrives as
a link or as the timeline component's settled state, as Python sees it, and what the page draws
from what Python sent is drawn by the same JavaScript in node (tests/support/reader_js.py).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.support import reader_js
from ui import view

pytestmark = [pytest.mark.apptest, reader_js.needs_node]

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "live_map"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A private copy of the fixture, so a test may change it."""
    shutil.copytree(FIXTURE, tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def dashboard(params=None, *, painted=True):
    """The page's run for ``params``; ``painted``: as after the map's first paint (the browser's
    trigger, which draws the whole page), or a new session's first run (the map first)."""
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if painted:
        at.session_state[view.MAP_PAINTED] = True
    return at.run()


def bidi(at, key: str) -> dict:
    """The data Python sent the custom component whose key is ``key`` in this run."""
    for element in at.main:
        proto = getattr(element, "proto", None)
        if getattr(element, "type", "") == "bidi_component" and proto.id.endswith(key):
            return json.loads(proto.json or proto.mixed.json)
    raise AssertionError(f"no component {key!r} in the page")


def shown_view(at) -> dict:
    """The view the timeline shows after this run (what the map and the table filter by)."""
    sent = bidi(at, "view.timeline")
    config = sent["timeline"]
    return {
        "mode": config["mode"],
        "start": config["start"],
        "end": config["end"],
        **sent["filters"],
        "place": sent["place"],
    }


def table_ids(at) -> set[str]:
    """The events the page's table lists for this run's view (drawn by panel.js in node)."""
    from ui import data as store

    html = reader_js.run(store.engine_data(), shown_view(at), table=True)["table"]
    return set(reader_js.table_ids(html))


def panel_html(at) -> str:
    """The place panel the page draws for this run (panel.js in node), links included."""
    from ui import data as store

    sent = bidi(at, "view.panel")
    assert sent["panel"], f"no place data was sent for {sent['place']!r}"
    return reader_js.run(store.engine_data(), shown_view(at), place=sent["panel"], links=True)[
        "panel"
    ]


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


def drawn(at) -> set[str]:
    """What this run drew besides the map: widget and component keys, download labels."""
    keys = {getattr(e, "key", None) for e in [*at.main, *at.sidebar]}
    keys |= {
        e.proto.id.split("-")[-1] for e in at.main if getattr(e, "type", "") == "bidi_component"
    }
    keys |= {e.proto.label for e in at.get("download_button")}
    return {k for k in keys if k}


def test_the_first_run_draws_the_map_first_and_the_rest_after_it_painted(data_dir):
    at = dashboard({"place": "gamma"}, painted=False)
    assert not at.exception
    assert "Newsmap.bridge" in map_args(at)
    assert shown_view(at)["place"] == "gamma"  # the timeline, with the view for the map
    first = drawn(at)
    for later in ("view.types", "view.mode", "view.panel", "view.table", "view.shot"):
        assert later not in first, later
    assert not at.get("download_button")
    assert at.query_params["place"] == "gamma"  # the permalink is kept meanwhile
    # The map's first paint (the timeline's trigger "painted") asks for the whole page.
    at.session_state[view.MAP_PAINTED] = True
    at.run()
    rest = drawn(at)
    for later in ("view.types", "view.mode", "view.panel", "view.table", "view.shot"):
        assert later in rest, later
    assert at.get("download_button")
    assert bidi(at, "view.panel")["place"] == "gamma"
    assert map_args(at) == map_args(dashboard({"place": "gamma"}))  # the same iframe


def test_the_map_arguments_do_not_change_with_the_view(data_dir):
    first = map_args(dashboard({"to": "2021-08-25"}))
    second = map_args(dashboard({"to": "2021-09-02", "type": "clash", "place": "gamma"}))
    assert first == second  # so the browser keeps the iframe, its pan and its zoom


def test_query_parameters_set_dates_filters_and_place(data_dir):
    at = dashboard({"to": "2021-09-02", "type": "clash", "place": "gamma"})
    assert not at.exception
    assert at.multiselect(key="view.types").value == ["clash"]
    assert table_ids(at) == {"E1", "E6"}
    assert bidi(at, "view.panel")["place"] == "gamma"
    html = panel_html(at)
    assert ">Gamma</h2>" in html and "<b>1 event here</b>" in html


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
    html = panel_html(at)
    assert "nme-side" in html and "[E3]" in html and "[E4]" in html
    assert "<b>2 events here</b>" in html
    assert "rival claim" not in html  # both claims are at Gamma: nothing from elsewhere


def test_a_hostile_place_name_shows_as_text(data_dir):
    gazetteer = data_dir / "geodata" / "gazetteer.csv"
    evil = "Gamma <img src=x onerror=alert(1)> [x](http://evil.example/)"
    gazetteer.write_text(
        gazetteer.read_text(encoding="utf-8").replace("gamma,Gamma,", f'gamma,"{evil}",', 1),
        encoding="utf-8",
    )
    at = dashboard({"place": "gamma"})
    html = panel_html(at)
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
    html = panel_html(at)
    assert "Last changed by Alice &lt;Desk&gt; on " in html
    assert html.count("Last changed by") == 1  # only E4 was changed
