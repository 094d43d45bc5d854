"""Publication-ready pages of the map: a fixed-size presentation and a standalone timeline.

Both are one self-contained HTML document (``lib.map.offline.inline_assets_html``): every script,
stylesheet and datum is inlined, so the file opens from disk with no server and no network
(unless map tiles are asked for). Both draw places with the time engine the live map uses
(``static/newsmap/engine.js``, fed ``lib.map.engine.engine_data``): the same markers, labels, edge
chips and counts for the same view, from one implementation.

- ``presentation_html``: the current view (dates, filters, selected place) at an exact pixel
  size, without the app's chrome: title, date caption, legend, map fitted to the places, scale
  bar and a credit line. ``lib.pictures.export.render_png`` photographs it in headless Chromium. The page
  sets ``window.newsmapExport.ready`` once the labels are placed (and tiles, when asked for,
  have loaded or failed); a screenshot taken earlier may miss labels. With ``animate=True``
  ``newsmapExport.showDay(iso)`` redraws any day of the view in place (lib.pictures.animation
  photographs each for GIF and MP4): the engine restyles its places, nothing is rebuilt.
  Its JavaScript is ``static/newsmap/presentation.js`` (and vector.js for SVG).
- ``standalone_html``: an interactive map with its own date slider and play button, for a
  newsroom CMS iframe.

Every string from the data reaches HTML escaped: through ``lib.data.text.escape`` here, or through
the engine's one escaper (``Newsmap.esc``) in the browser.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from lib.data import story
from lib.data.articles import Article
from lib.data.gazetteer import Place
from lib.data.mentions import Mention
from lib.data.schema import EVENT_TYPES, PIN_PRECISIONS
from lib.data.text import escape
from lib.map import engine, mapview, panel
from lib.map.offline import STATIC_DIR, inline_assets_html
from lib.map.viewstate import PlaceGroup, ViewState, filter_events, group_by_place
from lib.pictures.captions import and_list, filter_caption

#: The story's title (story.toml).
DEFAULT_TITLE = story.current().title
#: Places whose circle is wider than this do not steer the fit: a country-wide circle would
#: zoom the map out until the valley is a dot. Their label is kept inside the frame instead.
FIT_MAX_KM = 100.0
#: A place this far (km) from where most events are may be left out of the fit (``outliers``).
OUTLIER_MIN_KM = 150.0
#: Never zoom closer than this when fitting (a single pin would otherwise fill the frame).
FIT_MAX_ZOOM = 11
#: Most place labels in a picture (the rest keep their markers; a reader sees the counts).
LABEL_LIMIT = 60
#: Milliseconds per day when the standalone page plays.
PLAY_STEP_MS = 1000
#: Credits for the map's data (story.toml, [credits]; docs/data.md, "Data sources and licences").
BOUNDARY_CREDIT = story.current().credit_boundaries
GEONAMES_CREDIT = story.current().credit_places
OSM_CREDIT = story.current().credit_tiles


@dataclass(frozen=True)
class Size:
    """A page size in CSS pixels; a PNG has ``scale`` times as many device pixels."""

    width: int
    height: int

    @classmethod
    def parse(cls, text: str) -> Size:
        """``"1600x900"`` (also ``1600×900`` or ``1600X900``) -> Size(1600, 900)."""
        match = re.fullmatch(r"\s*(\d{2,5})\s*[x×X]\s*(\d{2,5})\s*", text)
        if not match:
            raise ValueError(f"{text!r} is not a size like 1600x900")
        width, height = int(match[1]), int(match[2])
        if not (200 <= width <= 8000 and 200 <= height <= 8000):
            raise ValueError(f"{text!r}: width and height must be between 200 and 8000 pixels")
        return cls(width, height)

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


#: Size presets, with what each is for.
PRESETS: dict[str, tuple[Size, str]] = {
    "1200x675": (Size(1200, 675), "16:9, social posts (X, Bluesky, Facebook link)"),
    "1600x900": (Size(1600, 900), "16:9, article body or lead image"),
    "1080x1080": (Size(1080, 1080), "1:1, square (Instagram, Facebook)"),
    "1080x1350": (Size(1080, 1350), "4:5, portrait (Instagram)"),
}
DEFAULT_PRESET = "1600x900"


# --- words ------------------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def date_caption(state: ViewState) -> str:
    """``"As of 2 September 2021"`` (cumulative) or ``"30 August – 4 September 2021"`` (window)."""
    start = state.first_day
    if start is None:
        return f"As of {_day(state.end)}"
    end = state.end
    if start == end:
        return _day(end)
    if start.year != end.year:
        return f"{_day(start)} – {_day(end)}"
    if start.month != end.month:
        return f"{start:%-d %B} – {_day(end)}"
    return f"{start:%-d}–{_day(end)}"


def sources_credit(article_ids: Iterable[str], articles: Mapping[str, Article]) -> str:
    """``"Sources: Express, Latin Times and 3 other articles"``; outlets only where known.

    Outlets are named only when the article's text identifies them (see articles.csv), so
    the others are counted, never guessed.
    """
    ids = sorted(set(article_ids))
    if not ids:
        return "Sources: none in these dates"
    outlets = sorted({articles[a].outlet for a in ids if a in articles and articles[a].outlet})
    unnamed = sum(1 for a in ids if a not in articles or not articles[a].outlet)
    if not outlets:
        return f"Sources: {unnamed} news article{'s' if unnamed != 1 else ''}"
    if not unnamed:
        return f"Sources: {and_list(outlets)}"
    other = "other article" if unnamed == 1 else "other articles"
    return f"Sources: {', '.join(outlets)} and {unnamed} {other}"


def map_credit(tiles: bool) -> str:
    """Attributions for what the map is drawn from; OpenStreetMap only when tiles are on."""
    parts = [BOUNDARY_CREDIT, GEONAMES_CREDIT] + ([OSM_CREDIT] if tiles else [])
    return "Map: " + "; ".join(parts)


def article_ids(frame: pd.DataFrame) -> list[str]:
    """Every article cited by the events in ``frame`` (not only the first of each event)."""
    # Each distinct cell split once (pandas.unique runs in Arrow): splitting every cell of
    # 100,000 took a fifth of a second.
    cells = pd.unique(frame["articles"])
    return sorted({a for cell in cells.tolist() for a in str(cell).split("; ") if a})


# --- geometry ---------------------------------------------------------------------------------


def _extent(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / 111.32
    dlon = km / (111.32 * max(math.cos(math.radians(lat)), 0.05))
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    a = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1))
        * math.cos(math.radians(lat2))
        * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def _weighted_median(values: list[float], weights: list[int]) -> float:
    pairs = sorted(zip(values, weights, strict=True))
    half, running = sum(weights) / 2, 0
    for value, weight in pairs:
        running += weight
        if running >= half:
            return value
    return pairs[-1][0]


def outliers(groups: Iterable[PlaceGroup], selected: str | None = None) -> set[str]:
    """Places far from where most events are, which the fit leaves out (shown at the edge).

    Far means more than ``OUTLIER_MIN_KM`` and more than four times the typical distance
    (event-weighted median) from the event-weighted median point. One statement from
    Islamabad should not shrink forty events in the Panjshir valley to a corner of the frame.
    The selected place is never an outlier.
    """
    groups = list(groups)
    if len(groups) < 3:
        return set()
    weights = [g.count for g in groups]
    lat = _weighted_median([g.lat for g in groups], weights)
    lon = _weighted_median([g.lon for g in groups], weights)
    distances = [_distance_km(lat, lon, g.lat, g.lon) for g in groups]
    typical = _weighted_median(distances, weights)
    limit = max(OUTLIER_MIN_KM, 4 * typical)
    return {
        g.place_id
        for g, d in zip(groups, distances, strict=True)
        if d > limit and g.place_id != selected
    }


def fit_bounds(
    groups: Iterable[PlaceGroup], selected: str | None = None
) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` that shows the places: pins and small areas whole.

    Left out unless the reader selected them: areas wider than ``FIT_MAX_KM`` (a whole
    country) and ``outliers``; the pages label those at the frame's edge instead. When that
    would leave nothing, every place counts. ``None`` when there is nothing to fit.
    """
    groups = list(groups)
    steering = [
        g
        for g in groups
        if g.precision in PIN_PRECISIONS or g.uncertainty_km <= FIT_MAX_KM or g.place_id == selected
    ] or groups
    far = outliers(steering, selected)
    steering = [g for g in steering if g.place_id not in far] or steering
    if not steering:
        return None
    boxes = [
        _extent(g.lat, g.lon, 0 if g.precision in PIN_PRECISIONS else g.uncertainty_km)
        for g in steering
    ]
    return [
        [round(min(b[0] for b in boxes), 5), round(min(b[1] for b in boxes), 5)],
        [round(max(b[2] for b in boxes), 5), round(max(b[3] for b in boxes), 5)],
    ]


