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

from lib.data import settings

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


class BrowserThread:
    """Chromium started in a thread of its own, so that it starts while the caller works.

    A command-line export spends about as long loading its data as Chromium takes to start;
    doing both at once saves the shorter of the two. Playwright's sync API belongs to the
    thread that started it, so everything that touches the browser goes through ``run``,
    which calls ``fn(*args, browser=..., **kwargs)`` in that thread and returns its result
    (or raises its error). ``close`` stops Chromium and the thread; so does leaving a
    ``with`` block.
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright: Playwright | None = None
        self._started = self._pool.submit(self._start)

    def _start(self) -> Browser:
        self._playwright = sync_playwright().start()
        return self._playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True
        )

    def run(self, fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201 - any callable
        browser = self._started.result()
        return self._pool.submit(fn, *args, browser=browser, **kwargs).result()

    def _stop(self) -> None:
        try:
            if self._started.done() and self._started.exception() is None:
                self._started.result().close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()

    def close(self) -> None:
        try:
            self._pool.submit(self._stop).result()
        finally:
            self._pool.shutdown(wait=True)

    def __enter__(self) -> BrowserThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
