"""Deprecated: `python -m lib.check` is `python -m lib check` now (kept for one release)."""

if __name__ == "__main__":
    from lib.cli import run_old_form

    run_old_form("lib.check")
