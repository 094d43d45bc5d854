"""The benchmarks' plumbing: each rewrites only its own section, and the load bench's settle is
the one the dashboard applies.

No timing here: speed is measured by `make bench`, never asserted in tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench import live
from ui.session import PANEL_KEY, TIMELINE_KEY, painted_message, settle_message
from ui.view import MAP_PAINTED

pytestmark = pytest.mark.apptest

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "live_map"


def test_a_bench_rewrites_only_its_own_section(tmp_path):
    results = tmp_path / "results.md"
    results.write_text(
        "# Benchmarks\n\nA note by hand.\n\n<!-- a -->\nold a\n<!-- /a -->\n\n"
        "<!-- b -->\nold b\n<!-- /b -->\n\nThe slider design, by hand.\n",
        encoding="utf-8",
    )
    live.write("<!-- a -->\nnew a\n<!-- /a -->", "<!-- a -->", "<!-- /a -->", results)
    live.write("<!-- c -->\nnew c\n<!-- /c -->", "<!-- c -->", "<!-- /c -->", results)
    text = results.read_text(encoding="utf-8")
    assert "old a" not in text and text.count("new a") == 1
    assert "old b" in text  # another bench's section
    assert "A note by hand." in text and "The slider design, by hand." in text
    assert text.rstrip().endswith("<!-- /c -->")  # a section not there yet is appended


def test_the_settle_the_load_bench_sends_is_applied_by_the_dashboard(monkeypatch):
    # The message bench.load (and bench.hotspots) sends for a settle must be one the page
    # understands: if the component's state changed shape, the bench would time reruns that
    # change nothing.
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(FIXTURE))
    at = AppTest.from_file("../dashboard.py", default_timeout=60)
    at.session_state[MAP_PAINTED] = True  # the whole page, as after the map's first paint
    at.run()
    # The timeline, by its key: the page has other components (the place panel, the table).
    (timeline,) = [
        e
        for e in at.main
        if getattr(e, "type", "") == "bidi_component" and e.proto.id.endswith(TIMELINE_KEY)
    ]
    first = json.loads(timeline.proto.json or timeline.proto.mixed.json)["timeline"]["first"]
    assert at.query_params["to"] != "2021-08-25"
    message = settle_message(
        timeline.proto.id,
        "a-fragment-id",
        {"mode": "cumulative", "start": first, "end": "2021-08-25"},
    )
    assert message.rerun_script.fragment_id == "a-fragment-id"
    at._run(message.rerun_script.widget_states)  # AppTest's entry for raw widget states
    assert not at.exception
    assert at.query_params["to"] == "2021-08-25"
    # The timeline (and so the map and the table, drawn in the browser) shows the settled day.
    (timeline,) = [
        e
        for e in at.main
        if getattr(e, "type", "") == "bidi_component" and e.proto.id.endswith(TIMELINE_KEY)
    ]
    config = json.loads(timeline.proto.json or timeline.proto.mixed.json)["timeline"]
    assert config["end"] == (dt.date(2021, 8, 25) - dt.date.fromisoformat(first)).days


def test_the_paint_the_load_bench_reports_draws_the_whole_page(monkeypatch):
    # bench.load's viewers say the map painted as the browser does (the timeline's trigger),
    # so that they settle on the whole page, as readers do, not on its first run.
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(FIXTURE))
    at = AppTest.from_file("../dashboard.py", default_timeout=60).run()

    def components():
        return {e.proto.id for e in at.main if getattr(e, "type", "") == "bidi_component"}

    (timeline_id,) = [c for c in components() if c.endswith(TIMELINE_KEY)]
    assert not [c for c in components() if c.endswith(PANEL_KEY)]
    message = painted_message(timeline_id, "a-fragment-id")
    assert message.rerun_script.fragment_id == "a-fragment-id"
    at._run(message.rerun_script.widget_states)  # AppTest's entry for raw widget states
    assert not at.exception
    assert at.session_state[MAP_PAINTED] is True
    assert [c for c in components() if c.endswith(PANEL_KEY)]
