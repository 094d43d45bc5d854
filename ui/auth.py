"""The one gate in front of every write: who is logged in, and may they still write.

Every editor page calls `require_editor()` before it shows any control that writes, and
`ui.editor_state.save` calls `ensure_editor()` again right before writing, which re-reads the
users file: an account removed (or given a new password) cannot save, even from a session that
logged in before. Nothing in ``lib`` checks a password, so this module is the place to audit.
Pages never act on URL query parameters.

Two ways in:

* personal accounts from the users file (``lib.access.users``; ``python -m lib users add NAME``),
  with the roles editor and admin (admins also restore versions on the History page);
* the shared password (``DASHBOARD_EDITOR_PASSWORD`` or ``editor_password`` in
  ``.streamlit/secrets.toml``), for a one-person setup. Its saves are recorded as
  ``shared-password``, and the page says so.

A login survives a reload: a signed token (``lib.access.auth.issue_token``, HMAC-SHA256 with the key
in ``login_secret`` next to the users file) is set as a cookie by a few lines of JavaScript
(``st.context.cookies`` can read cookies but not set them) and read back when a new session
starts. It expires after ``DASHBOARD_LOGIN_HOURS`` (12 by default). Logging out clears the
cookie and revokes the token, in this process and in ``revoked_logins`` beside the secret, so
a restart does not bring it back.

Wrong guesses slow the guesser, not the owner (OWASP's device cookie): a browser that has
logged in as an account before holds a signed device cookie for it and has its own allowance
of wrong guesses; every other browser ("strangers") shares one limit per account name (the
shared password counts as one account, so a new session does not reset it), and per client
address. Each attempt is counted before the password is checked, so simultaneous guesses
cannot all slip past the wait, and at most ``lib.access.users.CHECK_SLOTS`` checks run at once.
"""

from __future__ import annotations

import os
import secrets
import threading
import time

import streamlit as st

from lib.access import auth, users
from lib.data import settings
from lib.map.offline import STATIC_DIR
from ui import drafts, safe
from ui.keys import Keys

COOKIE = "newsmap_login"
DEVICE_COOKIE = "newsmap_device"
#: Strangers' guesses at one account name (or the shared password): they no longer slow the
#: owner, whose browser has its own allowance (`DEVICE_FAILURES`), so the cap can be high.
ACCOUNT_FAILURES = auth.Throttle(auth.Backoff(first_s=1.0, max_s=300.0))
#: Wrong guesses from one browser that logged in as the account before (its device cookie).
DEVICE_FAILURES = auth.Throttle(auth.Backoff(first_s=1.0, max_s=30.0))
#: After this many wrong guesses in a row, a device cookie gives no allowance of its own any
#: more (a stolen one must not become a way around the account's limit): that browser is a
#: stranger until the quiet period (15 minutes) forgets them or it logs in.
DEVICE_MAX_FAILURES = 10
#: Strangers' guesses from one client address (`client_address`; ``None`` on localhost).
ADDRESS_FAILURES = auth.Throttle(auth.Backoff(first_s=1.0, max_s=300.0))
#: Nonces of tokens logged out in this process (a logged-out cookie must not log back in);
#: also kept in ``revoked_logins`` beside the login secret (``lib.access.users.revoke``).
_REVOKED: set[str] = set()
_revoked_lock = threading.Lock()
_process_key = secrets.token_bytes(32)

HOW_TO_CONFIGURE = f"""
**Editing is switched off: no editor password is configured.** Everything can still be viewed.

To switch editing on, either

* give each editor an account: `python -m lib users add NAME --role editor` (or `--role admin`);
  the accounts live in `.streamlit/users.toml` (or the file `DASHBOARD_USERS_FILE` names),
  which git ignores; or
* for a one-person setup, set one shared password: the environment variable `{auth.ENV_VAR}`
  when starting the app, or `{auth.SECRET_KEY} = "..."` in `.streamlit/secrets.toml` (copy
  `.streamlit/secrets.toml.example`; the real file is ignored by git). The environment wins.

Then reload this page (restart the app after changing the environment).
"""

