"""Screenshot mode: the dashboard's current view as a publication-ready picture, and downloads.

Glue only: the picture is lib.presentation.presentation_html, the PNG lib.export.render_png
(headless Chromium), the data files lib.export. The view comes from the URL (the dashboard links
here with its own query string), so a link to this page reproduces the picture.
"""

from __future__ import annotations

import hashlib
import html
import math
from urllib.parse import urlencode

import streamlit as st

from lib import export, presentation, story
from lib.presentation import PRESETS, Size
from lib.text import plural
from lib.timeline import Bounds, filter_events, group_by_place, state_from_params, state_to_params
from ui import data as store
from ui import exports, guard, render, safe, view

PREFIX = "shot."
PRESET = PREFIX + "preset"
TILES = PREFIX + "tiles"
TITLE = PREFIX + "title"
PNG = PREFIX + "png"  # ((digest of the page, size) rendered, PNG bytes)
#: The preview is drawn at most this wide and scaled down to fit; the files are full size.
PREVIEW_WIDTH = 900

st.set_page_config(
    page_title=f"Screenshot mode · {story.current().title}", page_icon="📷", layout="wide"
)
st.html(render.STYLE)  # shared CSS: captions at AA contrast
with guard.page("the picture"):  # the data and the link: where hostile input lands
    dataset = store.dataset()
    frame = store.frame()
    bounds = Bounds.of(frame, dataset.articles, dataset.gazetteer.places)
    state, notes = state_from_params(view.saved_params(), bounds)

st.title("Screenshot mode")
# A plain relative link rather than st.page_link: it carries the view and works whichever
# script is the entry point (AppTest runs this page on its own).
back = "./?" + urlencode(state_to_params(state))
st.html(f"<a href='{html.escape(back)}' target='_self'>← Back to the map</a>")
st.caption(
    "The map's current view without the app around it: title, dates, legend, scale and credits, "
    "at the sizes newsrooms and social networks use. Change the view on the map, then come back."
)
for note in notes:
    safe.warning(f"Link parameter ignored: {note}")

with st.sidebar:
    st.header("Picture")
    preset = st.radio(
        "Size (CSS pixels; the PNG is twice as wide and high)",
        list(PRESETS),
        key=PRESET,
        index=list(PRESETS).index(presentation.DEFAULT_PRESET),
        format_func=lambda p: f"{p.replace('x', ' × ')} — {PRESETS[p][1]}",
    )
    title = st.text_input("Title", value=presentation.DEFAULT_TITLE, key=TITLE, max_chars=120)
    tiles = st.toggle(
        "Street map tiles (needs internet)",
        value=False,
        key=TILES,
        help="Off: province outlines only, which needs no network and always renders the same. "
        "On: OpenStreetMap tiles under the outlines, credited on the picture.",
    )

size: Size = PRESETS[preset][0]
page = presentation.presentation_html(
    frame, state, dataset.articles, dataset.gazetteer.places, size=size, tiles=tiles, title=title
)
visible = filter_events(frame, state)
groups = group_by_place(visible)

# --- preview ----------------------------------------------------------------------------------
scale = min(1.0, PREVIEW_WIDTH / size.width)
width, height = math.ceil(size.width * scale), math.ceil(size.height * scale)
st.iframe(
    # The page is drawn at its real size, then scaled: text wraps exactly as in the PNG.
    f"<!doctype html><html lang='en'><head><title>Preview of the picture</title>"
    f"<style>html,body{{margin:0;overflow:hidden}}</style></head><body>"
    f"<iframe srcdoc=\"{html.escape(page, quote=True)}\" width='{size.width}' "
    f"height='{size.height}' style='border:0;transform:scale({scale:.4f});"
    f"transform-origin:0 0' title='Preview'></iframe></body></html>",
    width=width,
    height=height,
    alt=f"Preview of the picture, {size.width} by {size.height} pixels",
)
png_w, png_h = (round(n * export.DEFAULT_SCALE) for n in (size.width, size.height))
st.caption(f"Preview at {scale:.0%}. The PNG is {png_w} × {png_h} pixels.")

# --- downloads --------------------------------------------------------------------------------
png_col, html_col, rest = st.columns([1, 1, 2])
wanted = (hashlib.sha256(page.encode()).hexdigest(), size)
with png_col:
    if st.button(
        "Render PNG",
        type="primary",
        width="stretch",
        help="Photographs the picture in a headless Chromium at 2× pixel density.",
    ):
        with st.spinner("Rendering in Chromium…"):
            try:
                st.session_state[PNG] = (wanted, export.render_png(page, size))
            except Exception as error:  # noqa: BLE001 - shown to the user with the remedy
                st.session_state.pop(PNG, None)
                st.error(
                    f"Could not render the PNG: {error}\n\n"
                    "This needs Playwright and a Chromium: `pip install playwright` then "
                    "`python -m playwright install chromium` (or set CHROMIUM_PATH). The HTML "
                    "download below works without them."
                )
    rendered = st.session_state.get(PNG)
    if rendered and rendered[0] == wanted:
        st.download_button(
            "⬇ Download PNG",
            data=rendered[1],
            file_name=export.export_filename(state, "png"),
            mime="image/png",
            on_click="ignore",
            width="stretch",
        )
with html_col:
    st.download_button(
        "⬇ This picture (HTML)",
        data=page.encode("utf-8"),
        file_name=export.export_filename(state, "html"),
        mime="text/html",
        on_click="ignore",
        help="The picture as one file that opens in any browser with no internet.",
        width="stretch",
    )
with rest:
    st.caption(
        f"{plural(visible['event_id'].nunique(), 'event')} at {plural(len(groups), 'place')} "
        "in this view. "
        "The interactive map has its own date slider and play button."
    )
exports.render_download_buttons(visible, groups, state, dataset, screenshot_link=False)

rendered = st.session_state.get(PNG)
if rendered and rendered[0] == wanted:
    st.image(rendered[1], caption="The PNG as it will download", width="stretch")
