"""The tables' columns and vocabularies, declared once: in ``datapackage.json``.

``datapackage.json`` (beside ``events.csv``) is a Frictionless Data Package: a Table Schema per
CSV with each column's type, label (``title``), description, whether it is required, and its
allowed values (``constraints.enum``, described in ``categories``) or form
(``constraints.pattern``, matched whole). This module reads it once and hands the loaders their
column rules; the checks that need more than one cell (the gazetteer, the article text, other
rows) stay in code. The docs describe every column listed here
(``tests/test_schema_docs.py``), and ``tests/test_datapackage.py`` fails when the package and
the loaders disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: The data package: the project's tables and their schemas.
PACKAGE_FILE = Path(__file__).resolve().parents[2] / "datapackage.json"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Column:
    """One column of a table, as its Table Schema field declares it.

    ``pattern`` must match the whole cell; ``delimiter`` is set for a list column (items
    separated by ``;``). ``minimum``/``maximum`` bound a number column.
    """

    name: str
    required: bool
    help: str
    label: str = ""
    type: str = "string"
    enum: tuple[str, ...] = ()
    pattern: str = ""
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    delimiter: str = ""

    def problem(self, value: str) -> str | None:
        """What is wrong with the (stripped) cell ``value`` by this column's declared rules:
        ``"empty"``, ``"enum"``, ``"pattern"``, ``"type"`` (not a date or not a number),
        ``"range"`` or ``"length"``; ``None`` when it is fine. An empty cell of a column that
        is not required is fine."""
        if not value or (self.delimiter and not value.replace(self.delimiter, "").strip()):
            # a list of no items (";") is empty too: a row must not load with no place
            return "empty" if self.required else None
        if self.enum and value not in self.enum:
            return "enum"
        if self.pattern and not _regex(self.pattern).fullmatch(value):
            return "pattern"
        if self.type == "date" and parse_date(value) is None:
            return "type"
        if self.type == "number":
            number = parse_number(value)
            if number is None:
                return "type"
            if (self.minimum is not None and number < self.minimum) or (
                self.maximum is not None and number > self.maximum
            ):
                return "range"
        if self.max_length is not None and len(value) > self.max_length:
            return "length"
        return None


@dataclass(frozen=True)
class Rule:
    """How to word a problem with one column, the column's rules being its Table Schema field
    (``lib.data.schema``): ``bad`` for a value outside its enum, pattern or type, ``hint`` for
    how to fix it (for an enum, the allowed values are added), ``empty`` for the hint when a
    required cell is empty (without it, an empty cell is worded as a bad value)."""

    bad: str = "'{value}' is not valid"
    hint: str = ""
    empty: str = ""


def column_problems(
    columns: Mapping[str, Column], rules: Mapping[str, Rule], cells: Mapping[str, str]
):
    """``(column, message, hint)`` for every cell of ``cells`` (stripped, by column name) that
    breaks its column's declared rules (required, enum, pattern, type, range, length); only
    the columns ``rules`` words are checked."""
    for name, rule in rules.items():
        column, value = columns[name], cells.get(name, "")
        kind = column.problem(value)
        if kind is None:
            continue
        if kind == "empty" and rule.empty:
            yield name, "is empty", rule.empty
        elif kind == "length":
            yield name, f"is {len(value)} characters long", f"keep it under {column.max_length}"
        elif column.enum:
            yield name, rule.bad.format(value=value), "one of: " + ", ".join(column.enum)
        else:
            yield name, rule.bad.format(value=value) if value else "is empty", rule.hint


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def parse_date(value: str) -> dt.date | None:
    """The date a cell writes as ``YYYY-MM-DD``, else ``None``: the one date parser of the
    tables. ``date.fromisoformat`` alone would also take ``20210902`` and week dates
    (``2021-W35-3``); a table must say it one way."""
    value = value.strip()
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # 2021-02-30
        return None


def parse_number(value: str) -> float | None:
    """A finite decimal number, else ``None`` (``nan`` and ``inf`` are not coordinates)."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


@functools.cache
def package() -> dict:
    """The data package descriptor (``datapackage.json``), read once."""
    return json.loads(PACKAGE_FILE.read_text(encoding="utf-8"))


def resource(name: str) -> dict:
    """The resource ``name`` of the package (``events``, ``places``, ``articles``,
    ``claimants``)."""
    for item in package()["resources"]:
        if item["name"] == name:
            return item
    raise KeyError(f"datapackage.json has no resource '{name}'")


def _column(field: dict) -> Column:
    constraints = field.get("constraints", {})
    enum = tuple(constraints.get("enum", ()))
    help_text = field.get("description", "")
    if enum:  # the values are listed once, in the enum
        help_text = f"{help_text}, one of: {', '.join(enum)}"
    return Column(
        name=field["name"],
        required=bool(constraints.get("required", False)),
        help=help_text,
        label=field.get("title", field["name"]),
        type=field.get("type", "string"),
        enum=enum,
        pattern=constraints.get("pattern", ""),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        max_length=constraints.get("maxLength"),
        delimiter=field.get("delimiter", "") if field.get("type") == "list" else "",
    )


def columns(name: str) -> list[Column]:
    """The columns of the resource ``name``, in the file's order."""
    return [_column(f) for f in resource(name)["schema"]["fields"]]


def labels(name: str) -> dict[str, str]:
    """Column name -> the label forms and grids show for it (the field's ``title``)."""
    return {c.name: c.label for c in columns(name)}


def vocabulary(name: str, column: str) -> dict[str, str]:
    """The allowed values of a column with what each means (the field's ``categories``)."""
    field = next(f for f in resource(name)["schema"]["fields"] if f["name"] == column)
    return {c["value"]: c["label"] for c in field["categories"]}


def by_name(cols: list[Column]) -> dict[str, Column]:
    return {c.name: c for c in cols}


EVENT_COLUMNS = columns("events")
PLACE_COLUMNS = columns("places")
ARTICLE_COLUMNS = columns("articles")
CLAIMANT_COLUMNS = columns("claimants")

EVENT_TYPES = vocabulary("events", "event_type")
STATUSES = vocabulary("events", "status")
DATE_PRECISIONS = vocabulary("events", "date_precision")
#: Review states of an event, in the order a row moves through them. Only approved rows reach
#: readers (the map, the exports, the edition): ``lib.data.events.for_readers``.
REVIEW_STATES = vocabulary("events", "review")
PLACE_KINDS = vocabulary("places", "kind")
PRECISIONS = vocabulary("places", "precision")

#: Precisions drawn as a pin; all others are areas.
PIN_PRECISIONS = frozenset({"point", "town"})

# The casualties cell is a small language of its own ('<count> <kind> <side>', ';'-separated),
# checked by lib.data.events.parse_casualties with a message per part; its words live here.
# 'casualties' is for claims that do not tell dead from wounded ("their casualties are high").
CASUALTY_KINDS = ("killed", "wounded", "captured", "casualties")
CASUALTY_SIDES = ("taliban", "nrf", "civilians", "both", "unknown")
# Words the reporting uses instead of numbers; kept as claimed.
CASUALTY_WORDS = (
    "few",
    "several",
    "dozens",
    "scores",
    "hundreds",
    "heavy",
    "high",
    "catastrophic",
    "large-numbers",
)
