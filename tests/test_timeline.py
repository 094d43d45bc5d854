"""View state, URL parameters, the date filter and grouping by place."""

import datetime as dt

import pytest

from lib.data.dataset import load_dataset
from lib.map.viewstate import (
    Bounds,
    ViewState,
    counts_per_day,
    events_frame,
    filter_events,
    group_by_place,
    state_from_params,
    state_to_params,
)
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

D = dt.date


@pytest.fixture(scope="module")
def frame():
    data = load_dataset(FIXTURE_DATA)
    return events_frame(data.events.events, data.gazetteer)


@pytest.fixture(scope="module")
def bounds(frame):
    return Bounds.of(frame)


def test_an_event_at_two_places_is_a_row_at_each(frame):
    rows = frame[frame["event_id"] == "F001"]
    assert sorted(rows["place_id"]) == ["bazarak", "shotul"]


def test_bounds_span_the_data(bounds):
    assert (bounds.first, bounds.last) == (D(2021, 8, 31), D(2021, 9, 1))


@pytest.mark.parametrize(
    "params",
    [
        {"to": "2021-08-31"},
        {"from": "2021-08-31", "to": "2021-09-01", "mode": "window"},
        {"to": "2021-09-01", "type": "attack,casualty_claim", "place": "shotul"},
        {"to": "2021-09-01", "claimant": "Taliban", "article": "valley-attack"},
    ],
)
def test_params_round_trip(params, bounds):
    state, notes = state_from_params(params, bounds)
    assert notes == []
    assert state_to_params(state) == params


@pytest.mark.parametrize(
    "params, expected_end, note",
    [
        ({"to": "2030-01-01"}, D(2021, 9, 1), "outside the data"),
        ({"to": "01/09/2021"}, D(2021, 9, 1), "is not a date"),
        ({"place": "atlantis"}, D(2021, 9, 1), "'place=atlantis' is not a known place"),
        ({"type": "<script>"}, D(2021, 9, 1), "is not known; ignored"),
    ],
)
def test_bad_params_are_explained_and_the_view_still_opens(params, expected_end, note, bounds):
    state, notes = state_from_params(params, bounds)
    assert state.end == expected_end
    assert any(note in n for n in notes)


def test_reversed_window_is_swapped(bounds):
    state, notes = state_from_params({"from": "2021-09-01", "to": "2021-08-31"}, bounds)
    assert (state.start, state.end) == (D(2021, 8, 31), D(2021, 9, 1))
    assert "swapped" in notes[0]


def ids(frame):
    return set(frame["event_id"])


def test_cumulative_shows_everything_up_to_the_day(frame):
    assert ids(filter_events(frame, ViewState(end=D(2021, 8, 31)))) == {"F001", "F002", "F003"}
    assert ids(filter_events(frame, ViewState(end=D(2021, 9, 1)))) == set(frame["event_id"])


def test_window_shows_only_its_days(frame):
    state = ViewState(end=D(2021, 9, 1), start=D(2021, 9, 1), mode="window")
    shown = filter_events(frame, state)
    assert set(shown["date"]) == {D(2021, 9, 1)}
    assert ids(shown) == {"F004", "F005"}


def test_filters_combine(frame):
    state = ViewState(end=D(2021, 9, 1), types=("territorial_claim",), claimants=("Taliban",))
    assert ids(filter_events(frame, state)) == {"F003"}
    state = ViewState(end=D(2021, 9, 1), types=("attack",), claimants=("Taliban",))
    assert ids(filter_events(frame, state)) == set()


def test_article_filter_counts_every_source_of_an_event(frame):
    # F002 cites valley-attack first, and kabul-talks second.
    state = ViewState(end=D(2021, 9, 1), articles=("kabul-talks",))
    assert ids(filter_events(frame, state)) == {"F002", "F004", "F005"}


def test_grouping_counts_events_per_place_and_marks_contested(frame):
    groups = {
        g.place_id: g for g in group_by_place(filter_events(frame, ViewState(end=D(2021, 9, 1))))
    }
    shotul = groups["shotul"]
    assert shotul.count == 2  # F001 (also at Bazarak) and F003
    assert shotul.contested == 2  # the attack repelled (F001) and the claim to Shotul (F003)
    assert groups["kabul"].contested == 0
    assert groups["bazarak"].count == 2


def test_counts_per_day_counts_distinct_events(frame):
    per_day = counts_per_day(frame)
    day = per_day[per_day["date"] == D(2021, 8, 31)]
    # F001 is at two places but is one event.
    assert int(day["events"].sum()) == 3
