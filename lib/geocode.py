"""Deprecated: `python -m lib.geocode` is `python -m lib geocode` now (kept for one release)."""

if __name__ == "__main__":
    from lib.cli import run_old_form

    run_old_form("lib.geocode")
