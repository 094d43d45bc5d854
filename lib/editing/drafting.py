"""Drafting events from a new article (the clauses and cells are
``lib.editing.drafts``), and the names in it that look like places the gazetteer
lacks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lib.data.articles import Article
from lib.data.gazetteer import Gazetteer
from lib.data.mentions import Mention
from lib.data.text import name_key
from lib.editing import drafts
from lib.editing.snapshot import Row
from lib.places.geocode import GeoNamesIndex, Resolution, resolve

# --- drafting from a new article ---------------------------------------------------------------

SUMMARY_MAX = 200
_NUMBERED_ID = re.compile(r"^E(\d+)$")


def next_event_ids(existing: Iterable[str], count: int) -> list[str]:
    """``count`` new ids continuing the ``E001`` numbering (at least three digits)."""
    numbers = [m for i in existing if (m := _NUMBERED_ID.match(i))]
    width = max([3, *(len(m.group(1)) for m in numbers)])
    start = max([0, *(int(m.group(1)) for m in numbers)]) + 1
    return [f"E{n:0{width}d}" for n in range(start, start + count)]


def one_line(text: str, limit: int = SUMMARY_MAX) -> str:
    """White space collapsed; cut at a word boundary with '…' to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


@dataclass(frozen=True)
class SentenceMentions:
    """One sentence (or clause) of an article and the gazetteer places it names.

    ``inferred_place`` is the article's main place for a clause that names none, and
    ``inferred_name`` the article's words for it (lib.editing.drafts)."""

    start: int
    sentence: str
    place_ids: tuple[str, ...]
    inferred_place: str = ""
    inferred_name: str = ""


def sentences_with_places(
    mentions: Iterable[Mention], article: Article | None = None
) -> list[SentenceMentions]:
    """What to draft from. With ``article``: its reporting clauses (lib.editing.drafts:
    claims too where no place is named, one clause per claimant where two disagree; no
    headline, dateline, furniture or file-photo caption). Without: each sentence naming a
    place."""
    if article is not None:
        return [
            SentenceMentions(c.start, c.text, c.place_ids, c.inferred_place, c.inferred_name)
            for c in drafts.reporting_clauses(article, mentions)
        ]
    grouped: dict[int, tuple[str, list[str]]] = {}
    for m in mentions:
        sentence, ids = grouped.setdefault(m.sentence_start, (m.sentence, []))
        if m.place_id not in ids:
            ids.append(m.place_id)
    return [SentenceMentions(s, text, tuple(ids)) for s, (text, ids) in sorted(grouped.items())]


def draft_events(
    article: Article, sentences: Sequence[SentenceMentions], existing_ids: Iterable[str]
) -> list[Row]:
    """Event rows for an editor to review: one per sentence or clause, review state draft.

    Each proposes claimant, event type, status and figures read from its words, and a date
    resolved from its own 'Saturday' / 'yesterday' / 'August 15' against the publication
    window, with the basis of each (lib.editing.drafts.draft_row); the quote is the clause and
    the summary the clause on one line, at most 200 characters. A clause naming no place gets
    the article's main place, marked as inferred in ``place_basis``. Readers never see a draft
    until it is approved.
    """
    ids = next_event_ids(existing_ids, len(sentences))
    rows = []
    for event_id, item in zip(ids, sentences, strict=True):
        clause = drafts.Clause(
            item.start, item.sentence, item.place_ids, item.inferred_place, item.inferred_name
        )
        row = drafts.draft_row(clause, article)
        rows.append({"id": event_id, **row, "summary": one_line(item.sentence)})
    return rows


# Capitalised words, joined by spaces or hyphens, with the short particles of the region's place
# names in between ("Dara-i-Panjshir", "Jabal os Saraj").
_PARTICLES = "i|e|ul|al|el|os|us|da|de|wa"
_WORD = r"[A-Z][a-z'’]+"
_NAME_RUN = re.compile(rf"\b{_WORD}(?:(?:[ -](?:(?:{_PARTICLES})[ -])?){_WORD})*")
_NOT_PLACES = frozenset(
    """a an the in on at of to for from by with and or but if as it its this that these those
    he she they we you i his her their our my your there here when while after before during
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december mr mrs ms dr sir general president
    minister commander spokesman reuters bbc ap afp taliban nrf us un""".split()
)


def place_name_candidates(
    text: str, gazetteer: Gazetteer, mentions: Iterable[Mention]
) -> list[str]:
    """Capitalised names in ``text`` that are not gazetteer mentions: places to look up.

    Each run of capitalised words is proposed, then its single words; words in a small stop
    list (weekdays, months, titles, parties to the conflict) and gazetteer names are skipped.
    """
    covered = [(m.start, m.end) for m in mentions]
    known = gazetteer.keys()
    found: dict[str, None] = {}
    for match in _NAME_RUN.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in covered):
            continue
        run = match.group()
        words = re.split(r"[ -]", run)
        for name in [run, *words] if len(words) > 1 else [run]:
            key = name_key(name)
            if len(key) < 3 or key in known or name.lower() in _NOT_PLACES:
                continue
            if name.split()[0].lower() in _NOT_PLACES:
                continue
            found.setdefault(name, None)
    return list(found)


def suggest_places(
    text: str,
    gazetteer: Gazetteer,
    mentions: Iterable[Mention],
    geonames: GeoNamesIndex | None = None,
) -> list[Resolution]:
    """Names in ``text`` that the offline tiers place in the story's region but the gazetteer
    lacks: resolved ones, and ambiguous ones with candidates in the region. False friends far
    away (outside the region) are not suggested."""
    out = []
    for name in place_name_candidates(text, gazetteer, list(mentions)):
        result = resolve(name, gazetteer, geonames)
        if result.status == "resolved" or result.status == "ambiguous":
            out.append(result)
    return out
