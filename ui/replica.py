"""One Streamlit process of the app, with the data loaded before the first reader arrives.

``python -m ui.replica --port 8601`` is ``streamlit run dashboard.py --server.port 8601``
preceded by a warm-up: the data set is loaded and validated, the events frame, the mention
index and the time engine's data are built, and pandas and folium are imported, all into the
same process-wide caches the pages use (``ui.data``). (Not streamlit-folium: imported before
the server runs, its component is registered nowhere and its map answers 404.) Streamlit
itself only runs the page script when a session connects, so without this the first reader
after a start paid for all of it (4.1 s against 3.4 s at 1,000 events, 9.9 s against 5.7 s at 100,000).

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
