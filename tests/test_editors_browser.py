"""Two editors with their own accounts, in two browsers, on one server (Playwright).

Alice (editor) and Bob (admin) edit the gazetteer at the same time: Bob's stale save is caught
and merged, the History page names each of them, Bob restores the version before Alice's save,
and the dashboard shows the restored name. Alice's login survives a reload; logging out ends it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from lib.editing import history
from tests.support.editing import account, copy_data, editors_app, fill_login
from ui.auth import COOKIE

pytestmark = pytest.mark.browser

WAIT = 30_000


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    base = tmp_path_factory.mktemp("two-editors")
    root = copy_data(base / "data")
    accounts = [
        account("alice", "alice's long password"),
        account("bob", "bob's long password", "admin", "Bob B"),
    ]
    with editors_app(base, root, accounts) as url:
        yield url, root


def offline(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost", None)
            else route.abort()
        ),
    )
    return context


def log_in(page: Page, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/Edit_places")
    fill_login(page, name, password)
    expect(page.get_by_text(re.compile(rf"Logged in as .*{name}"))).to_be_visible(timeout=WAIT)


def choose(page: Page, label: str, option: str | re.Pattern) -> None:
    # One widget with the label: while a rerun replaces the page, the old one may linger.
    expect(page.get_by_label(label, exact=True)).to_have_count(1, timeout=WAIT)
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option).click()


def wait_for_value(page: Page, label: str, value: str) -> None:
    """Until the one field labelled ``label`` shows ``value`` (the rerun has replaced the form)."""
    page.wait_for_function(
        "([label, value]) => { const f = document.querySelectorAll(`input[aria-label='${label}']`);"
        " return f.length === 1 && f[0].value === value; }",
        arg=[label, value],
        timeout=WAIT,
    )


def fill(page: Page, label: str, value: str) -> None:
    expect(page.get_by_label(label, exact=True)).to_have_count(1, timeout=WAIT)
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")  # commits the value: one rerun


def test_two_editors_history_names_each_stale_save_caught_admin_restores(
    offline_context, browser, server
):
    url, root = server
    alice = offline_context.new_page()
    bob_context = offline(browser)
    bob = bob_context.new_page()
    try:
        log_in(alice, url, "alice", "alice's long password")
        alice.wait_for_function(f"document.cookie.includes('{COOKIE}=')", timeout=WAIT)
        alice.reload()  # the login survives a reload (a signed cookie)
        expect(alice.get_by_text("Logged in as alice (editor).")).to_be_visible(timeout=WAIT)

        log_in(bob, url, "bob", "bob's long password")
        choose(bob, "Place", re.compile(r"Fix: Bazarak"))
        wait_for_value(bob, "Name shown on the map", "Bazarak")
        fill(bob, "Note for editors", "Bob's note.")
        expect(bob.get_by_text("Changed (1)")).to_be_visible(timeout=WAIT)

        # Alice saves first, to another place.
        choose(alice, "Place", "Fix: Kabul (kabul)")
        wait_for_value(alice, "Name shown on the map", "Kabul")
        fill(alice, "Name shown on the map", "Kabul (Alice)")
        alice.get_by_role("button", name="Save to geodata/gazetteer.csv").click()
        expect(alice.get_by_text("Saved geodata/gazetteer.csv (1 changed)")).to_be_visible(
            timeout=WAIT
        )
        expect(alice.get_by_text("by alice")).to_be_visible()

        dashboard = offline_context.new_page()
        dashboard.goto(f"{url}/?place=kabul")
        expect(dashboard.get_by_role("heading", name="Kabul (Alice)", exact=True)).to_be_visible(
            timeout=60_000
        )

        # Bob's save is stale: caught, merged, saved.
        bob.get_by_role("button", name="Save to geodata/gazetteer.csv").click()
        expect(bob.get_by_text("was changed on disk since you loaded it")).to_be_visible(
            timeout=WAIT
        )
        bob.get_by_role("button", name="Merge into my copy").click()
        bob.get_by_role("button", name="Save the merged gazetteer").click()
        expect(bob.get_by_text("Saved geodata/gazetteer.csv (1 changed)")).to_be_visible(
            timeout=WAIT
        )

        # The history names each; the admin restores the version before Alice's save.
        bob.goto(f"{url}/History")
        expect(bob.get_by_text("2 of 2 saves, newest first.")).to_be_visible(timeout=WAIT)
        expect(bob.get_by_role("heading", name=re.compile(r"by Bob B \(bob\)$"))).to_be_visible()
        choose(bob, "Show the changes of", re.compile(r": alice, geodata.gazetteer"))
        expect(bob.get_by_role("heading", name=re.compile(r"by alice$"))).to_be_visible(
            timeout=WAIT
        )
        bob.get_by_text("the version before this save").click()
        bob.get_by_role(
            "button", name="Restore geodata/gazetteer.csv to the version before this save"
        ).click()
        expect(bob.get_by_text("Restored geodata/gazetteer.csv")).to_be_visible(timeout=WAIT)

        dashboard.reload()
        expect(dashboard.get_by_role("heading", name="Kabul", exact=True)).to_be_visible(
            timeout=60_000
        )

        found = history.entries(root)
        assert [(e.who, e.action) for e in found] == [
            ("alice", "save"),
            ("bob", "save"),
            ("bob", "restore"),
        ]

        # Logging out ends the login, also for the next reload.
        alice.get_by_role("button", name="Log out").click()
        expect(alice.get_by_label("Account name")).to_be_visible(timeout=WAIT)
        alice.wait_for_function(f"!document.cookie.includes('{COOKIE}=')", timeout=WAIT)
        alice.reload()
        expect(alice.get_by_label("Account name")).to_be_visible(timeout=WAIT)
        assert offline_context.blocked_requests == []
    finally:
        bob_context.close()
