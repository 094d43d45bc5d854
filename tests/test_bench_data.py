"""The benchmark's synthetic data is valid data (a benchmark of rejected rows measures nothing).

No timing here: speed is measured by `make bench`, never asserted in tests.
"""

import pytest

from lib.data.dataset import load_dataset
from lib.data.mentions import build_index
from lib.map.viewstate import events_frame

pytestmark = pytest.mark.unit


def test_generated_data_loads_without_errors_and_names_its_places(tmp_path):
    from bench.generate import generate

    generate(300, tmp_path / "data", seed=7)
    data = load_dataset(tmp_path / "data")
    errors = [p for p in data.problems if p.severity == "error"]
    assert errors == []
    assert len(data.events.events) == 300
    assert data.events.rejected == []
    # and passes the editorial checks: every denial answers a claim that contests it back
    from lib.data.checks import check_events

    assert [
        str(p) for p in check_events(data.events.events, data.context) if p.severity == "error"
    ] == []
    # Every event's places are on the map and named somewhere in the corpus.
    frame = events_frame(data.events.events, data.gazetteer)
    named = {m.place_id for m in build_index(data.articles.values(), data.gazetteer)}
    assert set(frame["place_id"]) <= named


def test_generation_is_deterministic(tmp_path):
    from bench.generate import generate

    generate(50, tmp_path / "a", seed=3)
    generate(50, tmp_path / "b", seed=3)
    assert (tmp_path / "a" / "events.csv").read_bytes() == (
        tmp_path / "b" / "events.csv"
    ).read_bytes()
