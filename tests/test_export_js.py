"""The map's JavaScript files (static/newsmap/) parse, and reach the pages whole.

They are plain files so that JavaScript tools can read them; lib.pictures.presentation inlines them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lib.map.mapview import ENGINE_JS
from lib.map.viewstate import ViewState
from lib.pictures import presentation

pytestmark = pytest.mark.unit

FILES = [f.split("/")[-1] for f in presentation.PICTURE_JS_FILES + presentation.STANDALONE_JS_FILES]


@pytest.mark.parametrize(
    "name", sorted({*FILES, "basemap.js", "boot.js", "bridge.js", "component.js"})
)  # basemap.js: every map, via default_js; boot.js: the live map's loader
def test_javascript_file_parses(name: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    path = presentation.NEWSMAP_JS_DIR / name
    result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_pages_carry_the_files_whole_and_no_templating(tmp_path: Path) -> None:
    from tests.support.export_data import fixture_data, write_dataset

    dataset, frame, bounds = fixture_data(write_dataset(tmp_path / "data"))
    state = ViewState(end=bounds.last)
    picture = presentation.presentation_html(frame, state, dataset.articles)
    standalone = presentation.standalone_html(frame, state, dataset.articles)
    for files, page in (
        (presentation.PICTURE_JS_FILES, picture),
        (presentation.STANDALONE_JS_FILES, standalone),
    ):
        for name in files:
            text = (presentation.STATIC_DIR / name).read_text(encoding="utf-8")
            # No Python templating in the files: data arrives as one JSON argument.
            assert "%(" not in text and "{{" not in text, name
            assert text in page, name


def test_every_engine_module_is_loaded_in_the_order_engine_js_gives() -> None:
    """A module missing from ENGINE_JS would be missing from every page that draws the map."""
    on_disk = {f"newsmap/{p.name}" for p in presentation.NEWSMAP_JS_DIR.glob("engine*.js")}
    assert ENGINE_JS[0] == "newsmap/core.js"
    assert set(ENGINE_JS[1:]) == on_disk
    header = (presentation.NEWSMAP_JS_DIR / "engine.js").read_text(encoding="utf-8")
    listed = re.findall(r"^ \*   (engine[\w-]*\.js) ", header, re.MULTILINE)
    assert [f"newsmap/{name}" for name in listed] == list(ENGINE_JS[1:])
