"""Session state of the editor pages: every key, the working copies, and the save flow.

All session-state keys the editor pages use are declared in `Keys`, here and nowhere else.

A `Workspace` is one editor's copy of one data file: the `Snapshot` they loaded (rows plus the
fingerprint of the bytes) and their working rows. It lives in session state, so what an editor
typed survives reruns, switching pages, and failed saves. Saving goes through `save`, which
checks the login (``ui.auth.ensure_editor``) itself, so no page can write without it.

``st.data_editor`` needs care to keep edits: with ``num_rows="dynamic"`` its widget identity is
a hash of the data *and* the column config it is given, and its state is a list of edits
relative to that data. So the frame and the config are built once per `Workspace.version` and
passed unchanged on every rerun; the version (part of the widget key) is bumped whenever the
working copy changes from outside the grid (load, merge). When the widget is mounted
afresh (first visit, or coming back from another page, which drops widget state), the grid is
rebuilt from the working copy, so nothing is lost there either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from lib.data.problems import Problem
from lib.data.schema import Column
from lib.data.storage import fingerprint
from lib.data.text import markdown_escape
from lib.editing import history, review, review_list
from lib.editing.diff import Diff, diff_rows
from lib.editing.merge import MINE, THEIRS, Merge, merge_rows
from lib.editing.saving import BACKUP_DIR, ConflictError, save_bytes
from lib.editing.snapshot import Row, SaveError, Snapshot, read_snapshot, snapshot_of
from lib.map.offline import STATIC_DIR
from ui import auth, drafts, render, safe
from ui.keys import PREFIX, Keys  # noqa: F401 (the pages read them as state.Keys)


@dataclass
class PendingConflict:
    """A save refused because the file changed on disk: what is there now, and the merge."""

    disk: Snapshot
    merge: Merge
    mine: list[Row]


@dataclass
class Workspace:
    """One editor's working copy of one file (see the module docstring)."""

    key: str
    spec: Sequence[Column]
    backup_root: Path
    snapshot: Snapshot
    working: list[Row]
    version: int = 0
    grid: pd.DataFrame | None = None  # st.data_editor input for this version (never mutated)
    grid_config: dict[str, Any] = field(default_factory=dict)
    conflict: PendingConflict | None = None
    flash: str | None = None
    error: str | None = None
    saves: int = 0  # saves made from this workspace: part of the note field's key

    @property
    def note_key(self) -> str:
        """Key of the page's history note: a new (empty) field after each save, since deleting
        a widget's state does not clear what the browser still shows."""
        return Keys.widget(f"{self.name}:note:{self.saves}")

    @property
    def path(self) -> Path:
        return self.snapshot.path

    @property
    def label(self) -> str:
        return self.snapshot.label

    @property
    def name(self) -> str:
        """Short name for widget keys: 'events', 'places'."""
        return self.key.removeprefix(PREFIX)

    @property
    def grid_key(self) -> str:
        return Keys.widget(f"{self.name}:grid:{self.version}")

    def diff(self) -> Diff:
        """The working copy against what was loaded."""
        return diff_rows(self.snapshot.rows, self.working)

    def csv(self) -> bytes:
        """The working copy as the file's bytes, for the download button."""
        return self.snapshot.encode(self.working)


def workspace(key: str, path: Path, spec: Sequence[Column], label: str, root: Path) -> Workspace:
    """This session's workspace for ``path``, loaded from disk on first use.

    A workspace for another data directory (``DASHBOARD_DATA_DIR`` changed) is replaced. A new
    session of a browser that left unsaved edits (a reload) gets them back from `keep_draft`.
    """
    ws = st.session_state.get(key)
    if not isinstance(ws, Workspace) or ws.path != Path(path):
        draft = _take_draft(Path(path))
        if draft is not None:
            snapshot, rows = draft
            ws = Workspace(key, spec, Path(root) / BACKUP_DIR, snapshot, rows)
            ws.flash = (
                "Your unsaved edits from before the reload are back. They are checked "
                f"against {label} as you loaded it, so a save made meanwhile is caught."
            )
        else:
            snapshot = read_snapshot(Path(path), spec, label)
            ws = Workspace(key, spec, Path(root) / BACKUP_DIR, snapshot, list(snapshot.rows))
        st.session_state[key] = ws
    return ws


