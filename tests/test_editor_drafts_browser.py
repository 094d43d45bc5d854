"""Issue 22, in Chromium: an editor's unsaved grid edits survive a reload (after the browser
asks), a failed login keeps the name, and an editor undoes their own save.

On a copy of the small fixture data set, with one editor account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.editing import fill_login, one_editor_app, read_events
from ui.auth import COOKIE

pytestmark = pytest.mark.browser

WAIT = 30_000
SECRET = "alice's long password"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    with one_editor_app(tmp_path_factory.mktemp("drafts"), "alice", SECRET) as served:
        yield served


def log_in(page: Page, password: str) -> None:
    fill_login(page, "alice", password)


def edit_first_summary(page: Page, text: str) -> None:
    """Type ``text`` over the first row's summary at 1440x900: a double click opens the cell's
    editor with its text selected (the grid is a canvas: the summary column starts about 770
    px into it, the first row 35-70 px down), typing replaces it, Enter commits."""
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=WAIT)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + 800, box["y"] + 52)
    page.wait_for_function("document.activeElement?.tagName === 'TEXTAREA'", timeout=WAIT)
    page.keyboard.type(text, delay=20)
    page.keyboard.press("Enter")


def test_a_failed_login_keeps_the_name_and_grid_edits_survive_a_reload(offline_context, server):
    url, root = server
    page = offline_context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{url}/Edit_events")
    log_in(page, "wrong password")
    expect(page.get_by_text("Wrong name or password")).to_be_visible(timeout=WAIT)
    expect(page.get_by_label("Account name")).to_have_value("alice")
    expect(page.get_by_label("Editor password")).to_have_value("")
    page.wait_for_timeout(1_100)  # the one-second wait after a wrong password
    log_in(page, SECRET)
    expect(page.get_by_text("Logged in as alice (editor).")).to_be_visible(timeout=WAIT)
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')", timeout=WAIT)

    edit_first_summary(page, "Typed, not saved")
    expect(page.get_by_text("Compared with events.csv as you loaded it: 1 changed.")).to_be_visible(
        timeout=WAIT
    )
    page.screenshot(path="/tmp/editors-unsaved-1440.png", full_page=False)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.reload()
    assert asked == ["beforeunload"]
    expect(page.get_by_text("Your unsaved edits from before the reload are back")).to_be_visible(
        timeout=WAIT
    )
    expect(page.get_by_text("1 changed", exact=False).first).to_be_visible()
    assert read_events(root)[0]["summary"] != "Typed, not saved"  # nothing was written

    # Saved, then undone: the file is as it was, and the history has both.
    before = read_events(root)[0]["summary"]
    page.get_by_role("button", name="Save events.csv").click()
    expect(page.get_by_text("Saved events.csv (1 changed)")).to_be_visible(timeout=WAIT)
    assert read_events(root)[0]["summary"] == "Typed, not saved"
    page.screenshot(path="/tmp/editors-saved-1440.png", full_page=False)
    page.get_by_role("button", name=re.compile(r"^Undo my last save")).click()
    expect(page.get_by_text("Undid your save")).to_be_visible(timeout=WAIT)
    assert read_events(root)[0]["summary"] == before
    assert offline_context.blocked_requests == []


def test_no_question_on_leaving_without_edits(phone_context, server):
    url, _ = server
    page = phone_context.new_page()
    page.goto(f"{url}/Edit_events")
    log_in(page, SECRET)
    expect(page.get_by_text("No changes yet")).to_be_visible(timeout=WAIT)
    page.screenshot(path="/tmp/editors-clean-390.png", full_page=False)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.reload()
    expect(page.get_by_text("Edit events", exact=True).first).to_be_visible(timeout=WAIT)
    assert asked == []
