"""The resolution chain: curated gazetteer, offline GeoNames (region-bound), optional Nominatim."""

import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from lib.dataset import REPO_ROOT
from lib.gazetteer import Gazetteer, load_gazetteer
from lib.geocode import (
    Candidate,
    GeocodingUnavailable,
    GeoNamesIndex,
    OnlineGeocoder,
    cache_into_gazetteer,
    load_geonames,
    resolve,
)
from lib.text import name_key

EMPTY = Gazetteer({})


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(REPO_ROOT / "geodata" / "gazetteer.csv")[0]


@pytest.fixture(scope="module")
def geonames():
    return load_geonames()


def index(*rows):
    """A GeoNames index from (name, lat, lon, country) rows: for cases the subset lacks."""
    by_key = {}
    for i, (name, lat, lon, country) in enumerate(rows):
        c = Candidate(name, lat, lon, "town", "town", f"fixture {i}", country, geonames_id=str(i))
        by_key.setdefault(name_key(name), []).append(c)
    return GeoNamesIndex(by_key)


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


def test_golbahar_is_never_sent_to_iran(geonames):
    # The offline subset holds Golbahār in Iran (GeoNames 7082152), about 950 km away.
    result = resolve("Golbahar", EMPTY, geonames)
    assert result.status == "outside_region"
    assert result.place is None
    assert result.candidates[0].country == "IR"
    assert result.candidates[0].distance_km > 900
    assert "false friend" in result.warnings[0]


def test_khinj_is_not_khinjan_78_km_away(geonames):
    result = resolve("Khinj", EMPTY, geonames)
    assert result.status == "resolved" and result.tier == "geonames"
    assert (result.place.lat, result.place.lon) == (35.42898, 69.73482)
    assert "1136737" in result.place.source


@pytest.mark.parametrize("name", ["Anaba", "Dara"])
def test_same_named_places_abroad_are_listed_not_picked(name):
    far = index((name, 36.9, 7.77, "DZ"), (name, 32.62, 36.10, "SY"))
    result = resolve(name, EMPTY, far)
    assert result.status == "outside_region" and result.place is None
    assert len(result.candidates) == 2


def test_two_different_places_in_the_region_are_ambiguous():
    two = index(("Dara", 35.35, 69.9, "AF"), ("Dara", 34.5, 70.5, "AF"))
    result = resolve("Dara", EMPTY, two)
    assert result.status == "ambiguous" and result.place is None
    assert len(result.candidates) == 2


def test_duplicate_listing_of_one_place_is_not_ambiguity():
    dup = index(("Rokha", 35.30, 69.45, "AF"), ("Rokha", 35.301, 69.451, "AF"))
    assert resolve("Rokha", EMPTY, dup).status == "resolved"


def test_unknown_name_suggests_nearest_known(gazetteer, geonames):
    result = resolve("Jabul Sarai", gazetteer, geonames)
    assert result.status == "not_found"
    assert "Jabal os Saraj" in result.warnings[0]


def test_cli_prints_the_resolution_as_json():
    out = subprocess.run(
        [sys.executable, "-m", "lib.geocode", "Jabul-Saraj"],
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


def test_online_tier_is_used_only_when_asked(gazetteer, stub):
    empty = GeoNamesIndex({})
    assert resolve("Rokha", gazetteer, empty).status == "not_found"
    assert StubNominatim.requests == []
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    result = resolve("Rokha", gazetteer, empty, online=online)
    assert (result.status, result.tier) == ("resolved", "online")
    assert (result.place.lat, result.place.lon) == (35.27, 69.45)
    assert "OpenStreetMap" in result.place.source and "ODbL" in result.place.source
    path, headers = StubNominatim.requests[0]
    query = parse_qs(urlparse(path).query)
    assert query["q"] == ["Rokha"] and query["countrycodes"] == ["af"]
    assert "panjshir-timeline-dashboard" in headers["User-Agent"]


def test_online_results_far_away_are_not_picked(gazetteer, stub):
    StubNominatim.answer[0].update(lat="51.5", lon="-0.12")
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    assert resolve("Rokha", gazetteer, GeoNamesIndex({}), online=online).status == "outside_region"


def test_online_failure_is_an_explained_error(gazetteer, stub):
    StubNominatim.status = 500
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    with pytest.raises(GeocodingUnavailable, match="online geocoding failed"):
        resolve("Rokha", gazetteer, GeoNamesIndex({}), online=online)


def test_online_result_cached_into_the_gazetteer_resolves_offline_next_time(tmp_path, stub):
    path = tmp_path / "gazetteer.csv"
    shutil.copy(REPO_ROOT / "geodata" / "gazetteer.csv", path)
    gaz = load_gazetteer(path)[0]
    online = OnlineGeocoder(domain=stub, scheme="http", min_delay_seconds=0)
    result = resolve("Rukha", gaz, GeoNamesIndex({}), online=online)
    new_id = cache_into_gazetteer(path, "Rukha", result.place, gaz)
    reloaded, problems = load_gazetteer(path)
    assert problems == []
    assert len(reloaded.places) == len(gaz.places) + 1
    again = resolve("Rukha", reloaded, GeoNamesIndex({}))
    assert (again.tier, again.place.id) == ("gazetteer", new_id)
