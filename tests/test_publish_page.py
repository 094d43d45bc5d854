"""The Publish page (pages/7_Publish.py) in AppTest: the last published time, the corrections
line readers will get, and the button, for admins only."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.editing import history
from lib.edition import publish
from tests.support.editing import add_user, button, fixture_env, fixture_root, login, texts

pytestmark = pytest.mark.apptest
__all__ = ["fixture_env", "fixture_root"]  # fixtures used by name

PAGE = "../pages/7_Publish.py"


@pytest.fixture
def out(fixture_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "www" / "edition"
    monkeypatch.setenv("DASHBOARD_EDITION_DIR", str(folder))
    return folder


def page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(PAGE, default_timeout=60)
    at.secrets = {"unrelated": "x"}
    return at


def test_an_admin_publishes_and_sees_the_time_and_the_corrections_to_come(
    fixture_env: Path, out: Path
) -> None:
    add_user("ada", "ada's long password", role="admin")
    at = page().run()
    assert "never (this folder has no edition yet)" in texts(at)
    login(at, "ada's long password", name="ada")
    button(at, "Publish the reader edition").click()
    at.run()
    assert not at.exception, at.exception
    assert "Published 5 events, 5 places and 2 articles" in texts(at)
    assert (out / "index.html").is_file()
    when = publish.last_published(out)
    assert f"{when:%-d %B %Y %H:%M} UTC" in texts(at)

    events = fixture_env / "events.csv"
    old = events.read_bytes()
    new = old.replace(b"Talks in Kabul fail.", b"Talks in Kabul failed.")
    events.write_bytes(new)
    history.record(fixture_env, "events.csv", old, new, who="ada", note="Tense.")
    at = page().run()
    assert "the summary of one event corrected" in texts(at)
    assert "Tense." in texts(at)


def test_an_editor_cannot_publish(fixture_env: Path, out: Path) -> None:
    add_user("ed", "ed's long password")
    at = page().run()
    login(at, "ed's long password", name="ed")
    assert "Publishing needs an admin account" in texts(at)
    assert not [b for b in at.button if b.label.startswith("Publish")]
    assert not out.exists()
