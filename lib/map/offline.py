"""Make folium maps work with no network: its Leaflet assets come from ``static/vendor/``.

folium 0.20 points every map at CDNs (jsdelivr, cdnjs, code.jquery.com). Offline the map stays
blank: streamlit-folium loads the scripts one at a time and silently gives up at the first one
that fails, which is Leaflet itself. This module

- maps each CDN URL folium (core and MarkerCluster) emits to its vendored copy (`LOCAL_ASSETS`),
- rewrites folium's element classes to use those copies (`use_local_assets`),
- builds maps that also find Leaflet's default marker image and refuse to render with an asset
  that would still need the network (`offline_map`),
- turns a rendered map page into one self-contained HTML file (`inline_assets_html`).

URLs are served by Streamlit's static route: with ``server.enableStaticServing = true`` the folder
``static/`` next to the *main script* (not the working directory) is served at ``/app/static``,
and under ``server.baseUrlPath = "news"`` at ``/news/app/static`` (see `static_base_url`).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import folium
import folium.plugins
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"

# Streamlit serves ./static (next to the main script) here when server.enableStaticServing is on.
STREAMLIT_STATIC_ROUTE = "/app/static"

LEAFLET_JS = "vendor/leaflet-1.9.3/leaflet.js"
LEAFLET_IMAGES = "vendor/leaflet-1.9.3/images/"

# Every CDN URL that folium 0.20's Map and plugins.MarkerCluster / FastMarkerCluster emit,
# mapped to the vendored file, relative to static/. static/vendor/README.md lists the packages.
LOCAL_ASSETS: dict[str, str] = {
    # folium.Map: JS
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": LEAFLET_JS,
    "https://code.jquery.com/jquery-3.7.1.min.js": "vendor/jquery-3.7.1/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "vendor/bootstrap-5.2.2/js/bootstrap.bundle.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
        "vendor/drmonty-leaflet-awesome-markers-2.0.2/js/leaflet.awesome-markers.js"
    ),
    # folium.Map: CSS
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "vendor/leaflet-1.9.3/leaflet.css",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "vendor/bootstrap-5.2.2/css/bootstrap.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "vendor/fontawesome-free-6.2.0/css/all.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
        "vendor/drmonty-leaflet-awesome-markers-2.0.2/css/leaflet.awesome-markers.css"
    ),
    # folium.plugins.MarkerCluster (FastMarkerCluster inherits them)
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "vendor/leaflet.markercluster-1.1.0/leaflet.markercluster.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        "vendor/leaflet.markercluster-1.1.0/MarkerCluster.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
        "vendor/leaflet.markercluster-1.1.0/MarkerCluster.Default.css"
    ),
    # folium.plugins.Timeline + TimelineSlider (bench/peer_timeline_app.py). jsDelivr minifies
    # on the fly: the package ships only dist/leaflet.timeline.js, already minified.
    "https://cdn.jsdelivr.net/npm/leaflet.timeline@1.6.0/dist/leaflet.timeline.min.js": (
        "vendor/leaflet.timeline-1.6.0/leaflet.timeline.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": (
        "vendor/moment-2.18.1/moment.min.js"
    ),
}

# Stylesheets folium.Map links that no package registry carries. `use_local_assets` drops them:
# offline they would only produce a failed request and a console error on every page.
OMITTED_ASSETS: dict[str, str] = {
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        "Bootstrap 3 glyphicons. folium.Icon's default prefix is 'glyphicon', so a default "
        "folium.Icon draws its coloured pin without the glyph; use prefix='fa' and a Font "
        "Awesome 6.2 icon name instead."
    ),
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": (
        "folium's rotation classes for folium.Icon(angle=...); only non-zero angles need it."
    ),
}

_EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)

# Each class's own default_js / default_css as folium defined them, recorded before the first
# rewrite, so that calling use_local_assets again (even with another base_url) starts from them.
_ORIGINAL_ASSETS: dict[type, dict[str, list[tuple[str, str]]]] = {}


class UnvendoredAssetError(RuntimeError):
    """A map element needs a script or stylesheet from the network that is not vendored."""


def static_base_url(base_url_path: str = "") -> str:
    """URL path under which Streamlit serves ``static/``, for a ``server.baseUrlPath`` value.

    ``""`` gives ``"/app/static"``; ``"news"`` or ``"/news/"`` gives ``"/news/app/static"``.
    """
    prefix = base_url_path.strip("/")
    return f"/{prefix}{STREAMLIT_STATIC_ROUTE}" if prefix else STREAMLIT_STATIC_ROUTE


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def asset_classes() -> list[type]:
    """Every loaded element class that declares its own ``default_js`` or ``default_css``.

    Found by walking the subclasses of branca's MacroElement, so plugins folium adds in a
    later release are covered too. Importing this module imports ``folium.plugins``, which
    defines all of folium's plugin classes.
    """
    found = dict.fromkeys(
        cls
        for cls in _subclasses(MacroElement)
        if "default_js" in vars(cls) or "default_css" in vars(cls)
    )
    return list(found)


def use_local_assets(base_url: str = STREAMLIT_STATIC_ROUTE) -> None:
    """Point every folium element class's CDN assets at ``f"{base_url}/{LOCAL_ASSETS[url]}"``.

    ``base_url`` is the URL path of ``static/``: ``"/app/static"`` is Streamlit's static route;
    pass ``static_base_url(st.get_option("server.baseUrlPath"))`` so that a base path ``"news"``
    gives ``"/news/app/static"``.

    This changes class attributes, so it affects every map in the process, including maps
    created before the call. Calling it again is harmless and re-bases the URLs.
    URLs in `OMITTED_ASSETS` are removed. Classes that need an asset which is not vendored
    (folium.plugins.Draw, for one) keep their CDN URL: `offline_map` raises
    `UnvendoredAssetError` naming it when such an element is rendered, instead of this
    function refusing to run because of plugins the app never uses.
    """
    base = base_url.rstrip("/")
    for cls in asset_classes():
        original = _ORIGINAL_ASSETS.setdefault(
            cls,
            {
                attr: list(vars(cls)[attr])
                for attr in ("default_js", "default_css")
                if attr in vars(cls)
            },
        )
        for attr, links in original.items():
            rewritten = [
                (name, f"{base}/{LOCAL_ASSETS[url]}" if url in LOCAL_ASSETS else url)
                for name, url in links
                if url not in OMITTED_ASSETS
            ]
            setattr(cls, attr, rewritten)


def walk_elements(element: Element) -> Iterator[Element]:
    """``element`` and everything under it, in the order streamlit-folium collects assets."""
    yield element
    for child in element._children.values():
        yield from walk_elements(child)


def external_assets(element: Element) -> list[tuple[str, str]]:
    """``(element class, URL)`` for each script or stylesheet under ``element`` that needs the network.

    Looks at the same things streamlit-folium collects: the ``default_js`` / ``default_css``
    of every JSCSSMixin in the tree, plus the two d3 CDN scripts streamlit-folium adds by
    hand for any branca colormap (no class attribute to rewrite there).
    """
    found: list[tuple[str, str]] = []
    for node in walk_elements(element):
        who = f"{type(node).__module__}.{type(node).__qualname__}"
        if isinstance(node, branca.colormap.ColorMap):
            found.append((who, "https://d3js.org/d3.v4.min.js"))
            found.append((who, "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"))
        if isinstance(node, JSCSSMixin):
            links = [*getattr(node, "default_js", []), *getattr(node, "default_css", [])]
            found.extend((who, url) for _, url in links if _EXTERNAL.match(url))
    return list(dict.fromkeys(found))


def check_offline(element: Element) -> None:
    """Raise `UnvendoredAssetError` naming each network asset `external_assets` finds."""
    missing = external_assets(element)
    if missing:
        lines = "\n".join(f"  {who}: {url}" for who, url in missing)
        raise UnvendoredAssetError(
            "These map assets would be fetched from the network, which fails offline:\n"
            f"{lines}\n"
            "Vendor them under static/vendor/ (see static/vendor/README.md) and add them to "
            "lib.map.offline.LOCAL_ASSETS, or leave the element off the map. If the URL is one "
            "LOCAL_ASSETS already lists, call use_local_assets() before rendering."
        )


class DefaultIconPath(MacroElement):
    """Sets ``L.Icon.Default.imagePath`` so Leaflet's default marker finds its PNGs.

    Leaflet otherwise guesses the path from leaflet.css. streamlit-folium adds the CSS only
    after its scripts have loaded, so when the map script runs the CSS has not applied yet and
    Leaflet 1.9.3 falls back to the <link>'s folder without "/images/": it requests
    ``.../leaflet-1.9.3marker-icon.png`` and gets a 404 (seen in Chromium).
    This is a *script* (not a header ``<script>``): streamlit-folium only executes elements'
    ``script`` macros; header HTML is pasted in with innerHTML, where scripts never run.
    Add it to the map before any marker so it runs first.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.Icon.Default.imagePath = {{ this.image_path|tojson }};"
        "{% endmacro %}"
    )

    def __init__(self, image_path: str) -> None:
        super().__init__()
        self._name = "DefaultIconPath"
        self.image_path = image_path


