"""Exports on the main screen: a link to Screenshot mode and the data downloads.

Every file is built only when its button is clicked (``st.download_button`` with a callable,
which runs on its own thread): the dashboard reruns on every slider step and every tick of
Play, and must not rebuild a 400 KB HTML page each time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lib.data import story
from lib.data.dataset import Dataset
from lib.data.events import for_readers
from lib.data.mentions import Mention
from lib.map.viewstate import ViewState, events_frame, filter_events, state_to_params
from lib.pictures import export
from lib.pictures.alttext import alt_text
from lib.pictures.presentation import DEFAULT_TITLE, Size, panel_places, standalone_html
from ui import data as store

#: Multipage URL of pages/2_Screenshot_mode.py (Streamlit drops the number prefix).
SCREENSHOT_PAGE = "Screenshot_mode"
#: Where the uploaded interactive map would live; the newsroom replaces it with its own.
EMBED_SRC = "https://example.org/graphics/panjshir-map.html"


def export_links(state: ViewState) -> str:
    """Relative URL of Screenshot mode showing ``state``: ``./Screenshot_mode?to=...``.

    Relative, so it works under any ``server.baseUrlPath``.
    """
    return f"./{SCREENSHOT_PAGE}?{urlencode(state_to_params(state))}"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # With a BOM: Excel reads a CSV without one in the local code page and mangles accents.
    return export.events_csv(frame).encode("utf-8-sig")


def geojson_bytes(frame: pd.DataFrame, dataset: Dataset) -> bytes:
    data = export.events_geojson(frame, dataset.gazetteer)
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def standalone_bytes(
    state: ViewState,
    dataset: Dataset,
    mentions: Mapping[str, list[Mention]] | None = None,
    frame: pd.DataFrame | None = None,
) -> bytes:
    """The interactive map with its own timeline, for every date (the state's filters apply),
    with the place panel of every place it shows when ``mentions`` (by place id) is given.
    ``frame``: the readers' events frame when the caller has it (the app's cached one)."""
    if frame is None:
        frame = events_frame(for_readers(dataset.events.events), dataset.gazetteer)
    places = (
        panel_places(frame, state, dataset.gazetteer.places, mentions, dataset.articles)
        if mentions is not None
        else None
    )
    return standalone_html(frame, state, dataset.articles, places=places).encode("utf-8")


def missing_browser() -> str | None:
    """Why the picture files cannot be drawn here (no Playwright, a wrong CHROMIUM_PATH), or
    None. Asked before the buttons are drawn: a file rendered on click that fails can only
    say "Failed to generate file", never the remedy."""
    import importlib.util

    from lib.pictures.browser import chromium_executable

    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed."
    try:
        chromium_executable()
    except FileNotFoundError as error:
        return str(error)
    return None


@st.cache_data(max_entries=12, show_spinner=False)
def picture_file(
    kind: str,
    page_digest: str,
    size: Size,
    tiles: bool,
    title: str,
    day_ms: int,
    hold_ms: int,
    _data: export.ExportData,
    _state: ViewState,
) -> bytes:
    """The picture file of format ``kind`` (png, gif, mp4, pdf, svg), rendered in Chromium.

    Cached by what the file depends on: ``page_digest`` (a hash of the picture page, which
    holds the view, the data drawn, the title, the size and the tiles) and the animation's
    timing; ``_data`` and ``_state`` are what that digest stands for. A download button's
    callable runs outside the script, so this must not call ``st`` itself.
    """
    body = export.render(
        kind, _data, _state, size=size, tiles=tiles, title=title, day_ms=day_ms, hold_ms=hold_ms
    )
    return body.encode("utf-8") if isinstance(body, str) else body


def render_download_buttons(
    state: ViewState,
    dataset: Dataset,
    frame: pd.DataFrame,
    *,
    screenshot_link: bool = True,
    describe: bool = False,
    columns: list | None = None,
) -> None:
    """A row of buttons: Screenshot mode (PNG), interactive HTML map, CSV and GeoJSON, then the
    view's alt text and embed code.

    ``frame`` is the readers' events frame (the app's cached one); the data files hold the rows
    ``state`` shows, filtered when a button is clicked, not on every settle of the timeline.
    The alt text is written when asked for (a toggle), or at once with ``describe=True``
    (Screenshot mode, where it is the point). ``screenshot_link=False`` leaves out the link.
    ``columns``: the containers of the three download buttons, when the caller made them (the
    main page makes them outside its fragment, so a settle does not resend them).
    """
    by_place, _ = store.mentions()  # built once per data version (the place panel uses it too)
    shown: list[pd.DataFrame] = []

    def visible() -> pd.DataFrame:
        if not shown:
            shown.append(filter_events(frame, state))
        return shown[0]

    columns = columns or st.columns(4 if screenshot_link else 3)
    if screenshot_link:
        shot, page, table, geo = columns
    else:
        page, table, geo = columns
        shot = None
    if shot is not None:
        with shot:
            st.link_button(
                "Screenshot mode",
                export_links(state),
                icon=":material/photo_camera:",  # Streamlit's own icon font: no emoji font needed
                help="This view as a clean picture for an article or a post: title, dates, "
                "legend and credits, in social and article sizes; download it as PNG or HTML.",
                width="stretch",
            )
    with page:
        st.download_button(
            "⬇ Interactive map (HTML)",
            data=lambda: standalone_bytes(state, dataset, by_place, frame),
            file_name=export.export_filename(
                state, "html", stem=f"{story.current().file_stem}-interactive"
            ),
            mime="text/html",
            on_click="ignore",
            help="One file with its own date slider and play button; opens with no internet "
            "and embeds in a CMS as an iframe.",
            width="stretch",
        )
    with table:
        st.download_button(
            "⬇ Events (CSV)",
            data=lambda: csv_bytes(visible()),
            file_name=export.export_filename(
                state, "csv", stem=f"{story.current().file_stem}-events"
            ),
            mime="text/csv",
            on_click="ignore",
            help="The events in view: one row per event and place, with coordinates, "
            "precision and uncertainty in km.",
            width="stretch",
        )
    with geo:
        st.download_button(
            "⬇ Events (GeoJSON)",
            data=lambda: geojson_bytes(visible(), dataset),
            file_name=export.export_filename(
                state, "geojson", stem=f"{story.current().file_stem}-events"
            ),
            mime="application/geo+json",
            on_click="ignore",
            help="The events in view as points for GIS or mapping tools (QGIS, Datawrapper, "
            "Flourish).",
            width="stretch",
        )
    if describe:
        with st.expander("Alt text and embed code"):
            describe_view(visible(), state, dataset)
    elif st.toggle(
        "Alt text and embed code",
        key="exports.describe",
        help="A description of this view for readers who cannot see the map, and the code "
        "to embed the interactive map.",
    ):
        describe_view(visible(), state, dataset)


def describe_view(visible: pd.DataFrame, state: ViewState, dataset: Dataset) -> None:
    """The view's alt text and the embed code of the interactive map, each to copy."""
    description = alt_text(
        visible, state, dataset.gazetteer.places, dataset.articles, title=DEFAULT_TITLE
    )
    st.caption(
        "Alt text: what the map shows, for readers who cannot see it (copy button on the right)."
    )
    st.code(description, language=None, wrap_lines=True)
    st.caption(
        "Embed the interactive map (upload the HTML file, then put its address in src); "
        "it keeps its shape on phones."
    )
    snippet = export.embed_snippet(EMBED_SRC, f"Map: {DEFAULT_TITLE}", description)
    st.code(snippet, language="html", wrap_lines=True)
