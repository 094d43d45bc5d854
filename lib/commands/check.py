"""``python -m lib check``: validate the whole data set and list every problem.

Checks the articles and their metadata, the gazetteer, and every event (schema, places that
resolve, articles that exist, quotes present in their article, dates not after publication),
the editorial checks of ``lib.data.checks`` (quotes that name the place and give the figures, days
that are known, duplicates, contests both ways), then the corpus as a whole (places never
mentioned, articles no event cites). Exits 1 when there is any error; warnings (possible
duplicates among them) are printed and counted in the summary but do not fail, and a row can
acknowledge its warnings (``acknowledged``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lib.data.checks import check_events
from lib.data.dataset import Dataset, load_dataset
from lib.data.mentions import Matcher, build_index
from lib.data.problems import Problem
from lib.data.problems import errors as error_problems
from lib.editing.corpus import interrupted_saves
from lib.editing.review import review_problems


def corpus_problems(data: Dataset) -> list[Problem]:
    """Checks across tables that no single row can fail."""
    matcher = Matcher.from_gazetteer(data.gazetteer)
    problems: list[Problem] = check_events(data.events.events, data.context, matcher)
    # A place named only in a caption still belongs in the gazetteer: the text names it.
    mentioned = {
        m.place_id for m in build_index(data.articles.values(), data.gazetteer, boilerplate=True)
    }
    used = {p for e in data.events.events for p in e.places}
    for place in data.gazetteer.places.values():
        if place.id not in mentioned and place.id not in used:
            problems.append(
                Problem(
                    "geodata/gazetteer.csv",
                    place.row,
                    "id",
                    f"place '{place.id}' is neither mentioned in an article nor used by an event",
                    "remove it or add its spelling from the article to 'variants'",
                    severity="warning",
                )
            )
    cited = {a for e in data.events.events for a in e.articles}
    for article_id in sorted(set(data.articles) - cited):
        problems.append(
            Problem(
                "events.csv",
                None,
                "articles",
                f"no event cites the article '{article_id}'",
                "curate its events or say in its notes why there are none",
                severity="warning",
            )
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib check", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--root", type=Path, default=None, help="data directory (default: the repo)"
    )
    args = parser.parse_args(argv)
    data = load_dataset(args.root)
    problems = (
        data.problems
        + corpus_problems(data)
        + review_problems(data.events.events, data.paths.root)
        + interrupted_saves(data.paths.root)
    )
    errors = error_problems(problems)
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
    print(summary(data, problems))
    return 1 if errors else 0


def summary(data: Dataset, problems: list[Problem]) -> str:
    """The last line: what loaded, and how many errors and warnings, saying what warnings
    (duplicates among them) mean for the exit status."""
    errors = error_problems(problems)
    warnings = [p for p in problems if p.severity != "error"]
    duplicates = sum(1 for p in warnings if p.code.startswith("duplicate-"))
    line = (
        f"{len(data.articles)} articles, {len(data.gazetteer.places)} places, "
        f"{len(data.events.events)} events loaded; {len(data.events.rejected)} event rows rejected; "
        f"{len(errors)} error(s), {len(warnings)} warning(s)"
    )
    if warnings:
        line += (
            f" ({duplicates} of them possible duplicates); warnings do not fail the check: "
            "read each, then fix the row or add its code to 'acknowledged'"
        )
    return line


if __name__ == "__main__":
    raise SystemExit(main())
