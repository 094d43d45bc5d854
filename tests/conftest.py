"""Shared fixtures: one headless Chromium per session, offline browser contexts, and a
screenshot in artifacts/screenshots/ for every failed test that had a page open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from lib.pictures.browser import launch

SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium (lib.pictures.browser), shared by the whole session."""
    with sync_playwright() as playwright, launch(playwright) as chromium:
        yield chromium


@dataclass
class OfflineContext:
    """A browser context with no network beyond this machine, and what it tried to reach.

    ``blocked_requests`` lists every URL on another host (aborted); ``console_errors`` every
    console error and uncaught page exception, from all pages and frames, including the
    streamlit-folium iframe.
    """

    context: BrowserContext
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def new_page(self) -> Page:
        return self.context.new_page()


def _offline(browser: Browser, **options: object) -> OfflineContext:
    context = browser.new_context(**options)
    offline = OfflineContext(context)

    def route(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https") and url.hostname not in LOCAL_HOSTS:
            offline.blocked_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    # On the context, not the page: page-level handlers miss requests from the component iframe.
    context.route("**/*", route)
    context.on(
        "console",
        lambda msg: msg.type == "error" and offline.console_errors.append(msg.text),
    )
    context.on("weberror", lambda error: offline.console_errors.append(f"uncaught: {error.error}"))
    return offline


@pytest.fixture
def offline_context(browser: Browser) -> Iterator[OfflineContext]:
    offline = _offline(browser, viewport={"width": 1280, "height": 900})
    yield offline
    offline.context.close()


@pytest.fixture
def phone_context(browser: Browser) -> Iterator[OfflineContext]:
    """Like ``offline_context``, as a phone: 390x844, touch, mobile (Leaflet sees a phone)."""
    offline = _offline(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield offline
    offline.context.close()


def _open_pages(value: object) -> list[Page]:
    if isinstance(value, Page):
        return [value]
    if isinstance(value, OfflineContext):
        value = value.context
    if isinstance(value, BrowserContext):
        return list(value.pages)
    return []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    # Runs before fixture teardown, so the test's pages are still open.
    pages = [p for v in getattr(item, "funcargs", {}).values() for p in _open_pages(v)]
    name = re.sub(r"[^\w.-]+", "_", item.name)
    for index, page in enumerate(dict.fromkeys(pages)):
        path = SCREENSHOT_DIR / (f"{name}.png" if index == 0 else f"{name}-{index}.png")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("screenshot", str(path)))
        except Exception as error:  # a closed or crashed page must not hide the real failure
            report.sections.append(("screenshot", f"not taken: {error}"))