# --- the page ---------------------------------------------------------------------------------


def _page_size_css(unit: float, size: Size) -> str:
    """The picture's own numbers for static/newsmap/picture.css: ``size`` pins the page to its
    pixels, ``unit`` scales every text."""
    return (
        f"<style>:root{{--nm-width:{size.width}px;--nm-height:{size.height}px;"
        f"--nm-u:{unit!r}}}</style>"
    )


class _Script(MacroElement):
    """Raw JavaScript run after the map and its earlier children exist."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}")

    def __init__(self, js: str) -> None:
        super().__init__()
        self._name = "Script"
        self.js = js


#: The pages' own JavaScript, in static/newsmap/ (linted as JavaScript, not kept in strings).
NEWSMAP_JS_DIR = STATIC_DIR / "newsmap"


def _map(tiles: bool, *, still: bool) -> folium.Map:
    m = mapview.base_map(tiles=tiles, static_url="static", legend=False)
    # The page carries its own credits, so Leaflet's attribution box would say it twice.
    # No fading: a label fading out for 200 ms would overlap the next day's while playing.
    m.options.update(attribution_control=False, zoom_snap=0.25, fade_animation=False)
    if still:
        m.options.update(zoom_control=False, zoom_animation=False, marker_zoom_animation=False)
    return m


# Scripts and stylesheets of folium's default page that these pages never use: jQuery,
# Bootstrap, Font Awesome and awesome-markers would add about 1 MB to every file.
_KEEP_ASSETS = ("vendor/leaflet-1.9.3/", "newsmap/")
_ASSET_TAG = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["'](?P<src>[^"']+)["'][^>]*>\s*</script\s*>"""
    r"""|<link\b[^>]*\bhref\s*=\s*["'](?P<href>[^"']+)["'][^>]*>""",
    re.IGNORECASE,
)
_ELEMENT_ID = re.compile(r"\b([a-z][a-z_]*?)_([0-9a-f]{32})(?![0-9a-f])")


