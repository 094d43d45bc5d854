"""``python -m lib serve`` for tests: N replicas behind nginx on free ports, and HTTP helpers."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lib.commands import serve
from tests.support.server import REPO_ROOT, free_port

NGINX_MISSING = "nginx not installed (apt-get install -y nginx; .ci/run installs it)"


@dataclass
class Cluster:
    url: str
    ports: list[int]
    data: Path


def _busy(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _port_block(count: int) -> int:
    """The first of ``count`` consecutive free ports below the kernel's ephemeral range.

    ``lib serve`` takes the port after its own for each replica, and a replica binds it only
    once its data is loaded: a port inside the ephemeral range (where ``free_port`` finds
    one) can meanwhile become the local end of any outgoing connection ("Port ... is not
    available", seen once in a full run)."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    rng = random.Random()
    for _ in range(200):
        first = rng.randrange(20000, low - count)
        if not any(_busy(first + i) for i in range(count)):
            return first
    return free_port()


@contextmanager
def serve_cluster(fixture: Path, workdir: Path, replicas: int = 2) -> Iterator[Cluster]:
    """Copy ``fixture`` (a data directory) into ``workdir`` and serve it with ``replicas``."""
    data = workdir / "data"
    shutil.copytree(fixture, data)
    run_dir = workdir / "run"
    port = _port_block(replicas + 1)
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), "DASHBOARD_TILES": "off"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lib", "serve", "--replicas", str(replicas), "--port", str(port),
         "--run-dir", str(run_dir)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()  # "serving ..." once every replica answers
        if not line.startswith("serving"):
            raise RuntimeError(f"lib serve did not start: {line}{proc.stdout.read()}")
        ports = [port + 1 + i for i in range(replicas)]
        yield Cluster(f"http://127.0.0.1:{port}", ports, data)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def nginx_available() -> bool:
    return serve.find_nginx() is not None


def get(url: str, cookie: str | None = None, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=dict(headers))
    if cookie:
        request.add_header("Cookie", f"nm_affinity={cookie}")
    with urllib.request.urlopen(request, timeout=30) as response:
        headers = dict(response.headers)
        # Streamlit sets its own cookie too: keep every Set-Cookie, not the first.
        headers["Set-Cookie"] = ", ".join(response.headers.get_all("Set-Cookie") or [])
        return response.status, headers, response.read()


def replica_of(headers: dict) -> int:
    """The replica that answered: nginx lists every address it tried, the last one answered."""
    return int(headers["X-Newsmap-Replica"].split(",")[-1].rsplit(":", 1)[1])


def cookie_of(headers: dict) -> str:
    return re.search(r"nm_affinity=([^;]+)", headers["Set-Cookie"]).group(1)


def cookie_for(cluster: Cluster, port: int, tries: int = 60) -> str:
    """An affinity cookie that nginx maps to the replica on ``port``."""
    for _ in range(tries):
        _, headers, _ = get(cluster.url + "/_stcore/health")
        if replica_of(headers) == port:
            return cookie_of(headers)
    raise AssertionError(f"no new reader reached the replica on port {port} in {tries} tries")


def kill_replica(port: int) -> None:
    """SIGKILL the replica serving ``port`` (as a crash would)."""
    subprocess.run(["pkill", "-KILL", "-f", f"ui.replica --port {port} "], check=False)
