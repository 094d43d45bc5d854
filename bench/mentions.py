"""``python -m bench.mentions``: the mention index alone, no browser (part of ``make bench``).

Prints the seconds per ``build_index`` over 1,000 generated articles (target: at most 1 s) and
the peak memory of building the matcher for one very long place name, which must grow linearly
with the name (the old matcher stored every prefix: 4.9 GB for 100,000 characters).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

from lib.gazetteer import Gazetteer, Place
from lib.mentions import Matcher

LONG_NAMES = (10_000, 100_000)


def long_name_peak_mb(length: int) -> float:
    """Peak MB traced while building a matcher whose one place has a ``length``-letter name."""
    name = ("abcdefghij" * (length // 10 + 1))[:length]
    place = Place("long", name, "town", 35.0, 69.0, "town", 1.0, "AF", "bench", ())
    gazetteer = Gazetteer({"long": place})
    tracemalloc.start()
    Matcher.from_gazetteer(gazetteer)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> int:
    from bench.run import measure_mentions

    runs, n_articles, found = measure_mentions(lambda message: None)
    median = statistics.median(runs)
    print(
        f"mention index, {n_articles:,} articles: median {median:.2f} s of {len(runs)} runs "
        f"({found:,} mentions); target <= 1 s: {'met' if median <= 1 else 'MISSED'}"
    )
    for length in LONG_NAMES:
        started = time.perf_counter()
        peak = long_name_peak_mb(length)
        print(
            f"matcher for one {length:,}-character name: peak {peak:.1f} MB, "
            f"{time.perf_counter() - started:.2f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
