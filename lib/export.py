"""Deprecated: `python -m lib.export` is `python -m lib export` now (kept for one release)."""

if __name__ == "__main__":
    from lib.cli import run_old_form

    run_old_form("lib.export")
