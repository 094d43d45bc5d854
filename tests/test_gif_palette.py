"""The GIF's one palette covers every frame: early days keep their colours (issue 22)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageSequence

from lib.pictures import animation

pytestmark = pytest.mark.unit

ORANGE = (244, 121, 32)  # a fill seen only on the first day
OLIVE = (128, 128, 0)


def _frames() -> list[Image.Image]:
    """Day 1: an orange place on white. Day 2: the place olive, and a band of 600 greys and
    tints (anti-aliased text and edges) that crowd any palette taken from this frame alone."""
    first = Image.new("RGB", (300, 200), "white")
    ImageDraw.Draw(first).ellipse((40, 40, 120, 120), fill=ORANGE)
    last = Image.new("RGB", (300, 200), "white")
    draw = ImageDraw.Draw(last)
    draw.ellipse((40, 40, 120, 120), fill=OLIVE)
    for x in range(300):
        for y in range(2):
            draw.point((x, 150 + y), fill=(x % 256, (x * 7 + y * 90) % 256, (x * 3) % 256))
    return [first, last]


def _decoded(gif: bytes) -> list[np.ndarray]:
    return [
        np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(io.BytesIO(gif)))
    ]


def test_gif_early_frame_colours_match_the_frame_drawn_without_a_palette() -> None:
    """Regression: the palette came from the last frame, and day 1's orange came out olive."""
    frames = _frames()
    decoded = _decoded(animation.encode_gif(frames, day_ms=200, hold_ms=0))
    assert len(decoded) == len(frames)
    for drawn, original in zip(decoded, frames, strict=True):
        want = np.asarray(original)
        # The flat colours (all but the crowded band) are exact in every frame.
        assert (drawn[:140] == want[:140]).all()
    assert tuple(decoded[0][80, 80]) == ORANGE
    assert tuple(decoded[1][80, 80]) == OLIVE


def test_gif_palette_keeps_at_most_256_colours_and_exact_ones_when_they_fit() -> None:
    frames = _frames()
    palette = animation.gif_palette(frames)
    assert len(palette) == 256 and ORANGE in palette and OLIVE in palette
    few = [Image.new("RGB", (10, 10), c) for c in (ORANGE, OLIVE, (255, 255, 255))]
    decoded = _decoded(animation.encode_gif(few, day_ms=200, hold_ms=0))
    assert [tuple(d[5, 5]) for d in decoded] == [ORANGE, OLIVE, (255, 255, 255)]
