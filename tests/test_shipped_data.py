"""What must hold for the shipped data, however many rows editors add or remove.

These tests never count rows: they say what every row must satisfy. Counts and behaviour are
tested on the fixture data set in tests/fixtures/.
"""

import pytest

from lib.data.checks import check_events
from lib.data.dataset import REPO_ROOT, load_dataset
from lib.data.text import normalize_quote

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def data():
    return load_dataset(REPO_ROOT)


def test_every_row_loads(data):
    assert [str(p) for p in data.problems if p.severity == "error"] == []
    assert data.events.rejected == []


def test_every_quote_is_in_its_first_article(data):
    for event in data.events.events:
        article = data.articles[event.articles[0]]
        assert normalize_quote(event.quote) in normalize_quote(article.text), event.id


def test_every_place_and_article_resolves(data):
    for event in data.events.events:
        assert set(event.places) <= set(data.gazetteer.places), event.id
        assert set(event.articles) <= set(data.articles), event.id


def test_every_row_passes_the_editorial_checks(data):
    """No error, and every warning acknowledged in its row."""
    assert [str(p) for p in check_events(data.events.events, data.context)] == []


def test_event_ids_are_unique_and_contests_name_events(data):
    ids = [e.id for e in data.events.events]
    assert len(ids) == len(set(ids))
    for event in data.events.events:
        assert set(event.contests) <= set(ids), event.id


def test_every_place_says_where_its_point_comes_from(data):
    for place in data.gazetteer.places.values():
        assert place.source, place.id
        if not place.is_pin:
            assert place.uncertainty_km >= 5, place.id
