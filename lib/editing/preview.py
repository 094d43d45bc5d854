"""A small offline folium map to preview rows on before saving them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium

from lib.data.text import escape
from lib.map import mapview
from lib.map.offline import STREAMLIT_STATIC_ROUTE

# --- a small preview map -----------------------------------------------------------------------

_COLOURS = {
    "added": "#1a7f37",
    "changed": "#bf8700",
    "deleted": "#8c959f",
    "candidate": "#0969da",
    "draft": "#8250df",
    "approved": "#24292f",
}


@dataclass(frozen=True)
class PreviewMarker:
    """One point to preview. ``kind`` picks the colour: added, changed, deleted or candidate.

    ``label`` is short plain text (escaped when drawn) and ``detail`` longer text shown on hover;
    ``radius_km`` > 0 also draws the area of uncertainty; ``number`` is shown before the label
    so the editor can pick a candidate by number. ``dashed`` draws its outline dashed (a draft
    not yet published); ``permanent`` keeps its label on screen (None: only when the map has
    few markers).
    """

    lat: float
    lon: float
    label: str
    kind: str = "changed"
    radius_km: float = 0.0
    number: int | None = None
    detail: str = ""
    dashed: bool = False
    permanent: bool | None = None


#: Up to this many markers keep their label on screen; more would hide the map.
PERMANENT_LABELS_MAX = 8


def preview_map(
    markers: Sequence[PreviewMarker],
    *,
    base_url: str = STREAMLIT_STATIC_ROUTE,
    legend: str | None = None,
    fit: Sequence[PreviewMarker] | None = None,
) -> folium.Map:
    """An offline folium map of ``markers`` over the province outlines, zoomed to fit them (or
    the ones in ``fit``), drawn in order (the last on top); ``legend`` is the map's legend as
    trusted HTML (values escaped by the caller), or none."""
    framed = fit or markers
    lats = [m.lat for m in framed] or [34.5]
    lons = [m.lon for m in framed] or [69.2]
    # The dashboard's base map (outlines, province names, scale bar), without tiles: tile
    # servers may be unreachable, and the preview must look like the map it previews.
    fmap = mapview.base_map(
        tiles=False,
        static_url=base_url,
        center=(sum(lats) / len(lats), sum(lons) / len(lons)),
        zoom=8,
        legend=legend or False,
    )
    few = len(markers) <= PERMANENT_LABELS_MAX
    for m in markers:
        permanent = few if m.permanent is None else m.permanent
        colour = _COLOURS.get(m.kind, _COLOURS["changed"])
        if m.radius_km > 0:
            folium.Circle(
                [m.lat, m.lon],
                radius=m.radius_km * 1000,
                color=colour,
                weight=1,
                fill=True,
                fill_opacity=0.08,
                interactive=False,
            ).add_to(fmap)
        text = f"{m.number}. {m.label}" if m.number is not None else m.label
        if m.detail and not permanent:
            text = f"{text}: {m.detail}"
        folium.CircleMarker(
            [m.lat, m.lon],
            radius=9 if m.dashed else 5 if m.kind == "approved" else 7,
            color=colour,
            weight=2.5 if m.dashed else 3,
            dash_array="5 4" if m.dashed else None,
            fill=True,
            fill_opacity=0.25 if m.dashed else 0.9,
            tooltip=folium.Tooltip(escape(text), permanent=permanent),
        ).add_to(fmap)
    if len(framed) > 1:
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], max_zoom=10)
    return fmap