def _finish(html: str, *, head: str, body_start: str, body_end: str, body_class: str) -> str:
    """Drop unused assets, add our parts, give elements stable names, inline everything."""
    html = _ASSET_TAG.sub(
        lambda m: m[0] if any(k in (m["src"] or m["href"] or "") for k in _KEEP_ASSETS) else "",
        html,
    )
    html = html.replace("</head>", head + "\n</head>", 1)
    html = html.replace("<body>", f'<body class="{body_class}">' + body_start, 1)
    html = html.replace("</body>", body_end + "\n</body>", 1)
    # folium names elements with random hex ids: number them instead, so the same input
    # gives the same file (and a diff of two exports shows only what changed).
    names: dict[str, str] = {}
    html = _ELEMENT_ID.sub(lambda m: f"{m[1]}_{names.setdefault(m[2], str(len(names) + 1))}", html)
    return inline_assets_html(html)


def view_days(frame: pd.DataFrame, state: ViewState) -> list[dt.date]:
    """The days an animation of the view steps through, oldest first, ending on ``state.end``.

    A window starts on its first day; a cumulative view on the first day with an event that
    passes the filters (or on its end, when there is none). Frame ``d`` shows the view as it
    stood at the end of day ``d``, so the last frame is the still picture of the view.
    """
    first = state.first_day
    if first is None:
        kept = filter_events(frame, state, ignore_dates=True)
        days = kept["day"][kept["day"] <= state.end.toordinal()]
        first = dt.date.fromordinal(int(days.min())) if not days.empty else state.end
    return [first + dt.timedelta(days=i) for i in range((state.end - first).days + 1)]


