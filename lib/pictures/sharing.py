"""What goes with an exported file: its name (which view it holds) and the HTML that embeds
the interactive map in a CMS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lib.data import story
from lib.data.text import escape

if TYPE_CHECKING:
    from lib.map.viewstate import ViewState


def export_filename(
    state: ViewState, extension: str, stem: str | None = None, preset: str | None = None
) -> str:
    """A file name that says which view it holds: ``panjshir-map_2021-08-30_2021-09-04.png``,
    and for a picture its size preset: ``panjshir-map_to_2021-09-04_1080x1350.png`` (two
    presets of one view used to share a name, and the second download replaced the first).

    ``stem`` defaults to the story's ``file_stem`` (story.toml)."""
    stem = stem or story.current().file_stem
    dates = (
        f"{state.first_day.isoformat()}_{state.end.isoformat()}"
        if state.first_day
        else f"to_{state.end.isoformat()}"
    )
    place = f"_{state.place}" if state.place else ""
    size = f"_{preset}" if preset else ""
    return f"{stem}_{dates}{place}{size}.{extension.lstrip('.')}"


def embed_snippet(src: str, title: str, description: str = "", aspect: str = "4 / 3") -> str:
    """HTML to embed the interactive map in a CMS: an iframe that keeps its aspect on phones.

    The wrapper's ``aspect-ratio`` sets the height from the width, so the map is as wide as
    the column and never a strip; ``min-height`` keeps room for the slider and legend on a
    narrow phone. ``description`` (the alt text) becomes the iframe's ``aria-label``.
    """
    label = f' aria-label="{escape(description)}"' if description else ""
    return (
        f'<div style="position:relative;width:100%;aspect-ratio:{escape(aspect)};'
        'min-height:480px">\n'
        f'  <iframe src="{escape(src)}" title="{escape(title)}"{label}\n'
        '    style="position:absolute;inset:0;width:100%;height:100%;border:0"'
        ' loading="lazy"></iframe>\n</div>'
    )
