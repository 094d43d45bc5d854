"""Main screen: the events on a map with a live timeline; every marker leads to its sources.

The map (outside the fragment) holds every day's data and never reruns for a date: the
timeline component repaints it in the browser while the slider moves or Play runs. When the
scrub settles, only ``live_view`` reruns (the place panel, the table, the permalink).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib.data import settings, story
from lib.data.problems import errors as problem_errors
from lib.data.text import escape, plural
from lib.map import engine, mapview
from lib.map.offline import static_base_url
from lib.map.viewstate import Bounds, filter_events, group_by_place, state_to_params
from ui import data as store
from ui import exports, guard, render, view
from ui import place_panel as place_scroll
from ui.timeline import timeline

#: Rows sent to the browser in the events table; more is slow to send and to scroll.
TABLE_LIMIT = 1000
#: DASHBOARD_TILES=on starts with OpenStreetMap tiles (they need internet).
TILES_DEFAULT = settings.enabled("DASHBOARD_TILES")
MAP_HEIGHT = 640

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

# --- filters ----------------------------------------------------------------------------------
with st.sidebar:
    st.header("Filters")
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
    tiles = st.toggle(
        "Street map tiles (needs internet)",
        value=TILES_DEFAULT,
        help="Without internet the map shows province outlines only.",
    )

timeline_slot = st.container()
map_col, panel_col = st.columns([3, 2])
below = st.container()

# --- the map: every day's data, sent once ----------------------------------------------------
with map_col:
    st_folium(
        store.live_map(tiles, static_base_url(st.get_option("server.baseUrlPath"))),
        returned_objects=[],
        key=view.MAP,
        height=MAP_HEIGHT,
        use_container_width=True,
    )


def select_place(place_id: str) -> None:
    """A place clicked on the map (before the fragment reruns, so the map keeps it selected)."""
    if place_id in dataset.gazetteer.places:
        st.session_state[view.PLACE] = place_id


@st.fragment
def live_view() -> None:
    """Everything that depends on the dates: reruns alone when the timeline settles."""
    if store.stamp() != DATA_STAMP:
        st.rerun(scope="app")
    state = view.current(bounds)
    kept = filter_events(frame, state, ignore_dates=True)
    with timeline_slot:
        settled = timeline(
            engine.timeline_config(
                kept,
                first=bounds.first,
                last=bounds.last,
                end=state.end,
                start=state.first_day,
                type_labels=mapview.TYPE_LABELS,
                colours=mapview.TYPE_COLOURS,
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
        )
    # Already applied by on_settle when the settle caused this run; this covers a first run.
    view.settle(settled.mode, settled.start, settled.end)
    state = view.current(bounds)
    visible = filter_events(frame, state)
    groups = group_by_place(visible)

    with panel_col:
        place_panel(state, visible, groups)
        place_scroll.bring_into_view(view.current(bounds).place)
    with below:
        exports.render_download_buttons(visible, groups, state, dataset)
        events_table(visible)
    view.write_url(state)


def place_panel(state, visible: pd.DataFrame, groups) -> None:
    """The keyboard route to a place, and its events and every passage naming it."""
    place_ids = sorted(dataset.gazetteer.places, key=lambda p: dataset.gazetteer.places[p].name)
    counts = {g.place_id: g.count for g in groups}
    st.selectbox(
        "Sources for a place (or click the map)",
        [None, *place_ids],
        key=view.PLACE,
        placeholder="Choose a place…",
        format_func=lambda p: (
            "Choose a place…"
            if p is None
            else f"{dataset.gazetteer.places[p].name} ({plural(counts.get(p, 0), 'event')} shown)"
        ),
    )
    state = view.current(bounds)
    if not state.place:
        st.html(
            "<p class='nm-hint' role='status'>Click a place on the map (or Tab to its label and "
            "press Enter), or choose one above, to read the events there and every passage in "
            "the reporting that names it.</p>"
        )
        return
    place = dataset.gazetteer.places[state.place]
    rows = visible[visible["place_id"] == state.place].sort_values(["date", "event_id"])
    by_place, _ = store.mentions()
    html = [render.STYLE, render.place_heading(place, len(rows.drop_duplicates("event_id")))]
    # Links to Articles carry the view, so "back to the map" returns to it.
    link_view = state_to_params(state)
    html.extend(render.event_cards(rows, frame, headlines, store.last_changes(), link_view))
    passages = by_place.get(state.place, [])
    html.append(f"<h3>Every passage naming {escape(place.name)} ({len(passages)})</h3>")
    html.extend(
        render.passage(m, headlines.get(m.article_id, m.article_id), state.place, link_view)
        for m in passages
    )
    st.html("".join(html))


def events_table(visible: pd.DataFrame) -> None:
    """The accessible equivalent of the map: the same events, one row each."""
    st.header("Events in the selected dates")
    # One row per event; an event at several places lists them all. Built without a per-event
    # Python join (it took a second per rerun at 100,000 events).
    events_only = visible.drop_duplicates("event_id").sort_values(["day", "event_id"])
    shared = visible[visible.duplicated("event_id", keep=False)]
    places_col = events_only["place_name"]
    if not shared.empty:
        joined = shared.groupby("event_id")["place_name"].agg("; ".join)
        places_col = events_only["event_id"].map(joined).fillna(places_col)
    table = pd.DataFrame(
        {
            "id": events_only["event_id"],
            "date": events_only["date"],
            "precision": events_only["date_precision"],
            "places": places_col,
            "type": events_only["event_type"],
            "summary": events_only["summary"],
            "claimant": events_only["claimant"],
            "status": events_only["status"],
            "casualties": events_only["casualties"],
            "articles": events_only["articles"],
            "contested": events_only["contested_with"],
        }
    )
    if len(table) > TABLE_LIMIT:
        st.caption(
            f"Showing the first {TABLE_LIMIT:,} of {len(table):,} events; narrow the dates or "
            "filters, or download them all as CSV."
        )
        table = table.head(TABLE_LIMIT)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"date": st.column_config.DateColumn(format="YYYY-MM-DD")},
    )


with guard.page("the map"):
    live_view()