SHARED_NOTE = (
    "Logged in with the shared editor password: a one-person setup. The history records your "
    "saves as 'shared-password'. Give each editor an account (`python -m lib users add NAME`) "
    "to tell them apart and withdraw access one by one."
)

_COOKIE_JS = (STATIC_DIR / "auth" / "cookie.js").read_text(encoding="utf-8")
_cookie_component = None


def _secrets() -> tuple[dict[str, object], str]:
    """``({editor_password: ...} or {}, note)``; the note says why secrets could not be read."""
    try:
        if auth.SECRET_KEY in st.secrets:
            return {auth.SECRET_KEY: st.secrets[auth.SECRET_KEY]}, ""
        return {}, ""
    except FileNotFoundError as exc:  # no secrets.toml (or an unreadable one)
        text = str(exc)
        return {}, "" if "No secrets found" in text else text


def configured_password() -> str | None:
    secrets_, _ = _secrets()
    return auth.configured_password(os.environ, secrets_)


def accounts() -> users.Accounts:
    """The users file as it is now (re-read on every call: a removal takes effect at once)."""
    return users.load()


def _signing_key() -> bytes:
    return users.login_secret(users.users_file().parent) or _process_key


def _login_hours() -> float:
    try:
        hours = float(settings.value("DASHBOARD_LOGIN_HOURS"))
    except ValueError:
        return auth.DEFAULT_LOGIN_HOURS
    return hours if hours > 0 else auth.DEFAULT_LOGIN_HOURS


def _session_failures() -> auth.FailureLog:
    log = st.session_state.get(Keys.LOGIN_FAILURES)
    if not isinstance(log, auth.FailureLog):
        log = auth.FailureLog()
        st.session_state[Keys.LOGIN_FAILURES] = log
    return log


def _held() -> tuple[str, str, str] | None:
    """``(name, stamp, nonce)`` this session is logged in with: from session state, or from
    the login cookie the browser sent when the session started (a reload)."""
    held = st.session_state.get(Keys.LOGIN)
    if isinstance(held, tuple) and len(held) == 3:
        return held
    if st.session_state.get(Keys.LOGGED_OUT):
        return None
    token = cookie(COOKIE)
    claims = auth.read_token(token, _signing_key(), time.time()) if token else None
    if claims is None:
        return None
    with _revoked_lock:
        if claims.nonce in _REVOKED:
            return None
    if claims.nonce in users.revoked(users.users_file().parent, time.time()):
        return None
    held = (claims.name, claims.stamp, claims.nonce)
    st.session_state[Keys.LOGIN] = held
    return held


def current() -> auth.Identity | None:
    """Who this session is logged in as, checked against the users file and password now."""
    held = _held()
    if held is None:
        return None
    return auth.current_identity(held[0], held[1], accounts(), configured_password())


def is_editor() -> bool:
    return current() is not None


def ensure_editor() -> auth.Identity:
    """This session's identity; ``PermissionError`` unless it may write now. Call right
    before a write."""
    identity = current()
    if identity is None:
        if _held() is not None:
            raise PermissionError(
                "your login is no longer valid (the account was removed or its password "
                "changed); nothing was saved. Log in again."
            )
        raise PermissionError("saving needs the editor password; log in first")
    return identity


def _set_cookie(name: str, value: str, max_age: int) -> None:
    global _cookie_component
    if _cookie_component is None:
        _cookie_component = st.components.v2.component("newsmap_login_cookie", js=_COOKIE_JS)
    base = st.get_option("server.baseUrlPath").strip("/")
    _cookie_component(
        data={"name": name, "value": value, "max_age": max_age, "path": f"/{base}"},
        key=Keys.widget(f"cookie:{name}"),
        height=0,
    )


def cookie(name: str) -> str | None:
    """The cookie ``name`` the browser sent when this session started (``None``: none)."""
    try:
        return st.context.cookies.get(name)
    except Exception:  # no browser context (a bare script run)
        return None


