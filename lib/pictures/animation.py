"""The timeline as an animation: one frame per day of the view, as GIF or MP4.

Frames come from the presentation page itself (``presentation_html(..., animate=True)``),
loaded once in headless Chromium: ``window.newsmapExport.showDay(iso)`` redraws each day in
place and the page is photographed, so every frame is the PNG export of that day, not a second
drawing. Encoding is left to Pillow (GIF, one palette for all frames) and to imageio-ffmpeg's
own ffmpeg (MP4, H.264 in yuv420p, which phones and social platforms play). The same page gives
the same file on the same machine.
"""

from __future__ import annotations

import base64
import io
import math
import tempfile
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from lib.pictures.presentation import Size

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: Milliseconds each day stays on screen, and the extra hold on the last day (defaults).
DAY_MS = 800
HOLD_MS = 2500
#: An animation with more days than this is refused (a window of the view is the remedy).
MAX_DAYS = 400
#: Frames per second of the MP4: what social platforms expect (some refuse under 24).
MP4_FPS = 25
#: x264's constant rate factor: 23 is its default; lower is sharper and bigger.
MP4_CRF = 20
#: x264 speed preset: "veryfast" encodes 21 days at 1080x1080 in a few seconds on 2 cores.
MP4_PRESET = "veryfast"
#: GIF delays are counted in hundredths of a second.
GIF_TICK_MS = 10


def capture_days(
    html: str,
    size: Size,
    days: Sequence[str],
    *,
    scale: float = 1.0,
    browser: Browser | None = None,
) -> list[Image.Image]:
    """One RGB frame per ISO day of ``days``, in order, from one load of the page ``html``.

    ``html`` is ``presentation_html(..., animate=True)``; each frame is ``size`` times
    ``scale`` pixels. Starts its own Chromium unless ``browser`` is given.
    """
    from lib.pictures.capture import open_page

    frames = []
    with open_page(html, size, scale=scale, browser=browser) as page:
        # Chromium's own capture with its fast PNG setting: 0.16 s a frame at 1080x1080
        # against 0.7 s through page.screenshot (same pixels, bigger PNGs, decoded at once).
        cdp = page.context.new_cdp_session(page)
        for day in days:
            page.evaluate("(iso) => window.newsmapExport.showDay(iso)", day)
            shot = cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
            png = base64.b64decode(shot["data"])
            frames.append(Image.open(io.BytesIO(png)).convert("RGB"))
        cdp.detach()
    return frames


def durations_ms(days: int, day_ms: int, hold_ms: int) -> list[int]:
    """How long each frame shows: ``day_ms`` each, the last one ``hold_ms`` longer."""
    return [day_ms] * (days - 1) + [day_ms + hold_ms] if days else []


def gif_palette(frames: Sequence[Image.Image], colors: int = 256) -> list[tuple[int, int, int]]:
    """At most ``colors`` RGB colours for every frame of ``frames``, most important first.

    Colours are ranked by the most pixels they cover in any one frame, so a fill that shows
    only on an early day (a place attacked on day 1, another type later) keeps its exact
    colour. A palette quantized from the last frame alone mapped such a fill to the nearest
    colour it had: Shotul's orange "attack" came out olive on 30 August. What does not fit
    (anti-aliased edges of text and circles) is drawn with the nearest colour kept.
    """
    most: dict[tuple[int, int, int], int] = {}
    for frame in frames:
        for count, colour in frame.getcolors(maxcolors=frame.width * frame.height) or []:
            if count > most.get(colour, 0):
                most[colour] = count
    return sorted(most, key=lambda c: (-most[c], c))[:colors]


