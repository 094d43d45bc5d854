"""Headless Chromium for tests, exports and benchmarks, the same way on every machine.

Sandboxes that only reach package registries cannot download Playwright's own browser, so a
system Chromium (Debian's ``/usr/bin/chromium``) is preferred when present; elsewhere
Playwright's bundled build (``playwright install chromium``) is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Playwright, sync_playwright

from lib import settings

SYSTEM_CHROMIUM = "/usr/bin/chromium"

# Headless inside containers (no user namespaces for the sandbox, no GPU); the last three stop
# background calls to Google's update and field-trial services, which fail offline anyway.
CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_executable() -> str | None:
    """Path of the Chromium to drive, or ``None`` for Playwright's bundled build.

    ``$CHROMIUM_PATH`` wins when set (raises FileNotFoundError if it names no file, rather
    than silently using another browser), then ``/usr/bin/chromium``.
    """
    override = settings.value("CHROMIUM_PATH")
    if override:
        if not Path(override).is_file():
            raise FileNotFoundError(f"CHROMIUM_PATH={override!r} does not exist")
        return override
    if Path(SYSTEM_CHROMIUM).is_file():
        return SYSTEM_CHROMIUM
    return None


@contextmanager
def launch(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium (see `chromium_executable`) from a running Playwright; closed on exit."""
    browser = playwright.chromium.launch(
        executable_path=chromium_executable(),
        args=CHROMIUM_ARGS,
        headless=True,
    )
    try:
        yield browser
    finally:
        browser.close()


@contextmanager
def new_browser() -> Iterator[Browser]:
    """Start Playwright and `launch` Chromium, for scripts that have no Playwright of their own."""
    with sync_playwright() as playwright, launch(playwright) as browser:
        yield browser
