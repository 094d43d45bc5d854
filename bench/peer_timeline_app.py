"""The folium-native peer for the drag-frame benchmark (issue 9, ``bench.peer``).

The best a folium user gets without writing a map engine: every event is one GeoJSON feature
(a MultiPoint over its places) in ``folium.plugins.Timeline``, and ``TimelineSlider`` filters
them in the browser while its range input is dragged, with no Streamlit rerun. A feature shows
from its day to the end of the period (cumulative, like the dashboard's default mode) as an SVG
circle marker, the cheapest thing Leaflet's GeoJSON layer draws per point short of a canvas.

Same data as the dashboard (``ui.data``, so ``DASHBOARD_DATA_DIR`` points it at a generated
set) and the same offline base map; the map is built once per data set and cached, so a rerun
costs Streamlit almost nothing and the measure is the browser's filtering.
"""

import datetime as dt

import streamlit as st
from folium.plugins import Timeline, TimelineSlider
from folium.utilities import JsCode
from streamlit_folium import st_folium

from lib.data.text import escape
from lib.map import mapview
from lib.map.offline import static_base_url
from ui import data as store

st.set_page_config(page_title="folium Timeline peer", layout="wide")

# A circle per point instead of Leaflet's default image marker: one SVG path each.
POINT = JsCode(
    "function (feature, latlng) {"
    " return L.circleMarker(latlng, {radius: 5, weight: 1, color: '#7a1f1f',"
    " fillColor: '#c0392b', fillOpacity: 0.7}); }"
)


def ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


@st.cache_resource(show_spinner=False, max_entries=2)
def features(stamp: str) -> tuple[dict, int, int, int]:
    frame = store.frame()
    first, last = min(frame["date"]), max(frame["date"])
    end = ms(last + dt.timedelta(days=1)) - 1
    out = []
    for event_id, rows in frame.groupby("event_id", sort=False):
        row = rows.iloc[0]
        out.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiPoint",
                    "coordinates": [
                        [lon, lat] for lat, lon in zip(rows["lat"], rows["lon"], strict=True)
                    ],
                },
                "properties": {
                    "id": escape(event_id),
                    "summary": escape(row["summary"]),
                    "start": ms(row["date"]),
                    "end": end,
                },
            }
        )
    return {"type": "FeatureCollection", "features": out}, ms(first), end, len(out)


data, start, end, count = features(store._stamp(store.data_dir()))
st.markdown(f"**folium Timeline peer**: {count:,} events, one feature each")
m = mapview.base_map(
    tiles=False,
    legend=False,  # it would sit on the slider, bottom left
    static_url=static_base_url(st.get_option("server.baseUrlPath")),
)
timeline = Timeline(data, point_to_layer=POINT).add_to(m)
TimelineSlider(
    auto_play=False,
    start=start,
    end=end,
    date_options="D MMM YYYY",
    enable_keyboard_controls=True,
    show_ticks=False,
    steps=(end - start) // 86_400_000 + 1,
).add_timelines(timeline).add_to(m)
st_folium(m, height=640, use_container_width=True, returned_objects=[], key="peer")
