"""lib.access.auth: where the password comes from, how it is compared, how wrong guesses are slowed.

The pages' use of it (login form, back-off across sessions) is tested in test_editor_pages.py.
"""

from __future__ import annotations

import threading

import pytest

from lib.access import auth

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("env", "secrets", "expected"),
    [
        ({}, {}, None),
        ({auth.ENV_VAR: "from-env"}, {}, "from-env"),
        ({}, {auth.SECRET_KEY: "from-file"}, "from-file"),
        ({auth.ENV_VAR: "from-env"}, {auth.SECRET_KEY: "from-file"}, "from-env"),
        # Blank would let anyone in with an empty form: it means "not configured".
        ({auth.ENV_VAR: ""}, {auth.SECRET_KEY: "   "}, None),
        # A blank environment variable must not hide a real password in the file.
        ({auth.ENV_VAR: " "}, {auth.SECRET_KEY: "from-file"}, "from-file"),
        # TOML without quotes gives a number; only a string is a password.
        ({}, {auth.SECRET_KEY: 1234}, None),
    ],
)
def test_configured_password(env, secrets, expected):
    assert auth.configured_password(env, secrets) == expected


@pytest.mark.parametrize(
    ("given", "expected", "ok"),
    [
        ("s3cret", "s3cret", True),
        ("s3cre", "s3cret", False),  # a prefix is not enough
        ("s3cret ", "s3cret", False),
        ("S3CRET", "s3cret", False),
        ("", "s3cret", False),
        ("pässwörd", "pässwörd", True),  # non-ASCII passwords (compare_digest needs bytes)
    ],
)
def test_password_matches(given, expected, ok):
    assert auth.password_matches(given, expected) is ok


def test_password_is_compared_in_constant_time(monkeypatch):
    calls = []

    def spy(a, b):
        calls.append((a, b))
        return a == b

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert auth.password_matches("x", "y") is False
    assert calls == [(b"x", b"y")]


def test_password_tag_changes_with_the_password_and_hides_it():
    tag = auth.password_tag("one")
    assert tag == auth.password_tag("one")
    assert tag != auth.password_tag("two")
    assert "one" not in tag


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (1, 1), (2, 2), (3, 4), (6, 32), (9, 256), (10, 300), (10_000, 300)],
)
def test_backoff_doubles_up_to_a_cap(failures, seconds):
    assert auth.Backoff(first_s=1, max_s=300).delay(failures) == seconds


def test_failure_log_makes_the_next_try_wait():
    log = auth.FailureLog(auth.Backoff(first_s=1, max_s=300, forget_after_s=900))
    assert log.wait_seconds(now=100.0) == 0
    assert log.record_failure(now=100.0) == 1
    assert log.wait_seconds(now=100.25) == pytest.approx(0.75)
    assert log.wait_seconds(now=101.0) == 0
    assert log.record_failure(now=101.0) == 2
    assert log.record_failure(now=101.5) == 4  # a try during the wait still doubles it
    assert log.wait_seconds(now=102.5) == pytest.approx(3)


def test_failure_log_forgets_after_a_quiet_period():
    log = auth.FailureLog(auth.Backoff(first_s=1, max_s=300, forget_after_s=900))
    for t in range(5):
        log.record_failure(now=float(t))
    assert log.failures == 5
    assert log.wait_seconds(now=4 + 901.0) == 0
    assert log.record_failure(now=4 + 901.0) == 1  # counting starts again


def test_failure_log_reset():
    log = auth.FailureLog()
    log.record_failure(now=0.0)
    log.reset()
    assert log.wait_seconds(now=0.0) == 0


def test_failure_log_counts_every_failure_from_many_threads():
    # The process-wide log is shared by every session's thread: no failure may be lost.
    log = auth.FailureLog()

    def fail_many():
        for _ in range(500):
            log.record_failure(now=1.0)

    threads = [threading.Thread(target=fail_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert log.failures == 4000


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "1 second"),
        (1.0, "1 second"),
        (1.01, "2 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (65, "1 minute 5 seconds"),
        (300, "5 minutes"),
    ],
)
def test_wait_message(seconds, text):
    assert auth.wait_message(seconds) == text


# --- issue 21: raced throttles, memory per check, device cookies, persisted logouts ------------


