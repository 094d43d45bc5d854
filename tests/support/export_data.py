"""The small data set of the export tests: four invented places (Delta far away, an outlier of
the fit), two articles, five events over three days, and a hostile string in one summary.

``write_dataset`` writes it to disk, so the loaders and the command line read it exactly as they
read the real one; ``fixture_data`` loads it.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd

from lib.data.dataset import Dataset, load_dataset
from lib.data.schema import ARTICLE_COLUMNS, EVENT_COLUMNS, PLACE_COLUMNS
from lib.map.viewstate import Bounds, events_frame

HOSTILE_HTML = "<img src=x onerror=alert(1)>"

ARTICLES = [
    # id, outlet, published, text (first line: headline)
    ("a-one", "Express", "2021-09-05",
     "Fighting at Alpha\nFighters clashed at Alpha on Wednesday. Both sides claim gains. "
     "Officials met in Delta on Friday to discuss the valley."),
    ("a-two", "", "2021-09-05",
     "Attack on Bravo\nAn attack hit Bravo on Thursday. A statement came from Charlie. "
     f"A post read {HOSTILE_HTML} and nothing more."),
]  # fmt: skip
PLACES = [
    # id, name, kind, lat, lon, precision, uncertainty_km
    ("alpha", "Alpha", "town", 35.0, 69.0, "town", 2),
    ("bravo", "Bravo", "town", 35.3, 69.6, "town", 2),
    ("charlie", "Charlie", "district", 34.75, 69.5, "district", 12),
    ("delta", "Delta", "city", 33.7, 73.0, "town", 8),  # far away: an outlier of the fit
]
EVENTS = [
    # id, date, places, type, claimant, status, summary, articles, quote, contests
    ("E1", "2021-09-01", "alpha", "clash", "", "reported", "Fighters clash at Alpha.",
     "a-one", "Fighters clashed at Alpha on Wednesday.", ""),
    ("E2", "2021-09-02", "bravo", "attack", "Taliban", "claimed", "An attack hits Bravo.",
     "a-two", "An attack hit Bravo on Thursday.", ""),
    ("E3", "2021-09-02", "charlie", "negotiation", "NRF", "claimed", HOSTILE_HTML,
     "a-two", f"A post read {HOSTILE_HTML}", ""),
    ("E4", "2021-09-03", "alpha; bravo", "political", "Taliban", "claimed",
     "Both sides claim gains at Alpha and Bravo.", "a-one; a-two", "Both sides claim gains.", ""),
    ("E5", "2021-09-03", "delta", "denial", "Officials", "denied",
     "Officials in Delta deny the claim.", "a-one", "Officials met in Delta", "E4"),
]  # fmt: skip


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def write_dataset(root: Path) -> Path:
    """Write the fixture data set (articles, gazetteer, events) under ``root``; return it."""
    (root / "articles").mkdir(parents=True)
    (root / "geodata").mkdir()
    for article_id, _, _, text in ARTICLES:
        (root / "articles" / f"{article_id}.txt").write_text(text + "\n", encoding="utf-8")
    write_csv(
        root / "articles" / "articles.csv",
        [c.name for c in ARTICLE_COLUMNS],
        [
            {"id": a, "file": f"{a}.txt", "outlet": o, "published_from": d, "published_to": d,
             "date_inferred": "no"}
            for a, o, d, _ in ARTICLES
        ],
    )  # fmt: skip
    write_csv(
        root / "geodata" / "gazetteer.csv",
        [c.name for c in PLACE_COLUMNS],
        [
            {"id": i, "name": n, "kind": k, "lat": str(la), "lon": str(lo), "precision": p,
             "uncertainty_km": str(u), "country": "AF", "source": "test fixture (CC0)"}
            for i, n, k, la, lo, p, u in PLACES
        ],
    )  # fmt: skip
    write_csv(
        root / "events.csv",
        [c.name for c in EVENT_COLUMNS],
        [
            {"id": i, "date": d, "date_precision": "day", "places": pl, "event_type": t,
             "claimant": c, "status": s, "summary": su, "articles": a, "quote": q,
             "contests": co, "review": "approved"}
            for i, d, pl, t, c, s, su, a, q, co in EVENTS
        ],
    )  # fmt: skip
    return root


def fixture_data(root: Path) -> tuple[Dataset, pd.DataFrame, Bounds]:
    """Load the fixture data set; fails if any row was rejected (the tests count on all)."""
    dataset = load_dataset(root, today=dt.date(2021, 9, 30))
    assert [p for p in dataset.problems if p.severity == "error"] == []
    frame = events_frame(dataset.events.events, dataset.gazetteer)
    return dataset, frame, Bounds.of(frame, dataset.articles, dataset.gazetteer.places)