def icon_path_element(base_url: str = STREAMLIT_STATIC_ROUTE) -> DefaultIconPath:
    """The `DefaultIconPath` for Leaflet's vendored images under ``base_url``."""
    return DefaultIconPath(f"{base_url.rstrip('/')}/{LEAFLET_IMAGES}")


class OfflineMap(folium.Map):
    """A folium.Map that raises `UnvendoredAssetError` instead of rendering a network asset.

    The check runs on every render (``st_folium``, ``save``, ``_repr_html_``) over the map's
    children at that moment. Feature groups passed to ``st_folium(feature_group_to_add=...)``
    are attached after that render; check them with `check_offline` yourself.
    """

    def render(self, **kwargs: object) -> None:
        check_offline(self)
        super().render(**kwargs)


def offline_map(
    *, base_url: str = STREAMLIT_STATIC_ROUTE, **folium_map_kwargs: object
) -> OfflineMap:
    """A folium map whose assets all come from ``static/`` under ``base_url``.

    Calls `use_local_assets` (process-wide, see there) and adds `icon_path_element` as the
    first child. Keyword arguments go to folium.Map. With ``tiles=None`` the map has no
    maximum zoom: pass ``max_zoom`` too, or MarkerCluster throws in the browser.
    """
    use_local_assets(base_url)
    m = OfflineMap(**folium_map_kwargs)  # type: ignore[arg-type]
    icon_path_element(base_url).add_to(m)
    return m


