"""Hostile text on the editor pages, logged in (issue 21): shown as the characters it is.

The red team found ten places where a place id, an event id, a header cell, a place name or
source, an article sentence, the ``?name=`` link parameter or an editor's display name reached
Streamlit's Markdown unescaped (a live link, a remote image fetched as the page renders). Each
case here puts the payload into one of them and asserts the Markdown source keeps it as text;
tests/test_markdown_browser.py checks the same pages in Chromium.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests/support/editing.py look redefined)

from __future__ import annotations

import pytest

from lib.data.text import markdown_escape
from tests.support.editing import (  # noqa: F401 (data_root, editor_env: fixtures)
    add_user,
    app,
    button,
    data_root,
    edit_grid,
    editor_env,
    login,
)
from tests.support.hostile import (
    ARTICLE,
    LINK,
    LIVE,
    PAYLOAD,
    assert_page_survived,
    markdown_sources,
    poison,
)

pytestmark = pytest.mark.apptest

#: An editor whose display name is the payload: "Logged in as ..." shows it on every page.
NAME, SECRET = "mallory", "mallory's long password"


def logged_in(page: str, params: dict[str, str] | None = None):
    """``page`` (``pages/...``) opened from the dashboard, as in the app (page links need
    the app's page list), and logged in as the editor with the hostile display name."""
    add_user(NAME, SECRET, display_name=LINK)
    at = app("dashboard").run()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(page).run()
    login(at, SECRET, name=NAME)
    assert_page_survived(at)
    return at


def labels(at) -> list[str]:
    """Widget labels that Streamlit renders as Markdown: checkboxes, buttons, page links."""
    found = [c.label for c in at.checkbox] + [b.label for b in at.button]
    return found + [e.proto.label for e in at.get("page_link")]


def assert_no_live_markup(at, escaped_at_least: int) -> None:
    sources = markdown_sources(at) + labels(at)
    assert not [s for s in sources if LIVE.search(s)], [s for s in sources if LIVE.search(s)]
    found = sum(s.count(markdown_escape(LINK)) for s in sources)
    assert found >= escaped_at_least, sources


def test_hostile_place_and_event_ids_and_a_display_name_show_as_text_on_edit_events(editor_env):
    at = logged_in("pages/3_Edit_events.py")
    # An event id ("Not on the map"); an unknown place id that could be an id (the "Add the
    # place" link) and one that could not (no link carrying it).
    edit_grid(at, edited={0: {"places": LINK, "id": LINK}, 1: {"places": "x_[y](http://e)"}})
    assert_page_survived(at)
    assert_no_live_markup(at, 2)  # "Logged in as" and "Not on the map"
    assert [e.proto.label for e in at.get("page_link")] == []
    edit_grid(at, edited={0: {"places": "rokha_village", "id": LINK}})
    assert [e.proto.label for e in at.get("page_link")] == [
        r"Add the place 'rokha\_village' on Edit places (your edits here are kept)"
    ]


def test_a_hostile_header_cell_shows_as_text_when_edit_events_refuses_the_file(editor_env):
    path = editor_env / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    header[-1] = header[-2] = f'"{LINK}"'  # the same column twice: the file cannot be edited
    path.write_text("\n".join([",".join(header), *lines[1:4]]) + "\n", encoding="utf-8")
    at = logged_in("pages/3_Edit_events.py")
    assert not at.data_editor
    assert_no_live_markup(at, 2)  # "Logged in as" and the problem naming the column


def test_the_name_parameter_and_a_look_up_show_as_text_on_edit_places(editor_env):
    """Regression: ``/Edit_places?name=[phish](http://...)`` showed a live link at once."""
    at = logged_in("pages/4_Edit_places.py", {"name": LINK})
    assert_no_live_markup(at, 1)
    button(at, "Look up").click()
    at.run()
    assert_page_survived(at)
    assert_no_live_markup(at, 2)  # the look-up result quotes the name


def test_a_hostile_place_name_and_source_show_as_text_on_edit_places(editor_env):
    poison(editor_env)
    at = logged_in("pages/4_Edit_places.py")
    at.selectbox(key="editor:w:places:which").set_value("shotul").run()
    at.text_input(key="editor:w:places:shotul:lat").input("north").run()  # a form problem
    assert_page_survived(at)
    assert_no_live_markup(at, 1)


def test_hostile_place_names_show_as_text_in_add_articles_draft_cards(editor_env):
    poison(editor_env)
    at = logged_in("pages/5_Add_article.py")
    at.selectbox(key=[s.key for s in at.selectbox if s.key.endswith("draft_from")][0]).set_value(
        ARTICLE
    ).run()
    assert_page_survived(at)
    places = [str(m.value) for m in at.markdown if str(m.value).startswith("**Place:**")]
    assert places, [m.value for m in at.markdown]
    assert [p for p in places if markdown_escape(LINK) in p]
    assert_no_live_markup(at, 2)


def test_hostile_text_pasted_into_add_article_shows_as_text(editor_env):
    at = logged_in("pages/5_Add_article.py")
    at.text_area(key=[t.key for t in at.text_area if t.key.endswith(":text")][0]).input(
        f"Headline\n\nFighting near {PAYLOAD} and Dara.\nPhoto: {LINK}\n"
    ).run()
    assert_page_survived(at)
    assert_no_live_markup(at, 1)
