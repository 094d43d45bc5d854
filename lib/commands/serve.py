"""``python -m lib serve --replicas N``: N app processes behind Debian's nginx, from one config.

Starts N replicas (``python -m ui.replica``, each loading the data before it accepts readers)
on ports ``PORT+1 .. PORT+N`` of 127.0.0.1, waits until each answers ``/_stcore/health``, writes
``deploy/nginx.conf.template`` filled in to ``RUN_DIR/nginx.conf`` and runs nginx in the
foreground on ``HOST:PORT``. nginx gives each reader a cookie and keeps its requests (the
websocket, the downloads) on one replica; serves the map's and Streamlit's static files itself,
gzipped and cached; and skips a replica that stops answering. A replica that dies is started
again. Ctrl-C (or SIGTERM) stops everything.

The replicas share the data directory (``DASHBOARD_DATA_DIR``, default the repository): an
editor's save on one reaches readers of every replica on their next settle (docs/serving.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "deploy" / "nginx.conf.template"
#: Seconds a replica may take to load the data and answer its health check.
START_TIMEOUT_S = 180.0
MIME_TYPES = """types {
    text/html html;
    text/css css;
    application/javascript js mjs;
    application/json json map;
    application/geo+json geojson;
    image/svg+xml svg;
    image/png png;
    image/x-icon ico;
    font/woff2 woff2;
    font/woff woff;
    font/ttf ttf;
    application/vnd.ms-fontobject eot;
    text/plain txt;
    text/csv csv;
}
"""


def find_nginx() -> str | None:
    """Debian's nginx binary, or None (``apt-get install -y nginx`` installs it)."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def streamlit_static_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        raise SystemExit("streamlit is not installed in this Python")
    return Path(spec.origin).parent / "static"


def nginx_config(
    *, host: str, port: int, replica_ports: list[int], run_dir: Path, static_dir: Path
) -> str:
    """The template filled in: every path nginx writes is under ``run_dir``."""
    upstreams = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports
    )
    values = {
        "@RUN@": str(run_dir),
        "@MIME_TYPES@": str(run_dir / "mime.types"),
        "@UPSTREAMS@": upstreams,
        "@HOST@": host,
        "@PORT@": str(port),
        "@STATIC@": str(REPO / "static"),
        "@STREAMLIT_STATIC@": str(static_dir),
    }
    text = TEMPLATE.read_text()
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def healthy(port: int, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout
        ) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Cluster:
    """The replicas and nginx, as child processes of this one."""

    replica_ports: list[int]
    run_dir: Path
    replicas: dict[int, subprocess.Popen] = field(default_factory=dict)
    nginx: subprocess.Popen | None = None

    def start_replica(self, port: int) -> None:
        log = (self.run_dir / f"replica-{port}.log").open("ab")
        self.replicas[port] = subprocess.Popen(
            [sys.executable, "-m", "ui.replica", "--port", str(port), "--address", "127.0.0.1"],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, ports: list[int]) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        waiting = set(ports)
        while waiting:
            for port in list(waiting):
                if self.replicas[port].poll() is not None:
                    raise SystemExit(
                        f"replica on port {port} exited; see {self.run_dir}/replica-{port}.log"
                    )
                if healthy(port):
                    waiting.discard(port)
            if waiting and time.monotonic() > deadline:
                raise SystemExit(f"replicas on ports {sorted(waiting)} did not start in time")
            time.sleep(0.2)

    def stop(self) -> None:
        for proc in [self.nginx, *self.replicas.values()]:
            if proc is not None and proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in [self.nginx, *self.replicas.values()]:
            if proc is not None:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def _wait_listening(host: str, port: int, proc: subprocess.Popen, run_dir: Path) -> None:
    """Until nginx accepts connections (or exits, which is an error)."""
    import socket

    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"nginx exited; see {run_dir}/error.log")
        with socket.socket() as sock:
            if sock.connect_ex((host, port)) == 0:
                return
        if time.monotonic() > deadline:
            raise SystemExit(f"nginx did not listen on {host}:{port}; see {run_dir}/error.log")
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib serve", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--replicas", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8500, help="nginx's port (default 8500)")
    parser.add_argument("--host", default="127.0.0.1", help="nginx's address (default 127.0.0.1)")
    parser.add_argument(
        "--run-dir",
        type=Path,
        help="folder for the config, logs and pid (default: a temporary one)",
    )
    parser.add_argument("--print-config", action="store_true", help="print nginx's config and exit")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    run_dir = (args.run_dir or Path(tempfile.mkdtemp(prefix="newsmap-serve-"))).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    ports = [args.port + 1 + i for i in range(args.replicas)]
    config = nginx_config(
        host=args.host,
        port=args.port,
        replica_ports=ports,
        run_dir=run_dir,
        static_dir=streamlit_static_dir(),
    )
    if args.print_config:
        print(config)
        return 0
    nginx = find_nginx()
    if nginx is None:
        print(
            "nginx not found: install Debian's nginx (apt-get install -y nginx), "
            "or run one process with `make run`",
            file=sys.stderr,
        )
        return 1
    (run_dir / "mime.types").write_text(MIME_TYPES)
    (run_dir / "nginx.conf").write_text(config)
    cluster = Cluster(ports, run_dir)
    stopping = False

    def _stop(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        for port in ports:
            cluster.start_replica(port)
        cluster.wait_healthy(ports)
        cluster.nginx = subprocess.Popen(
            [nginx, "-c", str(run_dir / "nginx.conf"), "-p", str(run_dir)],
            start_new_session=True,
        )
        _wait_listening(args.host, args.port, cluster.nginx, run_dir)
        print(
            f"serving http://{args.host}:{args.port}/ with {len(ports)} replicas "
            f"(ports {ports[0]}-{ports[-1]}; logs in {run_dir})",
            flush=True,
        )
        while not stopping:
            if cluster.nginx.poll() is not None:
                print(f"nginx exited; see {run_dir}/error.log", file=sys.stderr)
                return 1
            for port, proc in list(cluster.replicas.items()):
                if proc.poll() is not None and not stopping:
                    print(f"replica on port {port} exited; starting it again", file=sys.stderr)
                    cluster.start_replica(port)
            time.sleep(0.5)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
