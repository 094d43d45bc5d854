"""The docs (README.md, docs/*.md) describe every column and allowed value the loaders accept."""

import pytest

from lib.data.schema import (
    ARTICLE_COLUMNS,
    CLAIMANT_COLUMNS,
    DATE_PRECISIONS,
    EVENT_COLUMNS,
    EVENT_TYPES,
    PLACE_COLUMNS,
    PLACE_KINDS,
    PRECISIONS,
    REVIEW_STATES,
    STATUSES,
)
from tests.support.docs import README, documentation

pytestmark = pytest.mark.unit

DOCS = documentation()


@pytest.mark.parametrize(
    "name",
    sorted({c.name for c in EVENT_COLUMNS + PLACE_COLUMNS + ARTICLE_COLUMNS + CLAIMANT_COLUMNS}),
)
def test_every_column_is_documented(name):
    assert f"| `{name}` |" in DOCS


@pytest.mark.parametrize(
    "value",
    sorted({*EVENT_TYPES, *STATUSES, *DATE_PRECISIONS, *PRECISIONS, *PLACE_KINDS, *REVIEW_STATES}),
)
def test_every_allowed_value_is_documented(value):
    assert f"- `{value}`:" in DOCS


def test_readme_opens_with_the_two_commands():
    first_block = README.read_text(encoding="utf-8").split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "run"],
        ["make", "test"],
    ]
