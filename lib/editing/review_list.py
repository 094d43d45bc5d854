"""The review list: an article's drafted events, one card each, accepted, edited or dropped
before any of them joins events.csv.

A `ReviewList` holds the drafts of one article (``lib.editing.drafts`` via
``snapshot.draft_events``) and the version of events.csv they were drafted against
(``base``, a `Snapshot`). Each `Card` is open, accepted (as ``draft`` or ``ready``: an approval
is a second step, on Edit events) or dropped; a dropped card can be taken back until the list is
saved. Its cells are checked with the grid's own rules (``lib.data.checks.check_rows``) at the
line of events.csv the row would take, so a message reads as on the grid and in
``python -m lib check``: file, line, field.

Saving the list writes ``base``'s rows plus the accepted cards, through the same locked, atomic,
fingerprint-checked save as every edit (``snapshot.save_bytes``, done by the caller). A save
refused because events.csv changed meanwhile is never forced: `rebase` moves the list onto
the version on disk (renumbering a draft whose id someone else took) and the editor saves
again. Pure data and functions: no streamlit, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from lib.data.articles import Article
from lib.data.checks import check_rows
from lib.data.events import MISSING_REVIEW, Context
from lib.data.gazetteer import Place
from lib.data.problems import Problem
from lib.data.text import split_list
from lib.editing.drafting import SentenceMentions, draft_events, next_event_ids
from lib.editing.preview import PERMANENT_LABELS_MAX, PreviewMarker
from lib.editing.snapshot import Row, Snapshot

OPEN, ACCEPTED, DROPPED = "open", "accepted", "dropped"
#: The review states a draft may join events.csv with: approving is another editor's step.
ACCEPT_AS = ("draft", "ready")
#: The cells the card's form edits, in its order (``id`` and ``articles`` stay as drafted).
FIELDS = (
    "summary",
    "claimant",
    "event_type",
    "status",
    "casualties",
    "date",
    "date_precision",
    "date_basis",
    "places",
    "place_basis",
    "actors",
    "quote",
    "contests",
)


@dataclass
class Card:
    """One draft: its cells as the editor has them now, and what it was drafted from.

    ``sentence`` is the clause it came from, verbatim (its basis); ``inferred`` is True when
    the clause names no place and the article's main place stands in for it."""

    key: str  # stable within the list: '<article id>:<offset of the clause>'
    row: Row
    sentence: str
    inferred: bool = False
    state: str = OPEN
    accept_as: str = "draft"

    @property
    def id(self) -> str:
        return self.row.get("id", "")


@dataclass
class ReviewList:
    article_id: str
    base: Snapshot
    cards: list[Card] = field(default_factory=list)

    def card(self, key: str) -> Card:
        return next(c for c in self.cards if c.key == key)

    @property
    def kept(self) -> list[Card]:
        """The cards that are not dropped, in order: each would take the next line of the file."""
        return [c for c in self.cards if c.state != DROPPED]

    @property
    def accepted(self) -> list[Card]:
        return [c for c in self.cards if c.state == ACCEPTED]

    def counts(self) -> dict[str, int]:
        return {s: sum(c.state == s for c in self.cards) for s in (OPEN, ACCEPTED, DROPPED)}


def open_list(
    article: Article, sentences: Sequence[SentenceMentions], base: Snapshot
) -> ReviewList:
    """The review list of ``article``'s drafts, with ids after those ``base`` holds."""
    rows = draft_events(article, sentences, [r.get("id", "") for r in base.rows])
    cards = [
        Card(f"{article.id}:{item.start}", dict(row), item.sentence, not item.place_ids)
        for item, row in zip(sentences, rows, strict=True)
    ]
    return ReviewList(article.id, base, cards)


def line_of(review: ReviewList, key: str) -> int | None:
    """The line of events.csv the card's row would take (the header is line 1), or None for a
    dropped card."""
    first = len(review.base.rows) + 2
    for n, card in enumerate(review.kept):
        if card.key == key:
            return first + n
    return None


def saved_row(card: Card) -> Row:
    """The row as it joins events.csv: its cells, with the review state it was accepted as."""
    return {**card.row, "review": card.accept_as if card.accept_as in ACCEPT_AS else "draft"}


