"""The publication view for print: PDF and SVG with vector shapes and real, editable text.

Both come from the presentation page in headless Chromium, as the PNG does:

- PDF: Chromium prints the page on one sheet of the preset's proportions (CSS px at 96 per
  inch, so 1600x900 px is 1200x675 pt). Leaflet draws outlines and places as SVG, which
  prints as vector paths; labels, caption, legend and credits are HTML text and stay text.
  Shadows would print as small images, so the page drops them first (``newsmapExport.vector``).
  Tiles, when switched on, are the only raster part.
- SVG: ``window.newsmapExport.svg()`` (static/newsmap/vector.js) writes the laid-out page as
  SVG: Leaflet's paths as they are, boxes as rects, each line of text as a ``<text>`` element
  in the page's font. Tiles, when on, are ``<image>`` elements that link to the tile server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lib.pictures.presentation import Size

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: CSS pixels are 1/96 inch; PDF points 1/72 inch.
PT_PER_PX = 72 / 96


def render_pdf(html: str, size: Size, *, browser: Browser | None = None) -> bytes:
    """One PDF page of ``size`` CSS px (``size * PT_PER_PX`` points) from ``presentation_html``."""
    from lib.pictures.capture import open_page

    with open_page(html, size, scale=1, browser=browser) as page:
        page.evaluate("() => window.newsmapExport.vector()")
        # Print what the screen shows: the same CSS, not the print stylesheet's.
        page.emulate_media(media="screen")
        return page.pdf(
            width=f"{size.width}px",
            height=f"{size.height}px",
            print_background=True,
            margin={"top": "0", "right": "0", "bottom": "0", "left": "0"},
            page_ranges="1",
        )


def render_svg(html: str, size: Size, *, browser: Browser | None = None) -> str:
    """An SVG document of ``size`` CSS px from ``presentation_html`` (see the module doc)."""
    from lib.pictures.capture import open_page

    with open_page(html, size, scale=1, browser=browser) as page:
        page.evaluate("() => window.newsmapExport.vector()")
        return page.evaluate("() => window.newsmapExport.svg()")