# --- standalone HTML export -------------------------------------------------------------------

_SCRIPT_TAG = re.compile(
    r"<script\b[^>]*?\bsrc\s*=\s*([\"'])(?P<src>.*?)\1[^>]*>\s*</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_INLINE_BODY = re.compile(r"(<(?:script|style)\b[^>]*>).*?(</(?:script|style)\s*>)", re.I | re.S)
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_CSS_URL = re.compile(r"""url\(\s*(["']?)(?P<ref>[^"')]+)\1\s*\)""", re.IGNORECASE)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_TTF_FALLBACK = re.compile(
    r""",\s*url\([^)]*\)\s*format\(\s*["']?truetype["']?\s*\)""", re.IGNORECASE
)
# Only non-empty paths: the replacement itself sets imagePath to "".
_ICON_PATH = re.compile(r"""L\.Icon\.Default\.imagePath\s*=\s*(["'])(?P<path>[^"']+)\1\s*;?""")


def _attrs(tag: str) -> dict[str, str]:
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(tag)}


def _vendored_file(url: str, static_dir: Path) -> Path | None:
    """The file under ``static_dir`` that ``url`` (a CDN URL or a local path) stands for."""
    if url in LOCAL_ASSETS:
        return static_dir / LOCAL_ASSETS[url]
    if _EXTERNAL.match(url):
        return None
    path = urlsplit(url).path
    # A local URL is "<any base>/vendor/...": match on the part from "vendor/" on, so
    # inlining works whatever base_url the map was rendered with.
    start = path.find("vendor/")
    if start == -1:
        # The project's own front-end files (the time engine) are served from static/ too.
        start = path.find("newsmap/")
    if start == -1:
        return None
    candidate = static_dir / path[start:]
    if not candidate.is_file():
        raise FileNotFoundError(f"{url} looks vendored, but {candidate} does not exist")
    return candidate


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".woff2":  # not in every mimetypes table
        mime = "font/woff2"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(css_file: Path) -> str:
    css = css_file.read_text(encoding="utf-8")
    # Every browser that runs Leaflet 1.9 reads woff2: the .ttf fallbacks would only double
    # the size of the export (Font Awesome's are 650 KB).
    css = _FONT_FACE.sub(
        lambda m: _TTF_FALLBACK.sub("", m[0]) if "woff2" in m[0] else m[0],
        css,
    )

    def replace(match: re.Match[str]) -> str:
        ref = match["ref"].strip()
        if ref.startswith(("data:", "#")):  # already inline, or an SVG/VML fragment id
            return match[0]
        if _EXTERNAL.match(ref):
            raise UnvendoredAssetError(f"{css_file} refers to {ref}, which needs the network")
        target = (css_file.parent / urlsplit(ref).path).resolve()
        if not target.is_file():
            raise FileNotFoundError(f"{css_file} refers to {ref}, but {target} does not exist")
        return f'url("{_data_uri(target)}")'

    return _CSS_URL.sub(replace, css)


