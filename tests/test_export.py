"""Exports without a browser: CSV and GeoJSON files, the words and fit of the presentation, the
self-contained HTML pages, the command line and the Screenshot mode page (AppTest).

The fixture data set (tests/support/export_data.py) is tiny and written to disk, so the
loaders and the command line read it exactly as they read the real one.
"""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.data.dataset import Dataset
from lib.data.text import markdown_escape
from lib.map.viewstate import (
    FRAME_COLUMNS,
    Bounds,
    ViewState,
    filter_events,
    group_by_place,
    state_from_params,
)
from lib.pictures import export, presentation
from lib.pictures.presentation import Size
from tests.support.export_data import HOSTILE_HTML, fixture_data, write_dataset
from ui import exports

pytestmark = pytest.mark.apptest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("export") / "data")


@pytest.fixture(scope="module")
def data(data_root: Path) -> tuple[Dataset, pd.DataFrame, Bounds]:
    return fixture_data(data_root)


def state(bounds: Bounds, **params: str) -> ViewState:
    view, notes = state_from_params(params, bounds)
    assert notes == []
    return view


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("http://evil.example","click")',
        "=1+1",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",  # some spreadsheets drop a leading tab, then run the rest
        "\r=1+1",
        "  =1+1",  # leading spaces: trimmed by some spreadsheets before they decide
    ],
)
@pytest.mark.parametrize("column", ["summary", "claimant", "quote", "place_name", "event_id"])
def test_csv_cells_a_spreadsheet_would_run_start_with_a_quote(
    data: tuple, hostile: str, column: str
) -> None:
    _, frame, _ = data
    hostile_frame = frame.assign(**{column: hostile})

    rows = read_csv(export.events_csv(hostile_frame))

    assert rows and all(row[column] == "'" + hostile for row in rows)


@pytest.mark.parametrize("benign", ["Taliban", "34 killed taliban", "", "a = b", "E-1", "1-2"])
def test_csv_leaves_ordinary_text_alone(data: tuple, benign: str) -> None:
    _, frame, _ = data
    rows = read_csv(export.events_csv(frame.assign(summary=benign)))
    assert {row["summary"] for row in rows} == {benign}


def test_csv_round_trips_every_column_with_coordinates(data: tuple) -> None:
    _, frame, bounds = data
    visible = filter_events(frame, state(bounds, to="2021-09-03"))

    text = export.events_csv(visible)
    rows = read_csv(text)

    assert list(rows[0]) == FRAME_COLUMNS
    # One row per event and place: E4 is at Alpha and at Bravo.
    assert [(r["event_id"], r["place_id"]) for r in rows] == list(
        zip(visible["event_id"], visible["place_id"], strict=True)
    )
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for column in FRAME_COLUMNS:
        if column in ("lat", "lon", "uncertainty_km"):
            assert back[column].astype(float).tolist() == visible[column].astype(float).tolist()
        elif column == "summary":
            continue  # E3's summary is HTML, not a formula: checked below
        else:
            assert back[column].tolist() == [
                v.isoformat() if hasattr(v, "isoformat") else str(v) for v in visible[column]
            ], column
    assert HOSTILE_HTML in back["summary"].tolist()


def test_csv_negative_coordinates_stay_numbers(data: tuple) -> None:
    # West of Greenwich a longitude starts with "-": it is a number, not a formula.
    _, frame, _ = data
    rows = read_csv(export.events_csv(frame.assign(lon=-0.1276)))
    assert {row["lon"] for row in rows} == {"-0.1276"}


# --- GeoJSON ----------------------------------------------------------------------------------


def test_geojson_has_a_point_per_event_and_place_with_precision(data: tuple) -> None:
    dataset, frame, bounds = data
    visible = filter_events(frame, state(bounds, to="2021-09-03", type="political"))

    collection = export.events_geojson(visible, dataset.gazetteer)
    json.dumps(collection)  # serialisable as is: no dates or numpy numbers left

    features = collection["features"]
    assert [f["id"] for f in features] == ["E4@alpha", "E4@bravo"]
    alpha = features[0]
    assert alpha["geometry"] == {"type": "Point", "coordinates": [69.0, 35.0]}  # lon, lat
    props = alpha["properties"]
    assert props["precision"] == "town" and props["uncertainty_km"] == 2.0
    assert props["date"] == "2021-09-03"
    assert props["place_source"] == "test fixture (CC0)"
    assert props["contested_with"] == "E5"  # the other side of the contest
    assert "lat" not in props and "lon" not in props