#: Where ``presentation_html`` puts its data once the page is rendered: a JSON script element,
#: which the browser parses as JSON (several times faster than a script literal of megabytes).
_CONFIG_SLOT = "null"
_CONFIG_ELEMENT = f"<script type='application/json' id='nm-config'>{_CONFIG_SLOT}</script>"


def _headlines(articles: Mapping[str, Article]) -> dict[str, str]:
    """Per article id, how a popup names it: ``Outlet: “Headline” (date)``."""
    out = {}
    for article_id, article in articles.items():
        outlet = f"{article.outlet}: " if article.outlet else ""
        out[article_id] = f"{outlet}“{article.headline}” ({article.published_label})"
    return out


def picture_data(
    visible: pd.DataFrame,
    state: ViewState,
    articles: Mapping[str, Article],
    *,
    popups: bool = True,
) -> dict:
    """The engine's data for a picture of ``state``: ``visible``, the view's events
    (``filter_events(frame, state)``), which are all an animation of it counts. Events after
    the view, or before a window, stay out: at 100,000 events they are most of the page.
    The filters are applied already, so the page never filters by article and its index of
    every event's articles stays out too. ``popups=False`` leaves out the text popups list
    (a photographed picture never opens one)."""
    first = state.first_day or (
        dt.date.fromordinal(int(visible["day"].min())) if not visible.empty else state.end
    )
    return engine.engine_data(
        visible,
        first=first,
        last=state.end,
        type_labels=mapview.TYPE_LABELS,
        colours=mapview.TYPE_COLOURS,
        headlines=_headlines(articles) if popups else None,
        popup_note="All events are in the CSV download.",
        info_max=engine.INFO_MAX if popups else 0,
        article_filter=False,
    )


#: The presentation page's scripts and styles, inlined from static/ (the engine as the live
#: map loads it, then the page's own).
PICTURE_JS_FILES = (*mapview.ENGINE_JS, "newsmap/vector.js", "newsmap/presentation.js")
PICTURE_CSS_FILES = (*mapview.ENGINE_CSS, "newsmap/picture.css")


