"""Edit events.csv in a table: validated as you type, a diff and a map before saving, safe saves.

Glue only: the rules are lib.data.checks.check_rows (the loader's schema and the editorial checks of
`python -m lib check`), saving and merging are lib.editing.saving and .merge, the working copy and the save flow
are ui.editor_state, the login is ui.auth.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError
from streamlit_folium import st_folium

from lib.data.checks import check_rows
from lib.data.gazetteer import ID_PATTERN as PLACE_ID
from lib.data.problems import Problem
from lib.data.schema import DATE_PRECISIONS, EVENT_COLUMNS, EVENT_TYPES, STATUSES, labels
from lib.data.text import markdown_escape, split_list
from lib.editing import review_list
from lib.editing.grid import (
    FIRST_ARTICLE,
    MORE_ARTICLES,
    editor_columns,
    events_from_frame,
    events_to_frame,
    with_present,
)
from lib.editing.preview import PreviewMarker, preview_map
from lib.editing.snapshot import read_snapshot
from lib.map.offline import static_base_url
from ui import auth, render, safe
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
HELP[FIRST_ARTICLE] = "the article the quote comes from"
HELP[MORE_ARTICLES] = "other articles reporting it, by id, separated by ';'"
#: What the grid's headers say (the columns' titles in datapackage.json); the column's own name
#: is in its help.
LABELS = {
    **labels("events"),
    FIRST_ARTICLE: "Article",
    MORE_ARTICLES: "More articles",
}
UNKNOWN_PLACE = re.compile(r"^unknown place '(.+)'$")


def label(name: str) -> str:
    return LABELS.get(name, name)


def helptext(name: str, extra: str = "") -> str:
    if name == FIRST_ARTICLE:
        where = "Goes first into column `articles`"
    elif name == MORE_ARTICLES:
        where = "Go after the first into column `articles`"
    else:
        where = f"Column `{name}`"
    return f"{where}: {HELP.get(name, '')}{extra}"


DISPLAY_FIRST = [
    "id",
    "date",
    "date_precision",
    "places",
    "event_type",
    "status",
    "claimant",
    "summary",
    FIRST_ARTICLE,
    MORE_ARTICLES,
    "quote",
    "place_basis",
    "acknowledged",
]

if not auth.require_editor():
    snapshot = read_snapshot(paths.events, EVENT_COLUMNS, "events.csv")
    st.header("events.csv (read-only)")
    st.dataframe(pd.DataFrame(list(snapshot.rows), columns=list(snapshot.columns)), hide_index=True)
    st.stop()

ws = state.workspace(state.Keys.EVENTS, paths.events, EVENT_COLUMNS, "events.csv", paths.root)
state.follow_disk(ws)
state.show_messages(ws)
if ws.snapshot.blocking:
    st.error(
        "events.csv cannot be edited here until it is fixed by hand: rewriting it now would "
        "lose rows. `python -m lib check` lists every problem."
    )
    for problem in ws.snapshot.blocking:
        safe.markdown_text(problem)  # it may quote the file's own header cells
    st.stop()
state.show_conflict(ws)

columns = list(ws.snapshot.columns)
place_ids = sorted(data.gazetteer.places)
article_ids = sorted(data.articles)
# The pickers' options come from the data set; when it changes, the grid is rebuilt (losslessly,
# from the working copy) so that a new article or place can be chosen.
signature = (tuple(place_ids), tuple(article_ids))


def build_grid(rows):
    frame = events_to_frame(rows, columns)

    def picker(column, options, extra=""):
        return st.column_config.SelectboxColumn(
            label(column),
            options=with_present(options, frame[column]),
            help=helptext(column, extra),
        )

    def text(column, extra="", **kwargs):
        return st.column_config.TextColumn(label(column), help=helptext(column, extra), **kwargs)

    config = {
        # New rows have no number until saved; the messages call them "new 1", "new 2".
        "_index": st.column_config.NumberColumn(
            "Row", help="Row number; rows you add show none until saved ('new 1', 'new 2' below)"
        ),
        "id": text("id", pinned=True),
        "date": text("date", ", e.g. 2021-09-02"),
        "date_precision": picker("date_precision", DATE_PRECISIONS),
        "places": text("places", ". Known ids: " + ", ".join(place_ids)),
        "event_type": picker("event_type", EVENT_TYPES),
        "status": picker("status", STATUSES),
        "summary": text("summary", width="large"),
        "quote": text("quote", width="large"),
        FIRST_ARTICLE: picker(FIRST_ARTICLE, article_ids),
        MORE_ARTICLES: text(MORE_ARTICLES),
    }
    for name in columns:
        if name in HELP and name not in config and name != "articles":
            config[name] = text(name)
    # What editors change most comes first; the file keeps its own column order.
    shown = editor_columns(columns)
    order = [c for c in DISPLAY_FIRST if c in shown] + [c for c in shown if c not in DISPLAY_FIRST]
    return frame, {"column_config": config, "column_order": order, "signature": signature}


frame, grid = state.grid_input(ws, build_grid)
st.caption(
    state.loaded_caption(ws) + " Add a row at the bottom of the table (a row left blank is "
    "ignored); select rows at the left to delete them. Messages name rows by the number at the "
    "left, and the rows you add as 'new 1', 'new 2', in order."
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
numbered = events_from_frame(edited, columns)
ws.working = [row for _, row in numbered]
if grid["signature"] != signature:
    state.set_working(ws, ws.working)
    st.rerun()
state.warn_unsaved(ws)  # a reload brings the edits back; leaving the page asks first

# --- live validation: what `python -m lib check` would say of the rows as typed ---------------
# With a second approver required, approving a row you wrote is an error like any other.
checked = sorted(
    check_rows(numbered, data.context) + state.self_approvals(ws, numbered),
    key=lambda p: p.row or 0,
)
ids = {number: row.get("id", "") for number, row in numbered}
loaded_rows = len(frame)


def row_name(number: int | None) -> str:
    """The number at the left of the grid, or 'new k' for the k-th row added (which the grid
    shows without a number)."""
    if number is None:
        return ""
    return str(number) if number <= loaded_rows else f"new {number - loaded_rows}"


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "row": row_name(p.row),
                "event": ids.get(p.row, ""),
                "column": p.column or "",
                "problem": p.message,
                "how to fix": p.hint,
            }
            for p in problems
        ],
        columns=["row", "event", "column", "problem", "how to fix"],
    )


errors = [p for p in checked if p.severity == "error"]
warnings = [p for p in checked if p.severity != "error"]
if errors:
    rows_with_errors = len({p.row for p in errors})
    st.error(
        f"{len(errors)} problem(s) in {rows_with_errors} row(s) must be fixed before saving. "
        "Your edits are kept while you fix them."
    )
    st.dataframe(problem_table(errors), hide_index=True, key=state.Keys.widget("events:errors"))
    unknown = dict.fromkeys(
        m.group(1) for p in errors if p.column == "places" and (m := UNKNOWN_PLACE.match(p.message))
    )
    for place_id in list(unknown)[:10]:
        if not PLACE_ID.match(place_id):
            # Not an id the gazetteer could take: no link carrying it (the table says why).
            continue
        try:
            st.page_link(
                "pages/4_Edit_places.py",
                label=f"Add the place '{markdown_escape(place_id)}' on Edit places "
                "(your edits here are kept)",
                query_params={"name": place_id},
                icon="➕",
            )
        except StreamlitPageNotFoundError:  # this page was started on its own, not the app
            safe.caption(f"Add the place '{place_id}' on the Edit places page.")
if warnings:
    st.warning(
        f"{len(warnings)} warning(s); they do not block saving."
        + (
            " A warning is a judgement: when you have checked the row and it is right, add the "
            "code named under 'how to fix' to the row's 'Acknowledged warnings' column, and it "
            "is no longer reported."
            if any(p.code for p in warnings)
            else ""
        )
    )
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
                    PreviewMarker(
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
        safe.caption("Not on the map (no known place): " + ", ".join(unplaced))
    st_folium(
        preview_map(markers, base_url=static_base_url(st.get_option("server.baseUrlPath"))),
        key=state.Keys.widget("events:map"),
        height=320,
        use_container_width=True,
        returned_objects=[],
    )

# --- save -----------------------------------------------------------------------------------------
note = st.text_input(
    "Note for the history (optional)",
    key=ws.note_key,
    max_chars=500,
    help="Why you changed these rows; shown with your save on the History page.",
)
deletions_ok = state.delete_confirmed(ws, len(diff.deleted))
left, middle, right = st.columns([1, 1, 1])
blocked_by = (
    "fix the problems above first"
    if errors
    else "resolve the conflict above first"
    if ws.conflict
    else "there is nothing to save"
    if diff.is_empty
    else f"tick 'Yes, delete {len(diff.deleted)} rows' above first"
    if not deletions_ok
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
    state.save(ws, list(ws.working), after=refresh, note=note)
    st.rerun()
with middle:
    state.download_button(ws, "events-edited.csv")
with right:
    if not diff.is_empty and state.confirmed_discard(
        ws,
        "Discard my changes",
        key="events:discard",
        changes=len(diff.added) + len(diff.changed) + len(diff.deleted),
    ):
        state.reload(
            ws, flash="Your unsaved changes were discarded; the table is events.csv on disk."
        )
        st.rerun()
state.show_flash(ws)  # under the buttons: nothing above the grid moves when it appears
state.offer_undo(ws, after=refresh)

# --- rows waiting for approval, on the map ------------------------------------------------------
has_review = "review" in columns
waiting = [r for r in ws.working if review_list.review_state(r, has_review) != "approved"]
if waiting:
    st.header("Drafts on the map")
    st.caption(
        f"{len(waiting)} row(s) in the table are drafts or ready for approval: readers do not see "
        "them. They are drawn dashed, among the approved events, as the table has them now."
    )
    points, drafted, unplaced = review_list.map_markers(
        [r for r in ws.working if review_list.review_state(r, has_review) == "approved"],
        waiting,
        data.gazetteer.places,
    )
    if unplaced:
        safe.caption("Not on the map (no known place): " + ", ".join(unplaced))
    st_folium(
        preview_map(
            points + drafted,
            base_url=static_base_url(st.get_option("server.baseUrlPath")),
            legend=review_list.MAP_LEGEND,
            fit=drafted,
        ),
        key=state.Keys.widget("events:drafts-map"),
        height=360,
        use_container_width=True,
        returned_objects=[],
    )