# --- words and fit ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (ViewState(end=dt.date(2021, 9, 2)), "As of 2 September 2021"),
        (
            ViewState(end=dt.date(2021, 9, 4), start=dt.date(2021, 8, 30), mode="window"),
            "30 August – 4 September 2021",
        ),
        (
            ViewState(end=dt.date(2021, 9, 4), start=dt.date(2021, 9, 1), mode="window"),
            "1–4 September 2021",
        ),
        (
            ViewState(end=dt.date(2021, 9, 4), start=dt.date(2021, 9, 4), mode="window"),
            "4 September 2021",
        ),
        (
            ViewState(end=dt.date(2022, 1, 2), start=dt.date(2021, 12, 30), mode="window"),
            "30 December 2021 – 2 January 2022",
        ),
        # A start date left over from window mode means nothing in cumulative mode.
        (ViewState(end=dt.date(2021, 9, 2), start=dt.date(2021, 8, 1)), "As of 2 September 2021"),
    ],
)
def test_date_caption(view: ViewState, expected: str) -> None:
    assert presentation.date_caption(view) == expected


def test_sources_name_outlets_only_where_known(data: tuple) -> None:
    dataset, _, _ = data
    articles = dataset.articles
    assert presentation.sources_credit(["a-one", "a-two"], articles) == (
        "Sources: Express and 1 other article"
    )
    assert presentation.sources_credit(["a-one"], articles) == "Sources: Express"
    assert presentation.sources_credit(["a-two"], articles) == "Sources: 1 news article"
    assert presentation.sources_credit([], articles) == "Sources: none in these dates"


def test_openstreetmap_is_credited_only_with_tiles() -> None:
    assert "OpenStreetMap" not in presentation.map_credit(tiles=False)
    with_tiles = presentation.map_credit(tiles=True)
    assert "OpenStreetMap contributors" in with_tiles
    assert "geoBoundaries AFG 2007 (public domain)" in with_tiles
    assert "GeoNames (CC BY 4.0)" in with_tiles


def test_fit_leaves_out_a_far_place_unless_it_is_selected(data: tuple) -> None:
    _, frame, bounds = data
    groups = group_by_place(filter_events(frame, state(bounds, to="2021-09-03")))
    assert presentation.outliers(groups) == {"delta"}

    (south, west), (north, east) = presentation.fit_bounds(groups)
    assert east < 71 and south > 34.5  # Delta (73.0 E, 33.7 N) is not in the frame
    assert west <= 69.0 and north >= 35.3  # Alpha and Bravo are

    (south, _), (_, east) = presentation.fit_bounds(groups, selected="delta")
    assert east >= 73.0 and south <= 33.7


def test_fit_covers_an_area_place_whole(data: tuple) -> None:
    _, frame, bounds = data
    groups = group_by_place(
        filter_events(frame, state(bounds, to="2021-09-02", type="negotiation"))
    )
    (south, west), (north, east) = presentation.fit_bounds(groups)
    # Charlie is a district with a 12 km radius around 34.75 N, 69.5 E.
    assert south == pytest.approx(34.75 - 12 / 111.32, abs=1e-4)
    assert north == pytest.approx(34.75 + 12 / 111.32, abs=1e-4)
    assert west < 69.5 - 12 / 111.32 and east > 69.5 + 12 / 111.32


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("1600x900", Size(1600, 900)),
        ("1080×1350", Size(1080, 1350)),
        (" 1200X675 ", Size(1200, 675)),
    ],
)
def test_size_parse(text: str, size: Size) -> None:
    assert Size.parse(text) == size


