"""Alt text: what a sighted reader takes from the picture, in words, for every export.

Uses the fixture data set of tests/support/export_data.py (Alpha, Bravo, Charlie, Delta; E4 is at Alpha
and Bravo and is contested by E5, a denial by Officials).
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from lib.data.dataset import Dataset
from lib.map.viewstate import Bounds, state_from_params
from lib.pictures import export
from lib.pictures.alttext import alt_text, claims_by
from tests.support.export_data import fixture_data, write_dataset

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("alttext") / "data")


@pytest.fixture(scope="module")
def data(data_root: Path) -> tuple[Dataset, pd.DataFrame, Bounds]:
    return fixture_data(data_root)


def describe(data: tuple, **params: str) -> str:
    dataset, frame, bounds = data
    state, notes = state_from_params(params, bounds)
    assert notes == []
    return alt_text(frame, state, dataset.gazetteer.places, dataset.articles, title="Test map")


def test_alt_text_names_dates_counts_top_places_and_contested_claims(data: tuple) -> None:
    text = describe(data, to="2021-09-03")
    assert text.startswith("Map: Test map. 5 events at 4 places up to 3 September 2021.")
    # Alpha and Bravo have two events each (E4 is at both); Charlie and Delta one.
    assert "Most events: Alpha (2), Bravo (2) and Charlie (1)." in text
    # E4 (claimed by the Taliban) and E5 (Officials' denial) contest each other.
    assert "2 claims are contested at Alpha, Bravo and Delta: 1 by Officials and 1 by Taliban." in (
        text
    )
    assert "<" not in text and "*" not in text  # plain text, no markup


def test_alt_text_changes_with_the_filters(data: tuple) -> None:
    everything = describe(data, to="2021-09-03")
    attacks = describe(data, to="2021-09-03", type="attack")
    assert attacks != everything
    assert "1 event at 1 place up to 3 September 2021 (only attack events)." in attacks
    assert "Events by place: Bravo (1)." not in attacks  # one place: nothing to rank
    assert "No claim in view is contested." in attacks

    window = describe(data, **{"from": "2021-09-02", "to": "2021-09-02"})
    assert "2 events at 2 places on 2 September 2021." in window
    assert "Events by place: Bravo (1) and Charlie (1)." in window

    taliban = describe(data, to="2021-09-03", claimant="Taliban")
    # E2 at Bravo, E4 at Alpha and Bravo.
    assert "2 events at 2 places up to 3 September 2021 (claimed by Taliban)." in taliban
    assert "Events by place: Bravo (2) and Alpha (1)." in taliban


def test_alt_text_of_an_empty_view_and_of_a_selected_place(data: tuple) -> None:
    assert describe(data, to="2021-09-01", type="denial") == (
        "Map: Test map. No events up to 1 September 2021 (only denial events)."
    )
    assert "Highlighted: Bravo, 2 events." in describe(data, to="2021-09-03", place="bravo")
    assert "Highlighted: Delta, with no events in these dates." in describe(
        data, to="2021-09-02", place="delta"
    )


def test_alt_command_prints_the_description(
    data_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_root))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert export.main(["alt", "--to", "2021-09-02", "--type", "attack", "--title", "T"]) == 0
    assert capsys.readouterr().out == (
        "Map: T. 1 event at 1 place up to 2 September 2021 (only attack events). "
        "Most common: attack (1). No claim in view is contested.\n"
    )


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_png_metadata_carries_title_and_description_in_utf8() -> None:
    png = export.with_metadata(_tiny_png(), Title="Panjshir – map", Description="As of 2 Sep · 5")
    image = Image.open(io.BytesIO(png))
    assert image.text == {"Title": "Panjshir – map", "Description": "As of 2 Sep · 5"}
    assert image.size == (3, 2) and image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    # Every chunk's CRC is right (a strict reader would refuse the file otherwise).
    pos = 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind_and_data = png[pos + 4 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind_and_data) == crc
        pos += 12 + length


def test_png_metadata_refuses_what_is_not_a_png() -> None:
    with pytest.raises(ValueError):
        export.with_metadata(b"GIF89a", Title="x")


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [
        ([("Taliban", 3)], ["3 by Taliban"]),
        # One claimant past the top three is named, not "1 by 1 other claimant".
        (
            [("A", 3), ("B", 2), ("C", 2), ("D", 1)],
            ["3 by A", "2 by B", "2 by C", "1 by D"],
        ),
        # Regression (issue 22): "10 by 10 other claimants".
        (
            [("A", 3), ("B", 2), ("C", 2)] + [(f"X{i}", 1) for i in range(10)],
            ["3 by A", "2 by B", "2 by C", "one each by 10 other claimants"],
        ),
        (
            [("A", 3), ("B", 2), ("C", 2), ("X", 2), ("Y", 1)],
            ["3 by A", "2 by B", "2 by C", "3 in all by 2 other claimants"],
        ),
    ],
)
def test_claims_by_never_says_ten_by_ten_other_claimants(ranked, expected) -> None:
    assert claims_by(ranked) == expected