# --- drafts: unsaved edits that survive a reload ------------------------------------------------

_UNSAVED_JS = (STATIC_DIR / "editors" / "unsaved.js").read_text(encoding="utf-8")
_unsaved_component = None


def _login_nonce() -> str | None:
    held = st.session_state.get(Keys.LOGIN)
    return held[2] if isinstance(held, tuple) and len(held) == 3 else None


def keep_draft(ws: Workspace) -> None:
    """Remember this editor's unsaved working copy of ``ws`` (or forget it when there is none)."""
    nonce = _login_nonce()
    if nonce is None:
        return
    if ws.diff().is_empty:
        drafts.drop(nonce, str(ws.path))
    else:
        drafts.put(nonce, str(ws.path), (ws.snapshot, list(ws.working)))


def _take_draft(path: Path) -> tuple[Snapshot, list[Row]] | None:
    nonce = _login_nonce()
    return None if nonce is None else drafts.get(nonce, str(path))


def warn_unsaved(ws: Workspace) -> None:
    """Keep the draft, and make the browser ask before the page is left (reload, closed tab,
    a swipe back) while there are unsaved edits. Switching to another page of the app keeps
    the edits in the session and asks nothing."""
    global _unsaved_component
    keep_draft(ws)
    if _unsaved_component is None:
        _unsaved_component = st.components.v2.component("newsmap_unsaved", js=_UNSAVED_JS)
    _unsaved_component(
        data={"dirty": not ws.diff().is_empty}, key=Keys.widget(f"{ws.name}:unsaved"), height=0
    )
    st.html(render.stylesheet("editors.css"))  # no swipe-to-go-Back over the grid


def reload(ws: Workspace, flash: str | None = None) -> None:
    """Drop the working copy and load the file from disk again."""
    ws.snapshot = read_snapshot(ws.path, ws.spec, ws.label)
    set_working(ws, list(ws.snapshot.rows))
    ws.conflict = None
    ws.error = None
    ws.flash = flash


def set_working(ws: Workspace, rows: list[Row]) -> None:
    """Replace the working copy from outside the grid (the grid is rebuilt from it)."""
    ws.working = rows
    ws.version += 1
    ws.grid = None


def follow_disk(ws: Workspace) -> bool:
    """Reload when the file changed on disk and this editor has no unsaved changes.

    Returns True when it reloaded. With unsaved changes nothing happens here: the save detects
    the change and offers the merge.
    """
    if ws.conflict is None and ws.diff().is_empty:
        if fingerprint(ws.path) != ws.snapshot.fingerprint:
            reload(ws)
            return True
    return False


