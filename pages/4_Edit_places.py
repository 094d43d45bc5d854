"""Add a place to the gazetteer or fix one: geocode it, pick a candidate on a map, save safely.

Glue only: geocoding is lib.places.geocode.resolve (curated gazetteer, then offline GeoNames, then the
online geocoder only when the editor ticks the box), the rules are lib.data.gazetteer.parse_place,
saving is lib.editing.saving through ui.editor_state (atomic, backups, conflict detection).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib.data.gazetteer import Gazetteer
from lib.data.schema import PLACE_COLUMNS, PLACE_KINDS, PRECISIONS, labels
from lib.data.text import split_list
from lib.editing.diff import diff_rows
from lib.editing.forms import place_problems, place_row, upsert_row
from lib.editing.preview import PreviewMarker, preview_map
from lib.editing.snapshot import read_snapshot
from lib.map.offline import static_base_url
from lib.places.geocode import GeocodingUnavailable, OnlineGeocoder, Resolution, resolve
from ui import auth, render, safe
from ui import editor_state as state
from ui.data import dataset, refresh

LABEL = "geodata/gazetteer.csv"
NEW = ""  # the place picker's value for "a new place"
HELP = {c.name: c.help for c in PLACE_COLUMNS}
#: What the form's fields say (the columns' titles in datapackage.json); the column's own name
#: is in each field's help.
LABELS = labels("places")


def helptext(name: str) -> str:
    return f"Column `{name}`: {HELP[name]}"


st.set_page_config(page_title="Edit places", layout="wide")
st.html(render.STYLE)  # shared CSS: captions at AA contrast
st.title("Edit places")
st.caption(
    "Add a place the reporting names, or fix one. Coordinates need a source: look the name up "
    "(curated gazetteer, offline GeoNames, and optionally OpenStreetMap online) and pick one."
)

data = dataset()
paths = data.paths
base_url = static_base_url(st.get_option("server.baseUrlPath"))

if not auth.require_editor():
    snapshot = read_snapshot(paths.gazetteer, PLACE_COLUMNS, LABEL)
    st.header(f"{LABEL} (read-only)")
    st.dataframe(pd.DataFrame(list(snapshot.rows), columns=list(snapshot.columns)), hide_index=True)
    st.stop()

ws = state.workspace(state.Keys.PLACES, paths.gazetteer, PLACE_COLUMNS, LABEL, paths.root)
state.show_messages(ws)
state.show_flash(ws)  # no grid here to push down
state.offer_undo(ws, after=refresh)
if ws.snapshot.blocking:
    st.error(
        f"{LABEL} cannot be edited here until it is fixed by hand: rewriting it would lose rows."
    )
    for problem in ws.snapshot.blocking:
        safe.markdown_text(problem)  # it may quote the file's own header cells
    st.stop()
state.show_conflict(ws)

pending = ws.diff()
if ws.conflict is None and not pending.is_empty:
    # Only after a merge: the merged gazetteer differs from the disk by this editor's change.
    st.header("Your merged change, not saved yet")
    state.show_diff(pending, ws.snapshot.columns, key=state.Keys.widget("places:pending"))
    save_col, drop_col = st.columns(2)
    if save_col.button("Save the merged gazetteer", type="primary", width="stretch"):
        state.save(ws, list(ws.working), after=refresh)
        st.rerun()
    with drop_col:
        if state.confirmed_discard(ws, "Discard my change", key="places:discard-merged"):
            state.reload(ws, flash="Your change was discarded.")
            st.rerun()
    state.download_button(ws, "gazetteer-edited.csv")
    st.stop()

rows_by_id = {row["id"]: row for row in ws.snapshot.rows}
prefill = st.session_state.pop(state.Keys.PLACE_PREFILL, None)
prefill_id = ""
asked = str(st.query_params.get("name", "")).strip()[:200]
if asked:
    # A link from the events editor (?name=rokha_village): start a new place with that id.
    # Filling a form is all a query parameter may do here; saving still needs a click.
    del st.query_params["name"]
    if asked not in rows_by_id:
        prefill = asked.replace("_", " ").capitalize() if asked.islower() else asked
        prefill_id = asked if asked.islower() and " " not in asked else ""
picker_key = state.Keys.widget("places:which")
if prefill:
    st.session_state[picker_key] = NEW
choice = st.selectbox(
    "Place",
    [NEW, *sorted(rows_by_id)],
    format_func=lambda i: "A new place" if i == NEW else f"Fix: {rows_by_id[i]['name']} ({i})",
    key=picker_key,
)
original = rows_by_id.get(choice)


def field(name: str) -> str:
    """Widget key of a form field; per place, so switching places starts from that place."""
    return state.Keys.widget(f"places:{choice or 'new'}:{name}")


defaults = original or {
    "kind": "town",
    "precision": "town",
    "country": "AF",
    "uncertainty_km": "2",
}
for column in PLACE_COLUMNS:
    st.session_state.setdefault(field(column.name), defaults.get(column.name, ""))
if prefill:
    st.session_state[field("name")] = prefill
    st.session_state[field("id")] = prefill_id
touched = any(
    str(st.session_state[field(c.name)]).strip() != str(defaults.get(c.name, "")).strip()
    for c in PLACE_COLUMNS
)
# Follow saves made by others only while this form is untouched: once the editor types, the
# save is checked against the version they started from, so a stale save is caught (and
# merged) instead of silently overwriting a change made meanwhile.
if not touched and state.follow_disk(ws):
    st.rerun()

# --- 1. name and spellings ----------------------------------------------------------------------
st.header("1. Name and spellings")
name_col, variants_col = st.columns(2)
name_col.text_input(LABELS["name"], key=field("name"), help=helptext("name"))
variants_col.text_input(LABELS["variants"], key=field("variants"), help=helptext("variants"))

# --- 2. coordinates -----------------------------------------------------------------------------
st.header("2. Find the coordinates")
online = st.checkbox(
    "Also ask OpenStreetMap's online geocoder (Nominatim) if the offline sources find nothing",
    help="Sends the name over the internet; results are cited as ODbL with the fetch date.",
    key=state.Keys.widget("places:online"),
)
if st.button("Look up", key=state.Keys.widget("places:lookup")):
    names = [st.session_state[field("name")], *split_list(st.session_state[field("variants")])]
    # When fixing a place, look past its own gazetteer entry to the other sources.
    others = Gazetteer({k: v for k, v in data.gazetteer.places.items() if k != choice})
    result: Resolution | None = None
    try:
        geocoder = OnlineGeocoder() if online else None
        for name in [n for n in names if n.strip()]:
            result = resolve(name, others, online=geocoder)
            if result.candidates:
                break
    except GeocodingUnavailable as exc:
        safe.error(
            f"The online geocoder could not answer ({exc}). The offline sources found nothing "
            "for this name: enter the coordinates below with the source you took them from."
        )
    st.session_state[state.Keys.PLACE_LOOKUP] = (choice, result)

looked_up = st.session_state.get(state.Keys.PLACE_LOOKUP)
result = looked_up[1] if looked_up and looked_up[0] == choice else None
if result is not None:
    status_words = {
        "resolved": "found one place in the story's region",
        "ambiguous": "found several different places: pick the right one",
        "outside_region": "found only places far from the story's region (probably false friends)",
        "not_found": "found nothing",
    }
    safe.markdown_text(
        f"'{result.query}': {status_words[result.status]} (source tier: {result.tier or '-'})."
    )
    for warning in result.warnings:
        safe.warning(warning)
    if result.candidates:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "#": n,
                        "name": c.name,
                        "country": c.country,
                        "lat": c.lat,
                        "lon": c.lon,
                        "kind": c.kind,
                        "precision": c.precision,
                        "km from the valley": c.distance_km,
                        "source": c.source,
                    }
                    for n, c in enumerate(result.candidates, start=1)
                ]
            ),
            hide_index=True,
        )
        st_folium(
            preview_map(
                [
                    PreviewMarker(c.lat, c.lon, c.name, "candidate", 0.0, n)
                    for n, c in enumerate(result.candidates, start=1)
                ],
                base_url=base_url,
            ),
            key=state.Keys.widget("places:candidates"),
            height=300,
            use_container_width=True,
            returned_objects=[],
        )

        def use_candidate() -> None:
            picked = result.candidates[st.session_state[state.Keys.widget("places:pick")] - 1]
            row = place_row(
                picked,
                name=st.session_state[field("name")],
                variants=split_list(st.session_state[field("variants")]),
                existing_ids=rows_by_id,
                place_id=choice or None,
            )
            for column in ("kind", "lat", "lon", "precision", "uncertainty_km", "country"):
                st.session_state[field(column)] = row[column]
            st.session_state[field("source")] = row["source"]
            st.session_state[field("geonames_id")] = row["geonames_id"]
            if not st.session_state[field("id")]:
                st.session_state[field("id")] = row["id"]

        pick_col, use_col = st.columns([1, 2])
        pick_col.selectbox(
            "Candidate",
            list(range(1, len(result.candidates) + 1)),
            key=state.Keys.widget("places:pick"),
        )
        use_col.button(
            "Use this candidate's coordinates and source",
            on_click=use_candidate,
            key=state.Keys.widget("places:use"),
        )

# --- 3. the gazetteer row -----------------------------------------------------------------------
st.header("3. Check the details")
a, b, c, d = st.columns(4)
a.text_input(LABELS["id"], key=field("id"), help=helptext("id"), disabled=original is not None)
b.selectbox(LABELS["kind"], list(PLACE_KINDS), key=field("kind"), help=helptext("kind"))
c.selectbox(
    LABELS["precision"], list(PRECISIONS), key=field("precision"), help=helptext("precision")
)
d.text_input(LABELS["uncertainty_km"], key=field("uncertainty_km"), help=helptext("uncertainty_km"))
a, b, c, d = st.columns(4)
a.text_input(LABELS["lat"], key=field("lat"), help=helptext("lat"))
b.text_input(LABELS["lon"], key=field("lon"), help=helptext("lon"))
c.text_input(LABELS["country"], key=field("country"), help=helptext("country"))
d.text_input(LABELS["admin1"], key=field("admin1"), help=helptext("admin1"))
st.text_input(LABELS["source"], key=field("source"), help=helptext("source"))
a, b, c = st.columns(3)
a.text_input(LABELS["geonames_id"], key=field("geonames_id"), help=helptext("geonames_id"))
b.text_input(LABELS["area_ref"], key=field("area_ref"), help=helptext("area_ref"))
c.text_input(LABELS["not_in"], key=field("not_in"), help=helptext("not_in"))
st.text_input(LABELS["note"], key=field("note"), help=helptext("note"))

row = {column.name: str(st.session_state[field(column.name)]).strip() for column in PLACE_COLUMNS}
if original is None and all(row[c.name] == defaults.get(c.name, "") for c in PLACE_COLUMNS):
    # An untouched new-place form is not a place with errors yet.
    st.info("Type a name and look it up above, or fill in the details.")
    st.stop()
problems = place_problems(row, ws.snapshot.rows, replace_id=choice or None)
errors = [p for p in problems if p.severity == "error"]
# An empty required field is not a mistake yet: it is listed as still to fill in, not in red.


def empty(problem) -> bool:
    return problem.severity == "error" and bool(problem.column) and not row.get(problem.column)


to_fill = [p.column for p in errors if empty(p)]
for problem in problems:
    if empty(problem):
        continue
    name = LABELS.get(problem.column or "", problem.column)
    text = f"{name} ({problem.column}): {problem.message}" if problem.column else problem.message
    text += f" ({problem.hint})" if problem.hint else ""
    (safe.error if problem.severity == "error" else safe.warning)(text)
if to_fill:
    st.info(
        "Still to fill in before saving: "
        + ", ".join(f"{LABELS.get(c, c)} ({c})" for c in dict.fromkeys(to_fill))
        + "."
    )

rows = upsert_row(ws.snapshot.rows, row, replace_id=choice or None)
diff = diff_rows(ws.snapshot.rows, rows)
st.header("4. Save")
if diff.is_empty:
    st.info("No changes to save.")
else:
    state.show_diff(diff, ws.snapshot.columns, key=state.Keys.widget("places:diff"))
    if not errors:
        lat, lon, radius = float(row["lat"]), float(row["lon"]), float(row["uncertainty_km"])
        st_folium(
            preview_map(
                [
                    PreviewMarker(
                        lat, lon, row["name"], "added" if not original else "changed", radius
                    )
                ],
                base_url=base_url,
            ),
            key=state.Keys.widget("places:preview"),
            height=280,
            use_container_width=True,
            returned_objects=[],
        )
note = st.text_input(
    "Note for the history (optional)",
    key=ws.note_key,
    max_chars=500,
    help="Why you changed this place; shown with your save on the History page.",
)
if st.button(
    f"Save to {LABEL}",
    type="primary",
    disabled=bool(errors) or diff.is_empty or ws.conflict is not None,
    key=state.Keys.widget("places:save"),
):
    if state.save(ws, rows, after=refresh, note=note):
        for column in PLACE_COLUMNS:
            st.session_state.pop(field(column.name), None)
    st.rerun()