def test_simultaneous_guesses_cannot_all_pass_the_wait():
    """Regression: 12 simultaneous wrong guesses were all checked."""
    throttle = auth.Throttle(auth.Backoff(first_s=1.0, max_s=30.0))
    start = threading.Barrier(12)
    passed = []

    def guess():
        start.wait()
        if throttle.claim(["account:alice"], 1000.0) == 0:
            passed.append(1)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 1
    assert throttle.claim(["account:alice"], 1001.5) == 0  # after the wait, one more


def test_a_device_token_names_its_account_and_cannot_be_forged():
    key = b"k" * 32
    token = auth.issue_device_token("alice", key, 1000.0)
    name, nonce = auth.read_device_token(token, key, 1001.0)
    assert name == "alice" and len(nonce) == 16
    assert auth.read_device_token(token, b"x" * 32, 1001.0) is None
    body, signature = token.split(".")
    forged = auth._b64(b'{"d":"bob","e":9999999999,"n":"00"}') + "." + signature
    assert auth.read_device_token(forged, key, 1001.0) is None
    assert auth.read_device_token(token, key, 1000.0 + (auth.DEVICE_DAYS + 1) * 86400) is None
    # A login token is no device token (another purpose in the signature).
    identity = auth.Identity("alice", "editor", "stamp")
    assert auth.read_device_token(auth.issue_token(identity, key, 1000.0, 1.0), key, 1001.0) is None


def test_logouts_are_kept_beside_the_login_secret_until_they_expire(tmp_path):
    from lib.access import users

    users.revoke(tmp_path, "aaaa", expires=2000.0, now=1000.0)
    users.revoke(tmp_path, "bbbb", expires=1500.0, now=1000.0)
    assert users.revoked(tmp_path, 1200.0) == {"aaaa", "bbbb"}
    assert users.revoked(tmp_path, 1600.0) == {"aaaa"}
    users.revoke(tmp_path, "cccc", expires=3000.0, now=1600.0)  # drops the expired one
    assert (tmp_path / users.REVOKED_FILE).read_text().split() == ["aaaa", "2000", "cccc", "3000"]
    assert (tmp_path / users.REVOKED_FILE).stat().st_mode & 0o777 == 0o600


CONCURRENT_LOGINS = r"""
import threading
from lib.access import users

def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

from pathlib import Path
found = users.Accounts(Path("/nonexistent"))
users.verify(found, "warm-up", "x")  # the dummy hash, argon2's first use
before = peak_kib()
start = threading.Barrier(24)
def login(n):
    start.wait()
    users.verify(found, f"invented-{n}", "guess")  # an unknown name: the same cost
threads = [threading.Thread(target=login, args=(n,)) for n in range(24)]
for t in threads: t.start()
for t in threads: t.join()
print((peak_kib() - before) // 1024)
"""


def test_concurrent_logins_stay_under_a_memory_bound():
    """Regression: 24 simultaneous logins with invented names took 209 MB to 1,487 MB."""
    import subprocess
    import sys
    from pathlib import Path

    from lib.access import users

    done = subprocess.run(
        [sys.executable, "-c", CONCURRENT_LOGINS],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    grown_mb = int(done.stdout.strip())
    per_check_mb = users.HASHER.memory_cost // 1024
    assert grown_mb <= (users.CHECK_SLOTS + 1) * per_check_mb, done.stdout


@pytest.mark.parametrize(
    ("header", "sent", "expected"),
    [
        ("", {"X-Forwarded-For": "203.0.113.9"}, "10.0.0.2"),  # not configured: never read
        ("X-Forwarded-For", {"X-Forwarded-For": "203.0.113.9"}, "203.0.113.9"),
        # A client may send its own X-Forwarded-For; the proxy appends the address it saw.
        ("X-Forwarded-For", {"X-Forwarded-For": "1.2.3.4, 203.0.113.9"}, "203.0.113.9"),
        ("X-Real-IP", {"X-Real-IP": " 198.51.100.7 "}, "198.51.100.7"),
        ("X-Forwarded-For", {}, "10.0.0.2"),  # missing: the connection's address
    ],
)
def test_the_client_address_comes_from_the_trusted_proxy_header(
    monkeypatch, header, sent, expected
):
    from types import SimpleNamespace

    from ui import auth as ui_auth

    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXY_HEADER", header)
    fake = SimpleNamespace(context=SimpleNamespace(headers=sent, ip_address="10.0.0.2"))
    monkeypatch.setattr(ui_auth, "st", fake)
    assert ui_auth.client_address() == expected
