"""The one gate in front of every write: the editor password.

Every editor page calls `require_editor()` before it shows any control that writes, and
`ui.editor_state.save` calls `ensure_editor()` again before writing; nothing in ``lib`` checks a
password, so this module is the only place to audit. Pages never act on URL query parameters.

The password comes from ``DASHBOARD_EDITOR_PASSWORD`` or ``editor_password`` in
``.streamlit/secrets.toml`` (the environment wins). Wrong guesses are slowed down by an
exponential back-off kept per session *and* for the whole process, so opening a new session
does not reset it.
"""

from __future__ import annotations

import hmac
import os
import time

import streamlit as st

from lib import auth
from ui.editor_state import Keys

#: Wrong passwords from every session of this server process.
PROCESS_FAILURES = auth.FailureLog()

HOW_TO_CONFIGURE = f"""
**Editing is switched off: no editor password is configured.** Everything can still be viewed.

To switch editing on, set a password in one of these (the environment wins if both are set):

* the environment variable `{auth.ENV_VAR}` when starting the app, or
* `{auth.SECRET_KEY} = "..."` in `.streamlit/secrets.toml` (copy
  `.streamlit/secrets.toml.example`; the real file is ignored by git).

Then reload this page (restart the app after changing the environment).
"""


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
    secrets, _ = _secrets()
    return auth.configured_password(os.environ, secrets)


def _session_failures() -> auth.FailureLog:
    log = st.session_state.get(Keys.LOGIN_FAILURES)
    if not isinstance(log, auth.FailureLog):
        log = auth.FailureLog()
        st.session_state[Keys.LOGIN_FAILURES] = log
    return log


def is_editor() -> bool:
    """True when this session logged in with the password that is configured now."""
    password = configured_password()
    tag = st.session_state.get(Keys.LOGIN)
    if password is None or not isinstance(tag, str):
        return False
    return hmac.compare_digest(tag, auth.password_tag(password))


def ensure_editor() -> None:
    """Raise ``PermissionError`` unless this session may write. Call right before a write."""
    if not is_editor():
        raise PermissionError("saving needs the editor password; log in first")


def _attempt(given: str) -> None:
    password = configured_password()
    if password is None:
        return
    now = time.monotonic()
    session = _session_failures()
    wait = max(session.wait_seconds(now), PROCESS_FAILURES.wait_seconds(now))
    if wait > 0:
        # Refused without comparing: guesses during the wait must not count as tries.
        st.error(
            "Too many wrong passwords. Try again in "
            f"{auth.wait_message(wait)}; this attempt was not checked."
        )
        return
    if auth.password_matches(given, password):
        st.session_state[Keys.LOGIN] = auth.password_tag(password)
        session.reset()
        st.rerun()
    wait = max(session.record_failure(now), PROCESS_FAILURES.record_failure(now))
    st.error(f"Wrong password. Wait {auth.wait_message(wait)} before trying again.")


def require_editor() -> bool:
    """Show the login (or how to configure one) unless logged in; True when editing is allowed.

    Call it before drawing any control that writes, and draw those only when it returns True.
    """
    if configured_password() is None:
        _, note = _secrets()
        st.info(HOW_TO_CONFIGURE)
        if note:
            st.warning(f".streamlit/secrets.toml could not be read: {note}")
        return False
    if is_editor():
        with st.sidebar:
            st.caption("Logged in as editor.")
            if st.button("Log out", key=Keys.widget("logout")):
                st.session_state.pop(Keys.LOGIN, None)
                st.rerun()
        return True
    st.info("Viewing is open; editing needs the editor password.")
    with st.form(Keys.widget("login_form"), clear_on_submit=True):
        given = st.text_input("Editor password", type="password", key=Keys.widget("password"))
        submitted = st.form_submit_button("Log in")
    if submitted:
        _attempt(given)
    return False
