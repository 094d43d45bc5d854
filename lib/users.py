"""Deprecated: `python -m lib.users` is `python -m lib users` now (kept for one release)."""

if __name__ == "__main__":
    from lib.cli import run_old_form

    run_old_form("lib.users")
