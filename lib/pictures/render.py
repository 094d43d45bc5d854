"""Any export format for one view of the data (``render``): the alt text, CSV and GeoJSON, the
standalone HTML, and the pictures (PNG, PDF, SVG, GIF, MP4) drawn by the presentation page in
headless Chromium. Playwright is imported only when a picture is rendered."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from lib.data import story
from lib.pictures.capture import DEFAULT_SCALE, render_png
from lib.pictures.tables import events_csv, events_geojson

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from lib.map.viewstate import ViewState
    from lib.pictures.datacache import ExportData
    from lib.pictures.presentation import Size

#: The title on every picture (story.toml), as lib.pictures.presentation.DEFAULT_TITLE.
DEFAULT_TITLE = story.current().title
#: Animations are made at the preset's own pixels: 1080x1080 is what social platforms show.
ANIMATION_SCALE = 1.0


def render(
    kind: str,
    data: ExportData,
    state: ViewState,
    *,
    size: Size,
    scale: float | None = None,
    tiles: bool = False,
    title: str = DEFAULT_TITLE,
    day_ms: int | None = None,
    hold_ms: int | None = None,
    browser: Browser | None = None,
) -> bytes | str:
    """The file of format ``kind`` (see ``FORMATS``) for the view ``state`` of ``data``."""
    from lib.map.viewstate import filter_events, group_by_place
    from lib.pictures import presentation, vector
    from lib.pictures.alttext import alt_text

    frame, articles, places = data.frame, data.articles, data.gazetteer.places
    if kind == "alt":
        return alt_text(frame, state, places, articles, title=title) + "\n"
    if kind == "csv":
        return events_csv(filter_events(frame, state))
    if kind == "geojson":
        collection = events_geojson(filter_events(frame, state), data.gazetteer)
        return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    if kind == "html":
        places = presentation.panel_places(
            frame, state, data.gazetteer.places, data.mentions, articles
        )
        return presentation.standalone_html(
            frame, state, articles, tiles=tiles, title=title, places=places
        )
    if kind in ("gif", "mp4"):
        frames, description = animation_frames(
            data, state, size=size, scale=scale, tiles=tiles, title=title, browser=browser
        )
        return encode_animation(
            kind, frames, day_ms=day_ms, hold_ms=hold_ms, description=description
        )
    groups = group_by_place(filter_events(frame, state))
    description = alt_text(frame, state, places, articles, title=title, groups=groups)
    html = presentation.presentation_html(
        frame, state, articles, places, size=size, tiles=tiles, title=title,
        description=description, popups=False, groups=groups,
    )  # fmt: skip
    if kind == "png":
        return render_png(
            html, size, scale=scale or DEFAULT_SCALE, browser=browser,
            title=title, description=description,
        )  # fmt: skip
    if kind == "pdf":
        return vector.render_pdf(html, size, browser=browser)
    return vector.render_svg(html, size, browser=browser)


def animation_frames(
    data: ExportData,
    state: ViewState,
    *,
    size: Size,
    scale: float | None = None,
    tiles: bool = False,
    title: str = DEFAULT_TITLE,
    browser: Browser | None = None,
) -> tuple[list, str]:
    """The RGB frames (PIL images, one per day) that ``render("gif" | "mp4", ...)`` encodes,
    and the view's alt text (the files' comment)."""
    from lib.map.viewstate import filter_events, group_by_place
    from lib.pictures import animation, presentation
    from lib.pictures.alttext import alt_text

    frame, articles, places = data.frame, data.articles, data.gazetteer.places
    days = presentation.view_days(frame, state)
    animation.check_days(days)
    groups = group_by_place(filter_events(frame, state))
    description = alt_text(frame, state, places, articles, title=title, groups=groups)
    html = presentation.presentation_html(
        frame, state, articles, places, size=size, tiles=tiles, title=title, animate=True,
        description=description, popups=False, groups=groups,
    )  # fmt: skip
    frames = animation.capture_days(
        html, size, [d.isoformat() for d in days], scale=scale or ANIMATION_SCALE, browser=browser
    )
    return frames, description


def encode_animation(
    kind: str,
    frames: list,
    *,
    day_ms: int | None = None,
    hold_ms: int | None = None,
    description: str = "",
) -> bytes:
    """``frames`` as a GIF or MP4 (``kind``), timed by ``day_ms``/``hold_ms`` or the defaults."""
    from lib.pictures import animation

    timing = {
        "day_ms": animation.DAY_MS if day_ms is None else day_ms,
        "hold_ms": animation.HOLD_MS if hold_ms is None else hold_ms,
    }
    if kind == "gif":
        return animation.encode_gif(frames, **timing, description=description)
    return animation.encode_mp4(frames, **timing, description=description)
