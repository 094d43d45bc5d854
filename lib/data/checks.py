"""Checks that a row says no more than its article: the reviewing editor's questions, as code.

``check_events(events, context)`` takes events that already passed the schema
(``lib.data.events.validate_rows``) and asks of each what a reviewing editor would: does the quote
name the row's place, are the figures the claimant's own, is the day really known, do type and
status agree, is this row a second copy of another, does a contested rival contest back.
``lib.commands.check`` runs it over the shipped data; the Edit events page runs ``check_rows`` (the schema,
then these checks) on the table as the editor types it, with the same messages.

Every problem carries a ``code``. Errors must be fixed. Warnings are judgements a person may
overrule: listing a warning's code in the row's ``acknowledged`` column silences it for that row
(the codes are in ``WARNINGS`` and in the README's Checks section).
"""

from __future__ import annotations

import dataclasses
import heapq
import re
from collections.abc import Iterable, Mapping, Sequence

from lib.data.articles import Article
from lib.data.events import LABEL, Context, Event, validate_rows
from lib.data.mentions import Matcher, places_named
from lib.data.problems import Problem
from lib.data.text import fold, normalize_quote

#: Codes of errors: the row is wrong or unsupported as written.
ERRORS: dict[str, str] = {
    "quote-names-no-place": "the quote names none of the row's places and place_basis is empty",
    "figure-not-in-quote": "a casualty figure that the quote does not give",
    "day-not-in-basis": "date_precision is day but date_basis names no day",
    "type-status": "event type and status disagree (a denial not denied, and the like)",
    "contest-one-way": "a row is contested by another that it does not contest back",
    "unknown-acknowledgement": "acknowledged names a code that is not a warning",
}

#: Codes of warnings: likely wrong, acknowledged in the row when a person has checked.
WARNINGS: dict[str, str] = {
    "duplicate-quote": "another row from the same article quotes overlapping words",
    "duplicate-claim": "another row has the same claimant, type and figures within a few days",
    "denial-without-rival": "a denial that contests no row (add the claim it denies)",
}

#: Rows this many days apart or closer, with the same claimant, type and figures, look alike.
DUPLICATE_DAYS = 2

_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# A day named outright: a weekday, "August 15", "15 Aug", "September 1, 2021", 2021-08-15.
_NAMED_DAY = re.compile(
    rf"\b{_WEEKDAY}\b|\b{_MONTH}\.? \d{{1,2}}\b|\b\d{{1,2}} {_MONTH}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
)
# A day named relative to the article: only a day if the article's own day is known.
_RELATIVE_DAY = re.compile(r"\b(?:yesterday|today|tonight|last night|this morning)\b")

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_WORD_VALUES = {**_UNITS, **_TENS, "dozen": 12}
_NUMBER_TOKEN = re.compile(r"\d[\d,]*|[a-z]+")

# Casualty words (lib.data.schema.CASUALTY_WORDS) that a quote may write otherwise; any other word
# must appear as itself.
_COUNT_WORDS = {"dozens": r"\bdozens?\b", "large-numbers": r"\blarge numbers?\b"}

_DENIED_STATUSES = {"denied", "disputed"}


def numbers_in(text: str) -> set[int]:
    """Every number a text gives, in digits ('1,200') or words ('three hundred and fifty')."""
    found: set[int] = set()
    total = current = 0
    active = False

    def flush() -> None:
        nonlocal total, current, active
        if active:
            found.add(total + current)
        total = current = 0
        active = False

    for token in _NUMBER_TOKEN.findall(fold(text).replace("-", " ")):
        if token[0].isdigit():
            flush()
            found.add(int(token.replace(",", "")))
        elif token in _WORD_VALUES:
            current += _WORD_VALUES[token]
            active = True
        elif token in _SCALES:
            current = max(current, 1) * _SCALES[token]
            if _SCALES[token] >= 1000:
                total, current = total + current, 0
            active = True
        elif token == "and" and active:
            continue
        else:
            flush()
    flush()
    return found


def names_a_day(basis: str, article: Article | None) -> bool:
    """True if ``basis`` fixes a day: a weekday or a date, or 'yesterday'/'today' read against
    an article whose own publication day is known (published_from == published_to)."""
    folded = fold(basis)
    if _NAMED_DAY.search(folded):
        return True
    known_day = (
        article is not None
        and article.published_from is not None
        and article.published_from == article.published_to
    )
    return known_day and bool(_RELATIVE_DAY.search(folded))


