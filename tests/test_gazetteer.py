"""Gazetteer loading, look-ups over variants, and its messages."""

import pytest

from lib.data.dataset import REPO_ROOT
from lib.data.gazetteer import load_gazetteer

pytestmark = pytest.mark.unit

HEADER = "id,name,variants,kind,lat,lon,precision,uncertainty_km,country,admin1,area_ref,source,geonames_id,not_in,note\n"


@pytest.fixture(scope="module")
def gazetteer():
    gaz, problems = load_gazetteer(REPO_ROOT / "geodata" / "gazetteer.csv")
    assert problems == []
    return gaz


@pytest.mark.parametrize(
    "spelling, place_id",
    [
        ("Jabul-Saraj", "jabal_saraj"),  # the reporting's spelling
        ("Jabal os Saraj", "jabal_saraj"),
        ("Khavak", "khawak_pass"),
        ("Khawak pass", "khawak_pass"),
        ("Shalang Pass", "salang_pass"),
        ("Golbahar", "golbahar"),
        ("Shutul", "shotul"),
        ("Khenj District", "khenj"),
        ("Khinj", "khenj"),
        ("PANJSHIR", "panjshir_province"),
        ("Panjshir valley", "panjshir_valley"),
        ("Parwan", "parwan_province"),  # GeoNames would say Jabal os Saraj
        ("Pakistan", "pakistan"),
        ("Uzbekistan", "uzbekistan"),
    ],
)
def test_lookup_over_every_variant(gazetteer, spelling, place_id):
    assert [p.id for p in gazetteer.lookup(spelling)] == [place_id]


def test_every_place_has_a_source_and_an_honest_precision(gazetteer):
    for place in gazetteer.places.values():
        assert place.source
        if not place.is_pin:
            assert place.uncertainty_km >= 5, place.id
    # No offline source has Shotul or Gulbahar: they must not pretend to be exact.
    assert gazetteer.places["shotul"].precision == "approximate"
    assert gazetteer.places["golbahar"].precision == "approximate"


def test_nearest_names_suggest_the_place_meant(gazetteer):
    assert gazetteer.nearest_names("Jabul Sarai")[0] == "Jabal os Saraj (jabal_saraj)"


def test_bad_rows_are_reported_and_good_rows_load(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        HEADER
        + "ok,Ok,,town,35,69,town,1,AF,,,somewhere,,,\n"
        + "nolat,No lat,,town,north,69,town,1,AF,,,somewhere,,,\n"
        + "nosrc,No source,,town,35,69,town,1,AF,,,,,,\n"
        + "ok,Duplicate,,town,35,69,town,1,AF,,,somewhere,,,\n",
        encoding="utf-8",
    )
    gaz, problems = load_gazetteer(path, label="g.csv")
    assert list(gaz.places) == ["ok"]
    found = {(p.row, p.column) for p in problems}
    assert {(3, "lat"), (4, "source"), (5, "id")} <= found
    assert "never an invented point" in next(p.hint for p in problems if p.column == "source")


def test_a_spelling_shared_by_two_places_is_a_warning(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        HEADER
        + "a,Alpha,Same,town,35,69,town,1,AF,,,s,,,\n"
        + "b,Beta,Same,town,35,69,town,1,AF,,,s,,,\n",
        encoding="utf-8",
    )
    gaz, problems = load_gazetteer(path, label="g.csv")
    assert [p.severity for p in problems] == ["warning"]
    assert len(gaz.lookup("same")) == 2
