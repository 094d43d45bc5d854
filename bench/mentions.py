"""``python -m bench.mentions``: the mention index alone, no browser (part of ``make bench``).

Measures the seconds per ``build_index`` over 1,000 generated articles (target: at most 1 s)
and the peak memory of building the matcher for one very long place name, which must grow
linearly with the name (the old matcher stored every prefix: 4.9 GB for 100,000 characters).
The section replaces the one between the ``mentions`` markers of bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from pathlib import Path

from bench import generate, live
from lib.data.articles import load_articles
from lib.data.gazetteer import Gazetteer, Place, load_gazetteer
from lib.data.mentions import Matcher, build_index

LONG_NAMES = (10_000, 100_000)
MENTION_ARTICLES = 1_000
MENTION_RUNS = 5
RESULTS = Path(__file__).resolve().parent / "results.md"
START, END = "<!-- mentions: written by python -m bench.mentions -->", "<!-- /mentions -->"


def measure_mentions() -> tuple[list[float], int, int]:
    """Seconds per ``build_index`` over 1,000 generated articles; also (articles, mentions).

    The first 1,000 articles (by id) of the generated 10,000-event corpus (100,000 if that has
    fewer), with its gazetteer, in-process, ``MENTION_RUNS`` times.
    """
    data_dir = generate.ensure(10_000)
    articles, _ = load_articles(data_dir / "articles")
    if len(articles) < MENTION_ARTICLES:
        data_dir = generate.ensure(100_000)
        articles, _ = load_articles(data_dir / "articles")
    gazetteer, _ = load_gazetteer(data_dir / "geodata" / "gazetteer.csv")
    chosen = [articles[k] for k in sorted(articles)[:MENTION_ARTICLES]]
    runs = []
    found = 0
    for _ in range(MENTION_RUNS):
        started = time.perf_counter()
        found = len(build_index(chosen, gazetteer))
        runs.append(time.perf_counter() - started)
    return runs, len(chosen), found


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.mentions", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    runs, n_articles, found = measure_mentions()
    median = statistics.median(runs)
    lines = [
        START,
        "## Mention index",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{os.getloadavg()[0]:.1f}, in-process, no browser (`python -m bench.mentions`).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| `build_index`, {n_articles:,} generated articles, median of {len(runs)} (target ≤ 1 s) "
        f"| {median:.2f} s ({'met' if median <= 1 else '**missed**'}; runs "
        f"{', '.join(f'{r:.2f}' for r in runs)} s; {found:,} mentions) |",
    ]
    for length in LONG_NAMES:
        started = time.perf_counter()
        peak = long_name_peak_mb(length)
        lines.append(
            f"| matcher for one {length:,}-character place name: peak traced memory "
            f"| {peak:.1f} MB ({time.perf_counter() - started:.2f} s) |"
        )
    lines += ["", END]
    section = "\n".join(lines)
    live.publish(section, START, END, args.out, dry_run=args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
