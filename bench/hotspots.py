"""``python -m bench.hotspots --events 100000``: where the server spends a settle, by function.

Runs the real ``dashboard.py`` in-process with Streamlit's AppTest on a generated data set:
one first run (the data is loaded and cached), then settles of the timeline one day back,
each given to the script as the browser gives it, the timeline component's state
``{"view": {...}}`` in the widget states (``bench.load.settle_message``). AppTest cannot rerun
a fragment alone, so each settle reruns the whole script; the ``st.fragment`` the dashboard
decorates (``live_view``: panel, table, permalink) is wrapped to time its body, which is what
a settle reruns in a browser session. One settle's fragment runs under cProfile; the report
lists the project's functions (``dashboard.py``, ``lib/``, ``ui/``) and the Streamlit calls
that cost the most, by cumulative time. AppTest builds every element's message as the server
does but sends nothing: websocket and browser costs are not here (``bench.live`` and
``bench.load`` have them). The section replaces the one between the ``hotspots`` markers of
bench/results.md (``--no-write`` to print only). Not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import io
import json
import os
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench import generate, live
from ui.session import TIMELINE_KEY, settle_message
from ui.view import MAP_PAINTED

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = REPO / "dashboard.py"
RESULTS = Path(__file__).resolve().parent / "results.md"
START, END = "<!-- hotspots: written by python -m bench.hotspots -->", "<!-- /hotspots -->"
STEPS = 5
FIRST_RUN_PROFILE_MAX = 10_000
#: Library code worth naming next to the project's own functions: Streamlit's element and
#: command functions, streamlit-folium, the cache wrapper and unpickling (cache_data copies).
LIBRARY_PREFIXES = ("streamlit/elements/", "streamlit/commands/", "streamlit_folium/")
LIBRARY_FUNCTIONS = {
    ("streamlit/runtime/caching/cache_utils.py", "__call__"),
    ("~", "<built-in method _pickle.loads>"),
}

#: The profiler to enable for the next run (whole script thread, or the fragment's body).
_ACTIVE: list[cProfile.Profile] = []
_FRAGMENT: list[cProfile.Profile] = []
#: Wall seconds of each run of a fragment's body, in order.
FRAGMENT_S: list[float] = []


def _profile_script_thread() -> None:
    """Profile inside AppTest's script thread (cProfile only sees the thread that enables it)."""
    from streamlit.testing.v1 import local_script_runner

    runner = local_script_runner.LocalScriptRunner
    if getattr(runner, "_bench_wrapped", False):
        return
    original = runner._run_script_thread

    def wrapped(self) -> None:
        profiler = _ACTIVE[0] if _ACTIVE else None
        if profiler:
            profiler.enable()
        try:
            original(self)
        finally:
            if profiler:
                profiler.disable()

    runner._run_script_thread = wrapped
    runner._bench_wrapped = True


def _time_fragments() -> Callable[[], None]:
    """Make ``st.fragment`` time (and, when asked, profile) each run of a fragment's body.

    The script looks ``st.fragment`` up on every run, so replacing the attribute is enough;
    ``functools.wraps`` keeps the name Streamlit derives the fragment's id from. Returns a
    function that puts the original back.
    """
    import streamlit as st

    original = st.fragment

    def fragment(func=None, **options):
        if func is None:
            return lambda f: fragment(f, **options)

        @functools.wraps(func)
        def body(*args, **kwargs):
            profiler = _FRAGMENT[0] if _FRAGMENT else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            try:
                return func(*args, **kwargs)
            finally:
                if profiler:
                    profiler.disable()
                FRAGMENT_S.append(time.perf_counter() - started)

        return original(body, **options)

    st.fragment = fragment

    def restore() -> None:
        st.fragment = original

    return restore


def _label(func: tuple[str, int, str]) -> str | None:
    path, line, name = func
    if path.startswith(str(REPO)) and "/.venv/" not in path:
        where = os.path.relpath(path, REPO)
        return f"{where}:{line} {name}" if name != "<module>" else f"{where} (whole script)"
    if path == "~":
        return "pickle.loads (cache_data copies)" if ("~", name) in LIBRARY_FUNCTIONS else None
    site = path.split("site-packages/")[-1]
    if (site, name) in LIBRARY_FUNCTIONS:
        return f"{site}:{line} {name}"
    if site.startswith(LIBRARY_PREFIXES) and not name.startswith("_") and name != "wrapper":
        return f"{site}:{line} {name}"
    return None


def top_functions(profiler: cProfile.Profile, limit: int = 22) -> list[tuple[str, float, int]]:
    """(label, cumulative ms, calls) of the costliest project functions and entry points."""
    stats = pstats.Stats(profiler, stream=io.StringIO()).stats  # type: ignore[attr-defined]
    rows = []
    for func, (_, calls, _, cumulative, _) in stats.items():
        label = _label(func)
        if label and "bench/" not in label:
            rows.append((label, cumulative * 1000, calls))
    rows.sort(key=lambda r: -r[1])
    return rows[:limit]


