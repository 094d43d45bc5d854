"""Drafts an editor can trust: event rows proposed from a new article's sentences.

``reporting_clauses`` picks what is reporting: every sentence of the text that names a place
or makes a claim, less the headline, the dateline's place, boilerplate lines and captions of
file photos (a "file photo ... 2019" caption is not an event of this story). Where two
claimants disagree in one sentence ("X said ..., but Y denied ...") each clause is a draft.
A clause naming no place takes the article's main place, marked as inferred in place_basis.

``draft_row`` proposes the row: claimant, event type and status read from the words, the
figures as the checks read them (``lib.data.checks.figures_in``), and a date resolved from the
clause's own words ('Saturday', 'yesterday', 'last week', 'August 15') against the article's
publication window, each with its basis. Every draft has review state ``draft``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from lib.data.articles import Article
from lib.data.checks import figures_in
from lib.data.mentions import Mention, sentence_spans
from lib.data.text import fold

_SPEECH = (
    r"(?:said|says|say|claimed|claims|claiming|tweeted|told|denied|denies|deny|insisted|insists"
    r"|added|warned|vowed|called on|calls on|urged|urges|appealed)"
)
_SPEECH_RE = re.compile(rf"\b{_SPEECH}\b")
# Where two claimants may disagree inside one sentence.
_CLAUSE_BREAK = re.compile(r",\s+(?:but|while|whereas)\s+|;\s+(?:but\s+)?|\s+but\s+")
# "KABUL, Sept 4 (Reuters) -": a dateline names where the story was filed, not an event.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Za-z]{3,9}\.?\s+\d{1,2})?\s*(?:\([^)]{2,30}\))?\s*[-\u2013\u2014]"
)
_FILE_PHOTO = re.compile(r"\bfile (?:photo|picture|image)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_AUXILIARIES = {"have", "has", "had", "was", "were", "is", "are", "would", "could", "also", "again"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "the source", "the spokesman"}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})\b|\b(\d{{1,2}})\s+({_MONTH})\b")


@dataclass(frozen=True)
class Clause:
    start: int  # offset in the article text
    text: str  # verbatim
    place_ids: tuple[str, ...]
    inferred_place: str = ""  # the article's main place, when the clause names none
    inferred_name: str = ""  # the words that name it in the article, for place_basis


def _main_place(mentions: list[Mention], headline_end: int) -> tuple[str, str]:
    """The article's main place: the last one its headline names ('Last holdouts in
    Afghanistan battle Taliban in Panjshir Valley': the valley, not the country), else the
    one it names most. Returns ``(place id, the article's words for it)``."""
    if not mentions:
        return "", ""
    words = {m.place_id: m.matched for m in mentions}
    in_headline = [m for m in mentions if m.start < headline_end]
    if in_headline:
        return in_headline[-1].place_id, in_headline[-1].matched
    counts = Counter(m.place_id for m in mentions)
    top = max(counts, key=lambda p: counts[p])
    return top, words[top]


def _is_claim(text: str) -> bool:
    folded = fold(text)
    return bool(_SPEECH_RE.search(folded) or figures_in(text))


def _split(text: str) -> list[tuple[int, str]]:
    """``(offset, clause)``: the sentence, or its clauses when each has a claimant's verb."""
    parts, last = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        parts.append((last, text[last : match.start()]))
        last = match.end()
    parts.append((last, text[last:]))
    if len(parts) > 1 and all(_SPEECH_RE.search(fold(p)) for _, p in parts):
        return [(o, p.strip(" ,;")) for o, p in parts]
    return [(0, text)]


def reporting_clauses(article: Article, mentions: Iterable[Mention]) -> list[Clause]:
    """The clauses worth a draft, in text order (see the module docstring)."""
    mentions = [m for m in mentions if m.article_id == article.id or not m.article_id]
    text = article.text
    first_line_end = text.find("\n") if "\n" in text else len(text)
    skip_lines = article.boilerplate_lines
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    year = article.published_from.year if article.published_from else None
    main, main_words = _main_place(mentions, first_line_end)
    out: list[Clause] = []
    for s_start, s_end in sentence_spans(text):
        if s_start < first_line_end:
            continue  # the headline
        line = sum(1 for ls in line_starts if ls <= s_start)
        if line in skip_lines:
            continue  # page furniture
        sentence = text[s_start:s_end]
        if line in article.caption_lines and (
            _FILE_PHOTO.search(sentence)
            or any(year and int(m.group()) < year for m in _YEAR.finditer(sentence))
        ):
            continue  # a file photo: not an event of this story
        dateline = _DATELINE.match(sentence)
        if dateline:  # the draft quotes the reporting, not where it was filed from
            skipped = (
                dateline.end()
                + len(sentence[dateline.end() :])
                - len(sentence[dateline.end() :].lstrip())
            )
            s_start, sentence = s_start + skipped, sentence[skipped:]
        dateline_end = s_start
        for offset, clause in _split(sentence):
            c_start = s_start + offset
            c_end = c_start + len(clause)
            ids = tuple(
                dict.fromkeys(
                    m.place_id
                    for m in mentions
                    if c_start <= m.start < c_end and m.start >= dateline_end
                )
            )
            if not ids and not _is_claim(clause):
                continue
            if ids:
                out.append(Clause(c_start, clause, ids))
            else:
                out.append(Clause(c_start, clause, (), main, main_words))
    return out


def _claimant(text: str) -> str:
    """Who speaks: the words before the speech verb back to the clause's start or a comma
    ('Taliban spokesman Zabihullah Mujahid said'), or after it ('said senior official X')."""
    match = _SPEECH_RE.search(fold(text))
    if match is None:
        according = re.search(r"\baccording to (?:the )?([^,.;]{3,60})", text)
        return according.group(1).strip() if according else ""
    before = re.split(r"[,;:.\u2019\u201d\"']\s*", text[: match.start()])[-1].split()[-7:]
    while before and before[0].lower() in ("however", "but", "and", "meanwhile", "earlier"):
        before = before[1:]
    # 'The Taliban have so far not publicly claimed': the speaker ends at the auxiliary.
    aux = next((i for i, w in enumerate(before) if w.lower() in _AUXILIARIES), len(before))
    who = " ".join(before[:aux]).strip(" \u2013\u2014-()")
    if who and who.lower() not in _PRONOUNS:
        return who
    # 'said senior Taliban official Amir Khan Muttaqi': a name right after the verb.
    after = re.match(
        r"\s+((?:senior |former |a |an |the )?[A-Z][\w\u2019'.-]*(?: [A-Z][\w\u2019'.-]*){0,4})",
        text[match.end() :],
    )
    return after.group(1).strip() if after else ""


_TYPES = [
    ("denial", re.compile(r"\b(?:den(?:y|ies|ied)|rejected|dismissed|a lie)\b")),
    ("territorial_claim", re.compile(
        r"\b(?:took|taken|take|seized|control|entered|surrounded|fallen|fell|captured the)\b")),
    ("attack", re.compile(r"\b(?:attack(?:s|ed)?|assault|advance[ds]?|offensive|pushed back)\b")),
    ("negotiation", re.compile(r"\b(?:talks|negotiat\w*)\b")),
    ("clash", re.compile(r"\b(?:clash(?:es|ed)?|fighting|battle[ds]?|fought|skirmish\w*)\b")),
]  # fmt: skip


def _type_and_status(text: str, claimant: str, figures: list[str]) -> tuple[str, str]:
    folded = fold(text)
    kind = ""
    if _TYPES[0][1].search(folded):
        kind = "denial"
    elif figures:
        kind = "casualty_claim"
    else:
        kind = next((k for k, rule in _TYPES[1:] if rule.search(folded)), "")
        if not kind and _SPEECH_RE.search(folded):
            kind = "statement"
    if kind == "denial":
        return kind, "denied"
    # A party's word is a claim even when the speaker is only 'he': the editor names them.
    return kind, "claimed" if claimant or _SPEECH_RE.search(folded) else "reported"


def _latest_weekday(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def resolve_date(text: str, article: Article) -> tuple[dt.date | None, str, str]:
    """``(date, precision, basis)`` of a clause, read from its own words against the article's
    publication window; the earliest publication day, approximate, when it names no day."""
    start, end = article.published_from, article.published_to or article.published_from
    if start is None:
        return None, "approximate", "no publication date: date it by hand"
    window = f"{start:%-d %b}" + (f"-{end:%-d %b %Y}" if end != start else f" {start:%Y}")
    folded = fold(text)
    known_day = start == end
    explicit = _MONTH_DAY.search(folded)
    if explicit:
        month = _MONTHS[explicit.group(1) or explicit.group(4)]
        day = int(explicit.group(2) or explicit.group(3))
        try:
            date = dt.date(start.year, month, day)
        except ValueError:
            date = None
        said = text[explicit.start() : explicit.end()]
        # 'Following the fall of Kabul on August 15, ... have massed': after that day, not on it.
        if re.search(r"\b(?:following|after|since)\b[^.;]{0,40}$", folded[: explicit.start()]):
            return (
                start,
                "approximate",
                (
                    f"after '{said}' (the sentence says so, not when): placed on the earliest "
                    f"publication day ({window})"
                ),
            )
        if date and date <= end:
            return date, "day", f"'{said}'"
    weekday = re.search(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", folded)
    if weekday:
        index = _WEEKDAYS.index(weekday.group(1))
        early, late = _latest_weekday(start, index), _latest_weekday(end, index)
        said = text[weekday.start() : weekday.end()]
        if early == late:
            return late, "day", f"'{said}' read against the publication window ({window})"
        return (
            late,
            "approximate",
            (
                f"'{said}': {early:%-d} or {late:%-d %b}, depending on the publication day ({window})"
            ),
        )
    for words, days, precision in (
        (r"\b(?:yesterday|last night)\b", 1, "day" if known_day else "approximate"),
        (r"\b(?:today|tonight|this morning)\b", 0, "day" if known_day else "approximate"),
        (r"\blast week\b", 7, "approximate"),
        (r"\bthis week\b", 0, "approximate"),
    ):
        found = re.search(words, folded)
        if found:
            said = text[found.start() : found.end()]
            return (
                start - dt.timedelta(days=days),
                precision,
                (f"'{said}' read against the publication window ({window})"),
            )
    return (
        start,
        "approximate",
        (f"draft: no day in the sentence; the earliest publication day ({window})"),
    )


def draft_row(clause: Clause, article: Article) -> dict[str, str]:
    """The proposed events.csv cells for one clause (no id; review 'draft')."""
    figures = figures_in(clause.text)
    claimant = _claimant(clause.text)
    event_type, status = _type_and_status(clause.text, claimant, figures)
    date, precision, basis = resolve_date(clause.text, article)
    places = clause.place_ids or ((clause.inferred_place,) if clause.inferred_place else ())
    place_basis = (
        f"inferred, not named in the sentence: the article's main place, '{clause.inferred_name}'"
        if not clause.place_ids and clause.inferred_place
        else ""
    )
    return {
        "date": date.isoformat() if date else "",
        "date_precision": precision,
        "date_basis": basis,
        "places": "; ".join(places),
        "event_type": event_type,
        "actors": "",
        "claimant": claimant,
        "status": status,
        "casualties": "; ".join(figures),
        "articles": article.id,
        "quote": clause.text,
        "contests": "",
        "place_basis": place_basis,
        "review": "draft",
    }
