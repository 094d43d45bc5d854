"""Deprecated: `python -m lib.build_geonames` is `python -m lib geodata` now (kept for one release)."""

if __name__ == "__main__":
    from lib.cli import run_old_form

    run_old_form("lib.build_geonames")
