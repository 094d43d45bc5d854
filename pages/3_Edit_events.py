"""Edit events.csv in a table: validated as you type, a diff and a map before saving, safe saves.

Glue only: the rules are lib.events.validate_rows (the loader's), saving and merging are
lib.editing, the working copy and the save flow are ui.editor_state, the login is ui.auth.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib import editing
from lib.events import validate_rows
from lib.offline import static_base_url
from lib.problems import Problem
from lib.schema import DATE_PRECISIONS, EVENT_COLUMNS, EVENT_TYPES, STATUSES
from lib.text import split_list
from ui import auth, render
from ui import editor_state as state
from ui.data import dataset, refresh

st.set_page_config(page_title="Edit events", layout="wide")
st.html(render.STYLE)  # shared CSS: captions at AA contrast
st.title("Edit events")
st.caption(
    "Changes are checked with the same rules as the loader, shown as a diff and on a map, and "
    "written only when you save. Every save keeps the previous version as a backup."
)

data = dataset()
paths = data.paths
HELP = {c.name: c.help for c in EVENT_COLUMNS}
DISPLAY_FIRST = [
    "id",
    "date",
    "date_precision",
    "places",
    "event_type",
    "status",
    "claimant",
    "summary",
    editing.FIRST_ARTICLE,
    editing.MORE_ARTICLES,
    "quote",
]

if not auth.require_editor():
    snapshot = editing.read_snapshot(paths.events, EVENT_COLUMNS, "events.csv")
    st.header("events.csv (read-only)")
    st.dataframe(pd.DataFrame(list(snapshot.rows), columns=list(snapshot.columns)), hide_index=True)
    st.stop()

ws = state.workspace(state.Keys.EVENTS, paths.events, EVENT_COLUMNS, "events.csv", paths.root)
state.follow_disk(ws)
state.show_messages(ws)
if ws.snapshot.blocking:
    st.error(
        "events.csv cannot be edited here until it is fixed by hand: rewriting it now would "
        "lose rows. `python -m lib.check` lists every problem."
    )
    for problem in ws.snapshot.blocking:
        st.write(str(problem))
    st.stop()
state.show_conflict(ws)

columns = list(ws.snapshot.columns)
place_ids = sorted(data.gazetteer.places)
article_ids = sorted(data.articles)
# The pickers' options come from the data set; when it changes, the grid is rebuilt (losslessly,
# from the working copy) so that a new article or place can be chosen.
signature = (tuple(place_ids), tuple(article_ids))


def build_grid(rows):
    frame = editing.events_to_frame(rows, columns)

    def picker(column, options, help_text):
        return st.column_config.SelectboxColumn(
            column, options=editing.with_present(options, frame[column]), help=help_text
        )

    config = {
        "id": st.column_config.TextColumn("id", help=HELP["id"], pinned=True),
        "date": st.column_config.TextColumn("date", help=HELP["date"] + ", e.g. 2021-09-02"),
        "date_precision": picker("date_precision", DATE_PRECISIONS, HELP["date_precision"]),
        "places": st.column_config.TextColumn(
            "places", help=HELP["places"] + ". Known ids: " + ", ".join(place_ids)
        ),
        "event_type": picker("event_type", EVENT_TYPES, HELP["event_type"]),
        "status": picker("status", STATUSES, HELP["status"]),
        "summary": st.column_config.TextColumn("summary", help=HELP["summary"], width="large"),
        "quote": st.column_config.TextColumn("quote", help=HELP["quote"], width="large"),
        editing.FIRST_ARTICLE: picker(
            editing.FIRST_ARTICLE, article_ids, "the article the quote comes from"
        ),
        editing.MORE_ARTICLES: st.column_config.TextColumn(
            editing.MORE_ARTICLES, help="other articles reporting it, by id, separated by ';'"
        ),
    }
    for name in columns:
        if name in HELP and name not in config and name != "articles":
            config[name] = st.column_config.TextColumn(name, help=HELP[name])
    # What editors change most comes first; the file keeps its own column order.
    shown = editing.editor_columns(columns)
    order = [c for c in DISPLAY_FIRST if c in shown] + [c for c in shown if c not in DISPLAY_FIRST]
    return frame, {"column_config": config, "column_order": order, "signature": signature}


frame, grid = state.grid_input(ws, build_grid)
st.caption(
    state.loaded_caption(ws) + " Add a row at the bottom of the table; select rows by their "
    "number to delete them. Row numbers below refer to the numbers at the left of the table."
)
edited = st.data_editor(
    frame,
    key=ws.grid_key,
    num_rows="dynamic",
    column_config=grid["column_config"],
    column_order=grid["column_order"],
    hide_index=False,
    width="stretch",
    height=420,
)
numbered = editing.events_from_frame(edited, columns)
ws.working = [row for _, row in numbered]
if grid["signature"] != signature:
    state.set_working(ws, ws.working)
    st.rerun()

# --- live validation: the loader's rules, on the rows as typed ---------------------------------
table = validate_rows(numbered, data.context)
ids = {number: row.get("id", "") for number, row in numbered}


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "row": p.row,
                "event": ids.get(p.row, ""),
                "column": p.column or "",
                "problem": p.message,
                "how to fix": p.hint,
            }
            for p in problems
        ],
        columns=["row", "event", "column", "problem", "how to fix"],
    )


errors = [p for p in table.problems if p.severity == "error"]
warnings = [p for p in table.problems if p.severity != "error"]
if errors:
    rows_with_errors = len({p.row for p in errors})
    st.error(
        f"{len(errors)} problem(s) in {rows_with_errors} row(s) must be fixed before saving. "
        "Your edits are kept while you fix them."
    )
    st.dataframe(problem_table(errors), hide_index=True, key=state.Keys.widget("events:errors"))
if warnings:
    st.warning(f"{len(warnings)} warning(s); they do not block saving.")
    st.dataframe(problem_table(warnings), hide_index=True, key=state.Keys.widget("events:warn"))

# --- what will change ---------------------------------------------------------------------------
diff = ws.diff()
st.header("Your changes")
if diff.is_empty:
    st.info("No changes yet: the table is the same as events.csv on disk.")
else:
    st.write(f"Compared with events.csv as you loaded it: {diff.summary()}.")
    state.show_diff(diff, columns, key=state.Keys.widget("events:diff"))
    markers = []
    unplaced = []
    for kind, rows in (
        ("added", diff.added),
        ("changed", [c.new for c in diff.changed]),
        ("deleted", diff.deleted),
    ):
        for row in rows:
            found = False
            for place_id in split_list(row.get("places", "")):
                place = data.gazetteer.places.get(place_id)
                if place is None:
                    continue
                found = True
                markers.append(
                    editing.PreviewMarker(
                        place.lat,
                        place.lon,
                        f"{row.get('id', '')} at {place.name} ({kind})",
                        kind,
                        # a country-wide circle would cover the whole preview
                        0.0 if place.is_pin else min(place.uncertainty_km, 60.0),
                        detail=row.get("summary", ""),
                    )
                )
            if not found:
                unplaced.append(row.get("id", "") or "(no id)")
    st.markdown("**On the map** (green: added, amber: changed, grey: deleted)")
    if unplaced:
        st.caption("Not on the map (no known place): " + ", ".join(unplaced))
    st_folium(
        editing.preview_map(markers, base_url=static_base_url(st.get_option("server.baseUrlPath"))),
        key=state.Keys.widget("events:map"),
        height=320,
        use_container_width=True,
        returned_objects=[],
    )

# --- save -----------------------------------------------------------------------------------------
left, middle, right = st.columns([1, 1, 1])
blocked_by = (
    "fix the problems above first"
    if errors
    else "resolve the conflict above first"
    if ws.conflict
    else "there is nothing to save"
    if diff.is_empty
    else ""
)
if left.button(
    "Save events.csv",
    type="primary",
    disabled=bool(blocked_by),
    help=f"Disabled: {blocked_by}." if blocked_by else "Write your changes to events.csv.",
    key=state.Keys.widget("events:save"),
    width="stretch",
):
    state.save(ws, list(ws.working), after=refresh)
    st.rerun()
with middle:
    state.download_button(ws, "events-edited.csv")
if right.button(
    "Discard my changes",
    disabled=diff.is_empty,
    key=state.Keys.widget("events:discard"),
    width="stretch",
):
    state.reload(ws, flash="Your unsaved changes were discarded; the table is events.csv on disk.")
    st.rerun()