def client_address() -> str | None:
    """The client's address for the per-address throttle.

    Behind a reverse proxy on another host every request comes from the proxy, so with
    ``DASHBOARD_TRUSTED_PROXY_HEADER`` set (e.g. ``X-Forwarded-For``) the last address in that
    header, the one the proxy itself added, is used instead. Set it only when the app cannot be
    reached except through the proxy: anyone else could write the header themselves.
    """
    header = settings.value("DASHBOARD_TRUSTED_PROXY_HEADER")
    try:
        if header:
            value = st.context.headers.get(header) or ""
            last = value.split(",")[-1].strip()
            if last:
                return last[:64]
        return st.context.ip_address
    except Exception:
        return None


def _device(account: str) -> str | None:
    """The nonce of this browser's device cookie when it names ``account``, else ``None``."""
    held = st.session_state.get(Keys.DEVICE)
    token = held if isinstance(held, str) else cookie(DEVICE_COOKIE)
    claims = auth.read_device_token(token, _signing_key(), time.time()) if token else None
    return claims[1] if claims and claims[0] == account else None


def _log_in(identity: auth.Identity) -> None:
    now = time.time()
    token = auth.issue_token(identity, _signing_key(), now, _login_hours())
    claims = auth.read_token(token, _signing_key(), now)
    st.session_state[Keys.LOGIN] = (identity.name, identity.stamp, claims.nonce)
    st.session_state[Keys.LOGIN_COOKIE] = (token, int(_login_hours() * 3600))
    st.session_state.pop(Keys.LOGGED_OUT, None)
    st.session_state.pop(Keys.LOGIN_FAILED, None)
    if _device(identity.name) is None:
        device = auth.issue_device_token(identity.name, _signing_key(), now)
        st.session_state[Keys.DEVICE] = device
        st.session_state[Keys.DEVICE_COOKIE] = (device, int(auth.DEVICE_DAYS * 86400))


def log_out() -> None:
    held = st.session_state.pop(Keys.LOGIN, None)
    if isinstance(held, tuple) and len(held) == 3:
        with _revoked_lock:
            _REVOKED.add(held[2])
        now = time.time()
        users.revoke(users.users_file().parent, held[2], now + _login_hours() * 3600, now)
        drafts.forget(held[2])
    st.session_state[Keys.LOGGED_OUT] = True
    st.session_state[Keys.LOGIN_COOKIE] = ("", 0)  # Max-Age=0 deletes the cookie


def _limits(account: str) -> list[tuple[auth.Throttle | auth.FailureLog, list[str]]]:
    """The throttles an attempt at ``account`` counts against (see the module docstring)."""
    device = _device(account)
    if device is not None and (
        DEVICE_FAILURES.failures(f"device:{device}", time.monotonic()) < DEVICE_MAX_FAILURES
    ):
        return [(DEVICE_FAILURES, [f"device:{device}"])]
    address = client_address()
    return [
        (_session_failures(), []),
        (ACCOUNT_FAILURES, [f"account:{account}"]),
        (ADDRESS_FAILURES, [f"address:{address}"] if address else []),
    ]


def _wait(limit, keys: list[str], now: float) -> float:
    if isinstance(limit, auth.FailureLog):
        return limit.wait_seconds(now)
    return limit.wait_seconds(keys, now)


def _claim(limits, now: float) -> float:
    """The longest wait of any limit; when there is none, the attempt is counted against
    every limit (atomically for each, so simultaneous attempts cannot all pass) and 0 is
    returned. A refused attempt counts nowhere."""
    wait = max([0.0, *(_wait(limit, keys, now) for limit, keys in limits)])
    if wait > 0:
        return wait
    for limit, keys in limits:
        wait = limit.claim(now) if isinstance(limit, auth.FailureLog) else limit.claim(keys, now)
        if wait > 0:  # another attempt claimed it meanwhile
            return wait
    return 0.0