def card_problems(review: ReviewList, context: Context) -> dict[str, list[Problem]]:
    """``{card key: problems}`` of every card not dropped, from the grid's own checks run over
    events.csv as loaded plus those cards (so a duplicate of a row on file is caught); problems
    of the file's own rows are left to Edit events."""
    first = len(review.base.rows) + 2
    numbered: list[tuple[int | None, Mapping[str, str]]] = [
        (n, row) for n, row in enumerate(review.base.rows, start=2)
    ]
    keys = {}
    for n, card in enumerate(review.kept):
        numbered.append((first + n, saved_row(card)))
        keys[first + n] = card.key
    found: dict[str, list[Problem]] = {c.key: [] for c in review.kept}
    for problem in check_rows(numbered, context):
        if problem.row in keys:
            found[keys[problem.row]].append(problem)
    return found


def where(problem: Problem) -> str:
    """'events.csv, line 63, field 'event_type': is empty (hint)': a card's message."""
    text = f"{problem.file}, line {problem.row}, field '{problem.column}': {problem.message}"
    return text + (f" ({problem.hint})" if problem.hint else "")


def rows_to_save(review: ReviewList) -> list[Row]:
    """events.csv as the list was opened against, plus the accepted cards, in list order."""
    return [*(dict(r) for r in review.base.rows), *(saved_row(c) for c in review.accepted)]


def after_save(review: ReviewList, saved: Snapshot) -> ReviewList:
    """The list once saved: the accepted cards are in events.csv and the dropped ones gone;
    the open ones stay, against the saved version."""
    return ReviewList(
        review.article_id, saved, [replace(c) for c in review.cards if c.state == OPEN]
    )


def rebase(review: ReviewList, disk: Snapshot) -> list[tuple[str, str]]:
    """Move the list onto ``disk`` (events.csv changed since the list was opened): a card whose
    id is now taken gets the next free one. Returns ``[(old id, new id)]`` of renumbered cards."""
    taken = {(r.get("id") or "").strip() for r in disk.rows}
    clashing = [c for c in review.cards if c.id in taken]
    others = [c.id for c in review.cards if c.id not in taken]
    fresh = next_event_ids([*taken, *others], len(clashing))
    renamed = []
    for card, new_id in zip(clashing, fresh, strict=True):
        renamed.append((card.id, new_id))
        card.row = {**card.row, "id": new_id}
    review.base = disk
    return renamed


def review_state(row: Mapping[str, str], has_column: bool = True) -> str:
    """A row's review state as the loader reads it: an empty cell is a draft; a file with no
    ``review`` column is all approved (``lib.data.events.MISSING_REVIEW``)."""
    if not has_column:
        return MISSING_REVIEW
    return (row.get("review") or "").strip().lower() or "draft"


def map_markers(
    approved: Iterable[Mapping[str, str]],
    waiting: Iterable[Mapping[str, str]],
    places: Mapping[str, Place],
) -> tuple[list[PreviewMarker], list[PreviewMarker], list[str]]:
    """``(approved, drafts, unplaced ids)`` for a map of rows waiting for approval among the
    approved ones: one small dark point per place with its count of approved rows, and one
    dashed circle per waiting row and place, labelled '<id> (draft) at <place>' (or '(draft,
    ready for approval)'), '(inferred place)' added where its place basis says so. Ids of
    waiting rows with no known place are returned for a caption."""
    counts: dict[str, int] = {}
    for row in approved:
        for place_id in split_list(row.get("places", "")):
            counts[place_id] = counts.get(place_id, 0) + 1
    points = [
        PreviewMarker(place.lat, place.lon, f"{place.name}: {count} approved event(s)",
                      "approved", permanent=False)
        for place_id, count in sorted(counts.items())
        if (place := places.get(place_id)) is not None
    ]  # fmt: skip
    rows = list(waiting)
    drafts, unplaced = [], []
    for row in rows:
        found = [places[p] for p in split_list(row.get("places", "")) if p in places]
        row_id = row.get("id", "") or "(no id)"
        if not found:
            unplaced.append(row_id)
        state = "draft, ready for approval" if review_state(row) == "ready" else "draft"
        inferred = " (inferred place)" if row.get("place_basis", "").startswith("inferred") else ""
        for place in found:
            drafts.append(
                PreviewMarker(
                    place.lat,
                    place.lon,
                    f"{row_id} ({state}) at {place.name}{inferred}",
                    "draft",
                    detail=row.get("summary", ""),
                    dashed=True,
                    permanent=len(rows) <= PERMANENT_LABELS_MAX,
                )
            )
    return points, drafts, unplaced


#: The legend of a map made from `map_markers` (trusted HTML: no data in it).
MAP_LEGEND = (
    "<b>Drafts and approved events</b>"
    "<div><i class='dashed' style='border-color:#8250df'></i>draft (dashed): not published</div>"
    "<div><i style='background:#24292f'></i>approved events at a place</div>"
)