def grid_input(
    ws: Workspace, build: Callable[[list[Row]], tuple[pd.DataFrame, dict[str, Any]]]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame and column config to give ``st.data_editor`` for this version.

    ``build(rows)`` makes them from the working copy; it is called only when the grid is mounted
    afresh, so the editor's identity (a hash of both) stays the same while the editor types.
    """
    if ws.grid is None or ws.grid_key not in st.session_state:
        ws.grid, ws.grid_config = build(list(ws.working))
    return ws.grid, ws.grid_config


def save(
    ws: Workspace,
    rows: list[Row],
    *,
    after: Callable[[], None] | None = None,
    note: str = "",
) -> bool:
    """Write ``rows`` to the workspace's file against the fingerprint the editor loaded, and
    record the save in the history under the editor's name with ``note``.

    On success the workspace holds the saved version and ``after`` runs (the pages pass
    ``ui.data.refresh``). On a conflict the merge is prepared in ``ws.conflict``; on any other
    failure (including a login that is no longer valid) ``ws.error`` says what happened. The
    working copy is kept in every case. The file keeps its own line endings and BOM.
    """

    ws.error = None
    try:
        identity = auth.ensure_editor()
    except PermissionError as exc:
        ws.working = list(rows)
        ws.error = f"Not saved: {exc}"
        return False
    # Checked here too, not only by the page: the page's check ran before the click.
    refused = (
        review.self_approvals(
            ws.snapshot.rows, list(enumerate(rows, start=2)), identity.name, ws.backup_root.parent
        )
        if ws.key == Keys.EVENTS
        else []
    )
    if refused:
        ws.working = list(rows)
        ws.error = "Not saved: " + " ".join(
            f"Line {p.row} of {ws.label}, field '{p.column}': {p.message} ({p.hint})."
            for p in refused
        )
        return False
    diff = diff_rows(ws.snapshot.rows, rows)
    try:
        data = ws.snapshot.encode_checked(rows)
    except SaveError as exc:
        ws.working = list(rows)
        ws.error = str(exc)
        return False
    recorder = history.Recorder(
        ws.backup_root.parent, ws.label, identity.name, identity.label, identity.email, note=note
    )
    try:
        saved = save_bytes(
            ws.path,
            data,
            ws.snapshot.fingerprint,
            backup_root=ws.backup_root,
            label=ws.label,
            journal=recorder,
        )
    except ConflictError as exc:
        disk = read_snapshot(ws.path, ws.spec, ws.label)
        merge = merge_rows(ws.snapshot.rows, rows, disk.rows, disk.columns)
        ws.conflict = PendingConflict(disk, merge, list(rows))
        ws.working = list(rows)
        ws.error = str(exc)
        return False
    except SaveError as exc:
        ws.working = list(rows)
        ws.error = str(exc)
        return False
    ws.snapshot = snapshot_of(ws.path, data, ws.spec, ws.label)
    set_working(ws, list(ws.snapshot.rows))
    ws.conflict = None
    ws.saves += 1
    kept = ""
    if saved.backup is not None:
        where = saved.backup.relative_to(ws.backup_root.parent)
        kept = f" The previous version is kept as {where}."
    if recorder.entry is not None:
        kept += f" History entry {recorder.entry.id}, by {identity.label}."
    if recorder.git:
        kept += f" {recorder.git[:1].upper()}{recorder.git[1:]}."
    ws.flash = f"Saved {ws.label} ({diff.summary()}).{kept}"
    if after is not None:
        after()
    return True


def self_approvals(
    ws: Workspace, rows: Sequence[tuple[int | None, Row]], who: str | None = None
) -> list[Problem]:
    """Rows of an events.csv save that would approve a row its own editor wrote, when the
    setting ``DASHBOARD_REVIEW_SECOND_PERSON`` is on (``lib.editing.review.self_approvals``);
    ``who`` defaults to the editor logged in. Empty for any other file."""
    if ws.key != Keys.EVENTS:
        return []
    if who is None:
        identity = auth.current()
        if identity is None:
            return []
        who = identity.name
    return review.self_approvals(ws.snapshot.rows, rows, who, ws.backup_root.parent)


def accept_merge(ws: Workspace, choices: Mapping[str, str]) -> None:
    """Make the merged rows the working copy, based on the version now on disk."""
    pending = ws.conflict
    if pending is None:
        return
    rows = pending.merge.rows(choices)
    ws.snapshot = pending.disk
    set_working(ws, rows)
    ws.conflict = None
    ws.error = None
    ws.flash = (
        f"Merged your changes with the version of {ws.label} on disk. Check the table and the "
        "changes below, then save again."
    )


# --- views shared by the editor pages ----------------------------------------------------------


#: Changed values longer than this (characters) are also shown whole under the diff table.
LONG_CELL = 60


def _frame(records: Sequence[Mapping[str, str]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame([{c: r.get(c, "") for c in columns} for r in records], columns=columns)


def show_diff(diff: Diff, columns: Sequence[str], *, key: str) -> None:
    """Added, changed (column: before → after) and deleted rows, as tables (never as markdown,
    so the data's own characters are shown as they are)."""
    if diff.added:
        st.markdown(f"**Added ({len(diff.added)})**")
        st.dataframe(_frame(diff.added, columns), hide_index=True, key=f"{key}:added")
    if diff.changed:
        st.markdown(f"**Changed ({len(diff.changed)})**")
        cells = [
            {"row": change.key, "column": cell.column, "before": cell.old, "after": cell.new}
            for change in diff.changed
            for cell in change.cells
        ]
        st.dataframe(pd.DataFrame(cells), hide_index=True, key=f"{key}:changed")
        long = [c for c in cells if max(len(c["before"]), len(c["after"])) > LONG_CELL]
        if long:
            # A table cell cuts long text; these are shown whole, as plain text.
            with st.expander(f"Long values in full ({len(long)})"):
                for cell in long:
                    st.text(
                        f"{cell['row']}, {cell['column']}\nbefore: {cell['before']}\n"
                        f"after:  {cell['after']}"
                    )
    if diff.deleted:
        st.markdown(f"**Deleted ({len(diff.deleted)})**")
        st.dataframe(_frame(diff.deleted, columns), hide_index=True, key=f"{key}:deleted")


def show_messages(ws: Workspace) -> None:
    """Why the last save failed, at the top of the page. The result of a save is shown by
    `show_flash` where the editor clicked: a banner at the top pushed the grid down under the
    pointer, and the next click landed on another row."""
    # Both name the editor (a display name is theirs to choose) and may quote the data.
    if ws.error and ws.conflict is None:
        safe.error(ws.error + " Your edits are still here; download them below to keep a copy.")


def show_flash(ws: Workspace) -> None:
    """The result of the last action in full, where it is called (below the save button)."""
    if ws.flash:
        safe.success(ws.flash)
        ws.flash = None


def offer_undo(ws: Workspace, *, after: Callable[[], None] | None = None) -> None:
    """ "Undo my last save" when the newest save of this file is this editor's own and nothing
    is pending here. The undo is a new save of the version before it (``action`` ``undo``),
    checked against the file as this editor loaded it, like any save."""

    identity = auth.current()
    if identity is None or ws.conflict is not None or not ws.diff().is_empty:
        return
    root = ws.backup_root.parent
    last = history.undoable(root, ws.label, identity.name)
    if last is None:
        return
    if st.button(
        f"Undo my last save ({last.when}: {last.summary})",
        key=Keys.widget(f"{ws.name}:undo:{last.id}"),
        help="Saves the version from before your save as a new save; the history keeps both.",
    ):
        try:
            identity = auth.ensure_editor()
            done = history.restore(
                root, last, ws.snapshot.fingerprint, who=identity.name,
                who_label=identity.label, email=identity.email, which="before",
                note=f"undid my save {last.id}", action="undo",
            )  # fmt: skip
        except ConflictError:
            ws.error = (
                f"Not undone: {ws.label} was changed by someone else since you loaded it. "
                "Look at it again; the History page can restore any version."
            )
        except (PermissionError, SaveError, history.RestoreError) as exc:
            ws.error = f"Not undone: {exc}"
        else:
            if after is not None:
                after()
            reload(ws)
            ws.flash = (
                f"Undid your save of {last.when} ({last.summary}): history entry {done.entry.id}."
            )
        st.rerun()


def show_conflict(ws: Workspace) -> None:
    """What changed on disk since the editor loaded the file, and the merge to accept."""
    pending = ws.conflict
    if pending is None:
        return
    safe.error(ws.error or f"{ws.label} changed on disk since you loaded it.")
    st.markdown(f"**What changed on disk since you loaded {ws.label}**")
    disk_diff = diff_rows(ws.snapshot.rows, pending.disk.rows)
    if disk_diff.is_empty:
        st.caption("Only the file's formatting changed; no row is different.")
    show_diff(disk_diff, pending.disk.columns, key=Keys.widget(f"{ws.name}:disk"))
    choices: dict[str, str] = {}
    if pending.merge.conflicts:
        st.markdown(
            f"**{len(pending.merge.conflicts)} row(s) were changed both by you and on disk.** "
            "Choose which version to keep for each; every other change merges by itself."
        )
        for conflict in pending.merge.conflicts:
            with st.container(border=True):
                st.markdown(f"Row **{markdown_escape(conflict.key)}**")
                cells = pd.DataFrame(
                    conflict.cells(), columns=["column", "when you loaded it", "mine", "theirs"]
                )
                st.dataframe(cells, hide_index=True)
                # No choice is made for the editor: Merge waits until each row has one.
                choices[conflict.key] = st.radio(
                    "Keep",
                    [MINE, THEIRS],
                    index=None,
                    format_func=lambda c: "my version" if c == MINE else "the disk's",
                    horizontal=True,
                    key=Keys.widget(f"{ws.name}:choice:{conflict.key}"),
                )
    else:
        st.info("Your changes and the ones on disk touch different rows: they merge cleanly.")
    undecided = [key for key, choice in choices.items() if choice is None]
    left, right = st.columns(2)
    if left.button(
        "Merge into my copy",
        type="primary",
        key=Keys.widget(f"{ws.name}:merge"),
        width="stretch",
        disabled=bool(undecided),
        help=f"Choose a version for {len(undecided)} row(s) first." if undecided else None,
    ):
        accept_merge(ws, choices)
        st.rerun()
    with right:
        if confirmed_discard(
            ws,
            "Discard my changes and load the disk version",
            key=f"{ws.name}:discard",
        ):
            reload(ws, flash=f"Loaded {ws.label} from disk; your unsaved changes were discarded.")
            st.rerun()


#: A save that deletes more rows than this asks first (a select-all and Delete empties a file).
DELETE_CONFIRM_OVER = 3


def delete_confirmed(ws: Workspace, deleted: int) -> bool:
    """True unless the save would delete more than `DELETE_CONFIRM_OVER` rows and the editor
    has not ticked the box this draws to say so."""
    if deleted <= DELETE_CONFIRM_OVER:
        return True
    return st.checkbox(
        f"Yes, delete {deleted} rows from {ws.label}",
        key=Keys.widget(f"{ws.name}:confirm-delete:{ws.version}:{deleted}"),
        help="Asked because the save would delete more than a few rows at once.",
    )


def confirmed_discard(ws: Workspace, label: str, *, key: str, changes: int | None = None) -> bool:
    """A button that discards edits only after a second click on "Yes, discard" (one stray
    click must not throw work away). True when the editor confirmed."""
    asking = Keys.widget(f"{key}:asking")
    if not st.session_state.get(asking):
        if st.button(label, key=Keys.widget(key), width="stretch"):
            st.session_state[asking] = True
            st.rerun()
        return False
    what = f"your {changes} change(s)" if changes else "all your unsaved changes"
    st.warning(f"Discard {what} to {ws.label}? This cannot be undone.")
    yes, no = st.columns(2)
    if no.button("Keep my changes", key=Keys.widget(f"{key}:no"), width="stretch"):
        st.session_state.pop(asking, None)
        st.rerun()
    if yes.button("Yes, discard", key=Keys.widget(f"{key}:yes"), width="stretch"):
        st.session_state.pop(asking, None)
        return True
    return False


def download_button(ws: Workspace, file_name: str) -> None:
    st.download_button(
        "Download my copy as CSV",
        data=ws.csv(),
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        key=Keys.widget(f"{ws.name}:download"),
        help="Your working copy, saved or not, exactly as it would be written.",
    )


def loaded_caption(ws: Workspace) -> str:
    when = ws.snapshot.loaded_at.astimezone().strftime("%H:%M:%S")
    return f"{ws.label}: {len(ws.snapshot.rows)} rows as loaded at {when}."


# --- the review lists of drafts (Add article) ----------------------------------------------------


@dataclass
class ReviewLists:
    """This editor's review lists of drafts, one per article (``lib.editing.review_list``),
    for one events.csv; ``current`` is the article shown last. Kept in session state and, by
    login, in ``ui.drafts`` so that a reload brings them back (a server restart loses them)."""

    path: Path
    lists: dict[str, review_list.ReviewList] = field(default_factory=dict)
    current: str | None = None
    editing: set[str] = field(default_factory=set)  # keys of the cards whose form is open
    flash: str | None = None
    error: str | None = None

    @property
    def draft_key(self) -> str:
        return f"{self.path}#review"


def review_lists(path: Path) -> ReviewLists:
    """This session's review lists for events.csv at ``path`` (after a reload: the ones the
    browser's login left)."""
    held = st.session_state.get(Keys.REVIEW)
    if not isinstance(held, ReviewLists) or held.path != Path(path):
        nonce = _login_nonce()
        kept = None if nonce is None else drafts.get(nonce, f"{Path(path)}#review")
        held = kept if isinstance(kept, ReviewLists) else ReviewLists(Path(path))
        st.session_state[Keys.REVIEW] = held
    return held


def keep_review_lists(held: ReviewLists) -> None:
    """Remember the lists for this login (a reload brings them back), or forget them when
    there are none."""
    nonce = _login_nonce()
    if nonce is None:
        return
    if held.lists:
        drafts.put(nonce, held.draft_key, held)
    else:
        drafts.drop(nonce, held.draft_key)


def follow_disk_review(review: review_list.ReviewList, spec: Sequence[Column]) -> None:
    """While no card is accepted, a list follows events.csv on disk (its ids and lines stay
    right); once one is, a change on disk is left for the save to detect."""
    path = review.base.path
    if not review.accepted and fingerprint(path) != review.base.fingerprint:
        review_list.rebase(review, read_snapshot(path, spec, review.base.label))


def save_review(
    held: ReviewLists,
    review: review_list.ReviewList,
    spec: Sequence[Column],
    root: Path,
    *,
    after: Callable[[], None] | None = None,
) -> bool:
    """Write the accepted cards of ``review`` to events.csv, against the version the list was
    drafted against, and record it in the history; the dropped cards go, the open ones stay.

    A change on disk since then is never overwritten: the list moves onto the new version
    (`review_list.rebase`, renumbering a draft whose id was taken), ``held.error`` says what
    happened, and the editor saves again. Nothing in the list is lost on any failure.
    """
    held.error = None
    accepted = review.accepted
    if not accepted:
        dropped = review.counts()[review_list.DROPPED]
        held.lists[review.article_id] = review_list.after_save(review, review.base)
        held.flash = f"Cleared {dropped} dropped draft(s); events.csv is unchanged."
        return True
    if review.base.blocking:
        held.error = f"Not saved: {review.base.label} must be fixed by hand first."
        return False
    try:
        identity = auth.ensure_editor()
    except PermissionError as exc:
        held.error = f"Not saved: {exc}"
        return False
    label = review.base.label
    path = review.base.path
    rows = review_list.rows_to_save(review)
    recorder = history.Recorder(
        root, label, identity.name, identity.label, identity.email,
        note=f"accepted {len(accepted)} draft(s) from article {review.article_id}",
    )  # fmt: skip
    try:
        data = review.base.encode_checked(rows)
        save_bytes(
            path,
            data,
            review.base.fingerprint,
            backup_root=root / BACKUP_DIR,
            label=label,
            journal=recorder,
        )
    except ConflictError:
        disk = read_snapshot(path, spec, label)
        changes = diff_rows(review.base.rows, disk.rows)
        renamed = review_list.rebase(review, disk)
        held.error = (
            f"Not saved: {label} was saved by someone else since these drafts were made "
            f"({changes.summary()}). Nothing was overwritten. Your list is kept and now checked "
            "against that version"
            + (": " + ", ".join(f"{old} is now {new}" for old, new in renamed) if renamed else "")
            + ". Look at the cards again, then save."
        )
        return False
    except SaveError as exc:
        held.error = f"Not saved: {exc} Your list is kept."
        return False
    saved = snapshot_of(path, data, spec, label)
    held.lists[review.article_id] = review_list.after_save(review, saved)
    ids = ", ".join(c.id for c in accepted)
    entry = f" History entry {recorder.entry.id}, by {identity.label}." if recorder.entry else ""
    held.flash = (
        f"Saved {len(accepted)} draft(s) to {label}: {ids}. Readers do not see them until "
        f"they are approved on Edit events.{entry}"
    )
    if after is not None:
        after()
    return True
