"""Publish the reader edition: when it was last published, what readers will be told changed,
and the button (admins only).

Glue only: the edition is lib.edition.publish (built beside its folder and swapped in whole, so
a failed publish leaves the previous one); the corrections line is lib.edition.corrections from
the edit history; the login and the admin role are ui.auth. See docs/publishing.md.
"""

from __future__ import annotations

import streamlit as st

from lib.data.text import markdown_escape
from lib.editing import history
from lib.edition import publish
from lib.edition.corrections import corrections_since
from ui import auth, guard, render
from ui import editor_state as state
from ui.data import dataset

st.set_page_config(page_title="Publish", layout="wide")
st.html(render.STYLE)
st.title("Publish the reader edition")
st.caption(
    "The reader edition is a folder of static files that any web server or CDN serves to any "
    "number of readers: the map, every place's events and passages, and the articles. Publishing "
    "replaces it whole; a publish that fails leaves the previous edition as it was. "
    "docs/publishing.md says how to put the folder online."
)

with guard.page("the publishing page"):
    data = dataset()
    out = publish.edition_dir()
    flash = st.session_state.pop(state.Keys.widget("publish:flash"), None)
    if flash:
        st.success(markdown_escape(flash))
    when = publish.last_published(out)
    st.markdown(
        f"**Folder:** {markdown_escape(out)}  \n"
        + (
            f"**Last published:** {when:%-d %B %Y %H:%M} UTC"
            if when
            else "**Last published:** never (this folder has no edition yet)"
        )
    )
    previous = publish.read_state(out)
    if previous:
        pending = corrections_since(
            history.entries(data.paths.root), previous.get("history"), publish.utc_now()
        )
        if pending:
            st.markdown(
                "**Readers will be told:** "
                + markdown_escape(pending.text)
                + (
                    f" (note: {markdown_escape(' · '.join(pending.notes))})"
                    if pending.notes
                    else ""
                )
            )
        else:
            st.caption("No row changed since the last publication: no correction to announce.")
    errors = [p for p in data.problems if p.severity == "error"]
    if errors:
        st.warning(f"{len(errors)} data problem(s): those rows stay out of the edition.")

    if not auth.require_editor():
        st.caption("Publishing needs an admin account.")
        st.stop()
    identity = auth.current()
    if identity is None or not identity.is_admin:
        st.info("Publishing needs an admin account; ask an admin.")
        st.stop()
    if st.button("Publish the reader edition", type="primary", key=state.Keys.widget("publish")):
        with st.spinner("Publishing…"):
            try:
                done = publish.publish(out, data.paths.root)
            except OSError as error:
                st.error(
                    markdown_escape(
                        f"Publishing failed; the previous edition is unchanged: {error}"
                    )
                )
                st.stop()
        st.session_state[state.Keys.widget("publish:flash")] = (
            f"Published {done.events} events, {done.places} places and {done.articles} articles "
            f"to {done.out}."
            + (f" Corrections log: {done.correction.text}." if done.correction else "")
        )
        st.rerun()
