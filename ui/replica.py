"""One Streamlit process of the app, with the data loaded before the first reader arrives.

``python -m ui.replica --port 8601`` is ``streamlit run dashboard.py --server.port 8601``
preceded by a warm-up: the data set is loaded and validated, the events frame, the mention
index and the time engine's data are built, and pandas and folium are imported, all into the
same process-wide caches the pages use (``ui.data``). (Not streamlit-folium: imported before
the server runs, its component is registered nowhere and its map answers 404.) Streamlit
itself only runs the page script when a session connects, so without this the first reader
after a start paid for all of it (4.1 s against 3.4 s at 1,000 events, 9.9 s against 5.7 s at 100,000).

Once the server answers, it rehearses a reader: a session of its own runs the page as a new
browser tab does (``ui.session.rehearse``: the first run, then the whole page), so that what a
page's first run pays once per process (importing streamlit-folium and the page's modules,
compiling templates, registering components) is paid before the first reader comes. The log
says "rehearsed a reader's first visit" when it is done.

A watcher thread then keeps the caches warm: when a data file changes on disk (an editor's save
on any replica sharing the data directory), it rebuilds them before the next reader asks.
``lib.commands.serve`` starts several of these behind nginx.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: Seconds between looks at the data files' stamp (a stat of each; cheap).
WATCH_INTERVAL_S = 2.0

log = logging.getLogger("newsmap.replica")


def warm() -> str:
    """Import pandas and folium and fill the page's data caches; returns the data stamp."""
    import folium  # noqa: F401 - imported here so the first page run does not pay for it
    import pandas  # noqa: F401

    from ui import data

    stamp = data.warm()
    # What the warm-up loaded lives as long as the data: out of the garbage collector's way
    # (a full collection walked all of it; .streamlit/config.toml says why that mattered).
    gc.collect()
    gc.freeze()
    return stamp


def _watch(stamp: str) -> None:
    from ui import data

    while True:
        time.sleep(WATCH_INTERVAL_S)
        try:
            now = data.stamp()
            if now != stamp:
                started = time.monotonic()
                stamp = warm()
                log.info(
                    "data changed on disk: caches rebuilt in %.1f s", time.monotonic() - started
                )
        except Exception:  # noqa: BLE001 - a half-written file: the pages report it; retry later
            log.exception("warming after a data change failed; the next reader loads the data")


def _rehearse(port: int, address: str | None) -> None:
    """Run the page once as a new reader would, as soon as the server answers (a thread)."""
    import asyncio

    from streamlit import config
    from streamlit.runtime import Runtime

    from ui import session

    try:
        while not Runtime.exists():  # the server has read its config once its runtime exists
            time.sleep(0.05)
        host = "127.0.0.1" if address in (None, "", "0.0.0.0", "::") else address  # noqa: S104
        path = (config.get_option("server.baseUrlPath") or "").strip("/")
        base_url = f"http://{host}:{port}" + (f"/{path}" if path else "")
        session.wait_until_healthy(base_url)
        seconds = asyncio.run(session.rehearse(base_url))
        log.info("rehearsed a reader's first visit in %.1f s", seconds)
    except Exception:  # noqa: BLE001 - only slower: the first reader pays what this would have
        log.exception("rehearsing a reader's first visit failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ui.replica", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", help="address to listen on (default: Streamlit's, every one)")
    parser.add_argument("--no-warm", action="store_true", help="start without loading the data")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not args.no_warm:
        started = time.monotonic()
        stamp = warm()
        log.info(
            "data loaded in %.1f s; starting on port %d", time.monotonic() - started, args.port
        )
        threading.Thread(target=_watch, args=(stamp,), name="newsmap-warm", daemon=True).start()
        threading.Thread(
            target=_rehearse, args=(args.port, args.address), name="newsmap-rehearse", daemon=True
        ).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(REPO / "dashboard.py")]
    return (
        cli.main(
            args=[
                "run",
                str(REPO / "dashboard.py"),
                "--server.port",
                str(args.port),
                "--server.address",
                args.address,
            ],
            standalone_mode=False,
        )
        or 0
    )


if __name__ == "__main__":
    raise SystemExit(main())
