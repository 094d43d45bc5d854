"""A replica rehearses a reader's first visit once it answers (ui/replica.py, ui/session.py).

The rehearsal speaks Streamlit's websocket as a new browser tab does: the page's first run (the
map first), then the map's first paint (the timeline's trigger), on which the page draws the
rest. If the page or the messages changed shape, it would fail and the first reader after a
start would pay the page's one-time costs again, with nothing but a line in the log to say so.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.support.server import REHEARSED, free_port, streamlit_server
from ui import session

pytestmark = pytest.mark.apptest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "live_map"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def app():
    env = {"DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(FIXTURE)}
    with streamlit_server(REPO / "dashboard.py", env=env) as url:
        yield url


def rehearse(url: str) -> float:
    """``session.rehearse`` in a thread of its own, as ui.replica runs it (a browser test's
    Playwright may hold an event loop in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(session.rehearse(url, timeout=60))).result()


def test_a_rehearsal_runs_the_page_and_then_the_whole_page(app):
    assert rehearse(app) > 0


def test_a_run_that_raised_or_failed_is_an_error_not_a_visit():
    # The page is built not to fail on bad data (it reports it), so the failures are crafted.
    raised = ForwardMsg()
    raised.delta.new_element.exception.message = "boom"
    with pytest.raises(RuntimeError, match="boom"):
        session.Run().read(raised.SerializeToString())
    finished = ForwardMsg()
    finished.script_finished = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
    with pytest.raises(RuntimeError, match="status"):
        session.Run().read(finished.SerializeToString())
    rerun = ForwardMsg()
    rerun.script_finished = ForwardMsg.FINISHED_EARLY_FOR_RERUN
    assert session.Run().read(rerun.SerializeToString()) is False  # its own finish follows
    finished.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    assert session.Run().read(finished.SerializeToString()) is True


def test_a_replica_rehearses_before_its_first_reader(tmp_path):
    env = {**os.environ, "DASHBOARD_TILES": "off", "DASHBOARD_DATA_DIR": str(FIXTURE)}
    env["PYTHONPATH"] = str(REPO)
    log = tmp_path / "replica.log"
    command = [sys.executable, "-m", "ui.replica", "--port", str(free_port())]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--address", "127.0.0.1"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(n in log.read_text() for n in REHEARSED):
            assert proc.poll() is None, log.read_text()
            time.sleep(0.1)  # a poll interval
        text = log.read_text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    assert "rehearsed a reader's first visit" in text, text
    assert "rehearsing a reader's first visit failed" not in text, text
