"""Shared fixtures: one headless Chromium per session, offline browser contexts, and a
screenshot in artifacts/screenshots/ for every failed test that had a page open."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from lib.pictures.browser import launch
from tests.support.offline import OfflineContext, open_offline

SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium (lib.pictures.browser), shared by the whole session."""
    with sync_playwright() as playwright, launch(playwright) as chromium:
        yield chromium


@pytest.fixture
def offline_context(browser: Browser) -> Iterator[OfflineContext]:
    offline = open_offline(browser, viewport={"width": 1280, "height": 900})
    yield offline
    offline.context.close()


@pytest.fixture
def phone_context(browser: Browser) -> Iterator[OfflineContext]:
    """Like ``offline_context``, as a phone: 390x844, touch, mobile (Leaflet sees a phone)."""
    offline = open_offline(
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
