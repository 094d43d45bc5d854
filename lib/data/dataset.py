"""The whole data set in one call: articles, gazetteer, events, and every problem found.

The data directory is the repository root unless ``DASHBOARD_DATA_DIR`` names another one with
the same layout (``articles/``, ``geodata/gazetteer.csv``, ``events.csv``, optionally
``claimants.csv``); tests and
benchmarks use that to point the app at fixture or synthetic data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import settings
from lib.data.articles import Article, load_articles
from lib.data.claimants import Claimants, load_claimants
from lib.data.events import Context, EventTable, load_events
from lib.data.gazetteer import Gazetteer, load_gazetteer
from lib.data.problems import Problem

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(settings.value("DASHBOARD_DATA_DIR") or REPO_ROOT)


@dataclass
class Paths:
    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def gazetteer(self) -> Path:
        return self.root / "geodata" / "gazetteer.csv"

    @property
    def events(self) -> Path:
        return self.root / "events.csv"

    @property
    def claimants(self) -> Path:
        return self.root / "claimants.csv"


@dataclass
class Dataset:
    articles: dict[str, Article]
    gazetteer: Gazetteer
    events: EventTable
    problems: list[Problem] = field(default_factory=list)
    paths: Paths | None = None
    claimants: Claimants = field(default_factory=Claimants)

    @property
    def context(self) -> Context:
        return Context(self.gazetteer, self.articles, claimants=self.claimants)


def load_dataset(root: Path | None = None, today: dt.date | None = None) -> Dataset:
    """Load and cross-check everything under ``root`` (default: ``data_dir()``)."""
    paths = Paths(Path(root) if root else data_dir())
    articles, article_problems = load_articles(paths.articles)
    gazetteer, place_problems = load_gazetteer(paths.gazetteer)
    claimants, claimant_problems = load_claimants(paths.claimants)
    events = load_events(paths.events, Context(gazetteer, articles, today, claimants))
    problems = article_problems + place_problems + claimant_problems + events.problems
    return Dataset(articles, gazetteer, events, problems, paths, claimants)
