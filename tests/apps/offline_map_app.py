"""Fixture app for tests/test_offline_browser.py: one offline folium map through st_folium.

Three CircleMarkers and one default Marker (the one that needs Leaflet's marker image), no
tiles, every asset from ./static under Streamlit's static route, base URL path included.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from lib.map.offline import offline_map, static_base_url

st.title("Offline map fixture")

m = offline_map(
    base_url=static_base_url(st.get_option("server.baseUrlPath")),
    location=[34.9, 69.6],
    zoom_start=8,
    tiles=None,  # tile servers are unreachable offline
    max_zoom=18,  # a map without tiles has no maximum zoom otherwise
)
for lat, lon in [(34.8, 69.2), (35.0, 69.6), (35.2, 70.0)]:
    folium.CircleMarker([lat, lon], radius=8, color="crimson", fill=True).add_to(m)
folium.Marker([34.6, 69.9], tooltip="default marker").add_to(m)

st_folium(m, height=400, width=700, returned_objects=[])
