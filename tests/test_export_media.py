"""GIF, MP4, PDF and SVG exports in a real Chromium, and labels that never overlap.

The small fixture data set comes from tests/support/export_data.py (three days, four places, Delta far
away); the label tests also use bench/generate.py's synthetic 10,000 events. One session
browser serves every test.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image, ImageSequence
from playwright.sync_api import Browser
from pypdf import PdfReader

from lib.map.viewstate import Bounds, ViewState, state_from_params
from lib.pictures import animation, export, presentation, vector
from lib.pictures.presentation import PRESETS, Size
from tests.support.export_data import write_dataset

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> export.ExportData:
    root = write_dataset(tmp_path_factory.mktemp("media") / "data")
    return export.load_export_data(root, cache=False)


def view(data: export.ExportData, **params: str) -> ViewState:
    bounds = Bounds.of(data.frame, data.articles, data.gazetteer.places)
    state, notes = state_from_params(params, bounds)
    assert notes == []
    return state


def frames_of(gif: bytes) -> list[Image.Image]:
    return [f.convert("RGB") for f in ImageSequence.Iterator(Image.open(io.BytesIO(gif)))]


def caption_box(data: export.ExportData, state: ViewState, size: Size, browser: Browser) -> tuple:
    html = presentation.presentation_html(
        data.frame, state, data.articles, data.gazetteer.places, size=size
    )
    with export.open_page(html, size, scale=1, browser=browser) as page:
        box = page.locator(".nm-caption").bounding_box()
    assert box is not None
    return tuple(
        round(v) for v in (box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"])
    )


# --- GIF --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gif(data: export.ExportData, browser: Browser) -> bytes:
    return export.render(
        "gif", data, view(data, to="2021-09-03"), size=Size(1080, 1080),
        day_ms=500, hold_ms=1500, browser=browser,
    )  # fmt: skip


def test_gif_has_one_frame_per_day_at_the_preset_size(gif: bytes) -> None:
    image = Image.open(io.BytesIO(gif))
    assert image.size == (1080, 1080)
    assert image.n_frames == 3  # 1, 2 and 3 September
    durations = []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info["duration"])
    assert durations == [500, 500, 2000]  # the last day is held
    assert image.info.get("loop") == 0


def test_gif_frames_are_drawn_and_their_caption_changes(
    gif: bytes, data: export.ExportData, browser: Browser
) -> None:
    frames = frames_of(gif)
    for frame in frames:  # not blank: outlines, places, text
        assert len(frame.resize((216, 216)).getcolors(maxcolors=1 << 16) or []) > 20
    box = caption_box(data, view(data, to="2021-09-03"), Size(1080, 1080), browser)
    captions = [np.asarray(f.crop(box)) for f in frames]
    for before, after in zip(captions, captions[1:], strict=False):
        assert (before != after).any(), "the date caption did not change between two days"
    # The map grows: more of it is coloured on the last day than on the first.
    first, last = (
        np.asarray(f.crop((0, box[3] + 80, 1080, 1000))) for f in (frames[0], frames[-1])
    )
    assert (first != last).any()


def test_gif_is_the_same_for_the_same_view(
    gif: bytes, data: export.ExportData, browser: Browser
) -> None:
    again = export.render(
        "gif", data, view(data, to="2021-09-03"), size=Size(1080, 1080),
        day_ms=500, hold_ms=1500, browser=browser,
    )  # fmt: skip
    assert again == gif


def test_animation_days_run_from_the_first_day_of_the_view(data: export.ExportData) -> None:
    window = view(data, **{"from": "2021-09-02", "to": "2021-09-03"})
    assert [d.isoformat() for d in presentation.view_days(data.frame, window)] == [
        "2021-09-02",
        "2021-09-03",
    ]
    # Cumulative: from the first day with an event that passes the filters.
    attacks = view(data, to="2021-09-03", type="political")
    assert [d.isoformat() for d in presentation.view_days(data.frame, attacks)] == ["2021-09-03"]


def test_page_switches_the_day_in_place(data: export.ExportData, browser: Browser) -> None:
    html = presentation.presentation_html(
        data.frame, view(data, to="2021-09-03"), data.articles, size=Size(1200, 675), animate=True
    )
    with export.open_page(html, Size(1200, 675), scale=1, browser=browser) as page:
        page.evaluate("() => { window.loadedOnce = true; }")
        assert page.evaluate("() => window.newsmapExport.showDay('2021-09-01')") == (
            "As of 1 September 2021 · 1 event at 1 place"
        )
        assert page.locator(".nm-label:visible").all_inner_texts() == ["Alpha · 1"]
        assert page.evaluate("() => window.newsmapExport.showDay('2021-09-03')").startswith(
            "As of 3 September 2021 · 5 events at 4 places"
        )
        assert page.evaluate("() => window.loadedOnce") is True  # no reload in between
        with pytest.raises(Exception, match="no day 2021-08-01"):
            page.evaluate("() => window.newsmapExport.showDay('2021-08-01')")


# --- MP4 --------------------------------------------------------------------------------------


def test_mp4_is_h264_yuv420p_with_a_frame_per_step(
    data: export.ExportData, browser: Browser, tmp_path: Path
) -> None:
    mp4 = export.render(
        "mp4", data, view(data, to="2021-09-03"), size=Size(1200, 675),
        day_ms=200, hold_ms=400, browser=browser,
    )  # fmt: skip
    file = tmp_path / "map.mp4"
    file.write_bytes(mp4)
    reader = imageio_ffmpeg.read_frames(str(file))
    meta = next(reader)
    assert meta["codec"] == "h264"
    assert meta["pix_fmt"].startswith("yuv420p")
    assert meta["fps"] == animation.MP4_FPS
    # 675 is odd and yuv420p needs even sizes: one white row is added.
    assert meta["size"] == (1200, 676)
    frames = [np.frombuffer(f, np.uint8).reshape(676, 1200, 3) for f in reader]
    # 200 + 200 + (200 + 400) ms at 25 frames a second.
    assert len(frames) == animation.mp4_frame_count(3, 200, 400) == 25
    assert frames[-1].std() > 10  # not blank
    assert (frames[0] != frames[-1]).any()


@pytest.mark.parametrize(
    ("day_ms", "hold_ms", "frames"),
    [
        (800, 2520, 483),  # 20 frames a day, 63 more on the last
        (800, 2500, 482),  # 62.5 frames of hold: rounded to whole frames (to even)
        (1000, 0, 525),
        (30, 0, 21),  # shorter than a frame at 25 fps: one frame (40 ms) a day
    ],
)
def test_mp4_frame_count(day_ms: int, hold_ms: int, frames: int) -> None:
    assert animation.mp4_frame_count(21, day_ms, hold_ms) == frames


# --- PDF and SVG ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(data: export.ExportData, browser: Browser) -> PdfReader:
    raw = export.render(
        "pdf", data, view(data, to="2021-09-03"), size=Size(1080, 1350), browser=browser
    )
    return PdfReader(io.BytesIO(raw))


def test_pdf_is_one_page_of_the_preset_proportions(pdf: PdfReader) -> None:
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert float(box.width) == pytest.approx(1080 * vector.PT_PER_PX, abs=1)
    assert float(box.height) == pytest.approx(1350 * vector.PT_PER_PX, abs=1)


def test_pdf_labels_caption_and_credits_are_text_and_nothing_is_an_image(pdf: PdfReader) -> None:
    page = pdf.pages[0]
    text = page.extract_text()
    for words in ("Alpha · 2", "Bravo · 2", "Charlie · 1", "Delta · 1", presentation.DEFAULT_TITLE,
                  "As of 3 September 2021", "5 events at 4 places", "negotiation",
                  "Sources: Express and 1 other article", "geoBoundaries AFG 2007"):  # fmt: skip
        assert words in text, words
    assert len(page.images) == 0  # no tiles asked for: markers and outlines are vectors


@pytest.fixture(scope="module")
def svg(data: export.ExportData, browser: Browser) -> ET.Element:
    raw = export.render(
        "svg",
        data,
        view(data, to="2021-09-03", place="bravo"),
        size=Size(1600, 900),
        browser=browser,
    )
    return ET.fromstring(raw.encode("utf-8"))


def test_svg_has_the_preset_size_and_labels_as_text(svg: ET.Element) -> None:
    assert (svg.get("width"), svg.get("height")) == ("1600", "900")
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    for label in ("Alpha · 2 ⚑", "Bravo · 2 ⚑", "Charlie · 1", "Delta · 1 ⚑"):
        assert any(label in t for t in texts), label
    assert presentation.DEFAULT_TITLE in texts
    assert any("highlighted: Bravo" in t for t in texts)
    assert any("Sources: Express and 1 other article" in t for t in texts)
    assert not list(svg.iter(f"{SVG}image"))  # no tiles: nothing raster


def test_svg_draws_places_and_outlines_as_paths(svg: ET.Element, data: export.ExportData) -> None:
    paths = list(svg.iter(f"{SVG}path"))
    strokes = {p.get("stroke") for p in paths}
    # The places' colours (Bravo's attack, Charlie's negotiation) and the selection ring.
    from lib.map.mapview import TYPE_COLOURS

    assert TYPE_COLOURS["attack"] in {p.get("fill") for p in paths}
    assert TYPE_COLOURS["negotiation"] in strokes
    assert "#111" in strokes
    assert len(paths) > 10  # province outlines too


def test_vector_and_animation_commands_write_files(tmp_path: Path) -> None:
    # Processes of their own, as a user runs them (Playwright's sync API runs one per thread).
    root = write_dataset(tmp_path / "data")
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(root), "XDG_CACHE_HOME": str(tmp_path / "c")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "lib", "export", *args], cwd=REPO, env=env,
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip

    result = run("svg", "--size", "1200x675", "--out", str(tmp_path / "m.svg"))
    assert result.returncode == 0, result.stderr
    assert ET.parse(tmp_path / "m.svg").getroot().get("width") == "1200"
    result = run("gif", "--size", "1080x1350", "--day-ms", "300", "--out", str(tmp_path / "m.gif"))
    assert result.returncode == 0, result.stderr
    image = Image.open(tmp_path / "m.gif")
    assert (image.size, image.n_frames) == ((1080, 1350), 3)
    result = run("pdf", "--out", "-")
    assert result.returncode == 2 and "give a file name" in result.stderr


# --- labels never overlap ---------------------------------------------------------------------


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for a, b in combinations(boxes, 2)
        if min(a["right"], b["right"]) > max(a["left"], b["left"])
        and min(a["bottom"], b["bottom"]) > max(a["top"], b["top"])
    ]


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> export.ExportData:
    from bench.generate import generate

    root = tmp_path_factory.mktemp("labels") / "data"
    generate(10_000, root)
    return export.load_export_data(root, cache=False)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_no_two_labels_overlap_at_10000_events(
    many: export.ExportData, browser: Browser, preset: str
) -> None:
    size = PRESETS[preset][0]
    days = sorted(set(many.frame["date"]))
    state = ViewState(end=days[-1], start=days[-5], mode="window")
    html = presentation.presentation_html(
        many.frame, state, many.articles, many.gazetteer.places, size=size, animate=True
    )
    with export.open_page(html, size, scale=1, browser=browser) as page:
        for day in days[-5:]:
            page.evaluate("(iso) => window.newsmapExport.showDay(iso)", day.isoformat())
            boxes = page.evaluate("() => window.newsmapExport.labelBoxes()")
            # Labelled: the most important places, as many as fit (at most the app's limit).
            assert 10 <= len(boxes) <= 60 + 10, (day, len(boxes))
            assert overlaps(boxes) == [], day


@pytest.mark.parametrize("preset", list(PRESETS))
def test_a_dense_picture_keeps_places_where_they_are_and_names_many(
    many: export.ExportData, browser: Browser, preset: str
) -> None:
    # 10,000 events at 500 places up to the last day. Pins that share a spot are spread on a
    # small ring; big clusters used to be spread on rings hundreds of pixels wide (places
    # drawn far from where they are, some pushed off the map), and labels, kept off every
    # pin, found room for 7 to 16 names.
    size = PRESETS[preset][0]
    state = ViewState(end=max(many.frame["date"]))
    html = presentation.presentation_html(
        many.frame, state, many.articles, many.gazetteer.places, size=size
    )
    shot = export.capture(html, size, scale=1, browser=browser)
    assert max(m["shift"] for m in shot.markers) <= 80
    named = [b for b in shot.labels if b["text"][:1] not in "→↗↑↖←↙↓↘"]
    assert len(named) >= 25, len(named)
    assert overlaps(shot.labels) == []


@pytest.mark.parametrize("preset", list(PRESETS))
def test_no_two_labels_overlap_in_the_small_picture(
    data: export.ExportData, browser: Browser, preset: str
) -> None:
    size = PRESETS[preset][0]
    html = presentation.presentation_html(
        data.frame, view(data, to="2021-09-03", place="alpha"), data.articles, size=size
    )
    shot = export.capture(html, size, scale=1, browser=browser)
    # Every place is labelled (Delta at the frame's edge), and none overlap.
    assert sorted(b["place"] for b in shot.labels) == ["alpha", "bravo", "charlie", "delta"]
    assert overlaps(shot.labels) == []


def _frames() -> list[Image.Image]:
    from PIL import ImageDraw

    frames = []
    for day in range(3):
        image = Image.new("RGB", (320, 240), "white")
        draw = ImageDraw.Draw(image)
        draw.ellipse((20 + 40 * day, 20, 120 + 40 * day, 120), fill=(200, 30, 30))
        draw.text((10, 200), f"day {day}", fill="black")
        frames.append(image)
    return frames


def test_encoders_give_the_same_file_for_the_same_frames() -> None:
    frames = _frames()
    assert animation.encode_mp4(frames, day_ms=200, hold_ms=400) == animation.encode_mp4(
        frames, day_ms=200, hold_ms=400
    )
    assert animation.encode_gif(frames) == animation.encode_gif(frames)


def test_animation_refuses_no_frames_and_too_many_days() -> None:
    with pytest.raises(ValueError):
        animation.encode_gif([])
    with pytest.raises(ValueError, match="choose a window"):
        animation.check_days(list(range(animation.MAX_DAYS + 1)))


# --- alt text in every picture ----------------------------------------------------------------


def alt(data: export.ExportData, **params: str) -> str:
    return str(export.render("alt", data, view(data, **params), size=Size(1600, 900))).strip()


def test_gif_carries_the_alt_text_as_its_comment(gif: bytes, data: export.ExportData) -> None:
    comment = Image.open(io.BytesIO(gif)).info.get("comment", b"").decode("utf-8")
    assert comment == alt(data, to="2021-09-03")
    assert "events at" in comment


def test_mp4_carries_the_alt_text_as_its_comment(
    data: export.ExportData, browser: Browser, tmp_path: Path
) -> None:
    file = tmp_path / "map.mp4"
    file.write_bytes(
        export.render(
            "mp4",
            data,
            view(data, to="2021-09-03"),
            size=Size(1080, 1080),
            day_ms=200,
            hold_ms=200,
            browser=browser,
        )  # fmt: skip
    )
    probe = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(file), "-f", "ffmetadata", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    # ffmetadata escapes '=', ';', '#', '\\' and newlines with a backslash.
    assert f"comment={alt(data, to='2021-09-03')}" in re.sub(
        r"\\(.)", r"\1", probe.stdout, flags=re.S
    )


def test_svg_describes_itself_with_the_alt_text(svg: ET.Element, data: export.ExportData) -> None:
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and desc.text == alt(data, to="2021-09-03", place="bravo")
    assert svg.get("role") == "img" and svg.get("aria-describedby") == desc.get("id")


def test_gif_frames_keep_the_colours_of_the_frames_drawn_without_a_palette(
    gif: bytes, data: export.ExportData, browser: Browser
) -> None:
    """Regression (issue 22): one palette from the last frame drew day 1's fills in the nearest
    colour of the last day (an orange "attack" came out olive)."""
    frames, _ = export.animation_frames(
        data, view(data, to="2021-09-03"), size=Size(1080, 1080), browser=browser
    )
    for day, (drawn, original) in enumerate(zip(frames_of(gif), frames, strict=True)):
        want = np.asarray(original)
        got = np.asarray(drawn)
        # Every colour that fills an area of this frame (fills, outlines, the background)
        # comes out exactly; only anti-aliased edge pixels may take a neighbouring colour.
        for count, colour in original.getcolors(maxcolors=1 << 22):
            if count < 400:
                continue
            where = (want == colour).all(axis=2)
            assert (got[where] == colour).all(), f"day {day + 1}: {colour} drawn otherwise"
