"""Every save made in the app: who, when, which file, the rows it changed; restore any version.

Glue only: the log and the versions are lib.editing.history; a restore is lib.editing.history.restore, which
saves through lib.editing.saving like any edit (same lock, same conflict check, its own entry); the
login and the admin role are ui.auth. Viewing the history is open, like the data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.data.schema import REVIEW_STATES
from lib.data.storage import fingerprint
from lib.editing import history
from lib.editing.diff import diff_rows
from lib.editing.saving import ConflictError
from lib.editing.snapshot import SaveError, read_snapshot, snapshot_of
from ui import auth, render, safe
from ui import editor_state as state
from ui.data import dataset, refresh

ALL = ""
WHICH = {"after": "the version this save made", "before": "the version before this save"}

st.set_page_config(page_title="History", layout="wide")
st.html(render.STYLE)  # shared CSS: captions at AA contrast
st.title("History")
st.caption(
    "Every save made in the app: who saved, when, which file, the rows added, changed and "
    "deleted, and the editor's note. An admin can restore any earlier version; a restore is a "
    "save like any other, checked against changes made meanwhile, with its own entry."
)

data = dataset()
root = data.paths.root
found, unreadable = history.read_log(root)
for problem in unreadable:
    safe.warning(problem)
flash = st.session_state.pop(state.Keys.widget("history:flash"), None)
if flash:
    safe.success(flash)
if not found:
    st.info("No saves recorded yet. Saves made on the editor pages appear here.")
    st.stop()

# Account names (and display names) are for editors: a visitor sees what changed, not who.
show_names = auth.current() is not None
if not show_names:
    st.caption("Log in on an editor page to see who made each save.")


def who(entry: history.Entry) -> str:
    return entry.who_label if show_names else "an editor"


# --- filters ------------------------------------------------------------------------------------
files = sorted({e.file for e in found})
editors = sorted({e.who_label for e in found}) if show_names else []
event_key = state.Keys.widget("history:event")
if event_key not in st.session_state:
    # A link such as ?event=E012 (e.g. from the dashboard's panel) opens that event's saves.
    st.session_state[event_key] = str(st.query_params.get("event", ""))[:64]
file_col, who_col, event_col, review_col = st.columns(4)
file = file_col.selectbox(
    "File",
    [ALL, *files],
    format_func=lambda f: f or "all files",
    key=state.Keys.widget("history:file"),
)
editor = who_col.selectbox(
    "Editor",
    [ALL, *editors],
    format_func=lambda w: w or "everyone",
    key=state.Keys.widget("history:who"),
    disabled=not show_names,
)
event = event_col.text_input("Event or row id", key=event_key, help="e.g. E012 or kabul").strip()
review = review_col.selectbox(
    "Review state",
    [ALL, *REVIEW_STATES],
    format_func=lambda r: f"events now {r}" if r else "any",
    key=state.Keys.widget("history:review"),
    help="Saves that touched an event whose review state is now this one (e.g. every draft).",
)
rows = {e.id for e in data.events.events if e.review == review} if review else None
chosen = list(reversed(history.select(found, file=file, who=editor, event=event, rows=rows)))
st.write(f"{len(chosen)} of {len(found)} saves, newest first.")
if not chosen:
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "entry": e.id,
                "when": e.when,
                "who": who(e),
                "file": e.file,
                "action": e.action,
                "changes": e.summary,
                "rows": ", ".join(sorted(e.event_ids)[:10]),
                "note": e.note,
            }
            for e in chosen
        ]
    ),
    hide_index=True,
    key=state.Keys.widget("history:list"),
)

# --- one entry ----------------------------------------------------------------------------------
by_id = {e.id: e for e in chosen}
pick = st.selectbox(
    "Show the changes of",
    list(by_id),
    format_func=lambda i: f"{i}: {who(by_id[i])}, {by_id[i].file}, {by_id[i].summary}",
    key=state.Keys.widget("history:pick"),
)
entry = by_id[pick]
safe.subheader(f"{entry.file}, {entry.when}, by {who(entry)}")
if entry.note:
    st.text(f"Note: {entry.note}")
if entry.restored_from:
    safe.caption(f"A restore of the version from entry {entry.restored_from}.")
if entry.added:
    st.markdown(f"**Added ({len(entry.added)})**")
    st.dataframe(
        pd.DataFrame(list(entry.added)), hide_index=True, key=state.Keys.widget("history:added")
    )
if entry.changed:
    st.markdown(f"**Changed ({len(entry.changed)})**")
    cells = [
        {"row": change.get("key", ""), "column": column, "before": old, "after": new}
        for change in entry.changed
        for column, old, new in change.get("cells", [])
    ]
    st.dataframe(pd.DataFrame(cells), hide_index=True, key=state.Keys.widget("history:changed"))
if entry.deleted:
    st.markdown(f"**Deleted ({len(entry.deleted)})**")
    st.dataframe(
        pd.DataFrame(list(entry.deleted)), hide_index=True, key=state.Keys.widget("history:deleted")
    )
if not (entry.added or entry.changed or entry.deleted):
    st.caption("No row changed (only the file's formatting, or the file was created).")

# --- restore ------------------------------------------------------------------------------------
st.subheader("Restore a version")
if entry.file not in history.TRACKED:
    safe.info(f"{entry.file} is not a file the app saves; it cannot be restored here.")
    st.stop()
if not auth.require_editor():
    st.caption("Restoring needs an admin account.")
    st.stop()
identity = auth.current()
if identity is None or not identity.is_admin:
    st.info(
        "Restoring a version needs an admin account; ask an admin, or compare the versions above."
    )
    st.stop()
which = st.radio(
    "Restore",
    list(WHICH),
    format_func=WHICH.get,
    horizontal=True,
    disabled=entry.before is None,
    key=state.Keys.widget("history:which"),
)
path = root / entry.file
# The restore is checked against the file as it was when this choice was shown: a save made
# meanwhile by anyone is caught, like any stale save.
seen_key = state.Keys.HISTORY_PICK
seen = st.session_state.get(seen_key)
if not (isinstance(seen, tuple) and seen[:2] == (entry.id, which)):
    seen = (entry.id, which, fingerprint(path))
    st.session_state[seen_key] = seen
try:
    target = history.version(root, entry, which)
except history.RestoreError as exc:
    safe.error(exc)
    st.stop()
current = read_snapshot(path, (), entry.file)
wanted = snapshot_of(path, target, (), entry.file)
change = diff_rows(current.rows, wanted.rows)
if fingerprint(path) == history.digest_of(target):
    safe.info(f"{entry.file} on disk is already this version: nothing to restore.")
    st.stop()
safe.markdown_text(f"Restoring changes {entry.file} as it is now: {change.summary()}.")
state.show_diff(change, wanted.columns or current.columns, key=state.Keys.widget("history:restore"))
note = st.text_input(
    "Note for the history (optional)", key=state.Keys.widget("history:note"), max_chars=500
)
if st.button(
    f"Restore {entry.file} to {WHICH[which]}",
    type="primary",
    key=state.Keys.widget("history:go"),
):
    try:
        identity = auth.ensure_editor()
        if not identity.is_admin:
            raise PermissionError("restoring needs an admin account")
        done = history.restore(
            root, entry, seen[2], who=identity.name, who_label=identity.label,
            email=identity.email, which=which, note=note,
        )  # fmt: skip
    except ConflictError:
        st.session_state.pop(seen_key, None)
        safe.error(
            f"{entry.file} was changed by someone else since you opened this version; nothing "
            "was restored. Look at the changes again, then restore."
        )
    except (PermissionError, SaveError, history.RestoreError) as exc:
        safe.error(f"Not restored: {exc}")
    else:
        refresh()
        st.session_state.pop(seen_key, None)
        message = f"Restored {entry.file} ({change.summary()}): history entry {done.entry.id}."
        if done.git:
            message += f" {done.git[:1].upper()}{done.git[1:]}."
        st.session_state[state.Keys.widget("history:flash")] = message
        st.rerun()
