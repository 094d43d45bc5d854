"""The presentation page's JavaScript files (static/newsmap/) parse, and reach the page whole.

They are plain files so that JavaScript tools can read them; lib.presentation inlines them.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from lib import presentation

FILES = ["labels.js", "presentation.js", "vector.js"]


@pytest.mark.parametrize("name", [*FILES, "basemap.js"])  # basemap.js: every map, via default_js
def test_javascript_file_parses(name: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    path = presentation.NEWSMAP_JS_DIR / name
    result = subprocess.run([node, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_pages_carry_the_files_and_data_only_as_json() -> None:
    for name in FILES:
        text = (presentation.NEWSMAP_JS_DIR / name).read_text(encoding="utf-8")
        # No Python templating left in the files: data arrives as one JSON argument.
        assert "%(" not in text and "{{" not in text, name
        assert text in presentation.LABELS_JS + presentation.PRESENTATION_JS
