"""The events table, ``events.csv``: one row per dated, located happening in the reporting.

``load_events`` never raises on bad content. Each row is validated against the schema in
``lib.data.schema`` and against the gazetteer and the corpus (places resolve, articles exist, the
quote is in the first article, the date is not after that article was published). Rows with
errors are kept aside in ``EventTable.rejected`` with their problems; the good rows load.
The editor page validates what an editor typed with the very same functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lib.data import csvio
from lib.data.articles import Article
from lib.data.claimants import Claimants
from lib.data.gazetteer import Gazetteer
from lib.data.problems import Problem
from lib.data.schema import (
    CASUALTY_KINDS,
    CASUALTY_SIDES,
    CASUALTY_WORDS,
    EVENT_COLUMNS,
    Rule,
    column_problems,
    parse_date,
)
from lib.data.text import control_chars, normalize_quote, split_list

LABEL = "events.csv"
#: An event id, as datapackage.json declares it (matched whole).
ID_PATTERN = re.compile(rf"(?:{next(c for c in EVENT_COLUMNS if c.name == 'id').pattern})\Z")
#: Earliest date accepted; anything earlier is almost surely a typo in the year.
DATE_MIN = dt.date(1900, 1, 1)
_COUNT = re.compile(r"^(\d+)(?:-(\d+)|(\+))?$")
_STATUSES_NEEDING_CLAIMANT = {"claimed", "denied", "disputed"}


@dataclass(frozen=True)
class Casualty:
    """One claimed figure: ``low``/``high`` are ``None`` for words such as 'dozens'."""

    count: str
    kind: str
    side: str
    low: int | None = None
    high: int | None = None

    def __str__(self) -> str:
        return f"{self.count} {self.kind} {self.side}"


@dataclass(frozen=True)
class Event:
    id: str
    date: dt.date
    date_precision: str
    places: tuple[str, ...]
    event_type: str
    status: str
    summary: str
    articles: tuple[str, ...]
    quote: str
    date_basis: str = ""
    actors: tuple[str, ...] = ()
    claimant: str = ""
    casualties: tuple[Casualty, ...] = ()
    contests: tuple[str, ...] = ()
    place_basis: str = ""
    acknowledged: tuple[str, ...] = ()
    # Events built in code (tests, benchmarks) are treated as reviewed; the loader always sets
    # the state from the file (see MISSING_REVIEW).
    review: str = "approved"
    row: int | None = None  # spreadsheet row it came from, for messages

    @property
    def is_contested(self) -> bool:
        """Contested by its own cells (``is_contested``); that another row contests it is known
        only to the whole table (``contest_groups``, the frame's ``contested_with``)."""
        return bool(is_contested(";".join(self.contests), self.status))

    @property
    def is_public(self) -> bool:
        """True if readers may see the row: it has been approved."""
        return self.review == "approved"


#: The status that makes a row contested on its own, with no rival row.
DISPUTED = "disputed"


def is_contested(rivals, status):
    """Whether a row is contested: another row contradicts it (``rivals``, the ';'-joined ids
    it is contested with, is not empty) or its status is ``disputed``. The one definition that
    the map, its clusters, the alt text and the event cards share.

    Works element-wise on the events frame's ``contested_with`` and ``status`` columns (pandas
    Series, giving a boolean Series) as on one row's two cells (giving a bool).
    """
    return (rivals != "") | (status == DISPUTED)


def for_readers(events: Iterable[Event]) -> list[Event]:
    """The events readers see (the map, the exports, the edition): approved rows only.

    The one place where publication is decided; drafts and rows ready for review stay with
    the editors.
    """
    return [e for e in events if e.is_public]


@dataclass(frozen=True)
class Corroboration:
    """How many outlets report a happening, computed from its articles' ``outlet`` (never typed).

    ``outlets`` are the distinct outlets the articles' texts identify, in the row's order;
    ``unidentified`` counts articles whose outlet the text does not name (they may be from an
    outlet already counted, so they add no proven independence).
    """

    articles: int
    outlets: tuple[str, ...]
    unidentified: int

    @property
    def independent(self) -> int:
        """Independent outlets that are established: the distinct identified ones."""
        return len(self.outlets)

    @property
    def label(self) -> str:
        """'one article only', or '3 articles, several outlets: Express, Latin Times and ...'."""
        if self.articles <= 1:
            return "one article only"
        if self.independent >= 2:
            head = "several outlets"
        elif self.independent == 1 and not self.unidentified:
            head = "all from one outlet"
        else:
            head = "independence not established"
        parts = []
        if self.outlets:
            parts.append(", ".join(self.outlets))
        if self.unidentified:
            parts.append(
                f"{self.unidentified} article{'s' if self.unidentified > 1 else ''} "
                "naming no outlet"
            )
        return f"{self.articles} articles, {head}: {' and '.join(parts)}"


def corroboration(article_ids: Iterable[str], articles: Mapping[str, Article]) -> Corroboration:
    """The corroboration of a row citing ``article_ids`` (unknown ids count as unidentified)."""
    ids = list(dict.fromkeys(article_ids))
    outlets: list[str] = []
    unidentified = 0
    for article_id in ids:
        article = articles.get(article_id)
        outlet = article.outlet.strip() if article is not None else ""
        if not outlet:
            unidentified += 1
        elif outlet.casefold() not in {o.casefold() for o in outlets}:
            outlets.append(outlet)
    return Corroboration(len(ids), tuple(outlets), unidentified)


#: What a file without a ``review`` column means: every row approved, as published before the
#: column existed (treating them as drafts would empty the reader map on upgrade). The loader
#: says so in a warning.
MISSING_REVIEW = "approved"


@dataclass
class EventTable:
    events: list[Event] = field(default_factory=list)
    rejected: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a row is checked against. Either part may be empty (then those checks are skipped)."""

    gazetteer: Gazetteer | None = None
    articles: dict[str, Article] | None = None
    today: dt.date | None = None
    # The canonical claimants (lib.data.claimants); without them claimants compare as written.
    claimants: Claimants | None = None
    # Normalised article texts, filled on first use: normalising a long article once per
    # event made loading 100,000 events take half a minute.
    _texts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def normalized_text(self, article: Article) -> str:
        text = self._texts.get(article.id)
        if text is None:
            text = self._texts[article.id] = normalize_quote(article.text)
        return text


def parse_casualties(cell: str) -> tuple[list[Casualty], list[str]]:
    """Parse ``'34 killed taliban; 65 wounded taliban'``. Returns figures and error messages."""
    figures: list[Casualty] = []
    errors: list[str] = []
    for item in split_list(cell):
        parts = item.split()
        if len(parts) != 3:
            errors.append(f"'{item}' should be three words: count, kind, side")
            continue
        count, kind, side = parts[0].lower(), parts[1].lower(), parts[2].lower()
        low = high = None
        match = _COUNT.match(count)
        if match:
            low = int(match.group(1))
            high = int(match.group(2)) if match.group(2) else (None if match.group(3) else low)
            if match.group(2) and high < low:
                errors.append(f"'{count}' is a range whose end is below its start")
                continue
        elif count not in CASUALTY_WORDS:
            errors.append(
                f"'{count}' is not a count: use a number, a range like 7-8, 40+ "
                f"or one of {', '.join(CASUALTY_WORDS)}"
            )
            continue
        if kind not in CASUALTY_KINDS:
            errors.append(f"'{kind}' is not one of {', '.join(CASUALTY_KINDS)}")
            continue
        if side not in CASUALTY_SIDES:
            errors.append(f"'{side}' is not one of {', '.join(CASUALTY_SIDES)}")
            continue
        figures.append(Casualty(count, kind, side, low, high))
    return figures, errors


_DATE_HINT = "write it as YYYY-MM-DD, e.g. 2021-09-02"
#: The wording of each column's problems; the rules themselves are in datapackage.json.
RULES: dict[str, Rule] = {
    "id": Rule("'{value}' is not a valid id", "letters, digits, '-' and '_', e.g. E042",
               "give the row an id such as E042"),
    "date": Rule("'{value}' is not a date", _DATE_HINT, _DATE_HINT),
    "date_precision": Rule("'{value}' is not a date precision"),
    "places": Rule(empty="name at least one gazetteer id, e.g. shotul"),
    "event_type": Rule("'{value}' is not an event type"),
    "status": Rule("'{value}' is not a status"),
    "summary": Rule("has a line break", "keep the summary to one line",
                    "one line saying what happened"),
    "articles": Rule(empty="name the article(s) that report this, by id"),
    "quote": Rule(empty="paste the words from the article that support this row"),
    "review": Rule("'{value}' is not a review state"),
}  # fmt: skip
_COLUMNS = {c.name: c for c in EVENT_COLUMNS}


def _check_date(date: dt.date | None, ctx: Context, bad) -> dt.date | None:
    """The date if it is in range (1900 to today), else ``None`` and a problem."""
    today = ctx.today or dt.date.today()
    if date and not DATE_MIN <= date <= today:
        bad(
            "date",
            f"{date.isoformat()} is out of range",
            f"dates run from {DATE_MIN.isoformat()} to today; check the year",
        )
        return None
    return date


def _check_places(places: tuple[str, ...], ctx: Context, bad) -> None:
    """Every place is a gazetteer id; a name or a near miss gets the id to write."""
    if ctx.gazetteer is None:
        return
    for place in places:
        if place in ctx.gazetteer.places:
            continue
        found = ctx.gazetteer.lookup(place)
        if len(found) == 1:
            bad(
                "places", f"'{place}' is a name, not a gazetteer id", f"write its id: {found[0].id}"
            )
            continue
        near = ctx.gazetteer.nearest_names(place)
        bad(
            "places",
            f"unknown place '{place}'",
            ("did you mean " + " or ".join(near) + "?")
            if near
            else "add it to geodata/gazetteer.csv first",
        )


def _check_articles(articles: tuple[str, ...], quote: str, date, ctx: Context, bad) -> None:
    """Every article exists; the quote is in the first, which is not older than the date."""
    if ctx.articles is None or not articles:
        return
    for article_id in articles:
        if article_id not in ctx.articles:
            bad(
                "articles",
                f"unknown article '{article_id}'",
                "known: " + ", ".join(sorted(ctx.articles)),
            )
    first = ctx.articles.get(articles[0])
    if first is None:
        return
    if quote and normalize_quote(quote) not in ctx.normalized_text(first):
        bad(
            "quote",
            f"is not in the article '{first.id}'",
            "copy the words exactly from that article (the first one listed)",
        )
    if date and first.published_to and date > first.published_to:
        bad(
            "date",
            f"{date.isoformat()} is after '{first.id}' was published "
            f"(by {first.published_to.isoformat()})",
            "an article cannot report a later event; check the date",
        )


def _event(get: dict[str, str], date: dt.date, casualties, row_no: int | None) -> Event:
    """The event of a row whose cells (stripped, by column) passed every check."""

    def items(column: str) -> tuple[str, ...]:
        return tuple(split_list(get.get(column, "")))

    return Event(
        id=get["id"],
        date=date,
        date_precision=get["date_precision"],
        places=items("places"),
        event_type=get["event_type"],
        status=get["status"],
        summary=get["summary"],
        articles=items("articles"),
        quote=get["quote"],
        date_basis=get.get("date_basis", ""),
        actors=items("actors"),
        claimant=get.get("claimant", ""),
        casualties=tuple(casualties),
        contests=items("contests"),
        place_basis=get.get("place_basis", ""),
        acknowledged=items("acknowledged"),
        review=get["review"] or "draft",
        row=row_no,
    )


def validate_row(row: dict[str, str], row_no: int | None, ctx: Context, label: str = LABEL):
    """Check one row. Returns ``(event or None, problems)``; never raises.

    The column rules come from the schema (``column_problems``); then the checks that need
    more than one cell: the claimant a status needs, the casualty figures, the gazetteer, the
    articles and their text, a row contesting itself.
    """
    too_long = csvio.long_cells(row)
    if too_long:
        # Nothing else is checked: a megabyte-long cell is never worth matching or suggesting.
        return None, [csvio.long_cell_problem(label, row_no, c, n) for c, n in too_long]
    problems: list[Problem] = []

    def bad(column: str, message: str, hint: str = "", severity: str = "error") -> None:
        problems.append(Problem(label, row_no, column, message, hint, severity))

    get = {k: (v or "").strip() for k, v in row.items() if k is not None}
    for column, value in get.items():
        if control_chars(value):
            bad(column, f"contains control characters {', '.join(control_chars(value))}",
                "delete the invisible characters (often pasted from a PDF)")  # fmt: skip
    # A file without the column was published before review states existed (MISSING_REVIEW);
    # a spreadsheet's capital ("Ready") is forgiven, as nothing else reads it.
    get["review"] = get.get("review", MISSING_REVIEW).lower()
    for problem in column_problems(_COLUMNS, RULES, get):
        bad(*problem)

    event_id, status, claimant = get.get("id", ""), get.get("status", ""), get.get("claimant", "")
    date = _check_date(parse_date(get.get("date", "")), ctx, bad)
    if status in _STATUSES_NEEDING_CLAIMANT and not claimant:
        bad("claimant", f"is empty but the status is '{status}'", "say who makes the claim")
    casualties, casualty_errors = parse_casualties(get.get("casualties", ""))
    for message in casualty_errors:
        bad("casualties", message, "e.g. '34 killed taliban; 7-8 killed nrf'")
    _check_places(tuple(split_list(get.get("places", ""))), ctx, bad)
    articles = tuple(split_list(get.get("articles", "")))
    _check_articles(articles, get.get("quote", ""), date, ctx, bad)
    if event_id and event_id in split_list(get.get("contests", "")):
        bad("contests", "names the row itself", "name the events this one contradicts")
    if any(p.severity == "error" for p in problems):
        return None, problems
    return _event(get, date, casualties, row_no), problems


def validate_rows(
    rows: list[tuple[int | None, dict[str, str]]], ctx: Context, label: str = LABEL
) -> EventTable:
    """Validate every row, then the checks across rows (unique ids, contests that resolve)."""
    table = EventTable()
    seen: dict[str, int | None] = {}
    for row_no, row in rows:
        event, problems = validate_row(row, row_no, ctx, label)
        event_id = (row.get("id") or "").strip()
        if event_id and event_id in seen:
            earlier = seen[event_id]
            problems.append(
                Problem(
                    label,
                    row_no,
                    "id",
                    f"duplicate id '{event_id}'" + (f" (also row {earlier})" if earlier else ""),
                    "give each row its own id",
                )
            )
            event = None
        elif event_id:
            seen[event_id] = row_no
        table.problems.extend(problems)
        if event is None:
            table.rejected.append((row_no, row))
        else:
            table.events.append(event)
    for event in table.events:
        for other in event.contests:
            if other not in seen:
                table.problems.append(
                    Problem(
                        label,
                        event.row,
                        "contests",
                        f"names '{other}', which is not an event id",
                        "use the id of the contradicting row",
                        severity="warning",
                    )
                )
    return table


def load_events(path: Path, ctx: Context, label: str = LABEL) -> EventTable:
    """Read and validate ``events.csv``."""
    required = [c.name for c in EVENT_COLUMNS if c.required]
    optional = [c.name for c in EVENT_COLUMNS if not c.required]
    raw = csvio.read(Path(path), required, optional, label=label)
    table = validate_rows(raw.rows, ctx, label)
    table.problems[:0] = raw.problems
    if raw.header and "review" not in raw.header:
        table.problems.insert(
            len(raw.problems),
            Problem(
                label,
                None,
                "review",
                f"has no review column: every row is treated as {MISSING_REVIEW}, "
                "as before review states existed",
                "add a 'review' column (draft, ready or approved) to hold rows back from readers",
                severity="warning",
            ),
        )
    table.header = raw.header
    return table


def contest_groups(events: list[Event]) -> dict[str, set[str]]:
    """For each event id, every event id it is contested with (both directions, transitively)."""
    links: dict[str, set[str]] = {e.id: set() for e in events}
    for event in events:
        for other in event.contests:
            if other in links:
                links[event.id].add(other)
                links[other].add(event.id)
    groups: dict[str, set[str]] = {}
    for start in links:
        if start in groups:
            continue
        group, todo = set(), [start]
        while todo:
            node = todo.pop()
            if node not in group:
                group.add(node)
                todo.extend(links[node] - group)
        for node in group:
            groups[node] = group - {node}
    return groups
