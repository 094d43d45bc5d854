"""README.md is a front door: short, with a picture, and every link in it leads somewhere."""

import re

import pytest

from tests.support.docs import DOCS, README, REPO_ROOT

pytestmark = pytest.mark.unit

TEXT = README.read_text(encoding="utf-8")
LINKS = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", TEXT)


def test_the_readme_is_at_most_ten_thousand_characters():
    assert len(TEXT) <= 10_000


def test_the_readme_links_every_user_document():
    for name in ["editing", "exports", "data", "publishing", "scale", "development"]:
        assert f"docs/{name}.md" in LINKS, name


@pytest.mark.parametrize("target", sorted(set(LINKS)))
def test_every_link_in_the_readme_leads_to_a_file(target):
    assert (REPO_ROOT / target).is_file()


def test_the_screenshot_is_small_enough_to_load_with_the_page():
    picture = DOCS / "screenshot.png"
    assert "](docs/screenshot.png)" in TEXT
    assert picture.stat().st_size < 300_000


@pytest.mark.parametrize("doc", sorted(p.name for p in DOCS.glob("*.md")))
def test_links_between_documents_lead_to_files(doc):
    text = (DOCS / doc).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s:]+\.md)(?:#[^)]*)?\)", text):
        assert (DOCS / target).is_file(), f"{doc} links {target}"
