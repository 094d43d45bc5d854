"""Fixtures and helpers for the editing tests: a private copy of the data, the editor password
set or unset, and AppTest runs of the editor pages against that copy.

A test module imports the fixtures it uses by name (``from tests.support.editing import
data_root``); this file is not tests/conftest.py, which another part of the suite owns.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from lib.access import users
from lib.data import csvio
from lib.data.schema import EVENT_COLUMNS
from tests.fixtures import FIXTURE_DATA

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
EVENT_NAMES = [c.name for c in EVENT_COLUMNS]
# Absolute: AppTest.from_file resolves a relative path against the folder of its caller.
PAGES = {
    "events": str(REPO / "pages" / "3_Edit_events.py"),
    "places": str(REPO / "pages" / "4_Edit_places.py"),
    "article": str(REPO / "pages" / "5_Add_article.py"),
    "history": str(REPO / "pages" / "6_History.py"),
    "dashboard": str(REPO / "dashboard.py"),
}


def copy_data(target: Path) -> Path:
    """Copy the repository's data files (not the offline GeoNames or boundaries) to ``target``."""
    (target / "geodata").mkdir(parents=True)
    shutil.copytree(REPO / "articles", target / "articles")
    shutil.copy(REPO / "geodata" / "gazetteer.csv", target / "geodata" / "gazetteer.csv")
    shutil.copy(REPO / "events.csv", target / "events.csv")
    return target


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A private copy of the data, so that tests can save into it."""
    return copy_data(tmp_path / "data")


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    """A private copy of the small fixture data set (tests/fixtures: two articles, five events)."""
    return Path(shutil.copytree(FIXTURE_DATA, tmp_path / "fixture"))


#: Cheap argon2 parameters for tests: a hash keeps its parameters, so verifying stays cheap.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def account(
    name: str, password: str, role: str = "editor", display_name: str = ""
) -> users.Account:
    """An account whose password hashes cheaply (``CHEAP_HASHER``)."""
    return users.Account(name, role, CHEAP_HASHER.hash(password), display_name)


@contextmanager
def editors_app(base: Path, root: Path, accounts: list[users.Account]) -> Iterator[str]:
    """The app (``dashboard.py`` and its pages) on the data in ``root``, with ``accounts`` as its
    only logins (no shared editor password) and tiles off; yields its base URL. ``base`` holds
    the users file."""
    from tests.support.server import streamlit_server

    users_file = base / "secrets" / "users.toml"
    users.save(users_file, {a.name: a for a in accounts})
    env = {
        "DASHBOARD_DATA_DIR": str(root),
        "DASHBOARD_USERS_FILE": str(users_file),
        "DASHBOARD_EDITOR_PASSWORD": "",
        "DASHBOARD_TILES": "off",
    }
    with streamlit_server(REPO / "dashboard.py", env=env) as url:
        yield url


@contextmanager
def one_editor_app(base: Path, name: str, password: str) -> Iterator[tuple[str, Path]]:
    """``editors_app`` on a copy of the fixture data in ``base``, with the one account
    ``name``; yields its URL and the data's folder."""
    root = Path(shutil.copytree(FIXTURE_DATA, base / "data"))
    with editors_app(base, root, [account(name, password)]) as url:
        yield url, root


def fill_login(page, name: str, password: str) -> None:
    """Fill the login form of the page shown and send it (a Playwright ``Page``)."""
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Editor password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _editor_env(monkeypatch: pytest.MonkeyPatch, root: Path) -> Iterator[Path]:
    from ui import auth

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    monkeypatch.setenv("DASHBOARD_EDITOR_PASSWORD", PASSWORD)
    monkeypatch.setenv("DASHBOARD_USERS_FILE", str(root.parent / "secrets" / "users.toml"))
    monkeypatch.setattr(users, "HASHER", CHEAP_HASHER)
    auth.ACCOUNT_FAILURES.reset()
    auth.ADDRESS_FAILURES.reset()
    yield root
    auth.ACCOUNT_FAILURES.reset()
    auth.ADDRESS_FAILURES.reset()


@pytest.fixture
def editor_env(monkeypatch: pytest.MonkeyPatch, data_root: Path) -> Iterator[Path]:
    """The app pointed at ``data_root`` with the editor password set; yields the data root.

    The users file is a private (missing) one, so a developer's real accounts cannot leak in;
    `add_user` fills it. Also clears the process-wide wrong-guess logs (per account and per
    address), which would otherwise carry a back-off from one test into the next.
    """
    yield from _editor_env(monkeypatch, data_root)


@pytest.fixture
def fixture_env(monkeypatch: pytest.MonkeyPatch, fixture_root: Path) -> Iterator[Path]:
    """As `editor_env`, on a copy of the small fixture data set instead of the shipped data."""
    yield from _editor_env(monkeypatch, fixture_root)


def add_user(name: str, password: str, role: str = "editor", display_name: str = "") -> None:
    """Add an account to the users file of `editor_env` (through the command line's code)."""
    path = users.users_file()
    found = users.load(path).users
    found[name] = users.Account(name, role, CHEAP_HASHER.hash(password), display_name)
    users.save(path, found)


def remove_user(name: str) -> None:
    path = users.users_file()
    found = users.load(path).users
    del found[name]
    users.save(path, found)


def app(page: str) -> AppTest:
    """An AppTest of one page, with secrets that contain no editor password.

    Passing a non-empty ``secrets`` dict makes AppTest use it instead of reading
    .streamlit/secrets.toml, so a developer's real password file cannot leak into a test.
    """
    at = AppTest.from_file(PAGES[page], default_timeout=60)
    at.secrets = {"unrelated": "x"}
    return at


def login(at: AppTest, password: str = PASSWORD, name: str | None = None) -> AppTest:
    """Type ``password`` (and the account ``name``, when given) into the login form, submit."""
    fields = {t.label: t for t in at.text_input}  # the password's key changes after a failure
    if name is not None:
        fields["Account name"].input(name)
    fields["Editor password"].input(password)
    at.button[0].click()  # the form's only button: "Log in"
    return at.run()


def button(at: AppTest, label: str):
    """The button with this label (fails the test with the labels present when missing)."""
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[0]


def shown(source: str) -> str:
    """What Markdown ``source`` made by ``lib.data.text.markdown_escape`` reads as: the
    backslashes before punctuation and the invisible word joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace("\u2060", "")


def texts(at: AppTest) -> str:
    """Every message a user reads on the page, joined: markdown, info, success, warnings, errors."""
    parts = []
    for kind in ("markdown", "info", "success", "warning", "error", "caption"):
        parts.extend(shown(str(e.value)) for e in getattr(at, kind))
    return "\n".join(parts)


def read_events(root: Path) -> list[dict[str, str]]:
    table = csvio.read(root / "events.csv", EVENT_NAMES)
    return [row for _, row in table.rows]


def edit_grid(at: AppTest, *, edited=None, added=None, deleted=None) -> AppTest:
    """Make edits in the page's st.data_editor as a browser would, then rerun.

    AppTest cannot type into a data editor (``set_value`` raises). What works with streamlit
    1.67: assign the widget's edit state (the same dict the browser sends: ``edited_rows`` by
    row *position* then column, ``added_rows``, ``deleted_rows`` by position) to
    ``at.session_state[<the editor's key>]`` before ``run()``; the script then receives the
    edited table. The key is read from the rendered element.
    """
    grid = at.data_editor[0]
    at.session_state[grid.key] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    return at.run()
