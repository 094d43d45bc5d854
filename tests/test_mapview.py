"""What the browser receives for the map: places (not raw events), drawn honestly and escaped."""

import re

import pytest

from lib.data.dataset import REPO_ROOT, load_dataset
from lib.map.mapview import (
    base_map,
)
from lib.map.viewstate import ViewState, events_frame, filter_events, group_by_place

pytestmark = pytest.mark.unit

DATA = load_dataset(REPO_ROOT)
FRAME = events_frame(DATA.events.events, DATA.gazetteer)


def groups_on(day):
    return group_by_place(filter_events(FRAME, ViewState(end=day)))


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
