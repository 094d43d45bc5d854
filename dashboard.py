"""Main screen: the events on a map with a date slider; every marker leads to its sources."""

from __future__ import annotations

import datetime as dt
import time

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib import mapview, settings
from lib.offline import static_base_url
from lib.problems import errors as problem_errors
from lib.timeline import Bounds, filter_events, group_by_place
from ui import data as store
from ui import exports, render, view

PLAY_SECONDS = 1.5
#: Rows sent to the browser in the events table; more is slow to send and to scroll.
TABLE_LIMIT = 1000
#: DASHBOARD_TILES=off starts with the outline map only (offline deployments, tests).
TILES_DEFAULT = settings.enabled("DASHBOARD_TILES")

st.set_page_config(page_title="Panjshir timeline, Aug-Sep 2021", page_icon="🗺️", layout="wide")

dataset = store.dataset()
frame = store.frame()
bounds = Bounds.of(frame, dataset.articles, dataset.gazetteer.places)
view.init(bounds)
view.apply_pending()
headlines = store.headlines()

st.title("Panjshir valley, August–September 2021")
st.caption(
    f"{frame['event_id'].nunique()} events from {len(dataset.articles)} articles, "
    f"{bounds.first:%-d %b} to {bounds.last:%-d %b %Y}. Claims are shown as claimed: "
    "casualty figures are unverified, and contested claims are marked ⚑."
)
for note in st.session_state.get(view.NOTES, []):
    st.warning(f"Link parameter ignored: {note}")
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

# --- timeline ---------------------------------------------------------------------------------
slider_col, play_col = st.columns([6, 1], vertical_alignment="bottom")
with slider_col:
    if bounds.first == bounds.last:
        st.write(f"All events are on {bounds.first:%-d %B %Y}.")
    elif st.session_state[view.MODE] == "window":
        st.slider(
            "Window",
            bounds.first,
            bounds.last,
            key=view.RANGE,
            step=dt.timedelta(days=1),
            format="D MMM YYYY",
            disabled=st.session_state[view.PLAYING],
        )
    else:
        st.slider(
            "Show events up to",
            bounds.first,
            bounds.last,
            key=view.END,
            step=dt.timedelta(days=1),
            format="D MMM YYYY",
            disabled=st.session_state[view.PLAYING],
        )
with play_col:
    if st.session_state[view.PLAYING]:
        if st.button("⏸ Pause", width="stretch"):
            view.request(playing=False)
            st.rerun()
    elif st.button(
        "▶ Play",
        width="stretch",
        disabled=bounds.first == bounds.last,
        help="Step through the days, one every 1.5 seconds",
    ):
        restart = st.session_state[view.END] >= bounds.last
        view.request(
            mode="cumulative",
            playing=True,
            end=bounds.first if restart else st.session_state[view.END],
        )
        st.rerun()

state = view.current(bounds)
visible = filter_events(frame, state)
groups = group_by_place(visible)

# The chart shows here but is built after the map, so the map's data reaches the browser first.
chart_slot = st.container()

# --- map and panel ----------------------------------------------------------------------------
map_col, panel_col = st.columns([3, 2])
with map_col:
    if state.mode == "window":
        st.markdown(
            f"**{state.first_day:%-d %b} – {state.end:%-d %b %Y}**: "
            f"{visible['event_id'].nunique()} events at {len(groups)} places"
        )
    else:
        st.markdown(
            f"**As of {state.end:%-d %B %Y}**: "
            f"{visible['event_id'].nunique()} events at {len(groups)} places"
        )
    base = mapview.base_map(
        tiles=tiles, static_url=static_base_url(st.get_option("server.baseUrlPath"))
    )
    layer = mapview.places_layer(
        groups, mapview.event_lookup(visible, mapview.popup_event_ids(groups))
    )
    clicked = st_folium(
        base,
        feature_group_to_add=layer,
        returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        key=view.MAP,
        height=640,
        use_container_width=True,
    )

