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
