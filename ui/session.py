"""A reader's session spoken over Streamlit's websocket, without a browser.

The messages the browser sends for the main page (``dashboard.py``), built here once for the
two that speak them: ``ui.replica`` rehearses a new reader's session when a process starts
(so the first real reader does not pay the page's one-time costs), and ``bench.load``'s
viewers settle the timeline thousands of times.

- ``settle_message``: the timeline component's state ``view`` (a released slider);
- ``painted_message``: its trigger ``painted`` (the map's first paint, on which the page
  draws the rest: dashboard.py).
"""

from __future__ import annotations

import json
import time
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

#: The timeline component's key (ui/view.py TIMELINE); its element id ends with it.
TIMELINE_KEY = "view.timeline"
#: The place panel's key: drawn once the map has painted (dashboard.py).
PANEL_KEY = "view.panel"
DONE = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


def _rerun(fragment_id: str, page_hash: str, query: str) -> BackMsg:
    msg = BackMsg()
    rerun = msg.rerun_script
    rerun.query_string = query
    rerun.page_script_hash = page_hash
    rerun.fragment_id = fragment_id
    return msg


def first_run_message(query: str = "") -> BackMsg:
    """What a new browser tab sends once its websocket is open: run the page."""
    return _rerun("", "", query)


def settle_message(
    timeline_id: str,
    fragment_id: str,
    view: dict[str, str],
    *,
    page_hash: str = "",
    query: str = "",
    cached: tuple[str, ...] = (),
) -> BackMsg:
    """The ``BackMsg`` the browser sends when the timeline settles on ``view``.

    ``view`` is ``{"mode": "cumulative" | "window", "start": ISO day, "end": ISO day}``, as
    static/newsmap/component.js passes it to ``setStateValue("view", ...)``.
    """
    msg = _rerun(fragment_id, page_hash, query)
    msg.rerun_script.cached_message_hashes.extend(cached)
    state = msg.rerun_script.widget_states.widgets.add()
    state.id = timeline_id
    state.json_value = json.dumps({"view": view}, separators=(",", ":"))
    return msg


def painted_message(
    timeline_id: str, fragment_id: str, *, page_hash: str = "", query: str = ""
) -> BackMsg:
    """The ``BackMsg`` the browser sends when the map has painted for the first time: the
    timeline component's trigger ``painted`` (static/newsmap/component.js), on which the page
    draws what its first run left for later (dashboard.py)."""
    # Streamlit's CCv2 keeps a component's triggers in one internal widget (see
    # streamlit.components.v2.bidi_component.main): its id, and a list of {event, value}.
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    msg = _rerun(fragment_id, page_hash, query)
    state = msg.rerun_script.widget_states.widgets.add()
    state.id = _make_trigger_id(timeline_id, "events")
    state.json_trigger_value = json.dumps([{"event": "painted", "value": True}])
    return msg


class Run:
    """What one run of the page sent: how it finished and what the session needs next."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.timeline_id = ""
        self.fragment_id = ""
        self.timeline: dict | None = None  # the config the timeline was sent
        self.page_hash: str | None = None  # None: this run did not say
        self.query: str | None = None
        self.panel = False  # the place panel was drawn (the whole page)
        self.received = 0
        self.cached: set[str] = set()  # hashes of the messages the browser would cache

    def read(self, raw: bytes) -> bool:
        """Take one ForwardMsg; ``True`` once the run has finished."""
        self.received += len(raw)
        forward = ForwardMsg()
        forward.ParseFromString(raw)
        if forward.metadata.cacheable:
            self.cached.add(forward.hash)
        kind = forward.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = forward.new_session.page_script_hash
        elif kind == "page_info_changed":
            self.query = forward.page_info_changed.query_string
        elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                raise RuntimeError(f"the page raised: {element.exception.message}")
            if which == "bidi_component":
                component = element.bidi_component
                if component.id.endswith(TIMELINE_KEY):
                    self.timeline_id, self.fragment_id = component.id, forward.delta.fragment_id
                    self.timeline = json.loads(component.json or component.mixed.json)["timeline"]
                self.panel |= component.id.endswith(PANEL_KEY)
        elif kind == "script_finished":
            status = forward.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return False  # superseded by a rerun the page asked for; its finish follows
            if status not in DONE:
                raise RuntimeError(f"the page's run finished with status {status}")
            self.status = status
            return True
        return False


async def rehearse(base_url: str, timeout: float = 120.0) -> float:
    """Open a session on the app at ``base_url`` (``http://host:port[/path]``) as a new
    reader's browser tab does: the page's first run, then the run its map's first paint asks
    for. Returns the seconds it took; raises if the page failed."""
    import websockets  # Streamlit's own dependency

    started = time.monotonic()
    ws_url = "ws" + base_url.removeprefix("http") + "/_stcore/stream"
    ws = await websockets.connect(
        ws_url, subprotocols=["streamlit"], origin=base_url, max_size=None, open_timeout=timeout
    )
    try:
        first = await run(ws, first_run_message(), timeout)
        if not (first.timeline_id and first.fragment_id):
            raise RuntimeError("the page drew no timeline inside a fragment")
        painted = painted_message(
            first.timeline_id,
            first.fragment_id,
            page_hash=first.page_hash or "",
            query=first.query or "",
        )
        whole = await run(ws, painted, timeout)
        if not whole.panel:
            raise RuntimeError("the map's first paint did not draw the whole page")
    finally:
        await ws.close()
    return time.monotonic() - started


async def run(ws, msg: BackMsg, timeout: float) -> Run:
    """Send ``msg`` on the open websocket ``ws`` and read the answer until the run finished."""
    import asyncio

    await ws.send(msg.SerializeToString())
    run = Run()
    deadline = time.monotonic() + timeout
    while True:
        raw = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
        if isinstance(raw, bytes) and run.read(raw):
            return run


def wait_until_healthy(base_url: str, timeout: float = 120.0) -> None:
    """Wait for ``/_stcore/health`` to answer 200 (the server is listening)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{base_url} did not answer within {timeout:.0f} s")
        time.sleep(0.1)  # a poll interval, not a guess at the start-up time
