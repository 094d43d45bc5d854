"""`python -m lib check`: the data set as a whole, as `make test` runs it."""

import shutil
import subprocess
import sys

import pytest

from lib.data.dataset import REPO_ROOT
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit


def run_check(root):
    return subprocess.run(
        [sys.executable, "-m", "lib", "check", "--root", str(root)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )


def copy_fixture(tmp_path):
    shutil.copytree(FIXTURE_DATA, tmp_path / "data")
    return tmp_path / "data"


def test_shipped_data_passes():
    result = run_check(REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert " 0 error(s)" in result.stdout


def test_the_fixture_passes_without_a_warning():
    result = run_check(FIXTURE_DATA)
    assert result.returncode == 0, result.stderr
    assert "2 articles, 5 places, 5 events loaded; 0 event rows rejected" in result.stdout
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_a_broken_quote_and_place_fail_with_located_messages(tmp_path):
    root = copy_fixture(tmp_path)
    text = (root / "events.csv").read_text(encoding="utf-8")
    text = text.replace("bazarak; shotul", "bazarak; shotol_valley", 1)
    text = text.replace("Negotiators met in Kabul", "Negotiators sat in Kabul", 1)
    (root / "events.csv").write_text(text, encoding="utf-8")
    result = run_check(root)
    assert result.returncode == 1
    assert "events.csv, row 2, column 'places': unknown place 'shotol_valley'" in result.stderr
    assert "events.csv, row 5, column 'quote': is not in the article 'kabul-talks'" in result.stderr
    assert "3 events loaded; 2 event rows rejected" in result.stdout


def test_an_editorial_check_fails_the_run(tmp_path):
    root = copy_fixture(tmp_path)
    text = (root / "events.csv").read_text(encoding="utf-8")
    # F003 no longer contests F001, which contests it
    text = text.replace(
        "The Taliban said they had taken Shotul.,F001",
        "The Taliban said they had taken Shotul.,",
        1,
    )
    (root / "events.csv").write_text(text, encoding="utf-8")
    result = run_check(root)
    assert result.returncode == 1
    assert (
        "events.csv, row 4, column 'contests': F001 contests this row, but this row does not "
        "contest F001" in result.stderr
    )


def test_unused_place_is_only_a_warning(tmp_path):
    root = copy_fixture(tmp_path)
    with (root / "geodata" / "gazetteer.csv").open("a", encoding="utf-8") as f:
        f.write("nowhere,Nowhere,,town,35,69,town,1,AF,,,test,,,\n")
    result = run_check(root)
    assert result.returncode == 0
    assert (
        "warning: geodata/gazetteer.csv, row 7, column 'id': place 'nowhere' is neither mentioned"
        in result.stdout
    )
