"""Every setting the project reads from the environment, declared once with its default and help.

``tests/test_settings_docs.py`` fails when one is missing from the docs (docs/publishing.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "DASHBOARD_DATA_DIR",
            "",
            "directory holding articles/, geodata/ and events.csv (default: the repository)",
        ),
        Setting(
            "DASHBOARD_TILES",
            "off",
            "'on' starts the map with OpenStreetMap tiles (they need internet); off: province outlines only, no tile requests",
        ),
        Setting(
            "DASHBOARD_EDITOR_PASSWORD",
            "",
            "password for the editor pages (or editor_password in .streamlit/secrets.toml)",
        ),
        Setting(
            "DASHBOARD_USERS_FILE",
            "",
            "the editor accounts file, managed by `python -m lib users` (default: .streamlit/users.toml)",
        ),
        Setting(
            "DASHBOARD_LOGIN_HOURS",
            "12",
            "hours a login lasts, across reloads, before the editor must log in again",
        ),
        Setting(
            "DASHBOARD_TRUSTED_PROXY_HEADER",
            "",
            "header a reverse proxy sets to the client's address (e.g. X-Forwarded-For), read "
            "by the login throttle; set it only when every request comes through that proxy",
        ),
        Setting(
            "DASHBOARD_GIT_COMMIT",
            "off",
            "'on' makes every save a git commit of the data file, with the editor as author",
        ),
        Setting(
            "DASHBOARD_EDITION_DIR",
            "",
            "folder the Publish page writes the reader edition to (default: edition/ beside the data)",
        ),
        Setting(
            "DASHBOARD_GEOCODER_USER_AGENT",
            "",
            "User-Agent sent to Nominatim by `python -m lib geocode --online`",
        ),
        Setting(
            "DASHBOARD_REVIEW_SECOND_PERSON",
            "off",
            "'on': nobody approves their own row; a save approving a row its editor wrote is "
            "refused, and `python -m lib check` reports one (who did what: the edit history)",
        ),
        Setting(
            "CHROMIUM_PATH",
            "",
            "Chromium binary for PNG export and browser tests (default: /usr/bin/chromium, else Playwright's)",
        ),
    ]
}


def value(name: str) -> str:
    """The setting's value from the environment, else its default (stripped)."""
    return (os.environ.get(name) or SETTINGS[name].default).strip()


def enabled(name: str) -> bool:
    return value(name).lower() not in ("off", "0", "false", "no", "")
