"""Readers in real browsers on two replicas behind nginx: an editor's save on one reaches
both, and a reader whose replica dies carries on with the same view on the other.

Needs Debian's nginx; skipped with that reason where it is missing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lib.data.schema import EVENT_COLUMNS
from lib.editing.saving import save_bytes
from lib.editing.snapshot import read_snapshot
from tests.support.cluster import (
    NGINX_MISSING,
    Cluster,
    cookie_for,
    kill_replica,
    nginx_available,
    serve_cluster,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "live_map"


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    if not nginx_available():
        pytest.skip(NGINX_MISSING)
    with serve_cluster(FIXTURE, tmp_path) as running:
        yield running


def reader(browser, cluster: Cluster, port: int) -> Page:
    """A reader whose affinity cookie pins it to the replica on ``port``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_cookies(
        [{"name": "nm_affinity", "value": cookie_for(cluster, port), "url": cluster.url}]
    )
    page = context.new_page()
    response = page.goto(f"{cluster.url}/?to=2021-08-30")
    assert response.headers["x-newsmap-replica"].endswith(f":{port}")
    expect(page.locator(".nmt-counts")).to_have_text("4 events at 3 places", timeout=90_000)
    return page


def settle(page: Page, key: str) -> None:
    page.locator(".nmt-end").focus()
    page.keyboard.press(key)


def test_a_save_on_one_replica_reaches_readers_of_both(browser, cluster):
    a, b = (reader(browser, cluster, port) for port in cluster.ports)
    events = cluster.data / "events.csv"
    snap = read_snapshot(events, EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    # A second clash in Alpha, on 27 Aug: inside both readers' dates.
    rows.append({**rows[0], "id": "E99", "date": "2021-08-27", "summary": "A second clash."})
    save_bytes(events, snap.encode(rows), snap.fingerprint, backup_root=cluster.data / ".backups")
    for page in (a, b):
        # Two settles (a day back, a day on): the first one after the save redraws the page.
        settle(page, "ArrowLeft")
        page.wait_for_function("location.search.includes('to=2021-08-29')", timeout=30_000)
        settle(page, "ArrowRight")
        page.wait_for_function("location.search.includes('to=2021-08-30')", timeout=30_000)
        expect(page.locator(".nmt-counts")).to_have_text("5 events at 3 places", timeout=60_000)


def test_a_reader_whose_replica_dies_keeps_the_view_on_another(browser, cluster):
    first, _ = cluster.ports
    page = reader(browser, cluster, first)
    settle(page, "ArrowLeft")
    page.wait_for_function("location.search.includes('to=2021-08-29')", timeout=30_000)
    answered: list[str] = []  # frames received on sockets opened after the kill
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: answered.append(ws.url)))
    kill_replica(first)
    # Streamlit's page reconnects through nginx, which sends it to the live replica; the new
    # session starts from the address bar, so the reader keeps 29 August.
    deadline = time.monotonic() + 90
    while not answered:
        assert time.monotonic() < deadline, "the page did not reconnect"
        page.wait_for_timeout(200)  # polling the socket events Playwright delivers
    expect(page.locator(".nmt-date")).to_have_text("As of 29 August 2021", timeout=60_000)
    # The new session's first run (from the address bar) is over before the reader goes on.
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=60_000)
    page.wait_for_timeout(1000)  # the timeline's own settle delay after that run
    settle(page, "ArrowLeft")  # and the new session answers: the view moves on a settle
    page.wait_for_function("location.search.includes('to=2021-08-28')", timeout=60_000)
    expect(page.locator(".nmt-date")).to_have_text("As of 28 August 2021")
