"""Who may write: the editor password and the back-off after wrong guesses.

Pure and clock-free: callers pass ``now`` (seconds from any monotonic clock), so the back-off is
tested without sleeping. ``ui.auth`` holds the state (one `FailureLog` per session and one for
the whole process) and draws the login form.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass

ENV_VAR = "DASHBOARD_EDITOR_PASSWORD"
SECRET_KEY = "editor_password"


def configured_password(env: Mapping[str, str], secrets: Mapping[str, object]) -> str | None:
    """The editor password, or ``None`` when editing is switched off.

    The environment wins over ``secrets.toml`` so that a deployment can override a file that
    was copied along. An empty or blank value counts as not configured: an empty password would
    let anyone in with an empty form.
    """
    for value in (env.get(ENV_VAR), secrets.get(SECRET_KEY)):
        if isinstance(value, str) and value.strip():
            return value
    return None


def password_matches(given: str, expected: str) -> bool:
    """Compare in constant time, so response times do not leak how much of a guess was right."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def password_tag(password: str) -> str:
    """A digest that identifies which password a session logged in with.

    Stored in the session instead of the password; when the configured password changes, the tag
    no longer matches and existing sessions are logged out.
    """
    return hashlib.sha256(b"editor-session:" + password.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off: after ``n`` failures the next try waits ``first_s * 2**(n-1)``.

    Capped at ``max_s``. Failures are forgotten after ``forget_after_s`` without a new one, so a
    mistyped password on Monday does not slow anyone down on Tuesday.
    """

    first_s: float = 1.0
    max_s: float = 300.0
    forget_after_s: float = 900.0

    def delay(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        # The exponent is capped so 2**n cannot overflow a float after thousands of failures.
        return min(self.max_s, self.first_s * 2 ** min(failures - 1, 60))


class FailureLog:
    """Wrong-password attempts of one session, or of the whole process. Thread-safe.

    Streamlit serves every session from threads of one process, so the process-wide log is
    shared between threads.
    """

    def __init__(self, policy: Backoff | None = None) -> None:
        self.policy = policy or Backoff()
        self._lock = threading.Lock()
        self._failures = 0
        self._last = 0.0

    def _expire(self, now: float) -> None:
        if self._failures and now - self._last > self.policy.forget_after_s:
            self._failures = 0

    @property
    def failures(self) -> int:
        return self._failures

    def record_failure(self, now: float) -> float:
        """Count a wrong password at ``now``; returns the seconds to wait before the next try."""
        with self._lock:
            self._expire(now)
            self._failures += 1
            self._last = now
            return self.policy.delay(self._failures)

    def wait_seconds(self, now: float) -> float:
        """Seconds left before another attempt is accepted (0 when one is allowed now)."""
        with self._lock:
            self._expire(now)
            if not self._failures:
                return 0.0
            return max(0.0, self._last + self.policy.delay(self._failures) - now)

    def reset(self) -> None:
        with self._lock:
            self._failures = 0
            self._last = 0.0


def wait_message(seconds: float) -> str:
    """'3 seconds', '1 minute 5 seconds': how long to wait, rounded up to whole seconds."""
    total = max(1, int(-(-seconds // 1)))
    minutes, secs = divmod(total, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    return " ".join(parts)