@pytest.mark.parametrize("text", ["1600", "1600x", "axb", "100x100", "90000x900"])
def test_size_parse_refuses_what_is_not_a_sensible_size(text: str) -> None:
    with pytest.raises(ValueError):
        Size.parse(text)


# --- the pages --------------------------------------------------------------------------------

_EXTERNAL_TAG = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def test_presentation_is_one_self_contained_file(data: tuple) -> None:
    dataset, frame, bounds = data
    page = presentation.presentation_html(
        frame, state(bounds, to="2021-09-02"), dataset.articles, size=Size(1200, 675)
    )
    assert not _EXTERNAL_TAG.search(page)
    assert "tile.openstreetmap.org" not in page
    assert "--nm-width:1200px;--nm-height:675px" in page  # the page pinned to its size
    assert "As of 2 September 2021" in page
    assert "Sources: Express and 1 other article" in page


def test_presentation_with_tiles_credits_openstreetmap(data: tuple) -> None:
    dataset, frame, bounds = data
    page = presentation.presentation_html(
        frame, state(bounds, to="2021-09-02"), dataset.articles, tiles=True
    )
    assert "tile.openstreetmap.org" in page
    assert "OpenStreetMap contributors" in page


def test_presentation_escapes_the_title_and_the_data(data: tuple) -> None:
    dataset, frame, bounds = data
    page = presentation.presentation_html(
        frame, state(bounds, to="2021-09-02"), dataset.articles, title="<b>Scoop</b>"
    )
    assert "<b>Scoop</b>" not in page and "&lt;b&gt;Scoop&lt;/b&gt;" in page
    assert HOSTILE_HTML not in page  # E3's summary reaches the popup escaped


def test_template_braces_in_the_data_reach_the_presentation_as_written(data: tuple) -> None:
    # branca re-reads rendered scripts as Jinja templates: data went through it as code.
    dataset, frame, bounds = data
    braces = "Fighters {{ 7 * 7 }} {% raw %} clash"
    page = presentation.presentation_html(
        frame.assign(place_name=braces), state(bounds, to="2021-09-02"), dataset.articles
    )
    assert "Fighters {{ 7 * 7 }} {% raw %} clash" in page


def test_same_view_gives_the_same_file(data: tuple) -> None:
    # folium names elements at random; the exports number them, so files can be compared.
    dataset, frame, bounds = data
    view = state(bounds, to="2021-09-03", place="bravo")
    assert presentation.presentation_html(frame, view, dataset.articles) == (
        presentation.presentation_html(frame, view, dataset.articles)
    )
    assert presentation.standalone_html(frame, view, dataset.articles) == (
        presentation.standalone_html(frame, view, dataset.articles)
    )


def test_standalone_page_embeds_every_day_for_the_engine(data: tuple) -> None:
    dataset, frame, bounds = data
    view = state(bounds, to="2021-09-02")
    embedded = presentation.standalone_data(frame, view, dataset.articles)
    data, timeline = embedded["engine"], embedded["timeline"]

    assert (data["first"], data["ndays"]) == ("2021-09-01", 3)
    assert (timeline["mode"], timeline["end"]) == ("cumulative", 1)
    # Popup text travels as plain text: the browser escapes it (Newsmap.esc), once.
    assert any("Express: “Fighting at Alpha”" in item[4] for item in data["info"])
    page = presentation.standalone_html(frame, view, dataset.articles)
    assert not _EXTERNAL_TAG.search(page)
    assert HOSTILE_HTML not in page  # nor in the data: "<" is \u003c inside the script


def test_standalone_window_starts_on_the_view_window(data: tuple) -> None:
    dataset, frame, bounds = data
    view = state(bounds, **{"from": "2021-09-02", "to": "2021-09-03"})
    timeline = presentation.standalone_data(frame, view, dataset.articles)["timeline"]
    assert (timeline["mode"], timeline["start"], timeline["end"]) == ("window", 1, 2)