def _default_icon_js(static_dir: Path) -> str:
    # Leaflet builds the default icon URL as imagePath + iconUrl: an empty path plus data: URIs
    # works where a directory path cannot (there is no directory in a single file).
    images = static_dir / LEAFLET_IMAGES
    urls = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    options = ", ".join(f'{key}: "{value}"' for key, value in urls.items())
    return f'L.Icon.Default.imagePath = ""; L.Icon.Default.mergeOptions({{{options}}});'


def _script_safe(js: str) -> str:
    # Inside <script>, "</script" ends the element and "<!--" changes how the HTML parser
    # reads it. "<\/" and "<\!" mean the same to JavaScript in strings, regexes and comments.
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def inline_assets_html(html: str, static_dir: Path = STATIC_DIR) -> str:
    """One self-contained page: vendored scripts and stylesheets inlined, CSS images as data: URIs.

    ``html`` is a rendered folium page (``m.get_root().render()``), with assets as CDN URLs
    or as local vendored paths under any base URL. Leaflet's default marker icon is switched
    to data: URIs too. Raises `UnvendoredAssetError` listing every script or stylesheet that
    would still be fetched over http(s). Map tiles are images, not checked here: export maps
    with ``tiles=None`` for a page that opens with no network at all.
    """
    saw_leaflet = False

    def replace_script(match: re.Match[str]) -> str:
        nonlocal saw_leaflet
        file = _vendored_file(match["src"], static_dir)
        if file is None:
            return match[0]
        js = _script_safe(file.read_text(encoding="utf-8"))
        if file == static_dir / LEAFLET_JS:
            saw_leaflet = True
            # Set the icon right after Leaflet loads, in case the page has no DefaultIconPath.
            return f"<script>{js}</script>\n<script>{_default_icon_js(static_dir)}</script>"
        return f"<script>{js}</script>"

    def replace_link(match: re.Match[str]) -> str:
        attrs = _attrs(match[0])
        if "stylesheet" not in attrs.get("rel", "").lower().split():
            return match[0]
        file = _vendored_file(attrs.get("href", ""), static_dir)
        if file is None:
            return match[0]
        css = re.sub(r"</(style)", r"<\\/\1", _inline_css(file), flags=re.IGNORECASE)
        return f"<style>{css}</style>"

    # Stylesheets first: inlined JavaScript may contain text that looks like a <link> tag.
    html = _LINK_TAG.sub(replace_link, html)
    html = _SCRIPT_TAG.sub(replace_script, html)
    if saw_leaflet:
        # A DefaultIconPath element would set a directory path again after our fix.
        html = _ICON_PATH.sub(lambda m: _default_icon_js(static_dir), html)

    # Look only at tags, not at the text of inline scripts and styles (library code mentions
    # "<script src=" in strings).
    tags = _INLINE_BODY.sub(r"\1\2", html)
    remaining = [m["src"] for m in _SCRIPT_TAG.finditer(tags) if _EXTERNAL.match(m["src"])]
    for m in _LINK_TAG.finditer(tags):
        attrs = _attrs(m[0])
        href = attrs.get("href", "")
        if "stylesheet" in attrs.get("rel", "").lower().split() and _EXTERNAL.match(href):
            remaining.append(href)
    if remaining:
        raise UnvendoredAssetError(
            "The page still loads these from the network: "
            + ", ".join(remaining)
            + ". Vendor them and add them to lib.map.offline.LOCAL_ASSETS."
        )
    return html
