"""Every session-state key of the editor pages and of the login, under one prefix.

Its own module so that ``ui.auth`` (the login) and ``ui.editor_state`` (the save flow, which
checks the login) can both use the keys without importing each other.
"""

from __future__ import annotations

PREFIX = "editor:"


class Keys:
    """Every session-state key of the editor pages (one place, one prefix)."""

    LOGIN = PREFIX + "login"  # (name, stamp, token nonce) this session logged in with
    LOGIN_FAILURES = PREFIX + "login_failures"  # lib.access.auth.FailureLog of this session
    LOGIN_COOKIE = PREFIX + "login_cookie"  # (token, max-age s) the browser is to keep
    LOGGED_OUT = PREFIX + "logged_out"  # set by Log out: ignore the cookie sent at start
    LOGIN_FAILED = PREFIX + "login_failed"  # (message, failures) after a refused login
    DEVICE = PREFIX + "device"  # the device token this session issued (lib.access.auth)
    DEVICE_COOKIE = PREFIX + "device_cookie"  # (device token, max-age s) the browser is to keep
    HISTORY_PICK = PREFIX + "history_pick"  # the history entry shown on the History page
    EVENTS = PREFIX + "events"  # Workspace of events.csv
    PLACES = PREFIX + "places"  # Workspace of geodata/gazetteer.csv
    PLACE_FORM = PREFIX + "place_form"  # the place being edited on the places page (a Row)
    PLACE_LOOKUP = PREFIX + "place_lookup"  # the last lib.places.geocode.Resolution on that page
    PLACE_PREFILL = PREFIX + "place_prefill"  # a name sent from the articles page
    ARTICLE_SAVED = PREFIX + "article_saved"  # id of the article this session saved last
    ARTICLE_FLASH = PREFIX + "article_flash"  # the message after saving an article
    ARTICLE_FORM = PREFIX + "article_form"  # version of the article form's widget keys
    REVIEW = PREFIX + "review"  # ui.editor_state.ReviewLists: the drafts' review lists

    @staticmethod
    def widget(name: str) -> str:
        """Key of a widget on an editor page."""
        return f"{PREFIX}w:{name}"