def test_export_links_carry_the_view_to_screenshot_mode() -> None:
    view = ViewState(
        end=dt.date(2021, 9, 4), start=dt.date(2021, 8, 30), mode="window",
        types=("clash", "attack"), place="shotul",
    )  # fmt: skip
    assert exports.export_links(view) == (
        "./Screenshot_mode?to=2021-09-04&from=2021-08-30&mode=window"
        "&type=clash%2Cattack&place=shotul"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ({"end": dt.date(2021, 9, 2)}, "panjshir-map_to_2021-09-02.png"),
        (
            {"end": dt.date(2021, 9, 4), "start": dt.date(2021, 8, 30), "mode": "window",
             "place": "shotul"},
            "panjshir-map_2021-08-30_2021-09-04_shotul.png",
        ),
    ],
)  # fmt: skip
def test_export_filename_says_which_view(name: dict, expected: str) -> None:
    assert export.export_filename(ViewState(**name), "png") == expected


def test_export_filename_carries_the_preset_so_two_sizes_do_not_share_a_name() -> None:
    """Regression (issue 22): two presets of one view downloaded under one name."""
    state = ViewState(end=dt.date(2021, 9, 2), place="shotul")
    square = export.export_filename(state, "png", preset="1080x1080")
    assert square == "panjshir-map_to_2021-09-02_shotul_1080x1080.png"
    assert square != export.export_filename(state, "png", preset="1080x1350")


# --- command line -----------------------------------------------------------------------------


@pytest.fixture
def data_env(data_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_root))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return data_root


def test_export_data_is_cached_by_content_and_reloaded_when_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = write_dataset(tmp_path / "data")
    first = export.load_export_data(root)
    assert len(list(export.cache_dir().glob("data-*.pickle"))) == 1

    calls = []
    monkeypatch.setattr("lib.data.dataset.load_dataset", lambda *a, **k: calls.append(a) or 1 / 0)
    again = export.load_export_data(root)  # from the cache: the loader is not called
    assert calls == [] and again.frame.equals(first.frame)

    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    events = root / "events.csv"
    # The same number of bytes: the cache must not take the file for the one it holds.
    events.write_text(events.read_text(encoding="utf-8").replace("Fighters clash at Alpha.",
                      "Fighters clash by Alpha."), encoding="utf-8")  # fmt: skip
    changed = export.load_export_data(root)
    assert "Fighters clash by Alpha." in set(changed.frame["summary"])
    assert len(list(export.cache_dir().glob("data-*.pickle"))) == 1  # the old one is gone