def _indexed(frame: Image.Image, palette: list[tuple[int, int, int]]) -> Image.Image:
    """``frame`` in palette mode, each pixel the nearest colour of ``palette`` (exact if there).

    Not ``Image.quantize(palette=...)``: Pillow looks colours up at 6 bits a channel, and
    white came out as (252, 252, 252) though white was in the palette.
    """
    pixels = np.asarray(frame.convert("RGB"), dtype=np.uint32)
    packed = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
    distinct, where = np.unique(packed, return_inverse=True)
    rgb = np.stack([(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=1)
    table = np.asarray(palette, dtype=np.int64)
    # Squared distance of each distinct colour to each palette colour: a few thousand by 256.
    nearest = ((rgb.astype(np.int64)[:, None, :] - table[None, :, :]) ** 2).sum(axis=2).argmin(1)
    out = Image.fromarray(nearest.astype(np.uint8)[where].reshape(packed.shape), mode="P")
    out.putpalette([v for colour in palette for v in colour])
    return out


def encode_gif(
    frames: Sequence[Image.Image],
    *,
    day_ms: int = DAY_MS,
    hold_ms: int = HOLD_MS,
    description: str = "",
) -> bytes:
    """A looping GIF of ``frames``, each ``day_ms`` long, the last held ``hold_ms`` more.

    ``description`` (the alt text) goes into the file as a GIF comment.

    All frames share one 256-colour palette that covers every frame (``gif_palette``), used
    without dithering: the map's flat colours stay flat, the file stays small (Pillow stores
    only the part of each frame that changed) and no frame flickers from a palette change.
    Delays are rounded to GIF's hundredths of a second.
    """
    if not frames:
        raise ValueError("an animation needs at least one frame")
    palette = gif_palette(frames)
    indexed = [_indexed(f, palette) for f in frames]
    durations = [
        max(GIF_TICK_MS * 2, round(ms / GIF_TICK_MS) * GIF_TICK_MS)
        for ms in durations_ms(len(frames), day_ms, hold_ms)
    ]
    buffer = io.BytesIO()
    indexed[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=indexed[1:],
        duration=durations,
        loop=0,
        disposal=1,
        **({"comment": description.encode("utf-8")} if description else {}),
    )
    return buffer.getvalue()


def _even(frame: Image.Image) -> Image.Image:
    # yuv420p halves the colour resolution: width and height must be even (1200x675 is not).
    width, height = frame.size
    if width % 2 == 0 and height % 2 == 0:
        return frame
    padded = Image.new("RGB", (width + width % 2, height + height % 2), "white")
    padded.paste(frame, (0, 0))
    return padded


def mp4_frame_count(days: int, day_ms: int, hold_ms: int) -> int:
    """Frames in the MP4 of ``days`` days: the animation's length at ``MP4_FPS``."""
    return round(sum(durations_ms(days, *_step(day_ms, hold_ms))) * MP4_FPS / 1000)


def _step(day_ms: int, hold_ms: int) -> tuple[int, int]:
    # Whole output frames (40 ms at 25 fps), so the length is exact; a day lasts one at least.
    frame_ms = 1000 // MP4_FPS
    whole = lambda ms: round(ms / frame_ms) * frame_ms  # noqa: E731
    return max(frame_ms, whole(day_ms)), whole(hold_ms)


def encode_mp4(
    frames: Sequence[Image.Image],
    *,
    day_ms: int = DAY_MS,
    hold_ms: int = HOLD_MS,
    description: str = "",
) -> bytes:
    """An H.264 MP4 (yuv420p, ``MP4_FPS`` fps) of ``frames``, timed as ``encode_gif``.

    ``description`` (the alt text) is the file's ``comment`` tag, the only metadata kept.

    Each frame is sent once per ``gcd(day_ms, hold_ms)`` step and ffmpeg repeats it up to
    ``MP4_FPS``, which costs the encoder little (repeated frames are skipped blocks). A frame
    with an odd width or height gets one white row or column (yuv420p needs even sizes).
    Times are rounded to whole frames (40 ms), so ``mp4_frame_count`` is exact.
    """
    import imageio_ffmpeg

    if not frames:
        raise ValueError("an animation needs at least one frame")
    day_ms, hold_ms = _step(day_ms, hold_ms)
    unit = math.gcd(day_ms, hold_ms)
    frames = [_even(f) for f in frames]
    width, height = frames[0].size
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "animation.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(path),
            (width, height),
            fps=Fraction(1000, unit),
            codec="libx264",
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            macro_block_size=2,
            quality=None,
            ffmpeg_log_level="error",
            output_params=[
                "-r", str(MP4_FPS), "-crf", str(MP4_CRF), "-preset", MP4_PRESET,
                "-tune", "animation", "-movflags", "+faststart",
                # No encoder name, date or version in the file: same frames, same bytes.
                "-fflags", "+bitexact", "-map_metadata", "-1",
                *(["-metadata", f"comment={description}"] if description else []),
            ],
        )  # fmt: skip
        writer.send(None)
        for frame, ms in zip(frames, durations_ms(len(frames), day_ms, hold_ms), strict=True):
            data = frame.tobytes()
            for _ in range(ms // unit):
                writer.send(data)
        writer.close()
        return path.read_bytes()


def check_days(days: Sequence[object]) -> None:
    """Refuse an animation longer than ``MAX_DAYS`` days, saying what to do."""
    if len(days) > MAX_DAYS:
        raise ValueError(
            f"the view covers {len(days)} days; an animation takes at most {MAX_DAYS}: "
            "choose a window of days (--from)"
        )
