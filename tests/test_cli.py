"""The one command line: ``python -m lib COMMAND``, its help, and the old ``python -m lib.X``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from lib import cli

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_the_bare_command_lists_every_command():
    out = run("-m", "lib").stdout
    for name in cli.COMMANDS:
        assert re.search(rf"^  {name}\s", out, re.M), name


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_every_command_has_help(name):
    done = run("-m", "lib", name, "--help")
    assert done.returncode == 0, done.stderr
    assert f"python -m lib {name}" in done.stdout


def test_an_unknown_command_says_so_and_exits_2():
    done = run("-m", "lib", "frobnicate")
    assert done.returncode == 2
    assert "unknown command 'frobnicate'" in done.stderr


@pytest.mark.parametrize("old", sorted(cli.OLD_FORMS))
def test_old_forms_still_run_with_a_note(old):
    done = run("-m", old, "--help")
    assert done.returncode == 0, done.stderr
    assert f"python -m lib {cli.OLD_FORMS[old]}" in done.stderr


def test_the_console_script_points_at_the_dispatcher():
    text = (REPO / "pyproject.toml").read_text()
    assert 'newsmap = "lib.cli:main"' in text


def test_the_readme_lists_exactly_the_commands_of_the_command_line():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- commands:", 1)[1].split("-->", 1)[1].split("<!-- /commands -->")[0]
    assert block.strip() == cli.markdown_list(), (
        "README.md's command list is out of date; paste lib.cli.markdown_list() between the "
        "commands markers"
    )