with chart_slot:
    per_day = store.per_day(state.types, state.claimants, state.articles)
    if not per_day.empty:
        per_day["date"] = pd.to_datetime(per_day["date"])
        first_day = pd.Timestamp(state.first_day or bounds.first)
        shade = pd.DataFrame(
            {
                "start": [first_day - pd.Timedelta(hours=12)],
                "end": [pd.Timestamp(state.end) + pd.Timedelta(hours=12)],
            }
        )
        colours = alt.Scale(
            domain=list(mapview.TYPE_COLOURS), range=list(mapview.TYPE_COLOURS.values())
        )
        bars = (
            alt.Chart(per_day)
            .mark_bar()
            .encode(
                x=alt.X("date:T", title=None, axis=alt.Axis(format="%-d %b")),
                y=alt.Y("sum(events):Q", title="events"),
                color=alt.Color("event_type:N", scale=colours, legend=None),
                tooltip=["date:T", "event_type:N", "events:Q"],
            )
        )
        band = (
            alt.Chart(shade)
            .mark_rect(opacity=0.12, color="#1f77b4")
            .encode(x="start:T", x2="end:T")
        )
        st.altair_chart((band + bars).properties(height=110), width="stretch")

click = (clicked or {}).get("last_object_clicked")
if click and click != st.session_state.get(view.LAST_CLICK):
    st.session_state[view.LAST_CLICK] = click
    picked = mapview.click_to_place(clicked.get("last_object_clicked_tooltip"), click, groups)
    if picked:
        st.session_state[view.PLACE] = picked

with panel_col:
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
            else f"{dataset.gazetteer.places[p].name} ({counts.get(p, 0)} events shown)"
        ),
    )
    state = view.current(bounds)
    if state.place:
        place = dataset.gazetteer.places[state.place]
        st.subheader(place.name)
        shape = (
            "a point"
            if place.is_pin
            else f"an area of about {place.uncertainty_km:g} km around the marker"
        )
        st.caption(
            f"{place.kind.capitalize()}; precision: {place.precision} ({shape}). "
            f"Coordinates: {place.source}"
        )
        rows = visible[visible["place_id"] == state.place].sort_values(["date", "event_id"])
        st.markdown(f"**{len(rows)} event(s) here in the selected dates**")
        html = [render.STYLE]
        shown: set[str] = set()
        rival_ids = {i for cell in rows["contested_with"] for i in cell.split(";") if i}
        rivals_frame = frame[frame["event_id"].isin(rival_ids)].drop_duplicates("event_id")
        by_id = {r["event_id"]: r for r in rivals_frame.to_dict("records")}
        for row in rows.to_dict("records"):
            if row["event_id"] in shown:
                continue
            shown.add(row["event_id"])
            if row["contested_with"]:
                rivals = [
                    by_id[i]
                    for i in row["contested_with"].split(";")
                    if i in by_id and i not in shown
                ]
                shown.update(r["event_id"] for r in rivals)
                html.append("<div class='meta'><b>Contested</b>: the claims side by side</div>")
                html.append(
                    render.side_by_side(render.event_card(r, headlines) for r in [row, *rivals])
                )
            else:
                html.append(render.event_card(row, headlines))
        by_place, _ = store.mentions()
        passages = by_place.get(state.place, [])
        html.append(f"<h4>Every passage naming {render.escape(place.name)} ({len(passages)})</h4>")
        html.extend(
            render.passage(m, headlines.get(m.article_id, m.article_id), state.place)
            for m in passages
        )
        st.html("".join(html))
    else:
        st.info(
            "Click a place on the map, or choose one above, to read the events there and every "
            "passage in the reporting that names it."
        )

# --- the accessible equivalent of the map -----------------------------------------------------
exports.render_download_buttons(visible, groups, view.current(bounds), dataset)

st.subheader("Events in the selected dates")
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
        f"Showing the first {TABLE_LIMIT:,} of {len(table):,} events; narrow the dates or filters, "
        "or download them all as CSV."
    )
    table = table.head(TABLE_LIMIT)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={"date": st.column_config.DateColumn(format="YYYY-MM-DD")},
)

view.write_url(view.current(bounds))

if st.session_state[view.PLAYING]:
    # The play loop: wait, step one day, rerun the whole page; a Pause click interrupts the wait.
    time.sleep(PLAY_SECONDS)
    if state.end >= bounds.last:
        view.request(playing=False)
    else:
        view.request(end=state.end + dt.timedelta(days=1))
    st.rerun()
