"""Main screen: the events on a map with a live timeline; every marker leads to its sources.

The map (outside the fragment) holds every day's data and never reruns for a date: the
timeline component repaints it in the browser while the slider moves or Play runs, and the
place panel and the events table (ui/reader.py) redraw in the browser too, with the functions
the reader edition uses. When the scrub settles, only ``live_view`` reruns: it tells the server
the view (the permalink, the downloads) and sends a chosen place's data once.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from lib.data import settings, story
from lib.data.problems import errors as problem_errors
from lib.data.text import escape, plural
from lib.map import engine, mapview
from lib.map.offline import static_base_url
from lib.map.viewstate import Bounds
from ui import data as store
from ui import exports, guard, reader, render, view
from ui.timeline import timeline

#: DASHBOARD_TILES=on starts with OpenStreetMap tiles (they need internet).
TILES_DEFAULT = settings.enabled("DASHBOARD_TILES")
MAP_HEIGHT = 640
TILES = "map.tiles"

STORY = story.current()
st.set_page_config(page_title=STORY.title, page_icon="🗺️", layout="wide")
st.html(render.STYLE)  # shared CSS: captions at AA contrast

with guard.page("the map"):
    # The files this run's map was drawn from: a settle after an editor's save (on any
    # replica) redraws the whole page, map included, instead of only the fragment.
    DATA_STAMP = store.stamp()
    dataset = store.dataset()
    frame = store.frame()
    bounds = Bounds.of(frame, dataset.articles, dataset.gazetteer.places)
    view.init(bounds)
    view.apply_pending()
    headlines = store.headlines()

st.html(render.PAGE_STYLE)
st.title(STORY.title)
n_events = frame["event_id"].nunique()
st.html(
    "<p class='nm-lede'>"
    + escape(
        f"{plural(n_events, 'event')} from {plural(len(dataset.articles), 'article')}, "
        f"{bounds.first:%-d %b} to {bounds.last:%-d %b %Y}. {STORY.subtitle}"
    )
    + "</p>"
)
for note in st.session_state.get(view.NOTES, []):
    st.html(render.notice(f"Link parameter ignored: {note}"))
if problem_errors(dataset.problems):
    with st.expander(f"⚠ {len(dataset.problems)} data problem(s): some rows are not shown"):
        st.text("\n".join(str(p) for p in dataset.problems))

timeline_slot = st.container()
map_col, panel_col = st.columns([3, 2])
# The exports' row: made here, outside the fragment, so that a settle does not resend it. The
# link to Screenshot mode follows the view in the browser (ui/reader.py); the downloads and
# the alt text are the fragment's.
shot_col, *download_cols = st.columns(4)
exports_slot = st.container()
below = st.container()

#: Whether this run draws the rest of the page (see the docstring): not before the map painted.
REST = view.map_painted()
st.session_state.setdefault(TILES, TILES_DEFAULT)
tiles = st.session_state[TILES]
# --- the map: every day's data, sent once ----------------------------------------------------
with map_col:
    st_folium(
        store.live_map(tiles, static_base_url(st.get_option("server.baseUrlPath"))),
        returned_objects=[],
        key=view.MAP,
        height=MAP_HEIGHT,
        use_container_width=True,
    )


def filters() -> None:
    """The sidebar's filters (their values are the view's, see ui/view.py)."""
    st.radio(
        "Dates",
        ["cumulative", "window"],
        key=view.MODE,
        format_func={"cumulative": "Everything up to a day", "window": "A window of days"}.get,
    )
    st.multiselect(
        "Event type",
        bounds.types,
        key=view.TYPES,
        format_func=mapview.TYPE_LABELS.get,
        placeholder="All types",
    )
    st.multiselect("Claimed by", bounds.claimants, key=view.CLAIMANTS, placeholder="Anyone")
    st.multiselect(
        "Reported in",
        bounds.articles,
        key=view.ARTICLES,
        format_func=lambda a: headlines.get(a, a)[:70],
        placeholder="Any article",
    )
    st.toggle(
        "Street map tiles (needs internet)",
        key=TILES,
        help="Without internet the map shows province outlines only.",
    )


# After the map in the script, so that the browser asks for the map's code before theirs.
with st.sidebar:
    st.header("Filters")
    if REST:
        filters()


def select_place(place_id: str) -> None:
    """A place clicked on the map or chosen in the panel or the table ("" closes the panel);
    applied before the fragment reruns, so the map keeps it selected."""
    if place_id in dataset.gazetteer.places:
        st.session_state[view.PLACE] = place_id
    elif place_id == "":
        st.session_state[view.PLACE] = None


# The events table, below the map, and the link to Screenshot mode: drawn in the browser from
# the map's data and the view, never resent.
if REST:
    with shot_col:
        reader.screenshot_link(key="view.shot")
    with below:
        reader.table(key="view.table")


@st.fragment
def live_view() -> None:
    """Everything that depends on the dates: reruns alone when the timeline settles."""
    if store.stamp() != DATA_STAMP or (not REST and view.map_painted()):
        st.rerun(scope="app")  # new data, or the map painted: the whole page
    # A settle reruns this alone: the components in the page keep what they were sent.
    whole = st.session_state.pop(view.WHOLE_RUN, False)
    state = view.current(bounds)
    with timeline_slot:
        settled = timeline(
            engine.timeline_config(
                None,
                first=bounds.first,
                last=bounds.last,
                end=state.end,
                start=state.first_day,
                type_labels=mapview.TYPE_LABELS,
                colours=mapview.TYPE_COLOURS,
                drawn=store.chart(state.types, state.claimants, state.articles),
            ),
            {
                "types": list(state.types),
                "claimants": list(state.claimants),
                "articles": list(state.articles),
            },
            state.place,
            key=view.TIMELINE,
            on_settle=lambda s: view.settle(s.mode, s.start, s.end),
            on_select=select_place,
            on_painted=view.mark_map_painted,
            resend=whole,
            chart_key=f"{DATA_STAMP}:{state.types}:{state.claimants}:{state.articles}",
        )
    # Already applied by on_settle when the settle caused this run; this covers a first run.
    view.settle(settled.mode, settled.start, settled.end)
    state = view.current(bounds)
    if REST:
        with panel_col:
            reader.panel(state, key="view.panel", resend=whole)
        with exports_slot:
            exports.render_download_buttons(
                state, dataset, frame, screenshot_link=False, columns=download_cols
            )
    view.write_url(state)


with guard.page("the map"):
    st.session_state[view.WHOLE_RUN] = True
    live_view()
