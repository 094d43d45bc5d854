"""Colour contrast as WCAG 2 defines it, for text drawn on the event types' colours.

The type colours (lib.map.mapview.TYPE_COLOURS) are chosen to tell types apart on the map, not to
carry text: white on orange is 2.5:1. Rather than darken them (the legend, the map and the
exports would change), text on a colour gets whichever of black and white reads better.
"""

from __future__ import annotations

import re

#: Normal-size text needs 4.5:1 (WCAG 2.x success criterion 1.4.3, level AA).
AA_NORMAL_TEXT = 4.5
DARK_TEXT = "#000000"
LIGHT_TEXT = "#ffffff"

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` or ``#rgb`` (the ``#`` optional) as three 0-255 integers.

    Raises ValueError for anything else, named colours included.
    """
    match = _HEX.match(colour.strip())
    if not match:
        raise ValueError(f"not a hex colour: {colour!r}")
    digits = match[1]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def luminance(colour: str) -> float:
    """Relative luminance, 0 (black) to 1 (white), per WCAG 2's definition."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Contrast ratio of two colours, 1 (none) to 21 (black on white); order does not matter."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """The text colour (black or white) with the higher contrast on ``background``.

    Every background has at least 4.58:1 with one of the two, so the answer always meets AA for
    normal text.
    """
    if contrast(DARK_TEXT, background) >= contrast(LIGHT_TEXT, background):
        return DARK_TEXT
    return LIGHT_TEXT