def _timeline(app) -> tuple[str, dt.date, int, int]:
    """The timeline component's element id, first day, number of days and day shown (offset)."""
    for element in app.main:
        proto = getattr(element, "proto", None)
        if getattr(element, "type", "") == "bidi_component" and proto.id.endswith(TIMELINE_KEY):
            config = json.loads(proto.json or proto.mixed.json)["timeline"]
            first = dt.date.fromisoformat(config["first"])
            return proto.id, first, int(config["ndays"]), int(config["end"])
    raise RuntimeError("dashboard.py drew no timeline component")


def profile_dashboard(
    data_dir: Path, steps: int = STEPS, log: Callable[[str], None] = print
) -> dict[str, object]:
    """First run and ``steps`` one-day settles of dashboard.py on ``data_dir``."""
    os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)
    os.environ["DASHBOARD_TILES"] = "off"
    from streamlit.testing.v1 import AppTest

    _profile_script_thread()
    restore = _time_fragments()
    try:
        summary = json.loads((data_dir / "GENERATED.json").read_text())
        app = AppTest.from_file(str(DASHBOARD), default_timeout=3600)
        app.session_state[MAP_PAINTED] = True  # the whole page, as after the map's first paint
        profiler = cProfile.Profile()
        # cProfile triples the cost of the data load (millions of small calls): profile the
        # first run only on data sets small enough for that to stay quick.
        if summary["events"] <= FIRST_RUN_PROFILE_MAX:
            _ACTIVE[:] = [profiler]
        started = time.perf_counter()
        app.run()
        first_run = time.perf_counter() - started
        _ACTIVE.clear()
        if app.exception:
            raise RuntimeError(f"dashboard.py failed: {app.exception}")
        log(f"  first run (loads the data) {first_run:.2f} s")
        first_top = (
            top_functions(profiler, 12) if summary["events"] <= FIRST_RUN_PROFILE_MAX else []
        )
        timeline_id, first, ndays, day = _timeline(app)
        scripts, fragments = [], []
        step_profile = cProfile.Profile()
        # Settle 0 warms up, 1..steps are timed, the last one runs under cProfile.
        for index in range(steps + 2):
            day = day - 1 if day > 0 else ndays - 1
            end = first + dt.timedelta(days=day)
            view = {"mode": "cumulative", "start": first.isoformat(), "end": end.isoformat()}
            states = settle_message(timeline_id, "", view).rerun_script.widget_states
            if index == steps + 1:
                _FRAGMENT[:] = [step_profile]
            FRAGMENT_S.clear()
            started = time.perf_counter()
            app._run(states)  # AppTest's own entry for widget states, as Widget.run uses
            script = time.perf_counter() - started
            _FRAGMENT.clear()
            if app.exception:
                raise RuntimeError(f"dashboard.py failed: {app.exception}")
            if app.query_params.get("to") != end.isoformat():
                raise RuntimeError(f"the settle on {end} left the permalink at {app.query_params}")
            if len(FRAGMENT_S) != 1:
                raise RuntimeError(f"expected one fragment run per settle, saw {len(FRAGMENT_S)}")
            if 1 <= index <= steps:
                scripts.append(script * 1000)
                fragments.append(FRAGMENT_S[0] * 1000)
    finally:
        restore()
    log(f"  settles: fragment {', '.join(f'{w:.0f}' for w in fragments)} ms")
    return {
        "events": summary["events"],
        "first_run_s": first_run,
        "first_top": first_top,
        "fragment_ms": fragments,
        "script_ms": scripts,
        "step_top": top_functions(step_profile),
    }


def report(data_dir: Path, steps: int = STEPS, log: Callable[[str], None] = print) -> str:
    """Markdown: the profile of a settle of ``dashboard.py`` on ``data_dir``."""
    result = profile_dashboard(data_dir, steps, log=log)
    fragments, scripts = result["fragment_ms"], result["script_ms"]
    lines = [
        START,
        f"## Server side: one settle at {result['events']:,} events, by function",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{os.getloadavg()[0]:.1f}. `dashboard.py` in-process under Streamlit's AppTest "
        "(`python -m bench.hotspots`), the settle given as the timeline component's state; "
        "every element is built as on the server, nothing is sent. The fragment a settle reruns "
        f"(`live_view`) took a median of **{statistics.median(fragments):,.0f} ms** (settles: "
        f"{', '.join(f'{w:,.0f}' for w in fragments)} ms, cProfile off); the whole script around "
        f"it (what a filter change in the sidebar reruns) {statistics.median(scripts):,.0f} ms. "
        f"The first run, which loads and validates the data, took {result['first_run_s']:,.1f} s.",
        "",
        "The fragment of one settle under cProfile (cumulative ms; profiling inflates them, "
        "compare them with each other):",
        "",
        "| function | ms | calls |",
        "|---|---:|---:|",
        *[f"| `{name}` | {ms:,.0f} | {calls:,} |" for name, ms, calls in result["step_top"]],
    ]
    if result["first_top"]:
        lines += [
            "",
            "The first run under cProfile (what a server start costs):",
            "",
            "| function | ms | calls |",
            "|---|---:|---:|",
            *[f"| `{name}` | {ms:,.0f} | {calls:,} |" for name, ms, calls in result["first_top"]],
        ]
    lines += ["", END]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.hotspots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=STEPS, help="timed settles")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    section = report(generate.ensure(args.events), args.steps)
    live.publish(section, START, END, args.out, dry_run=args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
