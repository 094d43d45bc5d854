"""Where a dashboard rerun spends its time: ``python -m bench.hotspots --events 100000``.

Runs the real ``dashboard.py`` in-process with Streamlit's AppTest on a generated data set:
one first run (the data is loaded and cached), then slider steps of one day. Each step's wall
time is measured, and one step runs under cProfile; the report lists the functions of the
project (``dashboard.py``, ``lib/``, ``ui/``) and the Streamlit calls that cost the most,
by cumulative time. AppTest builds every element's message as the server does but sends
nothing, so websocket and browser costs are not in these numbers (``bench.run`` has them).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench import generate

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = REPO / "dashboard.py"
STEPS = 5
FIRST_RUN_PROFILE_MAX = 10_000
START_OFFSET = 30
#: Library code worth naming next to the project's own functions: Streamlit's element and
#: command functions, streamlit-folium, the cache wrapper and unpickling (cache_data copies).
LIBRARY_PREFIXES = ("streamlit/elements/", "streamlit/commands/", "streamlit_folium/")
LIBRARY_FUNCTIONS = {
    ("streamlit/runtime/caching/cache_utils.py", "__call__"),
    ("~", "<built-in method _pickle.loads>"),
}

_ACTIVE: list[cProfile.Profile] = []


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


def profile_dashboard(
    data_dir: Path, steps: int = STEPS, log: Callable[[str], None] = print
) -> dict[str, object]:
    """First run and ``steps`` one-day slider steps of dashboard.py on ``data_dir``."""
    os.environ["DASHBOARD_DATA_DIR"] = str(data_dir)
    os.environ["DASHBOARD_TILES"] = "off"
    from streamlit.testing.v1 import AppTest

    _profile_script_thread()
    summary = json.loads((data_dir / "GENERATED.json").read_text())
    first = dt.date.fromisoformat(summary["first_day"])
    day = first + dt.timedelta(days=START_OFFSET)
    app = AppTest.from_file(str(DASHBOARD), default_timeout=3600)
    app.query_params["to"] = day.isoformat()
    profiler = cProfile.Profile()
    # cProfile triples the cost of the data load (millions of small calls): profile the first
    # run only on data sets small enough for that to stay quick.
    if summary["events"] <= FIRST_RUN_PROFILE_MAX:
        _ACTIVE[:] = [profiler]
    started = time.perf_counter()
    app.run()
    first_run = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(f"dashboard.py failed: {app.exception}")
    log(f"  profile: first run (loads the data) {first_run:.2f} s")
    first_top = top_functions(profiler, 12) if _ACTIVE else []
    _ACTIVE.clear()
    walls = []
    step_profile = cProfile.Profile()
    # Step 0 warms up, steps 1..steps are timed, the last one runs under cProfile.
    for index in range(steps + 2):
        day += dt.timedelta(days=1)
        app.slider[0].set_value(day)
        if index == steps + 1:
            _ACTIVE[:] = [step_profile]
        started = time.perf_counter()
        app.run()
        wall = time.perf_counter() - started
        _ACTIVE.clear()
        if app.exception:
            raise RuntimeError(f"dashboard.py failed: {app.exception}")
        if 1 <= index <= steps:
            walls.append(wall)
    log(f"  profile: step reruns {', '.join(f'{w * 1000:.0f}' for w in walls)} ms")
    return {
        "events": summary["events"],
        "first_run_s": first_run,
        "first_top": first_top,
        "step_walls_ms": [w * 1000 for w in walls],
        "step_top": top_functions(step_profile),
    }


def report(data_dir: Path, log: Callable[[str], None] = print) -> str:
    """Markdown: the profile of ``dashboard.py`` on ``data_dir``."""
    result = profile_dashboard(data_dir, log=log)
    walls = result["step_walls_ms"]
    lines = [
        f"## Server side: one dashboard rerun at {result['events']:,} events",
        "",
        "`dashboard.py` run in-process by Streamlit's AppTest (`python -m bench.hotspots`): every "
        "element is built as on the server, nothing is sent. A slider step reruns the script in "
        f"a median of **{statistics.median(walls):,.0f} ms** (steps: "
        f"{', '.join(f'{w:,.0f}' for w in walls)} ms, cProfile off). "
        f"The first run, which loads and validates the data, took {result['first_run_s']:,.1f} s.",
        "",
        "One step under cProfile (cumulative ms; profiling inflates them, compare them with "
        "each other):",
        "",
        "| function | ms | calls |",
        "|---|---:|---:|",
        *[f"| `{name}` | {ms:,.0f} | {calls:,} |" for name, ms, calls in result["step_top"]],
        "",
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
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.hotspots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(report(generate.ensure(args.events)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
