"""Several app processes behind nginx (``python -m lib serve``): the config, session affinity,
static files, a replica that dies, and an editor's save reaching readers of every replica.

The server tests need Debian's nginx (``apt-get install -y nginx``; ``.ci/run`` installs it);
where it is missing they are skipped with that reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.commands import serve
from tests.support.cluster import (
    NGINX_MISSING,
    Cluster,
    cookie_for,
    get,
    kill_replica,
    nginx_available,
    replica_of,
    serve_cluster,
)

pytestmark = pytest.mark.apptest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "data"


def test_the_config_proxies_websockets_with_affinity_and_serves_static_files(tmp_path):
    text = serve.nginx_config(
        host="127.0.0.1", port=8500, replica_ports=[8501, 8502], run_dir=tmp_path,
        static_dir=Path("/st"),
    )  # fmt: skip
    assert "server 127.0.0.1:8501" in text and "server 127.0.0.1:8502" in text
    assert "hash $nm_affinity consistent" in text
    assert "proxy_set_header Upgrade $http_upgrade" in text
    assert re.search(r"proxy_read_timeout 1d", text)
    assert f"alias {REPO / 'static'}/;" in text and "alias /st/static/;" in text
    assert "gzip on" in text
    # Every path nginx writes is ours: it runs unprivileged.
    for key in ("pid", "error_log", "client_body_temp_path", "proxy_temp_path"):
        assert re.search(rf"{key} {re.escape(str(tmp_path))}/", text), key
    assert "@" not in text.replace("$", "")  # every placeholder filled


def test_print_config_needs_no_nginx(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "lib", "serve", "--print-config", "--replicas", "3",
         "--run-dir", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("max_fails=1") == 3


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    if not nginx_available():
        pytest.skip(NGINX_MISSING)
    with serve_cluster(FIXTURE, tmp_path_factory.mktemp("serve")) as running:
        yield running


def test_readers_spread_over_replicas_and_each_stays_on_its_own(cluster):
    cookies = {port: cookie_for(cluster, port) for port in cluster.ports}
    for port, cookie in cookies.items():
        for _ in range(5):
            _, headers, _ = get(cluster.url + "/", cookie)
            assert replica_of(headers) == port


def test_nginx_serves_the_map_assets_gzipped_with_cache_headers(cluster):
    status, headers, body = get(
        cluster.url + "/app/static/newsmap/engine.js", **{"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert "max-age" in headers.get("Cache-Control", "")
    assert "X-Newsmap-Replica" not in headers  # from disk, no replica involved
    assert len(body) < (REPO / "static/newsmap/engine.js").stat().st_size / 2


def test_a_dead_replica_s_readers_move_to_another_and_it_comes_back(cluster):
    first, second = cluster.ports
    cookie = cookie_for(cluster, first)
    kill_replica(first)
    for _ in range(5):
        status, headers, _ = get(cluster.url + "/_stcore/health", cookie)
        assert status == 200 and replica_of(headers) == second
    # lib serve starts it again; once it answers, its readers return to it.
    deadline = time.monotonic() + 120
    while not serve.healthy(first):
        assert time.monotonic() < deadline, "the replica was not started again"
        time.sleep(0.5)
    deadline = time.monotonic() + 30
    while replica_of(get(cluster.url + "/_stcore/health", cookie)[1]) != first:
        assert time.monotonic() < deadline, "its readers did not return to it"
        time.sleep(0.5)


def test_a_save_changes_the_data_stamp_at_once(tmp_path, monkeypatch):
    """Regression: the stamp (what a settle compares to redraw the page after a save on any
    replica) was reused for a second, so a reader who settled twice within a second of a save
    kept the old map."""
    from lib.data.schema import EVENT_COLUMNS
    from lib.editing.saving import save_bytes
    from lib.editing.snapshot import read_snapshot
    from ui import data as store

    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    monkeypatch.setattr(store, "STAMP_TTL_S", 3600.0)  # the stamp alone would not expire
    before = store.stamp()
    assert store.stamp() == before
    events = root / "events.csv"
    snap = read_snapshot(events, EVENT_COLUMNS)
    rows = [dict(r) for r in snap.rows]
    rows[0]["summary"] = "Changed."
    save_bytes(events, snap.encode(rows), snap.fingerprint, backup_root=root / ".backups")
    assert store.stamp() != before
