"""What in a scraped article is not the article: captions, photo tags, newsletter boxes, links.

The stored text stays verbatim (it is the source). Which of its lines are page furniture is
metadata: the ``boilerplate`` column of ``articles/articles.csv`` holds line ranges such as
``5-11;35`` (lines counted from 1, as ``text.split("\\n")`` counts them, both ends included).
The mention index and the passage list skip those lines; the Articles page greys them.

``propose_boilerplate`` is the editor's first guess for a new article, to confirm by eye: it
errs towards proposing (a caption missed shows up as a stray passage; a line proposed wrongly
is one click to keep).
"""

from __future__ import annotations

import re

Range = tuple[int, int]

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


def parse_ranges(cell: str, line_count: int | None = None) -> tuple[list[Range], list[str]]:
    """Parse ``'12-14;40'`` into ``[(12, 14), (40, 40)]``. Returns ranges and error messages.

    With ``line_count``, a range past the last line is an error (the text changed, or a typo).
    """
    ranges: list[Range] = []
    errors: list[str] = []
    for item in (part for part in cell.split(";") if part.strip()):
        match = _RANGE.match(item)
        if not match:
            errors.append(f"'{item.strip()}' is not a line or a range of lines like 5-11")
            continue
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if start < 1 or end < start:
            errors.append(f"'{item.strip()}' is not a range: lines count from 1, start <= end")
            continue
        if line_count is not None and end > line_count:
            errors.append(f"'{item.strip()}' goes past the last line ({line_count})")
            continue
        ranges.append((start, end))
    return ranges, errors


def format_ranges(ranges: list[Range]) -> str:
    """The cell for ``ranges``, merged and sorted: ``[(5, 6), (7, 9), (12, 12)]`` -> ``'5-9;12'``."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return ";".join(f"{s}-{e}" if e > s else f"{s}" for s, e in merged)


def line_spans(text: str, ranges: list[Range]) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the lines in ``ranges`` (end exclusive, no newline)."""
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    spans = []
    for first, last in ranges:
        if first > len(starts):
            continue
        last = min(last, len(starts))
        start = starts[first - 1]
        end = starts[last] - 1 if last < len(starts) else len(text)
        spans.append((start, end))
    return spans


# Each rule: a pattern over the stripped line and the reason shown to the editor.
_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"^(sign up|invalid email|we use your sign-?up|you can unsubscribe|subscribe to)", re.I
        ),
        "newsletter box",
    ),
    (re.compile(r"\((image|photo|picture|video)s?:[^)]*\)\s*$", re.I), "image caption"),
    (re.compile(r"^pictured\b|\((left|right|centre|center|pictured)\b", re.I), "image caption"),
    (re.compile(r"representational image|^file photo|/\s*pixabay\s*$", re.I), "image caption"),
    (re.compile(r"\[(analysis|insight|reveal|video|pictures|latest)\]\s*$", re.I), "related link"),
    (re.compile(r"^(related posts?|read more|just in:|more:|watch:)", re.I), "related link"),
    (re.compile(r"^source: read full article", re.I), "related link"),
    (re.compile(r"^©|all rights reserved", re.I), "footer"),
]
# Reporting ends its sentences; captions, tags and link titles mostly do not.
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]…]$")
_BULLET = re.compile(r"^[•*\-\u2013\u2014]\s")


def propose_boilerplate(text: str) -> list[tuple[int, int, str]]:
    """Guess the lines of ``text`` that are not the article: ``(start_line, end_line, reason)``.

    Lines count from 1. The first line (the headline) and the first line after it (often a
    standfirst without a full stop) are never proposed; neither are bullet points. Runs of
    consecutive lines with the same reason come back as one range; blank lines between them
    join the run.
    """
    lines = text.split("\n")
    reasons: dict[int, str] = {}
    first_after_headline = next((i for i in range(1, len(lines)) if lines[i].strip()), None)
    previous = ""
    for i, raw in enumerate(lines):
        line = raw.strip()
        if i == 0 or not line:
            continue
        reason = next((why for rule, why in _RULES if rule.search(line)), None)
        if reason is None and line == previous:
            reason = "repeated line (a caption scraped twice)"
            earlier = max(j for j in range(i) if lines[j].strip() == line)
            reasons.setdefault(earlier + 1, reason)
        if (
            reason is None
            and i != first_after_headline
            and not _BULLET.match(line)
            and not _SENTENCE_END.search(line)
        ):
            reason = "no sentence ending: a caption, photo tag or link title"
        if reason:
            reasons[i + 1] = reason
        previous = line
    proposed: list[tuple[int, int, str]] = []
    for number in sorted(reasons):
        reason = reasons[number]
        if proposed and proposed[-1][2] == reason and _only_blank(lines, proposed[-1][1], number):
            proposed[-1] = (proposed[-1][0], number, reason)
        else:
            proposed.append((number, number, reason))
    return proposed


def _only_blank(lines: list[str], after: int, before: int) -> bool:
    """True if every line strictly between line numbers ``after`` and ``before`` is blank."""
    return all(not lines[j - 1].strip() for j in range(after + 1, before))
