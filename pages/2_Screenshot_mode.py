"""Screenshot mode: the dashboard's current view as a publication-ready picture, and downloads.

Glue only: the picture is lib.pictures.presentation.presentation_html, the PNG, GIF, MP4, PDF and SVG
lib.pictures.export.render (headless Chromium), the alt text lib.pictures.alttext, the data files lib.pictures.export. The view comes from the URL (the dashboard links
here with its own query string), so a link to this page reproduces the picture.
"""

from __future__ import annotations

import functools
import hashlib
import html
import math
from urllib.parse import urlencode

import streamlit as st

from lib.data import story
from lib.data.text import plural
from lib.map.viewstate import (
    Bounds,
    filter_events,
    group_by_place,
    state_from_params,
    state_to_params,
)
from lib.pictures import animation, export, presentation
from lib.pictures.alttext import alt_text
from lib.pictures.presentation import PRESETS, Size
from ui import data as store
from ui import exports, guard, render, safe, view

PREFIX = "shot."
PRESET = PREFIX + "preset"
TILES = PREFIX + "tiles"
TITLE = PREFIX + "title"
DAY = PREFIX + "day_s"
HOLD = PREFIX + "hold_s"
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
    st.subheader("Animation (GIF, MP4)")
    day_s = st.number_input(
        "Seconds per day", min_value=0.1, max_value=5.0, step=0.1,
        value=animation.DAY_MS / 1000, key=DAY, help="How long each day's frame shows.",
    )  # fmt: skip
    hold_s = st.number_input(
        "Hold the last day (seconds)", min_value=0.0, max_value=15.0, step=0.5,
        value=animation.HOLD_MS / 1000, key=HOLD,
        help="Extra time on the last frame, so the final state can be read.",
    )  # fmt: skip

size: Size = PRESETS[preset][0]
page = presentation.presentation_html(
    frame, state, dataset.articles, dataset.gazetteer.places, size=size, tiles=tiles, title=title
)
visible = filter_events(frame, state)
groups = group_by_place(visible)
days = presentation.view_days(frame, state)

# --- preview ----------------------------------------------------------------------------------
scale = min(1.0, PREVIEW_WIDTH / size.width)
width, height = math.ceil(size.width * scale), math.ceil(size.height * scale)
st.iframe(
    # The page is drawn at its real size, then scaled: text wraps exactly as in the PNG.
    # On a column narrower than the preview (a phone), it is scaled to the column's width
    # instead of being cut off at its edge.
    f"<!doctype html><html lang='en'><head><title>Preview of the picture</title>"
    f"<style>html,body{{margin:0;overflow:hidden}}</style></head><body>"
    f"<iframe id='preview' srcdoc=\"{html.escape(page, quote=True)}\" width='{size.width}' "
    f"height='{size.height}' style='border:0;transform:scale({scale:.4f});"
    f"transform-origin:0 0' title='Preview'></iframe><script>"
    f"function fit(){{var w=document.documentElement.clientWidth;"
    f"if(w){{document.getElementById('preview').style.transform="
    f"'scale('+Math.min({scale:.4f},w/{size.width})+')';}}}}"
    f"fit();addEventListener('resize',fit);</script></body></html>",
    width=width,
    height=height,
    alt=f"Preview of the picture, {size.width} by {size.height} pixels",
)
png_w, png_h = (round(n * export.DEFAULT_SCALE) for n in (size.width, size.height))
st.caption(
    f"Preview at {scale:.0%}. The PNG is {png_w} × {png_h} pixels; GIF and MP4 are "
    f"{size.width} × {size.height}; PDF and SVG keep these proportions, with text as text."
)

# --- downloads --------------------------------------------------------------------------------
#: What each picture button downloads: label, help, MIME type.
RENDERS = {
    "png": ("PNG", "The picture at 2× pixel density, with its alt text in the file.", "image/png"),
    "gif": ("GIF", "The view day by day, one frame per day, looping (social posts).", "image/gif"),
    "mp4": ("MP4", "The view day by day as H.264 video, which phones and platforms play.",
            "video/mp4"),
    "pdf": ("PDF", "Vector PDF with real text, for print: labels stay editable.",
            "application/pdf"),
    "svg": ("SVG", "Vector SVG with <text> labels, for a graphics desk's vector tool.",
            "image/svg+xml"),
}  # fmt: skip
description = alt_text(frame, state, dataset.gazetteer.places, dataset.articles, title=title)
# One click per format: the file is rendered when its button is pressed (the button's data is
# a callable, run on its own thread) and cached by everything it depends on, so a second click,
# or a second reader with the same view, gets it at once.
digest = hashlib.sha256(page.encode()).hexdigest()
data = export.ExportData(frame, dataset.articles, dataset.gazetteer, 0)
missing = exports.missing_browser()
if missing:
    st.error(
        f"The picture files need a Chromium: {missing}\n\nInstall Playwright and a Chromium "
        "(`pip install playwright` then `python -m playwright install chromium`, or set "
        "CHROMIUM_PATH). The HTML download below works without them."
    )
for kind, column in zip(RENDERS, st.columns(len(RENDERS)), strict=True):
    label, help_text, mime = RENDERS[kind]
    with column:
        st.download_button(
            f"⬇ {label}",
            data=functools.partial(
                exports.picture_file, kind, digest, size, tiles, title,
                round(day_s * 1000), round(hold_s * 1000), data, state,
            ),
            file_name=export.export_filename(state, kind, preset=preset),
            mime=mime,
            on_click="ignore",
            type="primary" if kind == "png" else "secondary",
            help=f"{help_text} Drawn in Chromium when clicked (a few seconds).",
            disabled=bool(missing),
            width="stretch",
            key=f"{PREFIX}download.{kind}",
        )  # fmt: skip

st.markdown("**Alt text** — a description of the picture for readers who cannot see it; "
            "copy it into your CMS's alt text field (the copy button is on the right).")  # fmt: skip
st.code(description, language=None, wrap_lines=True)

html_col, rest = st.columns([1, 3])
with html_col:
    st.download_button(
        "⬇ This picture (HTML)",
        data=page.encode("utf-8"),
        file_name=export.export_filename(state, "html", preset=preset),
        mime="text/html",
        on_click="ignore",
        help="The picture as one file that opens in any browser with no internet.",
        width="stretch",
    )
with rest:
    st.caption(
        f"{plural(visible['event_id'].nunique(), 'event')} at {plural(len(groups), 'place')} "
        "in this view; an "
        f"animation has one frame per day from {days[0]:%-d %B} to {days[-1]:%-d %B %Y} "
        f"({len(days)} days). The interactive map has its own date slider and play button."
    )
exports.render_download_buttons(state, dataset, frame, screenshot_link=False, describe=True)
