"""Who may write: personal accounts or the shared password, login tokens, and the back-off.

Pure and clock-free: callers pass ``now`` (seconds from any clock: monotonic for the back-off,
epoch seconds for token expiry), so everything is tested without sleeping. ``ui.auth`` holds
the state (a `FailureLog` per session, a `Throttle` per account and per client address) and
draws the login form; ``lib.access.users`` holds the accounts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lib.access.users import Account, Accounts

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

    def claim(self, now: float) -> float:
        """Atomically: the wait left, or (when none) count this attempt as a failure now and
        return 0. A check that then succeeds calls `reset`. Counting before the password is
        checked means simultaneous guesses cannot all pass the wait (12 of 12 did)."""
        with self._lock:
            self._expire(now)
            if self._failures:
                wait = self._last + self.policy.delay(self._failures) - now
                if wait > 0:
                    return wait
            self._failures += 1
            self._last = now
            return 0.0


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


# --- who is logged in -------------------------------------------------------------------------

#: How the shared password appears in the history: it says nothing about the person.
SHARED_NAME = "shared-password"


@dataclass(frozen=True)
class Identity:
    """Who a session is logged in as. ``name`` is the account (or `SHARED_NAME`); ``stamp``
    changes when the account's password does (see `lib.access.users.Account.stamp`)."""

    name: str
    role: str
    stamp: str
    display_name: str = ""
    email: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def shared(self) -> bool:
        return self.name == SHARED_NAME

    @property
    def label(self) -> str:
        """How the history names this editor: 'Alice Example (alice)' or 'alice'."""
        if self.display_name and self.display_name != self.name:
            return f"{self.display_name} ({self.name})"
        return self.name


def account_identity(account: Account) -> Identity:
    return Identity(account.name, account.role, account.stamp, account.display_name, account.email)


def shared_identity(password: str) -> Identity:
    """The shared password is a one-person setup: that person is also the administrator."""
    return Identity(SHARED_NAME, "admin", password_tag(password)[:16], "shared editor password")


def current_identity(
    name: str, stamp: str, accounts: Accounts, shared_password: str | None
) -> Identity | None:
    """The identity ``name``/``stamp`` still stands for now, or ``None``: the account was
    removed, its password changed, or the shared password changed or was switched off.
    Called at every save, so a withdrawn login cannot write even from an open session."""
    if name == SHARED_NAME:
        if shared_password is None:
            return None
        identity = shared_identity(shared_password)
    else:
        account = accounts.users.get(name)
        if account is None:
            return None
        identity = account_identity(account)
    return identity if hmac.compare_digest(identity.stamp, stamp) else None


# --- login tokens (a signed cookie, so a login survives a reload) -------------------------------

#: How long a login lasts unless DASHBOARD_LOGIN_HOURS says otherwise.
DEFAULT_LOGIN_HOURS = 12.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(identity: Identity, key: bytes, now: float, hours: float) -> str:
    """``<payload>.<signature>``: name, stamp, expiry (epoch seconds) and a nonce, signed with
    HMAC-SHA256. Only URL-safe characters, so it fits a cookie as it is."""
    payload = {
        "u": identity.name,
        "s": identity.stamp,
        "e": int(now + hours * 3600),
        "n": secrets.token_hex(8),
    }
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


@dataclass(frozen=True)
class Token:
    name: str
    stamp: str
    expires: int
    nonce: str


def read_token(token: str, key: bytes, now: float) -> Token | None:
    """The token's claims when its signature is right and it has not expired; else ``None``."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 1000:
        return None
    body, signature = token.split(".")
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        claims = json.loads(_unb64(body))
        found = Token(str(claims["u"]), str(claims["s"]), int(claims["e"]), str(claims["n"]))
    except (ValueError, KeyError, TypeError):
        return None
    return found if found.expires > now else None


# --- slowing down the guesser, not everyone -----------------------------------------------------


class Throttle:
    """One `FailureLog` per key (an account name, a client address). Thread-safe, bounded.

    Keeps at most ``max_keys`` logs, dropping the least recently failed, so a flood of
    invented names cannot grow memory without end.
    """

    def __init__(self, policy: Backoff | None = None, max_keys: int = 10_000) -> None:
        self.policy = policy or Backoff()
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._logs: OrderedDict[str, FailureLog] = OrderedDict()

    def wait_seconds(self, keys: Iterable[str], now: float) -> float:
        with self._lock:
            logs = [self._logs[k] for k in keys if k in self._logs]
        return max([0.0, *(log.wait_seconds(now) for log in logs)])

    def record_failure(self, keys: Iterable[str], now: float) -> float:
        waits = [0.0]
        for key in keys:
            with self._lock:
                log = self._logs.pop(key, None) or FailureLog(self.policy)
                self._logs[key] = log
                while len(self._logs) > self.max_keys:
                    self._logs.popitem(last=False)
            waits.append(log.record_failure(now))
        return max(waits)

    def claim(self, keys: Iterable[str], now: float) -> float:
        """`FailureLog.claim` over all ``keys`` at once: the longest wait of any of them, or 0
        after counting the attempt against each (see `FailureLog.claim`)."""
        keys = list(keys)
        with self._lock:
            logs = [self._logs[k] for k in keys if k in self._logs]
            wait = max([0.0, *(log.wait_seconds(now) for log in logs)])
            if wait > 0:
                return wait
            for key in keys:
                log = self._logs.pop(key, None) or FailureLog(self.policy)
                self._logs[key] = log
                log.claim(now)
            while len(self._logs) > self.max_keys:
                self._logs.popitem(last=False)
        return 0.0

    def failures(self, key: str, now: float) -> int:
        """Wrong guesses counted for ``key`` and not yet forgotten."""
        with self._lock:
            log = self._logs.get(key)
        if log is None:
            return 0
        log.wait_seconds(now)  # forgets them after the quiet period
        return log.failures

    def forget(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._logs.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._logs.clear()


# --- device cookies (OWASP's "slow the guesser, not the owner") ----------------------------------

#: How long a browser that logged in as an account keeps its own allowance of wrong guesses.
DEVICE_DAYS = 180.0


def issue_device_token(name: str, key: bytes, now: float, days: float = DEVICE_DAYS) -> str:
    """A signed ``<payload>.<signature>`` saying "this browser logged in as ``name``".

    Wrong guesses from a browser that holds one for the account it names count against that
    browser alone (its nonce); strangers share the account's limit, so a guesser slows down
    everyone but the owners. It grants nothing else: a login still needs the password.
    """
    payload = {"d": name, "e": int(now + days * 86400), "n": secrets.token_hex(8)}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = _b64(hmac.new(key, b"device:" + body.encode(), hashlib.sha256).digest())
    return f"{body}.{signature}"


def read_device_token(token: str | None, key: bytes, now: float) -> tuple[str, str] | None:
    """``(account name, nonce)`` of a valid, unexpired device token; else ``None``."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 1000:
        return None
    body, signature = token.split(".")
    expected = _b64(hmac.new(key, b"device:" + body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        claims = json.loads(_unb64(body))
        name, expires, nonce = str(claims["d"]), int(claims["e"]), str(claims["n"])
    except (ValueError, KeyError, TypeError):
        return None
    return (name, nonce) if expires > now else None
