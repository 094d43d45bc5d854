"""A presentation page in headless Chromium: loaded, waited for, photographed.

``open_page`` is shared by the PNG (``capture``), the animations (``lib.pictures.animation``)
and the vector pictures (``lib.pictures.vector``).
"""

from __future__ import annotations

import json
import struct
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from lib.pictures.presentation import Size

#: Seconds a page may take to say it is ready.
READY_TIMEOUT_S = 60
#: Device pixels per CSS pixel of a picture (1600x900 gives 3200x1800).
DEFAULT_SCALE = 2.0


@dataclass
class Capture:
    """A rendered presentation: the PNG and what the page reported before the capture.

    ``markers`` hold, per place drawn, ``place_id``, ``colour``, ``pin``, ``contested``,
    ``in_frame`` (false for a place labelled at the frame's edge) and its centre ``x``/``y``
    and radius ``r`` in CSS pixels of the page (multiply by the scale for PNG pixels).
    ``text`` is every text on the page (title, caption, legend, labels, credits);
    ``labels`` every label and edge chip drawn, with its text, place and box (see
    ``newsmapExport.labelBoxes`` in ``static/newsmap/presentation.js``).
    """

    png: bytes
    markers: list[dict] = field(default_factory=list)
    caption: str = ""
    text: str = ""
    labels: list[dict] = field(default_factory=list)


@contextmanager
def open_page(
    html: str, size: Size, *, scale: float = DEFAULT_SCALE, browser: Browser | None = None
) -> Iterator[Page]:
    """``presentation_html`` output loaded in headless Chromium, once its ready flag is set.

    The viewport is ``size`` CSS px at ``scale`` device pixels per px. Ready means labels
    placed and tiles loaded or failed, so what is photographed or printed next is the same
    on every run. Starts its own Chromium unless ``browser`` is given; closed on exit.
    """
    if browser is None:
        from lib.pictures.browser import new_browser

        with new_browser() as own, open_page(html, size, scale=scale, browser=own) as page:
            yield page
        return
    context = browser.new_context(
        viewport={"width": size.width, "height": size.height},
        device_scale_factor=scale,
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        with tempfile.TemporaryDirectory(prefix="newsmap-") as folder:
            # Read from a file: a page of megabytes is sent to Chromium as one protocol message
            # by set_content, which took a third of a second more at 100,000 events.
            file = Path(folder) / "page.html"
            file.write_text(html, encoding="utf-8")
            page.goto(file.as_uri(), wait_until="load", timeout=READY_TIMEOUT_S * 1000)
        page.wait_for_function(
            "() => window.newsmapExport && window.newsmapExport.ready === true",
            timeout=READY_TIMEOUT_S * 1000,
        )
        yield page
    finally:
        context.close()


def capture(
    html: str, size: Size, *, scale: float = DEFAULT_SCALE, browser: Browser | None = None
) -> Capture:
    """Render ``presentation_html`` output in headless Chromium and photograph it.

    The PNG is ``size`` times ``scale`` device pixels (1600x900 at 2 gives 3200x1800). Waits
    for the page's ready flag (labels placed; tiles loaded or failed), so the same HTML gives
    the same pixels on the same machine. Starts its own Chromium unless ``browser`` is given.
    """
    with open_page(html, size, scale=scale, browser=browser) as page:
        # As one JSON string: Playwright's own transfer of 2,000 markers took most of a second.
        report = json.loads(
            page.evaluate(
                "() => JSON.stringify({markers: newsmapExport.markers,"
                " caption: newsmapExport.caption, labels: newsmapExport.labelBoxes()})"
            )
        )
        text = page.inner_text("body")
        png = page.screenshot(type="png", animations="disabled", caret="hide")
    return Capture(
        png=png,
        markers=report.get("markers", []),
        caption=report.get("caption", ""),
        text=text,
        labels=report.get("labels", []),
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_metadata(png: bytes, **texts: str) -> bytes:
    """``png`` with text metadata (``Title=..., Description=...``) as iTXt chunks, UTF-8.

    iTXt rather than tEXt because tEXt is Latin-1 and the captions have dashes and "·";
    Pillow (``Image.open(...).text``), exiftool and CMSs read both. The chunks go right after
    the header, so the pixels are not re-encoded (which took about a second at 3200x1800).
    """
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    header_end = 8 + 8 + struct.unpack(">I", png[8:12])[0] + 4  # IHDR: length, type, data, CRC
    chunks = b"".join(
        _png_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8"))
        for key, value in texts.items()
    )
    return png[:header_end] + chunks + png[header_end:]


def render_png(
    html: str,
    size: Size,
    *,
    scale: float = DEFAULT_SCALE,
    browser: Browser | None = None,
    title: str = "",
    description: str = "",
) -> bytes:
    """The PNG bytes of ``capture``, with ``title`` and ``description`` (alt text) as metadata."""
    png = capture(html, size, scale=scale, browser=browser).png
    texts = {k: v for k, v in (("Title", title), ("Description", description)) if v}
    return with_metadata(png, **texts) if texts else png
