"""Browser contexts with no network beyond this machine, and what they tried to reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Route

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


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


def open_offline(browser: Browser, **options: object) -> OfflineContext:
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
