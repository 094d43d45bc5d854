"""Deprecated: `python -m lib.mentions` is `python -m lib mentions` now (kept for one release)."""

if __name__ == "__main__":
    from lib.cli import run_old_form

    run_old_form("lib.mentions")
