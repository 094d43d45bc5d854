"""lib.map.offline without a browser: what a rendered map page asks the network for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import branca.colormap
import folium
import folium.plugins
import pytest
from folium.elements import JSCSSMixin
from folium.template import Template
from streamlit_folium import generate_leaflet_string

from lib.map import offline

pytestmark = pytest.mark.unit

STATIC = Path(__file__).resolve().parent.parent / "static"
ASSET_TAG = re.compile(
    r"<script\b[^>]*\bsrc=\"(?P<src>[^\"]+)\"|<link\b[^>]*\bhref=\"(?P<href>[^\"]+)\"", re.I
)


@pytest.fixture(autouse=True)
def default_assets() -> Iterator[None]:
    # use_local_assets changes folium's classes for the whole process: leave them as found.
    offline.use_local_assets()
    yield
    offline.use_local_assets()


def news_map(m: folium.Map) -> folium.Map:
    """The features the dashboard uses: a default marker, a GeoJson layer, a MarkerCluster."""
    folium.Marker([34.5, 69.2], tooltip="Kabul").add_to(m)
    folium.GeoJson(
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[69.1, 34.4], [69.9, 35.2]]},
            "properties": {},
        }
    ).add_to(m)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    folium.Marker([35.1, 69.6]).add_to(cluster)
    folium.plugins.FastMarkerCluster([[35.0, 69.0], [35.1, 69.1]]).add_to(m)
    return m


def asset_urls(html: str) -> list[str]:
    return [m["src"] or m["href"] for m in ASSET_TAG.finditer(html)]


def test_plain_folium_map_loads_nothing_from_the_network() -> None:
    html = news_map(folium.Map(tiles=None)).get_root().render()

    urls = asset_urls(html)
    assert urls, "found no asset tags at all: the regex no longer matches folium's output"
    assert [u for u in urls if re.match(r"(https?:)?//", u)] == []
    assert all(u.startswith("/app/static/vendor/") for u in urls), urls


def test_every_referenced_asset_is_vendored() -> None:
    html = news_map(offline.offline_map(tiles=None, max_zoom=18)).get_root().render()

    for url in asset_urls(html):
        assert (STATIC / url.removeprefix("/app/static/")).is_file(), url


@pytest.mark.parametrize("relative", sorted(set(offline.LOCAL_ASSETS.values())))
def test_local_assets_exist(relative: str) -> None:
    assert (STATIC / relative).is_file()


def test_vendored_packages_carry_their_licence() -> None:
    for package in (STATIC / "vendor").iterdir():
        if package.is_dir():
            assert [p for p in package.iterdir() if "LICEN" in p.name.upper()], package.name


def test_omitted_stylesheets_are_dropped_not_left_failing() -> None:
    html = folium.Map(tiles=None).get_root().render()

    for url in offline.OMITTED_ASSETS:
        assert url not in html


def test_scan_finds_classes_generically() -> None:
    classes = offline.asset_classes()

    assert folium.Map in classes
    assert folium.plugins.MarkerCluster in classes
    assert folium.plugins.Draw in classes  # not vendored, but found


@pytest.mark.parametrize(
    ("base_url_path", "expected"),
    [
        ("", "/app/static"),
        ("news", "/news/app/static"),
        ("/news/", "/news/app/static"),  # st.get_option may return it with slashes
        ("org/news", "/org/news/app/static"),
    ],
)
def test_static_base_url(base_url_path: str, expected: str) -> None:
    assert offline.static_base_url(base_url_path) == expected


def test_rebasing_is_idempotent() -> None:
    offline.use_local_assets("/news/app/static/")
    offline.use_local_assets("/news/app/static")
    html = folium.Map(tiles=None).get_root().render()

    assert '<script src="/news/app/static/vendor/leaflet-1.9.3/leaflet.js">' in html
    assert "/app/static/news" not in html and "static//" not in html


def test_default_icon_path_is_set_before_the_first_marker() -> None:
    m = offline.offline_map(tiles=None)
    folium.Marker([34.5, 69.2]).add_to(m)

    # Both the page folium renders and the script streamlit-folium sends to its iframe.
    for script in (m.get_root().render(), generate_leaflet_string(m)):
        path_at = script.index(
            'L.Icon.Default.imagePath = "/app/static/vendor/leaflet-1.9.3/images/";'
        )
        assert path_at < script.index("L.marker(")


def test_unvendored_cdn_asset_raises_with_its_url() -> None:
    url = "https://cdn.example.org/leaflet-unknown@9.9.9/unknown.js"

    class Unvendored(JSCSSMixin):
        _template = Template("")
        default_js = [("unknown", url)]

    offline.use_local_assets()
    m = offline.offline_map(tiles=None)
    Unvendored().add_to(m)

    with pytest.raises(offline.UnvendoredAssetError, match=re.escape(url)):
        m.get_root().render()


def test_unvendored_plugin_raises_naming_class_and_url() -> None:
    m = offline.offline_map(tiles=None)
    folium.plugins.Draw().add_to(m)

    with pytest.raises(offline.UnvendoredAssetError) as raised:
        m.get_root().render()
    assert "folium.plugins.draw.Draw" in str(raised.value)
    assert "leaflet.draw.js" in str(raised.value)


def test_colormap_raises_for_the_d3_streamlit_folium_adds() -> None:
    m = offline.offline_map(tiles=None)
    branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=1).add_to(m)

    with pytest.raises(offline.UnvendoredAssetError, match="d3"):
        m.get_root().render()


# --- standalone export ------------------------------------------------------------------------


def test_inlined_page_is_self_contained() -> None:
    html = news_map(offline.offline_map(tiles=None, max_zoom=18)).get_root().render()

    page = offline.inline_assets_html(html, STATIC)

    assert not re.search(r"<script\b[^>]*\bsrc=", page)
    assert not re.search(r"<link\b[^>]*stylesheet", page)
    assert "/app/static" not in page  # icon path included
    css_urls = re.findall(r"url\(\"?([^\")]+)", page)
    assert css_urls and all(u.startswith(("data:", "#")) for u in css_urls)
    assert 'L.Icon.Default.mergeOptions({iconUrl: "data:image/png;base64,' in page


@pytest.mark.parametrize(
    "href",
    [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",  # folium's own URL
        "/news/app/static/vendor/leaflet-1.9.3/leaflet.css",  # rewritten, any base
    ],
)
def test_inline_resolves_cdn_and_local_urls(href: str) -> None:
    html = f'<html><head><link rel="stylesheet" href="{href}"/></head></html>'

    page = offline.inline_assets_html(html, STATIC)

    assert "<style>" in page and ".leaflet-pane" in page
    assert "url(images/" not in page  # marker and layer images became data: URIs


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://cdn.example.org/unknown.js"></script>',
        '<link rel="stylesheet" href="//cdn.example.org/unknown.css"/>',
    ],
)
def test_inline_raises_for_unvendored_url(tag: str) -> None:
    url = re.search(r'(?:src|href)="([^"]+)"', tag)[1]  # type: ignore[index]

    with pytest.raises(offline.UnvendoredAssetError, match=re.escape(url)):
        offline.inline_assets_html(f"<html><head>{tag}</head></html>", STATIC)


def test_inline_escapes_closing_script_tags(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor" / "x-1.0"
    vendor.mkdir(parents=True)
    (vendor / "x.js").write_text('var s = "</script><!--";')
    html = '<script src="/app/static/vendor/x-1.0/x.js"></script>'

    page = offline.inline_assets_html(html, tmp_path)

    assert page == '<script>var s = "<\\/script><\\!--";</script>'
