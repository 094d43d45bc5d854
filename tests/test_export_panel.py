"""The single-file HTML export's place panel, without a browser: the place data it embeds.

The page embeds, for each place its view shows, what the reader edition writes in that place's
file (``lib.map.panel.place_data``): its events, the rival claims they answer and every passage
naming it; no other place. The fixture data set is tests/support/export_data.py, with one more
article whose sentence about Bravo carries hostile strings.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from lib.edition import publish
from lib.map.viewstate import Bounds, ViewState, state_from_params
from lib.pictures import export
from lib.pictures.presentation import Size
from tests.support.export_data import HOSTILE_HTML, fixture_data, write_dataset

pytestmark = pytest.mark.unit

#: Script, template and markup in one article sentence that names Bravo.
HOSTILE_SENTENCE = "Near Bravo a post read </script><script>alert(1)</script> {{ 7*7 }} &amp; more."


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_dataset(tmp_path_factory.mktemp("export-panel") / "data")
    (root / "articles" / "a-three.txt").write_text(
        f"Posts from the valley\n{HOSTILE_SENTENCE}\n", encoding="utf-8"
    )
    with (root / "articles" / "articles.csv").open("a", encoding="utf-8", newline="") as handle:
        header = (root / "articles" / "articles.csv").read_text(encoding="utf-8").splitlines()[0]
        row = {"id": "a-three", "file": "a-three.txt", "outlet": "Wire",
               "published_from": "2021-09-05", "published_to": "2021-09-05", "date_inferred": "no"}  # fmt: skip
        csv.DictWriter(handle, header.split(",")).writerow(row)
    return root


@pytest.fixture(scope="module")
def data(data_root: Path) -> export.ExportData:
    return export.load_export_data(data_root, cache=False)


@pytest.fixture(scope="module")
def bounds(data_root: Path) -> Bounds:
    return fixture_data(data_root)[2]


def state(bounds: Bounds, **params: str) -> ViewState:
    view, notes = state_from_params(params, bounds)
    assert notes == []
    return view


def embedded_places(page: str) -> dict | None:
    """The ``places`` option the page hands to ``Newsmap.standalone`` (its fourth argument)."""
    # The last one: standalone.js's comment shows the call too.
    match = list(re.finditer(r"Newsmap\.standalone\(\w+, ", page))[-1]
    decoder, pos, values = json.JSONDecoder(), match.end(), []
    for _ in range(3):
        value, pos = decoder.raw_decode(page, pos)
        values.append(value)
        pos += len(", ")
    options = values[2]
    if options["places"] is None:
        return None
    # One headline table for every place: each place's own is the part its articles need.
    return {
        place_id: {**record, "headlines": options["headlines"]}
        for place_id, record in options["places"].items()
    }


def html(data: export.ExportData, view: ViewState) -> str:
    page = export.render("html", data, view, size=Size(1600, 900))
    assert isinstance(page, str)
    return page


def test_export_embeds_place_data_for_every_place_of_its_view(data, bounds) -> None:
    places = embedded_places(html(data, state(bounds, to="2021-09-02")))
    # The page's own timeline runs over every date of the view: places of later days too.
    assert set(places) == {"alpha", "bravo", "charlie", "delta"}
    assert "id='nm-panel'" in html(data, state(bounds))


def test_export_embeds_no_place_outside_its_filters(data, bounds) -> None:
    page = html(data, state(bounds, type="attack"))
    assert set(embedded_places(page)) == {"bravo"}
    # Alpha's passages are not in the file (its name is, in Bravo's events' text).
    assert "Fighters clashed at Alpha on Wednesday." not in page


def test_export_place_has_its_events_rivals_and_every_passage_naming_it(data, bounds) -> None:
    bravo = embedded_places(html(data, state(bounds)))["bravo"]
    assert bravo["name"] == "Bravo"
    assert [e[0] for e in bravo["events"]] == ["E2", "E4"]
    assert [e[0] for e in bravo["rivals"]] == ["E5"]  # Delta's denial contests E4
    sentences = [p[1] for p in bravo["passages"]]
    assert "An attack hit Bravo on Thursday." in sentences
    passage = next(p for p in bravo["passages"] if p[1] == "An attack hit Bravo on Thursday.")
    assert passage[1][passage[2] : passage[3]] == "Bravo"  # the name to highlight
    assert bravo["headlines"]["a-two"] == "“Attack on Bravo” (5 September 2021)"


def test_export_place_data_is_the_editions_place_file(data_root, data, bounds) -> None:
    dataset = fixture_data(data_root)[0]
    edition = publish.build(dataset, published=dt.datetime(2021, 9, 30, tzinfo=dt.UTC))
    _, manifest = publish.read_data_script(
        next(v for k, v in edition.files.items() if k.startswith("data/manifest."))
    )
    embedded = embedded_places(html(data, state(bounds)))
    for place_id, record in embedded.items():
        key, published = publish.read_data_script(edition.files[manifest["places"][place_id]])
        assert key == f"place:{place_id}"
        assert {**record, "headlines": None} == {**published, "headlines": None}, place_id
        assert published["headlines"].items() <= record["headlines"].items(), place_id


def test_export_hostile_strings_are_json_text_not_markup(data, bounds) -> None:
    page = html(data, state(bounds))
    for raw in (HOSTILE_HTML, "</script><script>alert(1)", "{{ 7*7 }}"):
        assert raw not in page
    places = embedded_places(page)
    assert HOSTILE_HTML in [e[8] for e in places["charlie"]["events"]]  # E3's summary
    assert HOSTILE_SENTENCE in [p[1] for p in places["bravo"]["passages"]]


def test_export_passages_survive_the_data_cache(data_root, tmp_path, monkeypatch) -> None:
    # The cache keeps articles without their text: the passages must be made before.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = export.load_export_data(data_root)
    again = export.load_export_data(data_root)
    assert again is not first and list(tmp_path.rglob("data-*.pickle"))
    sentences = {m.sentence for m in again.mentions["bravo"]}
    assert "An attack hit Bravo on Thursday." in sentences
    assert again.articles["a-two"].text == ""


def test_app_html_download_has_the_place_panel(data_root, bounds) -> None:
    from lib.data.mentions import build_index, by_place
    from ui import exports

    dataset = fixture_data(data_root)[0]
    mentions = by_place(build_index(dataset.articles.values(), dataset.gazetteer))
    page = exports.standalone_bytes(state(bounds, type="attack"), dataset, mentions).decode()
    places = embedded_places(page)
    assert set(places) == {"bravo"}
    assert "An attack hit Bravo on Thursday." in [p[1] for p in places["bravo"]["passages"]]
