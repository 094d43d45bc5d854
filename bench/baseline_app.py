"""The naive baseline for `bench.baseline`: what a first Streamlit + folium map usually looks like.

One ``folium.Marker`` (with tooltip and popup) per (event, place) row, the whole map rebuilt
and handed to ``st_folium`` on every run: no ``feature_group_to_add``, default
``returned_objects``, no ``key``. Same data (through ``ui.data``), same offline base map and
the same ``?to=`` parameter as the dashboard, so the comparison isolates how the map is built
and updated.
"""

import datetime as dt

import folium
import streamlit as st
from streamlit_folium import st_folium

from lib.data.text import escape
from lib.map import mapview
from lib.map.offline import static_base_url
from ui import data as store

st.set_page_config(page_title="Baseline map", layout="wide")
frame = store.frame()
first, last = min(frame["date"]), max(frame["date"])
try:
    start = dt.date.fromisoformat(st.query_params.get("to", ""))
except ValueError:
    start = last
end = st.slider(
    "Show events up to",
    first,
    last,
    value=min(max(start, first), last),
    step=dt.timedelta(days=1),
    format="D MMM YYYY",
)
visible = frame[frame["date"] <= end]
st.markdown(f"**As of {end:%-d %B %Y}**: {len(visible)} markers")

m = mapview.base_map(tiles=False, static_url=static_base_url(st.get_option("server.baseUrlPath")))
for row in visible.itertuples(index=False):
    folium.Marker(
        [row.lat, row.lon],
        tooltip=escape(row.place_name),
        popup=folium.Popup(f"<b>{escape(row.date)}</b> {escape(row.summary)}", max_width=300),
    ).add_to(m)
st_folium(m, height=640, use_container_width=True)
