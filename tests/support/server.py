"""Start a Streamlit app on a free port for a test, and stop it afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = REPO_ROOT / "static"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def http_server(handler) -> Iterator[str]:
    """A threaded ``http.server`` with ``handler`` on a free loopback port; yields its base
    URL (``http://127.0.0.1:PORT``) and shuts it down afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _stage_next_to_static(script: Path, workdir: Path) -> Path:
    """A path for ``script`` that has the repo's ``static/`` beside it.

    Streamlit serves the ``static`` folder next to the *main script*, not the one in the
    working directory, so an app under tests/apps/ would get no /app/static. Symlinking the
    script and static/ into a temporary folder gives it the real one.
    """
    if (script.parent / "static").resolve() == STATIC_DIR:
        return script
    (workdir / "static").symlink_to(STATIC_DIR, target_is_directory=True)
    staged = workdir / script.name
    staged.symlink_to(script)
    return staged


def _wait_until_healthy(proc: subprocess.Popen[bytes], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # a poll interval, not a guess at the start-up time
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


#: What ``ui.replica`` logs once it has rehearsed a reader's first visit (or failed to).
REHEARSED = ("rehearsed a reader's first visit", "rehearsing a reader's first visit failed")


def _wait_for_output(proc, output, needles: tuple[str, ...], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        # pread: the server writes through the same open file; its offset must not move.
        size = os.fstat(output.fileno()).st_size
        text = os.pread(output.fileno(), size, 0).decode(errors="replace")
        if any(n in text for n in needles):
            return
        time.sleep(0.1)  # a poll interval, not a guess at the start-up time
    raise TimeoutError(f"the server did not log any of {needles} within {timeout:.0f} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    # Streamlit may start helpers; the whole group goes, and nothing outside it.
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def streamlit_server(
    script: Path,
    env: dict[str, str] | None = None,
    port: int | None = None,
    timeout: float = 60.0,
    replica: bool = False,
) -> Iterator[str]:
    """Run ``streamlit run script`` from the repo root; yield its base URL, e.g. ``http://127.0.0.1:53211``.

    The repo root is the working directory, so .streamlit/config.toml applies, and on
    PYTHONPATH, so the app can ``import lib``. ``env`` adds to the environment; when it sets
    ``STREAMLIT_SERVER_BASE_URL_PATH`` the yielded URL includes that path. Waits for
    ``/_stcore/health`` (up to ``timeout`` seconds); on failure prints and raises with the
    server's output. The process group is terminated on exit. ``replica=True`` runs
    ``dashboard.py`` as ``make run`` does (``python -m ui.replica``: the data is loaded before
    the server answers); ``script`` must then be the dashboard. Then it also waits for the
    replica's rehearsal of a reader's first visit, so that a test's first visitor meets what
    a reader after the rehearsal meets.
    """
    port = port or free_port()
    extra = dict(env or {})
    base_path = extra.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")
    base_url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    pythonpath = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p)
    proc_env = {**os.environ, "PYTHONPATH": pythonpath, **extra}

    with (
        tempfile.TemporaryDirectory(prefix="st-app-") as workdir,
        tempfile.TemporaryFile() as output,
    ):
        main_script = _stage_next_to_static(Path(script).resolve(), Path(workdir))
        command = [
            sys.executable, "-m", "streamlit", "run", str(main_script),
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        if replica:
            command = [sys.executable, "-m", "ui.replica", "--port", str(port),
                       "--address", "127.0.0.1"]  # fmt: skip
        proc = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=proc_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so _stop reaches its children
        )
        try:
            try:
                _wait_until_healthy(proc, f"{base_url}/_stcore/health", timeout)
                if replica:
                    _wait_for_output(proc, output, REHEARSED, timeout)
            except (RuntimeError, TimeoutError) as error:
                output.seek(0)
                log = output.read().decode(errors="replace")
                print(f"--- streamlit output ({' '.join(command)}) ---\n{log}", file=sys.stderr)
                raise RuntimeError(f"{error}\n--- streamlit output ---\n{log}") from error
            yield base_url
        finally:
            _stop(proc)
