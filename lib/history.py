"""Deprecated: `python -m lib.history` is `python -m lib history` now (kept for one release)."""

if __name__ == "__main__":
    from lib.cli import run_old_form

    run_old_form("lib.history")