def _problem(event: Event, column: str, code: str, message: str, hint: str) -> list[Problem]:
    """The problem as a list, empty when it is a warning the row acknowledges."""
    if code not in WARNINGS:
        return [Problem(LABEL, event.row, column, message, hint, "error", code)]
    if code in event.acknowledged:
        return []
    hint += f"; if it is right, add '{code}' to 'acknowledged'"
    return [Problem(LABEL, event.row, column, message, hint, "warning", code)]


def _quote_places(event: Event, matcher: Matcher | None) -> list[Problem]:
    if matcher is None or event.place_basis:
        return []
    named = places_named(event.quote, matcher)
    if named & set(event.places):
        return []
    said = f" (it names {', '.join(sorted(named))})" if named else ""
    return _problem(
        event,
        "place_basis",
        "quote-names-no-place",
        f"the quote names none of the row's places {', '.join(event.places)}{said}",
        "say in 'place_basis' how the place was decided, or quote the words that name it",
    )


def _figures(event: Event) -> list[Problem]:
    problems = []
    numbers = numbers_in(event.quote)
    folded = fold(event.quote)
    for figure in event.casualties:
        if figure.low is None:
            pattern = _COUNT_WORDS.get(figure.count, rf"\b{re.escape(figure.count)}\b")
            ok = bool(re.search(pattern, folded))
        else:
            ok = figure.low in numbers and (figure.high is None or figure.high in numbers)
        if not ok:
            problems += _problem(
                event,
                "casualties",
                "figure-not-in-quote",
                f"'{figure}' is not in the quote",
                "write the figure the claimant gives, in the quote's words, "
                "or quote the words that give it",
            )
    return problems


def _day(event: Event, articles: dict[str, Article] | None) -> list[Problem]:
    if event.date_precision != "day":
        return []
    article = (articles or {}).get(event.articles[0]) if event.articles else None
    if names_a_day(event.date_basis, article):
        return []
    return _problem(
        event,
        "date_precision",
        "day-not-in-basis",
        "is 'day' but date_basis names no day"
        + (f" ('{event.date_basis}')" if event.date_basis else ""),
        "name the weekday or date the article gives in 'date_basis', or use 'approximate'",
    )


def _type_status(event: Event) -> list[Problem]:
    if event.event_type == "denial" and event.status not in _DENIED_STATUSES:
        return _problem(
            event,
            "status",
            "type-status",
            f"is '{event.status}' but the row is a denial",
            "a denial's status is 'denied' (or 'disputed' when it is itself contested)",
        )
    if event.status == "denied" and event.event_type != "denial":
        return _problem(
            event,
            "event_type",
            "type-status",
            f"is '{event.event_type}' but the status is 'denied'",
            "make it a 'denial', or give the status of what the row reports",
        )
    return []


def _spans(events: list[Event], articles: dict[str, Article] | None, ctx: Context):
    """Where each quote sits in its first article's normalised text, when it is found."""
    spans: dict[str, tuple[str, int, int]] = {}
    for event in events:
        article = (articles or {}).get(event.articles[0]) if event.articles else None
        quote = normalize_quote(event.quote)
        if article is None or not quote:
            continue
        start = ctx.normalized_text(article).find(quote)
        if start >= 0:
            spans[event.id] = (article.id, start, start + len(quote))
    return spans


def _overlapping_quotes(events: list[Event], ctx: Context):
    """Pairs ``(earlier, later)`` in row order whose quotes overlap in the same article.

    A sweep over each article's quotes sorted by position, naming one overlapping quote for
    each: O(n log n), so 100,000 rows cost about their sort.
    """
    spans = _spans(events, ctx.articles, ctx)
    by_article: dict[str, list[tuple[int, int, int]]] = {}
    for index, event in enumerate(events):
        if event.id in spans:
            article_id, start, end = spans[event.id]
            by_article.setdefault(article_id, []).append((start, end, index))
    for items in by_article.values():
        items.sort()
        active: list[tuple[int, int]] = []  # heap of (end, index) of quotes not yet passed
        for start, end, index in items:
            while active and active[0][0] <= start:
                heapq.heappop(active)
            if active:  # one overlapping quote is enough to name
                other = active[0][1]
                yield (min(index, other), max(index, other))
            heapq.heappush(active, (end, index))


def _same_claims(events: list[Event]):
    """Pairs ``(earlier, later)`` in row order: same claimant, type and figures, dates close."""
    groups: dict[tuple, list[int]] = {}
    for index, event in enumerate(events):
        if event.casualties and event.claimant:
            key = (
                event.claimant.casefold(),
                event.event_type,
                frozenset(str(c) for c in event.casualties),
            )
            groups.setdefault(key, []).append(index)
    for indexes in groups.values():
        indexes.sort(key=lambda i: events[i].date)
        for a, b in zip(indexes, indexes[1:], strict=False):
            if (events[b].date - events[a].date).days <= DUPLICATE_DAYS:
                yield (min(a, b), max(a, b))


