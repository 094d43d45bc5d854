"""The story file: parsed into a Story, and every mistake named by file and key."""

from pathlib import Path

import pytest

from lib.data import story

pytestmark = pytest.mark.unit

GOOD = """
title = "T"
subtitle = "S"
file_stem = "stem"
[region]
centre = [35.0, 69.0]
map_centre = [35, 69.5]
zoom = 8
radius_km = 100
countries = ["af", "PK"]
[credits]
boundaries = "b"
places = "p"
tiles = "t"
"""


def test_parses_the_shipped_story_file():
    s = story.load(story.REPO_ROOT / story.FILE_NAME)
    assert s.title and s.file_stem and s.radius_km > 0 and "AF" in s.countries


def test_parses_a_minimal_story():
    s = story.parse(GOOD, Path("story.toml"))
    assert s.map_centre == (35.0, 69.5)
    assert s.radius_km == 100.0
    assert s.countries == ("AF", "PK")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('title = "T"\n', ""), "key 'title' is missing"),
        (lambda t: t.replace("zoom = 8", 'zoom = "8"'), "key 'region.zoom' must be a int"),
        (lambda t: t.replace("[35.0, 69.0]", "[35.0]"), "'region.centre' must be [latitude"),
        (lambda t: t.replace("[35.0, 69.0]", "[95.0, 69.0]"), "is not a latitude"),
        (lambda t: t.replace("radius_km = 100", "radius_km = -1"), "must be positive"),
        (lambda t: t.replace('["af", "PK"]', '["AFG"]'), "two-letter country codes"),
        (lambda t: t + "[[[", "not valid TOML"),
    ],
)
def test_a_broken_story_names_the_file_and_key(edit, message):
    with pytest.raises(story.StoryError) as info:
        story.parse(edit(GOOD), Path("/data/story.toml"))
    assert "/data/story.toml" in str(info.value)
    assert message in str(info.value)


def test_an_unreadable_story_file_is_named(tmp_path):
    with pytest.raises(story.StoryError, match="cannot be read"):
        story.load(tmp_path / "story.toml")
