"""The map: a constant base map plus the client-side time engine with every day's data.

The live map (``live_map``) is the base map (tiles, outlines, province names) and an
``EngineLayer``: ``static/newsmap/engine.js`` gets every event once (``lib.map.engine``) and
restyles its places for each view the timeline posts to it. Nothing about the view (dates,
filters, selected place) is in the map's arguments, so streamlit-folium keeps the same iframe
across reruns and the reader's pan and zoom survive everything.

The pictures (``lib.pictures.presentation``) draw with the same engine, so there is one drawing of
places, and one legend (``Newsmap.legendItems``) besides the static one here for maps without
events.

Places are drawn honestly: a place known to a point or a town centre is a pin (a dot with a
fixed pixel size); a district, valley, province, country or approximate placement is a circle
whose radius is the gazetteer's ``uncertainty_km``. Colour is the most frequent event type at
the place; the label carries the count; contested places get a dashed outline and a marked label.

Every string from the data reaches the map's HTML through ``lib.data.text.escape``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs, quote, unquote, urlsplit

import folium
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from lib.data import story
from lib.data.schema import EVENT_TYPES
from lib.data.text import escape
from lib.map.engine import script_json
from lib.map.offline import STATIC_DIR, STREAMLIT_STATIC_ROUTE, offline_map, walk_elements
from lib.places import boundaries

#: One colour per event type (Tableau 10, which stays distinguishable for most colour vision).
TYPE_COLOURS: dict[str, str] = {
    "clash": "#d62728",
    "attack": "#ff7f0e",
    "casualty_claim": "#8c564b",
    "territorial_claim": "#9467bd",
    "denial": "#1f77b4",
    "statement": "#7f7f7f",
    "negotiation": "#2ca02c",
    "political": "#17becf",
    "civilian_harm": "#e377c2",
    "preparation": "#bcbd22",
}
TYPE_LABELS: dict[str, str] = {t: t.replace("_", " ") for t in EVENT_TYPES}
assert set(TYPE_COLOURS) == set(EVENT_TYPES), "every event type needs a colour"

#: Where the map opens (story.toml, [region] map_centre and zoom).
DEFAULT_CENTER = story.current().map_centre
DEFAULT_ZOOM = story.current().zoom
MAX_ZOOM = 14
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
BOUNDARY_ATTRIBUTION = "Outlines: geoBoundaries 2007 (public domain)"

#: The map page's own styles (static/newsmap/map.css), inlined into its head.
CSS = f"<style>\n{(STATIC_DIR / 'newsmap' / 'map.css').read_text(encoding='utf-8')}</style>\n"


def legend_html(types: Iterable[str] = EVENT_TYPES) -> str:
    rows = "".join(
        f"<div><i style='background:{TYPE_COLOURS[t]}'></i>{escape(TYPE_LABELS[t])}</div>"
        for t in types
    )
    return (
        f"<b>Main event type at a place</b><div class='cols'>{rows}</div>"
        "<div class='cols' style='margin-top:3px'>"
        "<div><i style='background:#555'></i>exact place, town</div>"
        "<div><i class='area'></i>area (circle = uncertainty)</div>"
        "<div><i class='dashed'></i>contested claims ⚑</div>"
        "<div>label: place · events</div></div>"
    )


#: The time engine's scripts under static/, in load order: core.js, then one module per concern,
#: each adding its part to ``Newsmap`` (static/newsmap/engine.js says what each holds). The one
#: list: the live map (``LIVE_MAP_JS``), the pictures and the standalone export
#: (``lib.pictures.presentation``) and the reader edition (``lib.edition.publish``) load these.
ENGINE_JS = (
    "newsmap/core.js",
    "newsmap/engine-geometry.js",
    "newsmap/engine.js",
    "newsmap/engine-filter.js",
    "newsmap/engine-draw.js",
    "newsmap/engine-spread.js",
    "newsmap/engine-layout.js",
    "newsmap/engine-labels.js",
    "newsmap/engine-chips.js",
    "newsmap/engine-legend.js",
    "newsmap/engine-popups.js",
    "newsmap/engine-keys.js",
)
ENGINE_CSS = ("newsmap/engine.css",)
#: The live map's scripts: the engine, then its bridge to the app page's timeline (loaded all
#: at once with the map's other assets: ``_load_at_once``).
LIVE_MAP_JS = (*ENGINE_JS, "newsmap/bridge.js")


#: Of folium.Map's own assets, what the live map needs (see live_map).
LIVE_MAP_ASSETS = ("leaflet", "leaflet_css")


class RawScript(Element):
    """Script text that goes into the page as it is.

    branca compiles what a MacroElement's ``script`` macro rendered as a new Jinja template
    (``MacroElement.render``): with every day's data inside, that was 50 ms of the server's run
    at 10,000 events, and data that looked like a template changed.
    """

    _template = Template("{{ this.text }}")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class EngineLayer(JSCSSMixin, MacroElement):
    """Every place and event of the story, drawn by ``static/newsmap/engine.js``.

    ``data`` is ``lib.map.engine.engine_data(...)``; it goes into the page once, through
    ``script_json`` (cannot close the script). The engine waits for views from the timeline
    (``static/newsmap/bridge.js``) and sends clicks back; Python sends nothing per step.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        Newsmap.bridge({{ this._parent.get_name() }}, {{ this.data_json }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict | str, static_url: str = STREAMLIT_STATIC_ROUTE) -> None:
        super().__init__()
        self._name = "EngineLayer"
        # A str is ``script_json(data)`` already (the app caches it: 4 MB at 100,000 events).
        self.data_json = data if isinstance(data, str) else script_json(data)
        base = static_url.rstrip("/")
        self.default_js = [(path.split("/")[-1], f"{base}/{path}") for path in LIVE_MAP_JS]
        self.default_css = [(path.split("/")[-1], f"{base}/{path}") for path in ENGINE_CSS]

    def render(self, **kwargs) -> None:
        """As JSCSSMixin and MacroElement render, with the script as `RawScript`.

        (streamlit-folium takes the script from the macro itself, not from the figure.)
        """
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(RawScript(script), name=self.get_name())


def live_map(
    data: dict | str,
    *,
    tiles: bool = False,
    static_url: str = STREAMLIT_STATIC_ROUTE,
    center: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
) -> folium.Map:
    """The dashboard's map: the base map and the engine with ``data`` (every day, every place;
    or its ``script_json``). The same ``data`` gives the same page, so reruns do not rebuild
    the map.
    """
    m = base_map(tiles=tiles, static_url=static_url, center=center, zoom=zoom, legend=False)
    EngineLayer(data, static_url).add_to(m)
    # folium.Map also loads jQuery, Bootstrap, Font Awesome and awesome-markers, which nothing
    # on this map uses; streamlit-folium loads them one after another before the map can draw.
    m.default_js = [(name, url) for name, url in m.default_js if name in LIVE_MAP_ASSETS]
    m.default_css = [(name, url) for name, url in m.default_css if name in LIVE_MAP_ASSETS]
    _load_at_once(m, static_url)
    return m


def _load_at_once(m: folium.Map, static_url: str) -> None:
    """Every script and stylesheet of the map asked for at once, not one after another.

    streamlit-folium collects each element's ``default_js`` (in tree order) and loads them one
    after another, waiting for each; Leaflet, the base map's script, then the engine's took
    four round trips before the map could draw. Here the map's only ``default_js`` are
    ``static/newsmap/boot.js``, which asks for all of them at once (run in order), and the
    last script, which streamlit-folium adds after boot.js ran, so it runs after all of them.
    """
    scripts: list[str] = []
    styles: list[str] = []
    for node in walk_elements(m):
        if not isinstance(node, JSCSSMixin):
            continue
        scripts += [url for _, url in node.default_js]
        styles += [url for _, url in node.default_css]
        node.default_js, node.default_css = [], []
    *first, last = dict.fromkeys(scripts)
    assets = ",".join(quote(url, safe="/:") for url in [*first, *dict.fromkeys(styles)])
    boot = f"{static_url.rstrip('/')}/newsmap/boot.js?load={quote(assets, safe='/:,')}"
    m.default_js = [("boot.js", boot), (last.rsplit("/", 1)[-1], last)]


def boot_assets(m: folium.Map) -> list[str]:
    """What the map's boot.js loads (its ``load`` parameter), in order: for tests and checks."""
    boot = next(url for _, url in m.default_js if "/newsmap/boot.js?" in url)
    return [unquote(url) for url in parse_qs(urlsplit(boot).query)["load"][0].split(",")]


def base_map(
    *,
    tiles: bool = True,
    static_url: str = STREAMLIT_STATIC_ROUTE,
    center: tuple[float, float] = DEFAULT_CENTER,
    zoom: int = DEFAULT_ZOOM,
    legend: bool | str = True,
) -> folium.Map:
    """The map without events: same output for the same arguments (no view state in it).

    ``legend``: True for the event types' legend (`legend_html`), False for none, or a map's
    own legend as trusted HTML (built with ``escape``, like `legend_html`).

    ``tiles``: OpenStreetMap tiles when online; they simply fail offline, where the outline
    layer below keeps the map readable.
    """
    m = offline_map(
        base_url=static_url,
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        max_zoom=MAX_ZOOM,
        min_zoom=4,
        control_scale=False,  # added top left below, clear of the attribution
        prefer_canvas=False,
    )
    m.get_root().header.add_child(Element(CSS))
    if tiles:
        folium.TileLayer(
            OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=MAX_ZOOM
        ).add_to(m)
    folium.GeoJson(
        boundaries.simplified(),
        name="Provinces",
        style_function=lambda _: {
            "color": "#7a7a7a",
            "weight": 1,
            "fillColor": "#f4efe4",
            "fillOpacity": 0.55,
        },
        interactive=False,
        attribution=BOUNDARY_ATTRIBUTION,
        tooltip=None,
    ).add_to(m)
    shown = legend if isinstance(legend, str) else legend_html() if legend else None
    BaseMapScript(_province_labels(), shown, static_url).add_to(m)
    return m


def _province_labels() -> list[tuple[str, float, float]]:
    out = []
    for feature in boundaries.load(boundaries.ADM1_FILE)["features"]:
        lat, lon, _ = boundaries.centroid_and_area(feature["geometry"])
        out.append((feature["properties"]["shapeName"], round(lat, 4), round(lon, 4)))
    return out


class BaseMapScript(JSCSSMixin, MacroElement):
    """The furniture every map has, drawn by ``static/newsmap/basemap.js``: focus without
    scrolling the page, the scale bar, province names, and the static legend if given.

    ``labels``: ``[name, lat, lon]`` per province (names escaped here); ``legend``: trusted
    HTML from `legend_html`, or ``None``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        Newsmap.baseMap({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        labels: list[tuple[str, float, float]],
        legend: str | None,
        static_url: str = STREAMLIT_STATIC_ROUTE,
    ) -> None:
        super().__init__()
        self._name = "BaseMapScript"
        self.options_json = script_json(
            {"labels": [[escape(n), lat, lon] for n, lat, lon in labels], "legend": legend}
        )
        self.default_js = [("basemap.js", f"{static_url.rstrip('/')}/newsmap/basemap.js")]
