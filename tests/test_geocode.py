"""The resolution chain: curated gazetteer, offline GeoNames (region-bound), optional Nominatim."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from lib.data import story
from lib.data.dataset import REPO_ROOT
from lib.data.gazetteer import Gazetteer, load_gazetteer
from lib.places import build_geonames, geocode
from lib.places.geocode import (
    Candidate,
    GeocodingUnavailable,
    GeoNamesIndex,
    OnlineGeocoder,
    Region,
    cache_into_gazetteer,
    load_geonames,
    resolve,
    spelling_key,
)

pytestmark = pytest.mark.unit

EMPTY = Gazetteer({})
PANJSHIR = Region((35.2667, 69.4667), 250.0)


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(REPO_ROOT / "geodata" / "gazetteer.csv")[0]


@pytest.fixture(scope="module")
def geonames():
    # The offline data the code ships (geodata/geonames_subset.csv and districts.csv).
    return load_geonames()


def index(*rows):
    """A GeoNames index from (name, lat, lon, country) rows: for cases the subset lacks."""
    return GeoNamesIndex.of(
        (Candidate(name, lat, lon, "town", "town", f"fixture {i}", country, geonames_id=str(i)), [])
        for i, (name, lat, lon, country) in enumerate(rows)
    )


@pytest.mark.parametrize(
    "query, place_id",
    [
        ("Jabul-Saraj", "jabal_saraj"),
        ("jabal  saraj", "jabal_saraj"),
        ("Parwan", "parwan_province"),
    ],
)
def test_curated_gazetteer_answers_first(gazetteer, geonames, query, place_id):
    result = resolve(query, gazetteer, geonames)
    assert (result.status, result.tier, result.place.id) == ("resolved", "gazetteer", place_id)


# Spellings of places in and around the valley as the reporting and other outlets write them,
# resolved by the offline tier alone (no gazetteer): (query, GeoNames id, at most km from the
# valley's centre). Ids: districts are GeoNames second-order divisions (7054336-7054342 for
# Panjshir's seven), towns GeoNames populated places.
VALLEY = [
    ("Rokha", "7054341", 20),
    ("Rukha", "7054341", 20),
    ("Rukhah", "7054341", 20),
    ("Rokha district", "7054341", 20),
    ("Dara", "7054338", 40),
    ("Darah", "7054338", 40),
    ("Dara-e Hazara", "7054338", 40),
    ("دره هزاره", "7054338", 40),  # Persian script, from GeoNames
    ("Anaba", "7054336", 20),  # the district; GeoNames spells it 'Unabah
    ("Anaba district", "7054336", 20),
    ("Unabah", "1148695", 20),  # the town, the district's seat
    ("Onaba", "1148695", 20),
    ("Unaba", "1148695", 20),
    ("Paryan", "7054340", 100),  # not Faryab in Iran
    ("Parian", "7054340", 100),
    ("Paryan district", "7054340", 100),
    ("Khenj", "1136737", 40),  # the seat; 'Khenj district' is the area
    ("Khinj", "1136737", 40),
    ("Khinzh", "1136737", 40),
    ("خنج", "1136737", 40),
    ("Khenj district", "7054339", 40),
    ("Hesa-e Awal", "7054339", 40),  # Khenj's other name, a vowel off 'Hese- Awal'
    ("Hisa-e-Awal", "7054339", 40),
    ("Hissa-i Awal", "7054339", 40),
    ("Bazarak", "1429434", 15),
    ("Bāzārak", "1429434", 15),
    ("بازارک", "1429434", 15),
    ("Bazarak district", "7054337", 15),
    ("Shotul", "7054342", 30),
    ("Shutul", "7054342", 30),
    ("Shotul district", "7054342", 30),
    ("Jabal-Saraj", "1139807", 30),
    ("Jabul Saraj", "1139807", 30),
    ("Jabal us Siraj", "1139807", 30),
    ("جبل السراج", "1139807", 30),
    ("Charikar", "1145352", 45),
    ("Chaharikar", "1145352", 45),
    ("Salang", "7054040", 45),  # the district; the gazetteer has the pass
    ("Kiraman", "1429521", 25),
    ("Mahmud Raqi", "7053088", 35),
    ("Mahmood-e Raqi", "7053088", 35),
    ("Koh Band", "7053087", 25),
    ("Nijrab", "7053089", 35),
    ("Puli Hisar", "7052909", 45),  # GeoNames spells the district so; the town Pul-e Hisar
    ("Pul-e Hesar", "1464922", 45),
    ("Deh Salah", "1143529", 55),
    ("Sayed Khel", "7054041", 40),
]


@pytest.mark.parametrize("query, geonames_id, max_km", VALLEY)
def test_valley_spellings_resolve_offline(geonames, query, geonames_id, max_km):
    result = resolve(query, EMPTY, geonames, region=PANJSHIR)
    assert (result.status, result.tier) == ("resolved", "geonames"), result.warnings
    assert result.place.geonames_id == geonames_id
    assert result.place.distance_km <= max_km
    assert result.place.source  # every coordinate says where it is from


# Places only the curated gazetteer has a coordinate for (no offline package has them).
@pytest.mark.parametrize(
    "query, place_id",
    [
        ("Gulbahar", "golbahar"),
        ("Golbahar", "golbahar"),
        ("Khawak", "khawak_pass"),
        ("Khavak Pass", "khawak_pass"),
        ("Shalang Pass", "salang_pass"),
        ("Kotal-e-Salang", "salang_pass"),  # variant spelling of the gazetteer's 'Kotal-e Salang'
    ],
)
def test_gazetteer_only_places_resolve_by_variant(gazetteer, geonames, query, place_id):
    result = resolve(query, gazetteer, geonames)
    assert (result.status, result.tier, result.place.id) == ("resolved", "gazetteer", place_id)


@pytest.mark.parametrize(
    "query, country, min_km",
    [
        ("Golbahar", "IR", 900),  # Golbahār in Iran (GeoNames 7082152)
        ("Gulbahar", "IR", 900),
        ("Dashtak", "IR", 1500),
        # 'Faryab' is also an Afghan province (geoBoundaries), 428 km away, beyond the radius;
        # with no gazetteer there is no story's country to suggest it in (see below).
        ("Faryab", "AF", 400),
    ],
)
def test_false_friends_far_away_are_refused_with_their_distance(geonames, query, country, min_km):
    result = resolve(query, EMPTY, geonames, region=PANJSHIR)
    assert result.status == "outside_region" and result.place is None
    assert result.candidates[0].country == country
    assert result.candidates[0].distance_km > min_km
    assert "false friend" in result.warnings[0] and " km " in result.warnings[0]


def test_paryan_is_the_panjshir_district_not_faryab_in_iran(geonames):
    # Regression: 'Paryan' used to match only Fāryāb in Iran (an alternate name), 1,837 km away.
    result = resolve("Paryan", EMPTY, geonames, region=PANJSHIR)
    assert result.place.kind == "district" and result.place.precision == "district"
    assert result.place.uncertainty_km >= 10  # an area, not a pin
    iran = [c for c in result.candidates if c.country == "IR"]
    assert iran and iran[0].distance_km > 1500
    assert any("outside the region ignored" in w and "km away" in w for w in result.warnings)


def test_khinj_is_not_khinjan_78_km_away(geonames):
    result = resolve("Khinj", EMPTY, geonames, region=PANJSHIR)
    assert result.status == "resolved" and result.tier == "geonames"
    assert (result.place.lat, result.place.lon) == (35.42898, 69.73482)
    assert "1136737" in result.place.source
    # The district of the same name is the same place, not an ambiguity; the warning says how
    # to ask for the area instead.
    assert any("Khinj district" in w for w in result.warnings)


def test_a_district_and_its_seat_are_one_place_not_an_ambiguity(geonames):
    town = resolve("Bazarak", EMPTY, geonames, region=PANJSHIR)
    area = resolve("Bazarak district", EMPTY, geonames, region=PANJSHIR)
    assert (town.place.kind, area.place.kind) == ("town", "district")
    assert area.place.seat_geonames_id == town.place.geonames_id
    assert area.place.uncertainty_km > town.place.uncertainty_km


def test_a_fuzzy_match_says_so_with_its_distance(geonames):
    result = resolve("Hisa-e-Awal", EMPTY, geonames, region=PANJSHIR)
    assert result.place.match == "fuzzy"
    assert any("one vowel or 'h' off" in w and "km from" in w for w in result.warnings)


@pytest.mark.parametrize("name", ["Yaqoob", "Taliban", "Andarabi", "Massoud", "Amrullah"])
def test_people_and_words_are_not_fuzzy_matched_to_villages(geonames, name):
    # Regression: with any one-letter edit "Yaqoob" (Mullah Yaqoob) matched Chakhob, a village
    # 238 km away, and the Add article page suggested it as a place; "Taliban" matched Taloqan.
    result = resolve(name, EMPTY, geonames, region=PANJSHIR)
    assert result.place is None or result.place.match != "fuzzy"


def test_fuzzy_matching_never_reaches_outside_the_region(geonames):
    # 'Golbahir' is a vowel off Golbahār in Iran, the only place of that spelling: no pick.
    result = resolve("Golbahir", EMPTY, geonames, region=PANJSHIR)
    assert result.status == "not_found" and result.place is None


@pytest.mark.parametrize("name", ["Anaba", "Dara"])
def test_same_named_places_abroad_are_listed_not_picked(name):
    far = index((name, 36.9, 7.77, "DZ"), (name, 32.62, 36.10, "SY"))
    result = resolve(name, EMPTY, far, region=PANJSHIR)
    assert result.status == "outside_region" and result.place is None
    assert len(result.candidates) == 2


def test_two_different_places_in_the_region_are_ambiguous():
    two = index(("Dara", 35.35, 69.9, "AF"), ("Dara", 34.5, 70.5, "AF"))
    result = resolve("Dara", EMPTY, two, region=PANJSHIR)
    assert result.status == "ambiguous" and result.place is None
    assert len(result.candidates) == 2


def test_duplicate_listing_of_one_place_is_not_ambiguity():
    dup = index(("Rokha", 35.30, 69.45, "AF"), ("Rokha", 35.301, 69.451, "AF"))
    assert resolve("Rokha", EMPTY, dup, region=PANJSHIR).status == "resolved"


def test_an_exact_spelling_beats_a_variant_of_another_place():
    both = index(("Parian", 35.5, 69.9, "AF"), ("Paryan", 34.6, 69.2, "AF"))
    result = resolve("Paryan", EMPTY, both, region=PANJSHIR)
    assert (result.status, result.place.lat) == ("resolved", 34.6)


@pytest.mark.parametrize("name", ["Hisa-e-Duwum", "Omarz", "Chamalwarda", "Malaspa"])
def test_places_no_offline_source_covers_still_say_so(gazetteer, geonames, name):
    result = resolve(name, gazetteer, geonames)
    assert result.status == "not_found" and result.place is None
    assert "cited source" in result.warnings[-1]


def test_a_known_name_without_coordinates_names_its_geonames_id(tmp_path):
    towns = tmp_path / "towns.csv"
    towns.write_text("geonameid,name,lat,lon,country\n", encoding="utf-8")
    districts = tmp_path / "districts.csv"
    districts.write_text(
        "id,geonameid,name,alternatenames,lat,lon,uncertainty_km,country,source\n"
        "geonames:99,99,Darwaz-e Pain,Lower Darwaz,,,,AF,GeoNames 99; no outline matched\n",
        encoding="utf-8",
    )
    result = resolve("Darvaz-i Pain", EMPTY, load_geonames(towns, districts), region=PANJSHIR)
    assert result.status == "not_found"
    assert "GeoNames 99" in result.warnings[0] and "no offline source" in result.warnings[0]


def test_the_region_comes_from_the_story_file(monkeypatch, geonames):
    far = story.load(REPO_ROOT / "story.toml")
    monkeypatch.setattr(
        geocode.story,
        "current",
        lambda: type(far)(**{**far.__dict__, "centre": (51.5, -0.12), "radius_km": 100.0}),
    )
    result = resolve("Khinj", EMPTY, geonames)
    assert result.status == "outside_region"
    assert result.candidates[0].distance_km > 5000


@pytest.mark.parametrize(
    "spellings",
    [
        ("Hisa-e-Awal", "Hesa-i Awal", "Hissah-ye Awal", "HISA E AWAL"),
        ("Rokha", "Rukha", "Rukhah", "Rokhah"),
        ("Khenj", "Khinj", "Khinzh", "Khenj District"),
        ("Paryan", "Parian", "Parīān"),
        ("Dara", "Darah", "Daraa"),
        ("Shutul", "Shotul", "Shōtūl"),
        ("Jabal os Saraj", "Jabal-us-Saraj", "Jabal Saraj", "Jabal al-Saraj"),
        ("Khawak", "Khavak", "Khawaak"),
        ("Charikar", "Tcharikar", "Tcharikar District"),
        ("Kabul", "Kaboul", "Kabool"),
        ("Qarabagh", "Karabagh", "Qara Bagh"),
        ("بازارک", "بازارك", "بازارك‌"),  # Persian and Arabic kaf, a stray joiner
    ],
)
def test_transliteration_variants_share_a_spelling_key(spellings):
    assert len({spelling_key(s) for s in spellings}) == 1


@pytest.mark.parametrize("a, b", [("Rokha", "Rabat"), ("Dara", "Tara"), ("Shutul", "Sutul")])
def test_different_names_keep_different_keys(a, b):
    assert spelling_key(a) != spelling_key(b)


@pytest.mark.parametrize("name", ["Jabul Sarai", "Shalangar"])
def test_unknown_name_suggests_nearest_known(gazetteer, geonames, name):
    # 'Jabul Sarai' is a consonant off Jabal os Saraj's 'Jabulsaraj': not taken, only suggested.
    result = resolve(name, gazetteer, geonames)
    assert result.status == "not_found"
    assert "nearest known: " in result.warnings[-1]


def test_cli_prints_the_resolution_as_json():
    out = subprocess.run(
        [sys.executable, "-m", "lib", "geocode", "Jabul-Saraj"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    assert data["id"] == "jabal_saraj"
    assert (data["lat"], data["lon"]) == (35.11833, 69.23778)
    assert data["kind"] == "town" and data["precision"] == "town"
    assert "GeoNames 1139807" in data["source"]
    assert data["candidates"][0]["id"] == "jabal_saraj"


def test_cli_places_a_valley_district_with_its_distance():
    out = subprocess.run(
        [sys.executable, "-m", "lib", "geocode", "Paryan"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out)
    assert data["status"] == "resolved" and data["distance_km"] < 100
    assert data["uncertainty_km"] >= 10


# --- the build of the offline data (small inputs, no packages needed) ------------------------


def test_district_point_is_the_outline_centroid_and_radius_reaches_its_corners():
    square = [[[(69.0, 35.0), (69.2, 35.0), (69.2, 35.2), (69.0, 35.2), (69.0, 35.0)]]]
    lat, lon, radius = build_geonames.centroid_and_radius(square)
    assert (round(lat, 6), round(lon, 6)) == (35.1, 69.1)
    assert 13 < radius < 15  # half the diagonal of a ~18 x 22 km square


def test_subset_keeps_persian_script_names_for_afghanistan_only():
    cities = {
        "1": {"geonameid": 1, "name": "Khinj", "latitude": 35.4, "longitude": 69.7,
              "countrycode": "AF", "alternatenames": ["Khenj", "خنج", "Хиндж"]},
        "2": {"geonameid": 2, "name": "Golbahar", "latitude": 30.0, "longitude": 55.0,
              "countrycode": "IR", "alternatenames": ["Gol Bahar", "گلبهار"]},
        "3": {"geonameid": 3, "name": "Annaba", "latitude": 36.9, "longitude": 7.8,
              "countrycode": "DZ", "alternatenames": []},
    }  # fmt: skip
    rows = {r["name"]: r for r in build_geonames.subset_rows(cities, ("AF", "IR"))}
    assert set(rows) == {"Khinj", "Golbahar"}
    assert rows["Khinj"]["alternatenames"] == "Khenj; خنج"
    assert rows["Golbahar"]["alternatenames"] == "Gol Bahar"


def test_districts_match_outlines_by_spelling_and_keep_the_unmatched_without_a_point():
    outlines = [
        {"shape_id": "S1", "name": "Rukha", "names": ["Rukha"], "lat": 35.25, "lon": 69.47,
         "radius": 15.2},
        {"shape_id": "S2", "name": "Wata Pur", "names": ["Wata Pur"], "lat": 35.0, "lon": 71.1,
         "radius": 17.0},
    ]  # fmt: skip
    districts = [
        {"geonameid": "7054341", "name": "Rukhah", "aliases": ["Rokha District"],
         "admin1": "Panjshayr"},
        {"geonameid": "7052667", "name": "Darwāz-e Pā’īn", "aliases": [], "admin1": "Badakhshān"},
    ]  # fmt: skip
    rows = {r["id"]: r for r in build_geonames.district_rows(outlines, districts, {}, {})}
    rokha = rows["geonames:7054341"]
    assert (rokha["lat"], rokha["lon"], rokha["uncertainty_km"]) == ("35.25000", "69.47000", "16")
    assert "S1" in rokha["source"] and "GeoNames 7054341" in rokha["source"]
    assert rows["geonames:7052667"].get("lat", "") == ""
    assert "no coordinate" in rows["geonames:7052667"]["source"]
    assert rows["geoboundaries:S2"]["name"] == "Wata Pur"


# --- the online tier against a local stub speaking Nominatim's JSON ---------------------------


class StubNominatim(BaseHTTPRequestHandler):
    requests: list = []
    answer: list = []
    status = 200

    def do_GET(self):  # noqa: N802 (http.server's naming)
        type(self).requests.append((self.path, dict(self.headers)))
        body = json.dumps(type(self).answer).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def stub(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    StubNominatim.requests, StubNominatim.status = [], 200
    StubNominatim.answer = [
        {
            "place_id": 1,
            "osm_type": "node",
            "osm_id": 42,
            "lat": "35.2700",
            "lon": "69.4500",
            "name": "Rokha",
            "display_name": "Rokha, Panjshir, Afghanistan",
            "addresstype": "town",
            "type": "town",
            "boundingbox": ["35.26", "35.28", "69.44", "69.46"],
            "address": {"country_code": "af"},
        }
    ]
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_online_tier_is_used_only_when_asked(stub):
    empty = GeoNamesIndex({})
    assert resolve("Rokha", EMPTY, empty).status == "not_found"
    assert StubNominatim.requests == []
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    result = resolve("Rokha", EMPTY, empty, online=online)
    assert (result.status, result.tier) == ("resolved", "online")
    assert (result.place.lat, result.place.lon) == (35.27, 69.45)
    assert "OpenStreetMap" in result.place.source and "ODbL" in result.place.source
    path, headers = StubNominatim.requests[0]
    query = parse_qs(urlparse(path).query)
    assert query["q"] == ["Rokha"]
    # The story's countries (story.toml), comma-separated as Nominatim wants them.
    expected = ",".join(c.lower() for c in story.current().countries)
    assert query["countrycodes"] == [expected]
    assert "panjshir-timeline-dashboard" in headers["User-Agent"]


def test_online_results_far_away_are_not_picked(stub):
    StubNominatim.answer[0].update(lat="51.5", lon="-0.12")
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    assert resolve("Rokha", EMPTY, GeoNamesIndex({}), online=online).status == "outside_region"


def test_online_failure_is_an_explained_error(stub):
    StubNominatim.status = 500
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    with pytest.raises(GeocodingUnavailable, match="online geocoding failed"):
        resolve("Rokha", EMPTY, GeoNamesIndex({}), online=online)


def test_online_result_cached_into_the_gazetteer_resolves_offline_next_time(tmp_path, stub):
    # A one-row copy of the shipped gazetteer: the shipped one may gain a Rukha of its own.
    path = tmp_path / "gazetteer.csv"
    shipped = (REPO_ROOT / "geodata" / "gazetteer.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([shipped[0], *[r for r in shipped if r.startswith("kabul,")]]) + "\n")
    gaz = load_gazetteer(path)[0]
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    result = resolve("Rukha", gaz, GeoNamesIndex({}), online=online)
    new_id = cache_into_gazetteer(path, "Rukha", result.place, gaz)
    reloaded, problems = load_gazetteer(path)
    assert problems == []
    assert len(reloaded.places) == len(gaz.places) + 1
    again = resolve("Rukha", reloaded, GeoNamesIndex({}))
    assert (again.tier, again.place.id) == ("gazetteer", new_id)


# --- issue 20: provinces found offline; the story's own country is no false friend ---------


@pytest.mark.parametrize("query", ["Kapisa", "Kapisa province", "kapisa"])
def test_kapisa_is_found_as_the_province_next_door(geonames, query):
    result = resolve(query, EMPTY, geonames, region=PANJSHIR)
    assert result.status == "resolved" and result.place.kind == "province"
    assert result.place.name == "Kapisa Province"
    # south-east of the Panjshir valley, an area tens of km across
    assert 34.8 < result.place.lat < 35.3 and 69.3 < result.place.lon < 69.9
    assert 15 < result.place.uncertainty_km < 40
    assert "geoBoundaries" in result.place.source


def test_a_place_in_the_storys_country_beyond_the_radius_is_suggested_with_a_warning(
    gazetteer, geonames
):
    result = resolve("Mazar-i-Sharif", gazetteer, geonames, region=PANJSHIR)
    assert result.status == "resolved" and result.place.country == "AF"
    assert result.place.distance_km > PANJSHIR.radius_km
    assert "beyond its region" in result.warnings[0] and "check it" in result.warnings[0]


def test_false_friends_abroad_stay_refused_with_the_storys_gazetteer(gazetteer):
    far = index(("Anaba", 36.9, 7.77, "DZ"), ("Anaba", 32.62, 36.10, "SY"))
    result = resolve("Anaba", gazetteer, far, region=PANJSHIR)
    assert result.status == "outside_region" and result.place is None
