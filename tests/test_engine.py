"""The time engine's data (lib/map/engine.py): every day once, compact, and safe in a script."""

import datetime as dt
import json
from pathlib import Path

import pytest

from lib.data.dataset import load_dataset
from lib.data.schema import EVENT_TYPES
from lib.map import engine
from lib.map.mapview import TYPE_COLOURS, TYPE_LABELS
from lib.map.viewstate import ViewState, events_frame, filter_events, group_by_place

pytestmark = pytest.mark.unit

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "live_map"
DATA = load_dataset(FIXTURE)
FRAME = events_frame(DATA.events.events, DATA.gazetteer)
FIRST, LAST = dt.date(2021, 8, 20), dt.date(2021, 9, 3)


def payload(**kwargs):
    return engine.engine_data(
        FRAME, first=FIRST, last=LAST, type_labels=TYPE_LABELS, colours=TYPE_COLOURS, **kwargs
    )


def view_counts(data, end: int, start: int = 0) -> dict[str, int]:
    """What engine.js computes for a view, in Python: rows per place in [start, end]."""
    rows = data["rows"]
    out: dict[str, int] = {}
    for d, p in zip(rows["d"], rows["p"], strict=True):
        if start <= d <= end:
            place = data["places"][p][0]
            out[place] = out.get(place, 0) + 1
    return out


def test_rows_are_in_day_order_one_per_event_and_place():
    data = payload()
    assert data["rows"]["d"] == sorted(data["rows"]["d"])
    assert len(data["rows"]["d"]) == len(FRAME)  # E6 is at two places: two rows
    assert data["ndays"] == 15 and data["first"] == "2021-08-20"


def test_the_counts_it_implies_match_the_server_grouping_for_every_day():
    data = payload()
    for end in range(data["ndays"]):
        day = FIRST + dt.timedelta(days=end)
        groups = group_by_place(filter_events(FRAME, ViewState(end=day)))
        assert view_counts(data, end) == {g.place_id: g.count for g in groups}, day


def test_areas_are_drawn_before_pins_and_large_areas_first():
    places = payload()["places"]
    pins = [p[4] for p in places]
    assert pins == sorted(pins)  # all areas (0) before all pins (1)
    areas = [p[5] for p in places if not p[4]]
    assert areas == sorted(areas, reverse=True)


def test_contested_events_and_their_articles_are_coded():
    data = payload()
    ids = sorted(FRAME.drop_duplicates("event_id")["event_id"], key=lambda e: int(e[1:]))
    contested = dict(zip(ids, data["events"]["x"], strict=True))
    assert contested["E3"] == contested["E4"] == 1 and contested["E1"] == 0
    assert data["events"]["ao"][-1] == len(data["events"]["ai"]) == len(ids)
    assert data["articles"] == ["a1"]


def test_claimants_are_indexed_and_none_is_minus_one():
    data = payload()
    assert data["claimants"] == ["Side A", "Side B"]
    assert set(data["rows"]["c"]) == {-1, 0, 1}
    assert data["types"] == list(EVENT_TYPES)


def test_popup_text_is_left_out_above_the_limit():
    assert payload()["info"] is not None
    assert payload(info_max=3)["info"] is None


def test_script_json_cannot_close_the_script():
    text = engine.script_json({"a": "</script><script>alert(1)</script>", "b": "\u2028"})
    assert "</script" not in text and "<" not in text
    assert "\u2028" not in text


def test_a_right_to_left_override_in_a_place_name_does_not_reach_the_map():
    """Regression (issue 21): RLO characters in place names reached the map's labels."""
    text = engine.script_json({"name": "Shotul\u202eexe.txt", "other": "a\u2066b\u2069"})
    assert json.loads(text) == {"name": "Shotulexe.txt", "other": "ab"}


def test_per_day_counts_distinct_events_by_type():
    rows = engine.per_day(FRAME, FIRST)
    clash = (
        EVENT_TYPES.index("clash")
        if isinstance(EVENT_TYPES, list)
        else list(EVENT_TYPES).index("clash")
    )
    assert [13, clash, 1] in rows  # E6 on 2 Sep, at two places, counts once
    assert engine.first_event_day(FRAME, FIRST) == 0


def test_template_syntax_in_the_data_stays_text_regression_jinja_in_summaries():
    # folium/branca render scripts as Jinja: "{{ 7*7 }}" in a summary became "49" on the page.
    from lib.map import mapview
    from lib.pictures import presentation

    frame = FRAME.copy()
    frame.loc[frame.index[0], "summary"] = "Evil {{ 7*7 }} {% if 1 %}X{% endif %}"
    data = engine.engine_data(
        frame, first=FIRST, last=LAST, type_labels=TYPE_LABELS, colours=TYPE_COLOURS
    )
    page = mapview.live_map(data).get_root().render()
    assert "\\u007b{ 7*7 }}" in page and "\\u007b% if 1 %}X\\u007b% endif %}" in page
    html = presentation.standalone_html(frame, ViewState(end=LAST), DATA.articles)
    assert "\\u007b{ 7*7 }}" in html


def test_validated_data_is_cached_by_content(tmp_path, monkeypatch):
    """The first visitor after a restart reuses what was validated, until a file changes."""
    import shutil

    from ui import data as store

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    first = store._validated(root)
    assert len(list((tmp_path / "cache").rglob("dataset-*.pickle"))) == 1
    again = store._validated(root)
    assert [e.id for e in again.events.events] == [e.id for e in first.events.events]
    events = root / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("E7,", "E8,"), encoding="utf-8")
    changed = store._validated(root)
    assert "E8" in {e.id for e in changed.events.events}
    assert len(list((tmp_path / "cache").rglob("dataset-*.pickle"))) == 1


def test_live_map_loads_only_leaflet_and_the_engine_all_at_once():
    # folium.Map also brings jQuery, Bootstrap, Font Awesome and awesome-markers, which the
    # map never uses and streamlit-folium loaded one after another before the first paint.
    # What it needs, streamlit-folium gets as two scripts: boot.js, which asks for all of them
    # at once (run in order), and the last, which it runs after them.
    from lib.map import mapview
    from lib.map.offline import walk_elements

    data = engine.engine_data(
        FRAME, first=FIRST, last=LAST, type_labels=TYPE_LABELS, colours=TYPE_COLOURS
    )
    m = mapview.live_map(data)
    links = [url for node in walk_elements(m) for _, url in getattr(node, "default_js", [])]
    links += [url for node in walk_elements(m) for _, url in getattr(node, "default_css", [])]
    assert [u.split("?")[0] for u in links] == [
        "/app/static/newsmap/boot.js",
        "/app/static/newsmap/bridge.js",
    ]
    assets = mapview.boot_assets(m)
    assert assets[0] == "/app/static/vendor/leaflet-1.9.3/leaflet.js"
    scripts = [u for u in assets if u.endswith(".js")]
    engine_js = [f"/app/static/{path}" for path in mapview.ENGINE_JS]
    assert scripts == [scripts[0], "/app/static/newsmap/basemap.js", *engine_js]
    assert [u for u in assets if u.endswith(".css")] == [
        "/app/static/vendor/leaflet-1.9.3/leaflet.css",
        "/app/static/newsmap/engine.css",
    ]
    for unused in ("jquery", "bootstrap", "fontawesome", "awesome-markers", "awesome_markers"):
        assert not any(unused in u.lower() for u in [*links, *assets]), unused
    # The map's script loads nothing more itself: it finds everything loaded.
    page = m.get_root().render()
    assert "Newsmap.bridge(" in page and "createElement(" not in page