def presentation_html(
    frame: pd.DataFrame,
    state: ViewState,
    articles: Mapping[str, Article],
    places: Mapping[str, Place] | None = None,
    *,
    size: Size = PRESETS[DEFAULT_PRESET][0],
    tiles: bool = False,
    title: str = DEFAULT_TITLE,
    animate: bool = False,
    description: str | None = None,
    popups: bool = True,
    groups: list[PlaceGroup] | None = None,
) -> str:
    """The view ``state`` of ``frame`` (all events, one row per event and place) as one page.

    The page is exactly ``size`` CSS pixels; text scales with the page's area so that every
    preset reads alike. ``places`` (the gazetteer's) names a selected place that has no events
    in the view. ``tiles`` adds OpenStreetMap tiles, which need the network; without them the
    map is the offline outline basemap. The places are drawn by the time engine in its still
    mode: the page holds the view's events once (``picture_data``) and opens on its last
    day; with ``animate`` every day of ``view_days`` can be shown in place with
    ``window.newsmapExport.showDay(iso)`` (map, legend and credits are those of the whole
    view, so they stay still from day to day). ``description`` is the page's alt text (its
    meta description), ``lib.pictures.alttext.alt_text`` of the view when not given. ``popups=False``
    leaves out the popups' texts, which a picture never shows. ``groups``, when the caller has
    them, are ``group_by_place`` of the view (saves grouping again).
    Returns self-contained HTML; the same arguments give the same bytes.
    """
    from lib.pictures.alttext import alt_text  # it builds on this module's captions

    places = places or {}
    days = view_days(frame, state) if animate else [state.end]
    visible = filter_events(frame, state)
    groups = group_by_place(visible) if groups is None else groups
    unit = math.sqrt(size.width * size.height) / 1000
    filters = filter_caption(state, articles)
    date = date_caption(state)
    # Named landmarks: in Screenshot mode's preview they sit beside Streamlit's own (unnamed)
    # banner, and axe asks landmarks of one role to differ by name.
    header = (
        "<header class='nm-head' aria-label='Title, dates and legend'>"
        f"<h1 class='nm-title'>{escape(title)}</h1>"
        f"<p class='nm-caption'><strong id='nm-date'>{escape(date)}</strong> · "
        "<span id='nm-counts'></span></p>"
        + (f"<p class='nm-filters'>{escape(filters)}</p>" if filters else "")
        + "<ul class='nm-key' id='nm-key' aria-label='Legend'></ul></header>"
    )
    footer = (
        "<footer class='nm-credits' aria-label='Sources and credits'>"
        f"<p>{escape(sources_credit(article_ids(visible), articles))}. "
        "Claims are shown as claimed; figures are unverified.</p>"
        f"<p>{escape(map_credit(tiles))}.</p></footer>"
    )
    m = _map(tiles, still=True)
    shown_types = set(visible["event_type"])
    selected = places.get(state.place) if state.place else None
    config = {
        "engine": picture_data(visible, state, articles, popups=popups),
        "view": {
            "mode": "window" if state.first_day else "cumulative",
            "start": 0,
            "place": state.place,
        },
        "days": {d.isoformat(): date_caption(replace(state, end=d)) for d in days},
        "start": state.end.isoformat(),
        "selectedName": selected.name if selected else state.place,
        "legendTypes": [i for i, t in enumerate(EVENT_TYPES) if t in shown_types],
        "bounds": fit_bounds(groups, state.place),
        # Room for labels, which sit right of pins and above areas, and for the scale bar.
        "padTopLeft": [round(30 * unit), round(44 * unit)],
        "padBottomRight": [round(150 * unit), round(40 * unit)],
        "maxZoom": FIT_MAX_ZOOM,
        "maxLabels": LABEL_LIMIT,
        "popups": popups,
    }
    # The data goes in after folium has rendered the page: branca re-parses every rendered
    # script as a Jinja template, which took seconds for megabytes of data and would read
    # "{{" in an event's text as template code. The scripts go in the head for the same
    # reason (compiling them as a template took a tenth of a second); only the call that
    # needs the map is one of the map's scripts.
    _Script(
        f"Newsmap.presentation({m.get_name()}, "
        "JSON.parse(document.getElementById('nm-config').textContent));"
    ).add_to(m)
    scripts = "\n".join(_static_text(f) for f in PICTURE_JS_FILES)
    if description is None:
        description = alt_text(frame, state, places, articles, title=title, groups=groups)
    css = "".join(_static_text(f) for f in PICTURE_CSS_FILES)
    page = _finish(
        m.get_root().render(),
        head=f"<title>{escape(title)}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta name='description' content='{escape(description)}'>"
        f"<style>{css}</style>" + _page_size_css(unit, size) + f"<script>{scripts}</script>",
        body_start=header,
        body_end=footer + _CONFIG_ELEMENT,
        body_class="nm nm-still",
    )
    # The picture downloads as HTML too ("This picture (HTML)"), opened on its own.
    page = _accessible_document(page, description, role="main")
    return page.replace(
        _CONFIG_ELEMENT, _CONFIG_ELEMENT.replace(_CONFIG_SLOT, engine.script_json(config)), 1
    )


