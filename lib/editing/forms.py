"""The place and article forms: a gazetteer row and an articles.csv row built from
the fields, and checked with the loaders' own rules."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from lib.data import csvio
from lib.data.articles import ID_PATTERN as ARTICLE_ID_PATTERN
from lib.data.articles import METADATA_FILE, load_articles
from lib.data.boilerplate import Range, format_ranges
from lib.data.gazetteer import parse_place
from lib.data.problems import Problem
from lib.data.schema import ARTICLE_COLUMNS, PLACE_COLUMNS
from lib.data.text import name_key, split_list
from lib.editing.snapshot import Row
from lib.places.geocode import Candidate, candidate_row

# --- the gazetteer -----------------------------------------------------------------------------

PLACES_LABEL = "geodata/gazetteer.csv"


def upsert_row(
    rows: Sequence[Mapping[str, str]], row: Mapping[str, str], replace_id: str | None = None
) -> list[Row]:
    """``rows`` with ``row`` in place of the row whose id is ``replace_id``, or appended."""
    out = [dict(r) for r in rows]
    if replace_id is not None:
        for i, existing in enumerate(out):
            if existing.get("id") == replace_id:
                out[i] = dict(row)
                return out
    out.append(dict(row))
    return out


def place_problems(
    row: Mapping[str, str],
    rows: Sequence[Mapping[str, str]],
    replace_id: str | None = None,
    label: str = PLACES_LABEL,
) -> list[Problem]:
    """Check a place from the form with the loader's rules (`lib.data.gazetteer.parse_place`) and
    against the other rows: its id must be new, and a shared name is a warning."""
    problems: list[Problem] = []
    full = {c.name: (row.get(c.name) or "") for c in PLACE_COLUMNS}

    def bad(column: str, message: str, hint: str = "", severity: str = "error") -> None:
        problems.append(Problem(label, None, column, message, hint, severity))

    place = parse_place(full, bad)
    others = [r for r in rows if r.get("id") != replace_id]
    place_id = full["id"].strip()
    if place_id and any(r.get("id") == place_id for r in others):
        bad(
            "id",
            f"there is already a place with id '{place_id}'",
            "pick another id, or fix that place instead of adding one",
        )
    if place is not None:
        mine = {name_key(n): n for n in place.names if name_key(n)}
        for other in others:
            names = [other.get("name", ""), *split_list(other.get("variants", ""))]
            shared = dict.fromkeys(mine[name_key(n)] for n in names if name_key(n) in mine)
            for name in shared:
                bad(
                    "variants",
                    f"'{name}' also names '{other.get('id')}'",
                    "a shared name makes look-ups ambiguous; keep it on one place",
                    severity="warning",
                )
    return problems


def place_row(
    candidate: Candidate,
    *,
    name: str,
    variants: Sequence[str],
    existing_ids: Iterable[str],
    place_id: str | None = None,
) -> Row:
    """A gazetteer row for a geocoded candidate, keeping its source and precision."""
    return candidate_row(
        candidate, name=name, variants=variants, existing_ids=existing_ids, place_id=place_id
    )


# --- the corpus --------------------------------------------------------------------------------

ARTICLES_LABEL = f"articles/{METADATA_FILE}"


def article_row(
    article_id: str,
    *,
    outlet: str = "",
    outlet_evidence: str = "",
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    date_inferred: bool = True,
    date_reasoning: str = "",
    notes: str = "",
    boilerplate: Iterable[Range] = (),
) -> Row:
    """The ``articles.csv`` row of a new article whose text goes to ``<id>.txt``.

    ``boilerplate`` are the line ranges ``(first, last)`` of the text that are not the article
    (lines from 1, both ends included, as `lib.data.boilerplate.propose_boilerplate` gives them);
    they are written merged and sorted, e.g. ``'5-6;9'``.
    """
    return {
        "id": article_id.strip(),
        "file": f"{article_id.strip()}.txt",
        "outlet": outlet.strip(),
        "outlet_evidence": outlet_evidence.strip(),
        "published_from": published_from.isoformat() if published_from else "",
        "published_to": (published_to or published_from).isoformat()
        if (published_to or published_from)
        else "",
        "date_inferred": "yes" if date_inferred else "no",
        "date_reasoning": date_reasoning.strip(),
        "seed_file": "",
        "notes": notes.strip(),
        "boilerplate": format_ranges(list(boilerplate)),
    }


def article_problems(
    row: Mapping[str, str], text: str, existing_ids: Iterable[str]
) -> list[Problem]:
    """What is wrong with a new article, in the loader's own words.

    The row and text are written to a scratch folder and read back with
    `lib.data.articles.load_articles`, so the form can never accept what the loader rejects.
    """
    article_id = (row.get("id") or "").strip()
    problems: list[Problem] = []
    if not article_id:
        return [Problem(ARTICLES_LABEL, None, "id", "is empty", "e.g. taliban-claim-victory")]
    if article_id in set(existing_ids):
        problems.append(
            Problem(
                ARTICLES_LABEL,
                None,
                "id",
                f"an article with id '{article_id}' already exists",
                "choose another id; an article is never replaced from this page",
            )
        )
    if not ARTICLE_ID_PATTERN.match(article_id):
        problems.append(
            Problem(
                ARTICLES_LABEL,
                None,
                "id",
                f"'{article_id}' is not a valid article id",
                "lower-case letters, digits, '-'",
            )
        )
        return problems
    with tempfile.TemporaryDirectory(prefix="article-check-") as scratch:
        folder = Path(scratch)
        columns = [c.name for c in ARTICLE_COLUMNS]
        (folder / METADATA_FILE).write_text(csvio.write(columns, [dict(row)]), encoding="utf-8")
        (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        _, found = load_articles(folder)
    problems += [
        Problem(ARTICLES_LABEL, None, p.column, p.message, p.hint, p.severity) for p in found
    ]
    return problems