def _duplicates(events: list[Event], ctx: Context) -> list[Problem]:
    """Each row warned at most once per code, naming the earlier row it repeats."""
    problems = []
    warned: set[tuple[str, int]] = set()
    quoted: set[tuple[int, int]] = set()
    for earlier, later in _overlapping_quotes(events, ctx):
        quoted.add((earlier, later))
        if ("quote", later) in warned:
            continue
        warned.add(("quote", later))
        event, other = events[later], events[earlier]
        problems += _problem(
            event,
            "quote",
            "duplicate-quote",
            f"overlaps the quote of {other.id} from the same article '{event.articles[0]}'",
            f"merge it into {other.id} if both report one happening",
        )
    for earlier, later in _same_claims(events):
        if (earlier, later) in quoted or ("claim", later) in warned:
            continue
        warned.add(("claim", later))
        event, other = events[later], events[earlier]
        days = abs((event.date - other.date).days)
        problems += _problem(
            event,
            "casualties",
            "duplicate-claim",
            f"{other.id} has the same claimant, type and figures "
            f"({'; '.join(str(c) for c in event.casualties)}) {days} day(s) apart",
            f"merge it into {other.id} if both report one claim",
        )
    return problems


def _contests(events: list[Event]) -> list[Problem]:
    by_id = {e.id: e for e in events}
    problems = []
    for event in events:
        for rival_id in event.contests:
            rival = by_id.get(rival_id)
            if rival is not None and event.id not in rival.contests:
                problems += _problem(
                    rival,
                    "contests",
                    "contest-one-way",
                    f"{event.id} contests this row, but this row does not contest {event.id}",
                    f"add {event.id} to 'contests' (a contradiction runs both ways)",
                )
        if event.event_type == "denial" and not event.contests:
            problems += _problem(
                event,
                "contests",
                "denial-without-rival",
                "a denial that contests no row",
                "add the row of the claim it denies to 'contests'",
            )
    return problems


def _acknowledged(event: Event) -> list[Problem]:
    problems = []
    for code in event.acknowledged:
        if code not in WARNINGS:
            problems += _problem(
                event,
                "acknowledged",
                "unknown-acknowledgement",
                f"'{code}' is not a warning code",
                "one of: " + ", ".join(WARNINGS),
            )
    return problems


def check_events(
    events: Iterable[Event],
    context: Context,
    matcher: Matcher | None = None,
    label: str = LABEL,
) -> list[Problem]:
    """The editorial checks over rows that passed the schema, in row order. Never raises.

    ``context`` is the one the rows were validated with; without a gazetteer the place check is
    skipped, without articles the day and duplicate-quote checks use less. ``matcher`` may be
    passed to reuse one built from the same gazetteer; ``label`` names the file in messages, as
    in ``lib.data.events.validate_rows``. Warnings that a row acknowledges are
    left out; every problem's ``code`` is a key of ERRORS or WARNINGS.
    """
    events = list(events)
    if matcher is None and context.gazetteer is not None:
        matcher = Matcher.from_gazetteer(context.gazetteer)
    problems: list[Problem] = []
    for event in events:
        problems += _quote_places(event, matcher)
        problems += _figures(event)
        problems += _day(event, context.articles)
        problems += _type_status(event)
        problems += _acknowledged(event)
    problems += _duplicates(events, context)
    problems += _contests(events)
    if label != LABEL:
        problems = [dataclasses.replace(p, file=label) for p in problems]
    return sorted(problems, key=lambda p: (p.row or 0, p.column or "", p.code))


def check_rows(
    rows: Sequence[tuple[int | None, Mapping[str, str]]],
    context: Context,
    matcher: Matcher | None = None,
    label: str = LABEL,
) -> list[Problem]:
    """What ``python -m lib check`` says of these events.csv rows, as an editor typed them.

    ``rows`` are ``(row number, CSV row)`` pairs; messages name rows by those numbers. The
    schema's problems (``lib.data.events.validate_rows``) come first, then `check_events` over the
    rows that pass it, so a half-typed row gets the schema's messages only, and a row's
    editorial problems appear once its cells are valid. Sorted by row number (stably: a row's
    schema problems stay before its editorial ones); problems without a row come first.
    Left out: ``lib.commands.check``'s warnings about the corpus as a whole (places never mentioned,
    articles no event cites), which belong to no row. Never raises.
    """
    table = validate_rows([(n, dict(row)) for n, row in rows], context, label)
    problems = table.problems + check_events(table.events, context, matcher, label)
    return sorted(problems, key=lambda p: p.row or 0)