# --- the standalone timeline ------------------------------------------------------------------


def standalone_data(frame: pd.DataFrame, state: ViewState, articles: Mapping[str, Article]) -> dict:
    """What the standalone page embeds: the engine's data and the timeline's configuration.

    ``frame`` is filtered by the state's type, claimant and article filters, not by its
    dates: the page has its own timeline. The engine data is ``lib.map.engine.engine_data``,
    exactly what the live dashboard's map receives for the same events.
    """
    kept = filter_events(frame, state, ignore_dates=True)
    first = min(kept["date"]) if not kept.empty else state.end
    last = max(kept["date"]) if not kept.empty else state.end
    sources = _headlines(articles)
    data = engine.engine_data(
        kept,
        first=first,
        last=last,
        type_labels=mapview.TYPE_LABELS,
        colours=mapview.TYPE_COLOURS,
        headlines=sources,
        popup_note="All events are in the CSV download.",
    )
    config = engine.timeline_config(
        kept,
        first=first,
        last=last,
        end=state.end,
        start=state.first_day,
        type_labels=mapview.TYPE_LABELS,
        colours=mapview.TYPE_COLOURS,
    )
    return {"engine": data, "timeline": config}


#: The standalone page's scripts and styles, inlined from static/ (the live map loads the same).
STANDALONE_JS_FILES = (
    *mapview.ENGINE_JS,
    "newsmap/timeline.js",
    "newsmap/panel.js",
    "newsmap/standalone.js",
)
#: edition.css styles the place panel (panel.js), as in the reader edition.
STANDALONE_CSS_FILES = (
    *mapview.ENGINE_CSS,
    "newsmap/timeline.css",
    "newsmap/edition.css",
    "newsmap/standalone.css",
)


def panel_places(
    frame: pd.DataFrame,
    state: ViewState,
    places: Mapping[str, Place],
    mentions: Mapping[str, list[Mention]],
    articles: Mapping[str, Article],
) -> dict[str, dict]:
    """The place panels' data the standalone page embeds: the places its view shows (its
    filters, any date of its timeline), each with its events, rival claims and every passage
    naming it (``lib.map.panel``, as the reader edition's place files). No other place."""
    kept = filter_events(frame, state, ignore_dates=True)
    first = min(kept["date"]) if not kept.empty else state.end
    return panel.places_data(frame, kept, places, mentions, articles, first)


