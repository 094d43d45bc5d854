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
    "basis-unquoted": "place_basis quotes no words of the article and names no row it rests on",
    "basis-not-in-article": "words that place_basis quotes are not in the row's articles",
    "figure-kind": "the quote gives the figure's number as something else ('6 sides', 'wounded')",
    "figure-side": "the quote gives the figure's number to the other side",
    "weekday-contradicts-date": "a weekday in the quote or date_basis is not the row's weekday",
}

#: Codes of warnings: likely wrong, acknowledged in the row when a person has checked.
WARNINGS: dict[str, str] = {
    "duplicate-quote": "another row from the same article quotes overlapping words",
    "duplicate-claim": "another row has the same claimant, type and figures within a few days",
    "denial-without-rival": "a denial that contests no row (add the claim it denies)",
    "basis-names-no-place": "neither the quote nor the words place_basis quotes name the place",
    "reported-but-claimed": "status reported, but the quote gives one party's word for it",
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


# A quoted passage: opened by a quote mark not inside a word, closed by the same mark not
# followed by a letter ("the country's" is an apostrophe, not the end of a quotation).
_QUOTED = re.compile(r"(?<!\w)'(.+?)'(?!\w)|(?<!\w)\"(.+?)\"(?!\w)")
_ROW_ID = re.compile(r"\b[A-Za-z][A-Za-z_-]*\d+[A-Za-z0-9_-]*\b")


def quoted_passages(text: str) -> list[str]:
    """The passages ``text`` puts in quotation marks (straight or curly, single or double)."""
    return [a or b for a, b in _QUOTED.findall(fold(text)) if (a or b).strip()]


def _basis(
    event: Event, ctx: Context, matcher: Matcher | None, by_id: Mapping[str, Event]
) -> list[Problem]:
    """A place_basis must rest on something checkable: words of the article, or another row.

    The words it quotes must be in one of the row's articles; the row's places must be named
    by the quote, by those words, or be the places of a row it names (else a warning).
    """
    passages = quoted_passages(event.place_basis)
    rows = [by_id[i] for i in _ROW_ID.findall(event.place_basis) if i in by_id and i != event.id]
    if not passages and not rows:
        return _problem(
            event,
            "place_basis",
            "basis-unquoted",
            "quotes no words of the article and names no row",
            "quote, in 'single quotes', the words of the article the place rests on "
            "(e.g. \"'the valley' is 'the Panjshir valley' of the sentence before\"), "
            "or name the row it follows (e.g. E004)",
        )
    texts = [
        ctx.normalized_text(a)
        for a in (ctx.articles.get(i) for i in event.articles if ctx.articles)
        if a is not None
    ]
    problems: list[Problem] = []
    if texts:
        for passage in passages:
            words = normalize_quote(passage)
            if words and not any(words in text for text in texts):
                problems += _problem(
                    event,
                    "place_basis",
                    "basis-not-in-article",
                    f"quotes '{passage}', which is not in {', '.join(event.articles)}",
                    "copy the words exactly from the article",
                )
    if matcher is None or problems:
        return problems
    named = places_named(event.quote, matcher)
    for passage in passages:
        named |= places_named(passage, matcher)
    for row in rows:
        named |= set(row.places)
    if not named & set(event.places):
        problems += _problem(
            event,
            "place_basis",
            "basis-names-no-place",
            f"neither the quote nor the words place_basis quotes name {', '.join(event.places)}",
            "quote the words of the article that name the place, or the row it follows",
        )
    return problems


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
        elif figure.low is not None:
            problems += _figure_reading(event, figure)
    return problems


#: Words that say what a number in a quote counts, by casualty kind (folded, whole words).
_KIND_WORDS = {
    "killed": "killed kill kills killing dead died die dies death deaths lives bodies slain "
    "martyred lost lose",
    "wounded": "wounded wounding injured injuries injuring hurt",
    "captured": "captured capture captives captive prisoners prisoner surrendered detained",
    "casualties": "casualties casualty losses",
}
_KIND_OF = {w: kind for kind, words in _KIND_WORDS.items() for w in words.split()}
#: Nouns that make a number count something other than people ("6 sides", "80 miles").
_NOT_PEOPLE = frozenset(
    "sides side fronts front miles mile km kilometres kilometers days day weeks week months "
    "month years year hours hour minutes times planes aircraft vehicles tanks trucks helicopters "
    "villages districts provinces passes percent per cent dollars billion million".split()
)
#: Words after a number that say whose dead or wounded it counts.
_SIDE_WORDS = {
    "taliban": "taliban talibani terrorists terrorist enemy enemies militants islamists",
    "nrf": "nrf nrfa resistance rebels rebel militia militiamen",
    "civilians": "civilians civilian residents children women",
}
_SIDE_OF = {w: side for side, words in _SIDE_WORDS.items() for w in words.split()}
#: How far (in words) a kind word may be from its number.
KIND_WINDOW = 12
#: How far after a number its side word may come ("seven or eight Taliban fighters").
SIDE_WINDOW = 4


def _number_positions(words: list[str]) -> list[tuple[int, int, int]]:
    """``(value, first word, last word)`` of each number in a list of folded words."""
    found: list[tuple[int, int, int]] = []
    total = current = 0
    start = -1

    def flush(end: int) -> None:
        nonlocal total, current, start
        if start >= 0:
            found.append((total + current, start, end))
        total = current = 0
        start = -1

    for i, word in enumerate(words):
        if word[0].isdigit():
            flush(i - 1)
            found.append((int(word.replace(",", "")), i, i))
        elif word in _WORD_VALUES or (word in _SCALES and start >= 0):
            if start < 0:
                start = i
            if word in _SCALES:
                current = max(current, 1) * _SCALES[word]
                if _SCALES[word] >= 1000:
                    total, current = total + current, 0
            else:
                current += _WORD_VALUES[word]
        elif word == "and" and start >= 0:
            continue
        else:
            flush(i - 1)
    flush(len(words) - 1)
    return found


def _distance(index: int, first: int, last: int) -> int:
    """Words between position ``index`` and the span ``first..last``."""
    return first - index if index < first else max(0, index - last)


def _figure_reading(event: Event, figure) -> list[Problem]:
    """Does the quote give the figure's number as its kind, and to its side?

    Each word saying killed / wounded / captured / casualties belongs to the number nearest to
    it ("34 Taliban were killed and 65 wounded": both words go to 65); a number that no such
    word belongs to takes the nearest one within ``KIND_WINDOW`` words (34: killed). A range
    is read right when either of its ends is; a number followed by a word such as 'sides' or
    'miles' counts no people.
    """
    words = _NUMBER_TOKEN.findall(fold(event.quote).replace("-", " "))
    numbers = _number_positions(words)
    kinds_of: dict[int, set[str]] = {}
    for i, word in enumerate(words):
        if word in _KIND_OF and numbers:
            distance, n = min((_distance(i, a, b), n) for n, (_, a, b) in enumerate(numbers))
            if distance <= KIND_WINDOW:
                kinds_of.setdefault(n, set()).add(_KIND_OF[word])
    wanted = {figure.low, figure.high} - {None}
    readings = []
    for n, (value, first, last) in enumerate(numbers):
        if value not in wanted:
            continue
        after = words[last + 1] if last + 1 < len(words) else ""
        kinds = kinds_of.get(n, set())
        if not kinds:
            near = [
                (_distance(i, first, last), _KIND_OF[w])
                for i, w in enumerate(words)
                if w in _KIND_OF and _distance(i, first, last) <= KIND_WINDOW
            ]
            kinds = {min(near)[1]} if near else set()
        side = next(
            (_SIDE_OF[w] for w in words[last + 1 : last + 1 + SIDE_WINDOW] if w in _SIDE_OF),
            None,
        )
        readings.append((value, after, kinds, side))
    if not readings:
        return []
    # One reading of the number that fits is enough (a quote may give it twice).
    as_kind = [
        r
        for r in readings
        if r[1] not in _NOT_PEOPLE and r[2] and (figure.kind == "casualties" or figure.kind in r[2])
    ]
    if not as_kind:
        value, after, kinds, _ = readings[0]
        said = (
            f"'{value} {after}'"
            if after in _NOT_PEOPLE
            else " / ".join(sorted(kinds))
            if kinds
            else "with no word saying who was killed, wounded or captured"
        )
        return _problem(
            event,
            "casualties",
            "figure-kind",
            f"'{figure}': the quote gives {value} as {said}, not {figure.kind}",
            "give the figure the kind the quote gives it, or leave it out",
        )
    if figure.side in ("both", "unknown"):
        return []
    sides = {r[3] for r in as_kind}
    if None in sides or figure.side in sides:
        return []
    return _problem(
        event,
        "casualties",
        "figure-side",
        f"'{figure}': the quote gives {as_kind[0][0]} to the {' / '.join(sorted(sides))} side",
        "swap the sides of the figures, or check which side the quote counts",
    )


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


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_WORD = re.compile(rf"\b({_WEEKDAY})(?:'?s)?\b")


def weekdays_named(text: str) -> set[str]:
    """Weekday names in ``text`` (folded): {'thursday'} for "clashed again on Thursday"."""
    return set(_WEEKDAY_WORD.findall(fold(text)))


def _weekday(event: Event) -> list[Problem]:
    """A weekday in the quote or date_basis must be the row's weekday.

    A 'day' row is checked against every weekday its quote and date_basis name; other rows
    only against the quote's (their date_basis often names the days it reasons from).
    """
    day = _WEEKDAYS[event.date.weekday()]
    in_quote = weekdays_named(event.quote)
    named = in_quote | weekdays_named(event.date_basis)
    if event.date_precision != "day" and (not in_quote or day in named):
        return []
    if not named or day in named:
        return []
    which = " / ".join(d.capitalize() for d in sorted(named, key=_WEEKDAYS.index))
    return _problem(
        event,
        "date",
        "weekday-contradicts-date",
        f"{event.date.isoformat()} is a {day.capitalize()}, but the "
        f"{'quote' if in_quote and day not in in_quote else 'date_basis'} says {which}",
        "check the date against the weekday (2021-09-02 was a Thursday)",
    )


_SPEECH = re.compile(
    r"\b(?:said|says|say|saying|claimed|claims|claiming|tweeted|tweets|told|insisted|insists"
    r"|denied|denies|according to)\b"
)
_PARTY = re.compile(
    r"\b(?:spokes(?:man|woman|person)|officials?|commanders?|sources?|taliban|nrfa?|resistance"
    r"|rebels?|militia|front|alliance|fighters?)\b"
)
# The saying is itself the happening for these types: 'reported' is right for them.
_SAYING_TYPES = {"statement", "negotiation", "denial"}


def _reported_claim(event: Event, claimants) -> list[Problem]:
    """A 'reported' row whose quote is a party's word ("a spokesman said ...")."""
    if event.status != "reported" or event.event_type in _SAYING_TYPES:
        return []
    folded = fold(event.quote)
    speech = _SPEECH.search(folded)
    if not speech:
        return []
    party = _PARTY.search(folded)
    if party is None and claimants is not None:
        party_id = claimants.canonical(event.quote)
        party = party_id in claimants.parties or None
    if not party:
        return []
    return _problem(
        event,
        "status",
        "reported-but-claimed",
        f"is 'reported' but the quote gives one party's word ('{speech.group()}')",
        "make it 'claimed' with the party as claimant, unless other reporting confirms it",
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


_STOP = frozenset(
    "a an the of in on at to and or but for from by with as that this these those is are was were "
    "be been has have had it its they their them he his she her we our us say says said claim "
    "claims claimed who which not no all any more than into out up over after before".split()
)
#: Rows without figures look alike when this share of the smaller one's words is shared.
SAME_WORDS = 0.5


def _content_words(event: Event) -> frozenset[str]:
    """Words of the summary and quote, less the claimant's own (its name is no likeness)."""
    own = {w.rstrip("s") for w in _NUMBER_TOKEN.findall(fold(event.claimant))}
    words = _NUMBER_TOKEN.findall(fold(f"{event.summary} {event.quote}"))
    return frozenset(
        w.rstrip("s") for w in words if w not in _STOP and len(w) > 2 and w.rstrip("s") not in own
    )


def _same_claims(events: list[Event], claimants=None):
    """Pairs ``(earlier, later)`` in row order: one claimant (by ``claimants``, the canonical
    list, so "NRF" and "National Resistance Front" are one), one type, dates close, and the
    same figures; rows without figures must share a place and most of their words instead."""
    canonical = (
        claimants.canonical if claimants is not None else (lambda c: " ".join(fold(c).split()))
    )
    groups: dict[tuple, list[int]] = {}
    for index, event in enumerate(events):
        if event.claimant:
            key = (
                canonical(event.claimant),
                event.event_type,
                frozenset(str(c) for c in event.casualties),
            )
            groups.setdefault(key, []).append(index)
    for key, indexes in groups.items():
        indexes.sort(key=lambda i: events[i].date)
        if key[2]:
            for a, b in zip(indexes, indexes[1:], strict=False):
                if (events[b].date - events[a].date).days <= DUPLICATE_DAYS:
                    yield (min(a, b), max(a, b))
            continue
        words = {i: _content_words(events[i]) for i in indexes}
        for n, a in enumerate(indexes):
            for b in indexes[n + 1 :]:
                if (events[b].date - events[a].date).days > DUPLICATE_DAYS:
                    break
                if not set(events[a].places) & set(events[b].places):
                    continue
                shared = len(words[a] & words[b]) / max(1, min(len(words[a]), len(words[b])))
                if shared >= SAME_WORDS:
                    yield (min(a, b), max(a, b))
                    break


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
    for earlier, later in _same_claims(events, ctx.claimants):
        if (earlier, later) in quoted or ("claim", later) in warned:
            continue
        warned.add(("claim", later))
        event, other = events[later], events[earlier]
        days = abs((event.date - other.date).days)
        same = (
            f"figures ({'; '.join(str(c) for c in event.casualties)})"
            if event.casualties
            else "place and most of the words"
        )
        problems += _problem(
            event,
            "casualties" if event.casualties else "claimant",
            "duplicate-claim",
            f"{other.id} has the same claimant ('{other.claimant}' / '{event.claimant}'), type "
            f"and {same} {days} day(s) apart",
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
    by_id = {e.id: e for e in events}
    for event in events:
        problems += _quote_places(event, matcher)
        if event.place_basis:
            problems += _basis(event, context, matcher, by_id)
        problems += _figures(event)
        problems += _weekday(event)
        problems += _reported_claim(event, context.claimants)
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


_AT_LEAST = (("more", "than"), ("at", "least"), ("over",))


def figures_in(text: str) -> list[str]:
    """Casualty figures a sentence gives, in the ``casualties`` cell's form, read as the
    figure checks read them: ``'34 killed taliban'``, ``'7-8 killed taliban'``, ``'40+
    captured unknown'``. A number takes the kind word after it ('21 ... were wounded') over
    one before. For drafts, which an editor checks; never raises."""
    words = _NUMBER_TOKEN.findall(fold(text).replace("-", " "))
    numbers = _number_positions(words)
    kind_words = [(i, _KIND_OF[w]) for i, w in enumerate(words) if w in _KIND_OF]
    assigned: dict[int, list[tuple[int, str]]] = {}
    for i, kind in kind_words:
        if numbers:
            distance, n = min((_distance(i, a, b), n) for n, (_, a, b) in enumerate(numbers))
            if distance <= KIND_WINDOW:
                assigned.setdefault(n, []).append((i, kind))
    # First the numbers that kind words belong to (a word after the number before one
    # before it), then the others take the nearest kind word no number has used.
    items = []
    n = 0
    while n < len(numbers):
        value, first, last = numbers[n]
        count, members = str(value), [n]
        # 'seven or eight', 'between 4 and 11', '4 to 11': one range
        if (
            n + 1 < len(numbers)
            and numbers[n + 1][1] == last + 2
            and words[last + 1] in ("or", "to", "and")
            and numbers[n + 1][0] > value
        ):
            count, last = f"{value}-{numbers[n + 1][0]}", numbers[n + 1][2]
            members.append(n + 1)
        elif any(tuple(words[max(0, first - len(p)) : first]) == p for p in _AT_LEAST):
            count = f"{value}+"
        n += len(members)
        mine = [k for m in members for k in assigned.get(m, [])]
        following = [k for k in mine if k[0] > last]
        items.append([count, first, last, (following or mine or [None])[0]])
    used = {item[3][0] for item in items if item[3]}
    for item in items:
        if item[3] is None:
            # A used word is shared only with a number that counts one side's people
            # ('seven or eight Taliban ... killed ... along with one or two resistance fighters').
            after = words[item[2] + 1 : item[2] + 1 + SIDE_WINDOW]
            shared = any(w in _SIDE_OF for w in after)
            near = [
                (_distance(i, item[1], item[2]), i, k)
                for i, k in kind_words
                if (shared or i not in used) and _distance(i, item[1], item[2]) <= KIND_WINDOW
            ]
            if near:
                item[3] = min(near)[1:]
                used.add(item[3][0])
    figures: list[str] = []
    for count, _first, last, chosen in items:
        after = words[last + 1] if last + 1 < len(words) else ""
        if chosen is None or after in _NOT_PEOPLE:
            continue
        side = next(
            (_SIDE_OF[w] for w in words[last + 1 : last + 1 + SIDE_WINDOW] if w in _SIDE_OF),
            "unknown",
        )
        figures.append(f"{count} {chosen[1]} {side}")
    return figures