def test_the_command_s_cache_serves_the_app_and_the_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # python -m lib export runs the module as __main__; its cache used to hold a
    # __main__.ExportData that no other program could read back (a 10 s reload at 100,000).
    cache = tmp_path / "cache"
    root = write_dataset(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "lib", "export", "alt"], cwd=REPO, capture_output=True, text=True,
        env={**os.environ, "DASHBOARD_DATA_DIR": str(root), "XDG_CACHE_HOME": str(cache)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr("lib.data.dataset.load_dataset", lambda *a, **k: 1 / 0)
    data = export.load_export_data(root)  # from the command's cache, or 1 / 0
    assert len(data.frame) == 6 and data.articles


def test_a_broken_cache_file_is_only_a_slower_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = write_dataset(tmp_path / "data")
    export.load_export_data(root)
    (cached,) = export.cache_dir().glob("data-*.pickle")
    cached.write_bytes(b"not a pickle")
    assert len(export.load_export_data(root).frame) == 6


def test_embed_snippet_keeps_its_aspect_and_escapes() -> None:
    snippet = export.embed_snippet("https://x.example/m.html?a=1&b=2", "Map: <b>", 'Alt "quoted"')
    assert "aspect-ratio:4 / 3" in snippet and "width:100%;height:100%" in snippet
    assert 'src="https://x.example/m.html?a=1&amp;b=2"' in snippet
    assert 'title="Map: &lt;b&gt;"' in snippet and 'aria-label="Alt &quot;quoted&quot;"' in snippet


def test_cli_csv_takes_the_url_filters(data_env: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    code = export.main(
        ["csv", "--to", "2021-09-03", "--type", "political,denial", "--out", str(out)]
    )
    assert code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = read_csv(raw.decode("utf-8-sig"))
    assert sorted((r["event_id"], r["place_id"]) for r in rows) == [
        ("E4", "alpha"), ("E4", "bravo"), ("E5", "delta"),
    ]  # fmt: skip


def test_cli_geojson_window(data_env: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    assert (
        export.main(["geojson", "--from", "2021-09-02", "--to", "2021-09-02", "--out", str(out)])
        == 0
    )
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(f["id"] for f in collection["features"]) == ["E2@bravo", "E3@charlie"]


def test_cli_warns_about_parameters_it_ignores(
    data_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "map.html"
    assert (
        export.main(["html", "--type", "earthquake", "--to", "2030-01-01", "--out", str(out)]) == 0
    )
    err = capsys.readouterr().err
    assert "'type=earthquake' is not known; ignored" in err
    assert "outside the data" in err
    assert out.read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")


def test_cli_refuses_a_bad_size(
    data_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export.main(["png", "--size", "huge", "--out", str(tmp_path / "x.png")]) == 2
    assert "not a size like 1600x900" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


# --- the page (AppTest) -----------------------------------------------------------------------


def test_screenshot_page_shows_the_linked_view_and_its_downloads(data_env: Path) -> None:
    at = AppTest.from_file("../pages/2_Screenshot_mode.py", default_timeout=60)
    at.query_params["from"] = "2021-09-02"
    at.query_params["to"] = "2021-09-03"
    at.query_params["place"] = "nowhere"
    at.run()

    assert not at.exception
    assert [w.value for w in at.warning] == [  # escaped: the URL's text is never Markdown
        markdown_escape("Link parameter ignored: 'place=nowhere' is not a known place; ignored")
    ]
    preview = at.get("iframe")[0].proto.srcdoc
    assert "2–3 September 2021" in preview and "--nm-width:1600px;--nm-height:900px" in preview
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "⬇ PNG", "⬇ GIF", "⬇ MP4", "⬇ PDF", "⬇ SVG",  # one click each: no Render button first
        "⬇ This picture (HTML)",
        "⬇ Interactive map (HTML)",
        "⬇ Events (CSV)",
        "⬇ Events (GeoJSON)",
    ]  # fmt: skip
    assert not at.button
    # The alt text is shown for copying, and names the view's counts.
    alt = at.get("code")[0].proto.code_text
    assert alt.startswith("Map: Panjshir valley") and "4 events at 4 places from 2 September" in alt

    at.radio(key="shot.preset").set_value("1080x1350").run()
    assert "--nm-width:1080px;--nm-height:1350px" in at.get("iframe")[0].proto.srcdoc


def test_screenshot_page_renders_a_gif_with_the_chosen_timing(
    data_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The buttons used to be tested by their labels only, and the page had no timing controls.
    # Each picture button is one click: its file is made by a callable when it is pressed;
    # the test catches the callables the page registers and calls the GIF's.
    from PIL import Image, ImageSequence
    from streamlit.runtime.media_file_manager import MediaFileManager

    made: dict[str, object] = {}
    register = MediaFileManager.add_deferred

    def catch(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", catch)
    at = AppTest.from_file("../pages/2_Screenshot_mode.py", default_timeout=180)
    at.query_params["from"] = "2021-09-01"
    at.query_params["to"] = "2021-09-03"
    at.run()
    at.radio(key="shot.preset").set_value("1200x675")
    at.number_input(key="shot.day_s").set_value(0.3)
    at.number_input(key="shot.hold_s").set_value(1.0)
    made.clear()
    at.run()

    assert not at.exception and not at.error, [e.value for e in at.error]
    name = "panjshir-map_2021-09-01_2021-09-03_1200x675.gif"  # the preset is in the name
    assert name in made, sorted(made)
    # In its own thread, as Streamlit calls it: after the browser tests this thread runs the
    # session's Playwright loop, and Playwright's sync API refuses to start inside it.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        gif = pool.submit(made[name]).result()
    image = Image.open(io.BytesIO(gif))
    assert image.size == (1200, 675)
    durations = [f.info["duration"] for f in ImageSequence.Iterator(image)]
    assert durations == [300, 300, 1300]  # three days; the last held one second more