def _static_text(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def standalone_html(
    frame: pd.DataFrame,
    state: ViewState,
    articles: Mapping[str, Article],
    *,
    tiles: bool = False,
    title: str = DEFAULT_TITLE,
    description: str = "",
    places: Mapping[str, dict] | None = None,
) -> str:
    """An interactive page with its own timeline and play button, to embed in an iframe.

    The same engine as the live map (``static/newsmap/``), with the same data for the same
    events, so both show the same markers and counts for the same dates and filters.
    ``frame`` is every event (one row per event and place); the state's filters apply and its
    dates are where the timeline starts. The page fills its frame (360x640 up to full
    screen): the map keeps at least half of it, the credits fold to one line. The map is
    fitted once to every place of the whole period, so it stays still while the dates
    change. ``description`` (an alt text) becomes the map's label. Returns self-contained
    HTML; the same arguments give the same bytes.

    ``places`` (``panel_places``) gives the page a place panel: a click, tap or Enter on a
    place shows its events in the view and every passage naming it, in place of a popup.
    """
    embedded = standalone_data(frame, state, articles)
    kept = filter_events(frame, state, ignore_dates=True)
    if not description:
        from lib.pictures.alttext import alt_text  # it builds on this module's captions

        description = alt_text(frame, state, None, articles, title=title)
    all_groups = group_by_place(kept)
    m = _map(tiles, still=False)
    m.options.update(attribution_control=False)
    js = "\n".join(_static_text(f) for f in STANDALONE_JS_FILES)
    call = (
        f"Newsmap.standalone({m.get_name()}, {engine.script_json(embedded['engine'])}, "
        f"{engine.script_json(embedded['timeline'])}, "
        f"{engine.script_json(_standalone_options(all_groups, state, places))});"
    )
    _Script(js + "\n" + call).add_to(m)
    filters = filter_caption(state, articles)
    label = description or f"{title}: interactive map of the events with a timeline"
    header = (
        "<header>"
        f"<h1 title='{escape(title)}'>{escape(title)}</h1>"
        + (f"<p class='nm-filters'>{escape(filters)}</p>" if filters else "")
        + "<div id='nm-timeline'></div></header><main>"
    )
    credits = f"{sources_credit(article_ids(kept), articles)}. {map_credit(tiles)}."
    aside = (
        "<aside id='nm-panel' class='nme-panel nm-panel' tabindex='-1' aria-label='Place panel' "
        "hidden></aside><p id='nm-status' class='nm-sr' role='status' aria-live='polite'></p>"
        if places
        else ""
    )
    footer = (
        f"{aside}</main><footer><details><summary>"
        f"{escape(map_credit(tiles))}. Sources and notes</summary>"
        f"<p>{escape(credits)}</p><p>Claims are shown as claimed; figures are unverified. "
        + (
            "Click, tap or press Enter on a place for its events, quotes, sources and every "
            "passage naming it."
            if places
            else "Click a place for the events, quotes and sources."
        )
        + "</p></details></footer>"
    )
    css = "".join(_static_text(f) for f in STANDALONE_CSS_FILES)
    html = _finish(
        m.get_root().render(),
        head=(
            f"<title>{escape(title)}</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<meta name='description' content='{escape(label)}'>"
            f"<style>{css}</style>"
        ),
        body_start=header,
        body_end=footer,
        body_class="nm-embed",
    )
    return _accessible_document(html, label, role="region")


def _standalone_options(
    groups: list[PlaceGroup], state: ViewState, places: Mapping[str, dict] | None
) -> dict:
    """``Newsmap.standalone``'s options: where the map opens and the place panels' data.

    Each place's ``headlines`` go into one table the page shares (standalone.js gives it back
    to every place): at 10,000 events the same headlines, repeated per place, were 1.9 MB."""
    headlines: dict[str, str] = {}
    panels = {}
    for place_id, record in (places or {}).items():
        headlines.update(record["headlines"])
        panels[place_id] = {k: v for k, v in record.items() if k != "headlines"}
    return {
        "bounds": fit_bounds(groups, state.place),
        "maxZoom": FIT_MAX_ZOOM,
        "place": state.place,
        "places": panels or None,
        "headlines": dict(sorted(headlines.items())),
    }


def _accessible_document(html: str, label: str, *, role: str) -> str:
    """A page that can be opened on its own: a language, zoom allowed, the map a landmark.

    folium's page has no ``lang`` and a viewport that forbids zooming (``maximum-scale=1,
    user-scalable=no``): readers must be able to zoom, so that meta goes and the caller's own
    (in ``head``) stays. The map's ``div`` gets ``role`` and ``label`` (the alt text).
    """
    html = html.replace("<html>", "<html lang='en'>", 1)
    html = re.sub(r'<meta name="viewport"[^>]*>', "", html, count=1)
    return html.replace(
        f'<div class="folium-map" id="{_map_id(html)}"',
        f'<div class="folium-map" id="{_map_id(html)}" role="{role}" aria-label="{escape(label)}"',
        1,
    )


def _map_id(html: str) -> str:
    match = re.search(r'<div class="folium-map" id="([^"]+)"', html)
    return match[1] if match else ""