def _attempt(name: str, given: str) -> str:
    """Check one login; reruns on success, else returns what to tell the editor."""
    shared = configured_password()
    found = accounts()
    name = name.strip().lower()
    account = name or auth.SHARED_NAME
    now = time.monotonic()
    limits = _limits(account)
    wait = _claim(limits, now)
    if wait > 0:
        return (
            "Too many wrong passwords. Try again in "
            f"{auth.wait_message(wait)}; this attempt was not checked."
        )
    identity = None
    if name:
        found_account = users.verify(found, name, given)
        identity = auth.account_identity(found_account) if found_account else None
    elif shared is not None and auth.password_matches(given, shared):
        identity = auth.shared_identity(shared)
    if identity is not None:
        for limit, keys in limits:  # the attempt was right: it was no failure
            limit.reset() if isinstance(limit, auth.FailureLog) else limit.forget(keys)
        _log_in(identity)
        st.rerun()
    wait = max(
        limit.wait_seconds(now)
        if isinstance(limit, auth.FailureLog)
        else limit.wait_seconds(keys, now)
        for limit, keys in limits
    )
    what = "name or password" if name else "password"
    return f"Wrong {what}. Wait {auth.wait_message(wait)} before trying again."


def _cookie_pending() -> None:
    pending = st.session_state.get(Keys.LOGIN_COOKIE)
    if isinstance(pending, tuple):
        _set_cookie(COOKIE, *pending)
    device = st.session_state.get(Keys.DEVICE_COOKIE)
    if isinstance(device, tuple):
        _set_cookie(DEVICE_COOKIE, *device)


def require_editor() -> bool:
    """Show the login (or how to configure one) unless logged in; True when editing is allowed.

    Call it before drawing any control that writes, and draw those only when it returns True.
    """
    try:
        return _gate()
    finally:
        # After the gate: a login, logout or invalid login in this run sets the cookie to send.
        _cookie_pending()


def _gate() -> bool:
    shared = configured_password()
    found = accounts()
    for problem in found.problems:
        safe.error(problem)
    if shared is None and not found.users:
        _, note = _secrets()
        if not found.problems:
            st.info(HOW_TO_CONFIGURE)
        if note:
            safe.warning(f".streamlit/secrets.toml could not be read: {note}")
        return False
    identity = current()
    if identity is not None:
        with st.sidebar:
            if identity.shared:
                st.caption(SHARED_NOTE)
            else:
                safe.caption(f"Logged in as {identity.label} ({identity.role}).")
            hours = _login_hours()
            st.caption(f"A login lasts {hours:g} hours, also across reloads, unless you log out.")
            if st.button("Log out", key=Keys.widget("logout")):
                log_out()
                st.rerun()
        return True
    if _held() is not None:
        st.warning("Your login is no longer valid (account removed or password changed).")
        log_out()  # also deletes the cookie, so the next reload does not try it again
    if found.users:
        st.info("Viewing is open; editing needs your editor account.")
        if shared is not None:
            st.caption("Leave the name empty to log in with the shared editor password.")
    else:
        st.info("Viewing is open; editing needs the editor password.")
    failed = st.session_state.get(Keys.LOGIN_FAILED)
    if isinstance(failed, tuple):
        st.error(failed[0])
    # The name stays as typed after a wrong password; the password field is a new (empty)
    # widget after each failure, since a form cannot clear one field alone.
    tries = failed[1] if isinstance(failed, tuple) else 0
    with st.form(Keys.widget("login_form")):
        name = ""
        if found.users:
            name = st.text_input("Account name", key=Keys.widget("account"))
        given = st.text_input(
            "Editor password",
            type="password",
            key=Keys.widget("password") + (f":{tries}" if tries else ""),
        )
        submitted = st.form_submit_button("Log in")
    if submitted:
        st.session_state[Keys.LOGIN_FAILED] = (_attempt(name, given), tries + 1)
        st.rerun()
    return False
