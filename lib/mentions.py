"""The mention index: every place of the gazetteer named in every article, with its sentence.

Matching works on word tokens of the folded text (``lib.text.tokens``), so it ignores case,
accents, curly quotes and hyphen-versus-space differences, and it respects word boundaries
("Kabul" is not found inside "Kabulis"; "Panjshir's" is a mention of Panjshir). A run of up to
``max_tokens`` consecutive tokens is looked up, joined without separators, in a dictionary of name
keys, so "Jabul-Saraj", "Jabul Saraj" and "JabulSaraj" all match the variant "Jabul-Saraj".
The longest name wins where names overlap ("Panjshir Valley" over "Panjshir").

Cost is linear in the corpus size: about ``max_tokens`` dictionary look-ups per word, whatever
the number of places.

Phrases in a place's ``not_in`` list (for example "Lion of Panjshir", an epithet) are matched the
same way, and a place name inside one of them is not a mention of that place.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from lib.articles import Article
from lib.gazetteer import Gazetteer
from lib.text import name_key, tokens


@dataclass(frozen=True)
class Mention:
    article_id: str
    place_id: str
    matched: str  # the exact text in the article
    start: int  # character offsets into the article text, end exclusive
    end: int
    sentence: str
    sentence_start: int


@dataclass(frozen=True)
class Matcher:
    """Name keys of a gazetteer, prepared once and reused for every article."""

    names: dict[str, tuple[str, ...]]  # name key -> place ids
    blocked: dict[str, tuple[str, ...]]  # not_in phrase key -> place ids it blocks
    max_tokens: int
    # Every prefix of every key: a run of tokens whose concatenation is not a prefix cannot
    # grow into a name, so the scan moves on at once (most words are no prefix at all).
    prefixes: frozenset[str] = frozenset()

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> Matcher:
        names: dict[str, list[str]] = {}
        blocked: dict[str, list[str]] = {}
        longest = 1
        for place in gazetteer.places.values():
            for name in place.names:
                key = name_key(name)
                if key:
                    ids = names.setdefault(key, [])
                    if place.id not in ids:
                        ids.append(place.id)
                    longest = max(longest, len(tokens(name)))
            for phrase in place.not_in:
                key = name_key(phrase)
                if key:
                    blocked.setdefault(key, []).append(place.id)
                    longest = max(longest, len(tokens(phrase)))
        prefixes = frozenset(k[:i] for k in [*names, *blocked] for i in range(1, len(k) + 1))
        return cls(
            {k: tuple(v) for k, v in names.items()},
            {k: tuple(v) for k, v in blocked.items()},
            longest,
            prefixes,
        )


# A sentence ends at . ! ? (optionally followed by closing quotes) before white space, or at a
# line break. Good enough for news text; abbreviations may split a sentence early.
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d)]*(?=\s)|\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, trimmed of surrounding white space."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _longest_runs(
    toks, table: dict[str, tuple[str, ...]], max_tokens: int, prefixes: frozenset[str]
):
    """Yield ``(first token, last token, ids)`` of the longest key at each position, left to right."""
    i = 0
    n = len(toks)
    while i < n:
        found = None
        key = ""
        for j in range(i, min(n, i + max_tokens)):
            key += toks[j][0]
            if key not in prefixes:
                break
            ids = table.get(key)
            if ids:
                found = (i, j, ids)
        if found:
            yield found
            i = found[1] + 1
        else:
            i += 1


def find_mentions(article: Article, matcher: Matcher) -> list[Mention]:
    """Every mention of every place in one article, in text order."""
    text = article.text
    toks = tokens(text)
    blocked_spans: list[tuple[int, int, tuple[str, ...]]] = []
    if matcher.blocked:
        blocked_spans = [
            (toks[a][1], toks[b][2], ids)
            for a, b, ids in _longest_runs(
                toks, matcher.blocked, matcher.max_tokens, matcher.prefixes
            )
        ]
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    found: list[Mention] = []
    for a, b, ids in _longest_runs(toks, matcher.names, matcher.max_tokens, matcher.prefixes):
        start, end = toks[a][1], toks[b][2]
        k = bisect.bisect_right(starts, start) - 1
        s_start, s_end = sentences[k] if k >= 0 else (start, end)
        for place_id in ids:
            if any(
                bs <= start and end <= be and place_id in bids for bs, be, bids in blocked_spans
            ):
                continue
            found.append(
                Mention(
                    article.id, place_id, text[start:end], start, end, text[s_start:s_end], s_start
                )
            )
    return found


def places_named(text: str, matcher: Matcher) -> set[str]:
    """Ids of the places a piece of text (a quote) names, by the same rules as the index."""
    return {m.place_id for m in find_mentions(Article("", "", text), matcher)}


def build_index(articles: Iterable[Article], gazetteer: Gazetteer) -> list[Mention]:
    """The mention index of a whole corpus, ordered by article then position."""
    matcher = Matcher.from_gazetteer(gazetteer)
    index: list[Mention] = []
    for article in articles:
        index.extend(find_mentions(article, matcher))
    return index


def by_place(index: Iterable[Mention]) -> dict[str, list[Mention]]:
    grouped: dict[str, list[Mention]] = {}
    for mention in index:
        grouped.setdefault(mention.place_id, []).append(mention)
    return grouped


def main(argv: list[str] | None = None) -> int:
    """``python -m lib.mentions``: print the index of the shipped corpus as JSON lines."""
    from lib.dataset import load_dataset

    data = load_dataset()
    for mention in build_index(data.articles.values(), data.gazetteer):
        sys.stdout.write(json.dumps(asdict(mention), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
