"""`python -m lib.check`: the data set as a whole, as `make test` runs it."""

import shutil
import subprocess
import sys

from lib.dataset import REPO_ROOT


def run_check(root):
    return subprocess.run(
        [sys.executable, "-m", "lib.check", "--root", str(root)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )


def copy_data(tmp_path):
    shutil.copytree(REPO_ROOT / "articles", tmp_path / "articles")
    shutil.copytree(REPO_ROOT / "geodata", tmp_path / "geodata")
    shutil.copy(REPO_ROOT / "events.csv", tmp_path / "events.csv")
    return tmp_path


def test_shipped_data_passes():
    result = run_check(REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert "0 error(s)" in result.stdout


def test_a_broken_quote_and_place_fail_with_located_messages(tmp_path):
    root = copy_data(tmp_path)
    text = (root / "events.csv").read_text(encoding="utf-8")
    text = text.replace("khawak_pass; shotul", "khawak_pass; shotol_valley", 1)
    text = text.replace("Mohammadi tweeted Wednesday", "Mohammadi posted Wednesday", 1)
    (root / "events.csv").write_text(text, encoding="utf-8")
    result = run_check(root)
    assert result.returncode == 1
    assert "events.csv, row 5, column 'places': unknown place 'shotol_valley'" in result.stderr
    assert "column 'quote': is not in the article 'rebels-clash-last-region'" in result.stderr
    assert "39 events loaded; 2 event rows rejected" in result.stdout


def test_unused_place_is_only_a_warning(tmp_path):
    root = copy_data(tmp_path)
    with (root / "geodata" / "gazetteer.csv").open("a", encoding="utf-8") as f:
        f.write("nowhere,Nowhere,,town,35,69,town,1,AF,,,test,,,\n")
    result = run_check(root)
    assert result.returncode == 0
    assert (
        "warning: geodata/gazetteer.csv, row 15, column 'id': place 'nowhere' is neither mentioned"
        in result.stdout
    )
