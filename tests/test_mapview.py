"""What the browser receives for the map: places (not raw events), drawn honestly and escaped."""

import datetime as dt
import json
import re

from lib.dataset import REPO_ROOT, load_dataset
from lib.mapview import (
    TYPE_COLOURS,
    base_map,
    event_lookup,
    place_features,
    popup_html,
)
from lib.timeline import PlaceGroup, ViewState, events_frame, filter_events, group_by_place

DATA = load_dataset(REPO_ROOT)
FRAME = events_frame(DATA.events.events, DATA.gazetteer)


def groups_on(day):
    return group_by_place(filter_events(FRAME, ViewState(end=day)))


def test_one_feature_per_place_with_the_count_in_its_label():
    groups = groups_on(dt.date(2021, 9, 4))
    features = place_features(groups, event_lookup(FRAME))["features"]
    assert len(features) == len(groups) == FRAME["place_id"].nunique()
    kabul = next(f for f in features if f["id"] == "kabul")
    assert kabul["properties"]["label"].startswith("Kabul · ")


def test_only_exact_places_are_pins_areas_get_their_uncertainty():
    features = {
        f["id"]: f["properties"] for f in place_features(groups_on(dt.date(2021, 9, 4)))["features"]
    }
    assert features["kabul"]["pin"] and features["khawak_pass"]["pin"]
    assert not features["shotul"]["pin"]  # approximate placement
    assert features["shotul"]["radius_m"] == 15000
    assert not features["panjshir_province"]["pin"]


def test_areas_are_drawn_before_pins_so_pins_stay_clickable():
    features = place_features(groups_on(dt.date(2021, 9, 4)))["features"]
    pins = [f["properties"]["pin"] for f in features]
    assert pins == sorted(pins)  # all areas (False) first
    radii = [f["properties"]["radius_m"] for f in features if not f["properties"]["pin"]]
    assert radii == sorted(radii, reverse=True)


def test_colour_follows_the_main_event_type():
    group = PlaceGroup(
        "x", "X", 35, 69, "town", 1, 3, (("denial", 2), ("clash", 1)), 0, ("a", "b", "c")
    )
    (feature,) = place_features([group])["features"]
    assert feature["properties"]["colour"] == TYPE_COLOURS["denial"]


def test_hostile_strings_are_escaped_in_labels_and_popups():
    evil = "<img src=x onerror=alert(1)>"
    group = PlaceGroup("x", evil, 35, 69, "town", 1, 1, (("clash", 1),), 0, ("E1",))
    events = {
        "E1": {
            "date": "2021-09-01",
            "event_type": "clash",
            "summary": evil,
            "claimant": evil,
            "status": "claimed",
            "contested_with": "",
        }
    }
    (feature,) = place_features([group], events)["features"]
    blob = json.dumps(feature)
    assert "<img" not in blob
    assert "&lt;img src=x onerror=alert(1)&gt;" in feature["properties"]["popup"]


def test_popup_lists_newest_events_and_says_how_many_more():
    groups = {g.place_id: g for g in groups_on(dt.date(2021, 9, 4))}
    valley = groups["panjshir_valley"]
    html = popup_html(valley, event_lookup(FRAME))
    assert html.count("<li>") == 5
    assert f"and {valley.count - 5} more" in html


def test_base_map_is_the_same_whatever_the_view_so_the_iframe_is_not_rebuilt():
    def script(m):
        html = m.get_root().render()
        return re.sub(r"_[0-9a-f]{32}", "_ID", html)  # folium's random element ids

    assert script(base_map()) == script(base_map())


def test_map_html_loads_nothing_from_a_cdn():
    m = base_map(tiles=False)
    html = m.get_root().render()
    assert not re.findall(r"""(?:src|href)=["']https?://""", html)
    assert "/app/static/vendor/leaflet-1.9.3/leaflet.js" in html
