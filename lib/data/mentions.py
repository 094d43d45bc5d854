"""The mention index: every place of the gazetteer named in every article, with its sentence.

Matching works on word tokens of the folded text (``lib.data.text.tokens``), so it ignores case,
accents, curly quotes and hyphen-versus-space differences, and it respects word boundaries
("Kabul" is not found inside "Kabulis"; "Panjshir's" is a mention of Panjshir). Consecutive
tokens are joined without separators and compared with name keys (``lib.data.text.name_key``), so
"Jabul-Saraj", "Jabul Saraj" and "JabulSaraj" all match the variant "Jabul-Saraj". The longest
name wins where names overlap ("Panjshir Valley" over "Panjshir").

The name keys live in one character trie, so memory and build time are linear in the total
length of the names (a 100,000-character name is 100,000 trie edges, a few MB; storing every
prefix as a string, as before, took 4.9 GB). The scan walks the trie a whole token at a time and
remembers each (trie node, token) step, so a corpus costs about one dictionary look-up per word
once its vocabulary has been seen.

A place name is not a mention of the place:
- inside one of the place's ``not_in`` phrases (for example "Lion of Panjshir", an epithet),
  matched the same way;
- as the end of an organisation's name: "National Resistance Front of Afghanistan", "Central
  Bank of Afghanistan" (a capitalised word from ``ORGANISATION_WORDS`` and "of" just before it);
- on a boilerplate line of the article (``Article.boilerplate``: photo tags, newsletter
  boxes, related links), which is not the article.

Photo captions (``Article.captions``) are reporting: their mentions are kept, with ``caption``
set so that a passage can say it comes from a caption.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from lib.data.articles import Article
from lib.data.gazetteer import Gazetteer
from lib.data.text import WORD, fold, name_key

#: Capitalised words that, followed by "of" (or "for") and a place name, make the whole an
#: organisation's name rather than a mention of the place.
ORGANISATION_WORDS = (
    "Front",
    "Alliance",
    "Movement",
    "Party",
    "Army",
    "Forces",
    "Council",
    "Bank",
    "University",
    "Union",
    "Committee",
    "Ministry",
    "Association",
    "Federation",
    "Commission",
    "Organisation",
    "Organization",
    "Institute",
    "Society",
    "League",
    "Corporation",
    "Company",
    "Office",
    "Embassy",
)
# Anchored at the end of the text before a mention; case-sensitive on purpose: "a front of
# Panjshir" is a place, "the Resistance Front of Panjshir" an organisation.
_ORGANISATION = re.compile(
    r"\b(?:" + "|".join(ORGANISATION_WORDS) + r")\s+(?:of|for)\s+(?:the\s+)?$"
)
#: How far back from a mention the organisation pattern looks, in characters.
_ORGANISATION_LOOKBACK = 40


_STEP_CACHE = 1_000_000


@dataclass(frozen=True)
class Mention:
    article_id: str
    place_id: str
    matched: str  # the exact text in the article
    start: int  # character offsets into the article text, end exclusive
    end: int
    sentence: str
    sentence_start: int
    caption: bool = False  # on a photo caption line (Article.captions): reporting, labelled


@dataclass(frozen=True)
class Matcher:
    """Name keys of a gazetteer in one trie, prepared once and reused for every article.

    Trie nodes are integers (0 is the root); ``edges`` maps ``node << 21 | ord(char)`` to the
    next node (21 bits hold any code point). ``names`` and ``blocked`` map the node where a name
    key or a ``not_in`` phrase key ends to the place ids it stands for or blocks.
    """

    edges: dict[int, int]
    names: dict[int, tuple[str, ...]]
    blocked: dict[int, tuple[str, ...]]
    # (node, token) -> node reached after the token's characters, or -1: filled while scanning;
    # steps from the root, by far the most frequent, are keyed by the token alone.
    _steps: dict[tuple[int, str], int] = field(default_factory=dict, compare=False, repr=False)
    _root_steps: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> Matcher:
        edges: dict[int, int] = {}
        names: dict[int, list[str]] = {}
        blocked: dict[int, list[str]] = {}

        def insert(key: str) -> int:
            node = 0
            for char in key:
                edge = node << 21 | ord(char)
                nxt = edges.get(edge)
                if nxt is None:
                    nxt = edges[edge] = len(edges) + 1
                node = nxt
            return node

        for place in gazetteer.places.values():
            for name in place.names:
                key = name_key(name)
                if key:
                    ids = names.setdefault(insert(key), [])
                    if place.id not in ids:
                        ids.append(place.id)
            for phrase in place.not_in:
                key = name_key(phrase)
                if key:
                    ids = blocked.setdefault(insert(key), [])
                    if place.id not in ids:
                        ids.append(place.id)
        return cls(
            edges,
            {k: tuple(v) for k, v in names.items()},
            {k: tuple(v) for k, v in blocked.items()},
        )

    def walk(self, node: int, token: str) -> int:
        """The node reached from ``node`` through ``token``'s characters, or -1 if none."""
        edges = self.edges
        for char in token:
            node = edges.get(node << 21 | ord(char), -1)
            if node < 0:
                break
        return node

    def step(self, node: int, token: str) -> int:
        """``walk``, remembered (memory bounded: a hostile corpus must not grow it without end)."""
        if node == 0:
            found = self._root_steps.get(token)
            if found is None:
                if len(self._root_steps) > _STEP_CACHE:
                    self._root_steps.clear()
                found = self._root_steps[token] = self.walk(0, token)
            return found
        key = (node, token)
        found = self._steps.get(key)
        if found is None:
            if len(self._steps) > _STEP_CACHE:
                self._steps.clear()
            found = self._steps[key] = self.walk(node, token)
        return found


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


def _longest_runs(words: list[str], matcher: Matcher, table: dict[int, tuple[str, ...]]):
    """Yield ``(first word, last word, ids)`` of the longest key at each position, left to right."""
    i = 0
    n = len(words)
    step = matcher.step
    root = matcher._root_steps
    while i < n:
        # Most words start no name: one dictionary look-up and on to the next.
        node = root.get(words[i])
        if node is None:
            node = step(0, words[i])
        if node < 0:
            i += 1
            continue
        ids = table.get(node)
        found = (i, i, ids) if ids else None
        for j in range(i + 1, n):
            node = step(node, words[j])
            if node < 0:
                break
            ids = table.get(node)
            if ids:
                found = (i, j, ids)
        if found:
            yield found
            i = found[1] + 1
        else:
            i += 1


def _in_spans(start: int, end: int, starts: list[int], spans: list[tuple[int, int, object]]):
    """The payload of the sorted, non-overlapping span holding ``start:end``, or None."""
    k = bisect.bisect_right(starts, start) - 1
    if k >= 0 and end <= spans[k][1]:
        return spans[k][2]
    return None


def find_mentions(
    article: Article, matcher: Matcher, *, boilerplate: bool = False
) -> list[Mention]:
    """Every mention of every place in one article, in text order.

    Boilerplate lines (tags, newsletter boxes) are skipped unless ``boilerplate`` is true;
    mentions on caption lines are kept and marked ``caption``.
    """
    text = article.text
    # The tokens of lib.data.text.tokens as two lists (words, spans): twice as fast over a corpus.
    folded = fold(text)
    words = WORD.findall(folded)
    spans = [m.span() for m in WORD.finditer(folded)]
    blocked = (
        [
            (spans[a][0], spans[b][1], ids)
            for a, b, ids in _longest_runs(words, matcher, matcher.blocked)
        ]
        if matcher.blocked
        else []
    )
    blocked_starts = [s for s, _, _ in blocked]
    furniture = [] if boilerplate else [(s, e, True) for s, e in sorted(article.boilerplate_spans)]
    furniture_starts = [s for s, _, _ in furniture]
    captions = [(s, e, True) for s, e in sorted(article.caption_spans)]
    caption_starts = [s for s, _, _ in captions]
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    found: list[Mention] = []
    for a, b, ids in _longest_runs(words, matcher, matcher.names):
        start, end = spans[a][0], spans[b][1]
        if furniture and _in_spans(start, end, furniture_starts, furniture):
            continue
        if _ORGANISATION.search(text, max(0, start - _ORGANISATION_LOOKBACK), start):
            continue
        blocking = _in_spans(start, end, blocked_starts, blocked) if blocked else None
        k = bisect.bisect_right(starts, start) - 1
        s_start, s_end = sentences[k] if k >= 0 else (start, end)
        for place_id in ids:
            if blocking and place_id in blocking:
                continue
            found.append(
                Mention(
                    article.id,
                    place_id,
                    text[start:end],
                    start,
                    end,
                    text[s_start:s_end],
                    s_start,
                    bool(captions and _in_spans(start, end, caption_starts, captions)),
                )
            )
    return found


def places_named(text: str, matcher: Matcher) -> set[str]:
    """Ids of the places a piece of text (a quote) names, by the same rules as the index."""
    return {m.place_id for m in find_mentions(Article("", "", text), matcher)}


def build_index(
    articles: Iterable[Article], gazetteer: Gazetteer, *, boilerplate: bool = False
) -> list[Mention]:
    """The mention index of a whole corpus, ordered by article then position.

    Without ``boilerplate``, the index (what readers see) leaves out boilerplate lines.
    """
    matcher = Matcher.from_gazetteer(gazetteer)
    index: list[Mention] = []
    for article in articles:
        index.extend(find_mentions(article, matcher, boilerplate=boilerplate))
    return index


def by_place(index: Iterable[Mention]) -> dict[str, list[Mention]]:
    grouped: dict[str, list[Mention]] = {}
    for mention in index:
        grouped.setdefault(mention.place_id, []).append(mention)
    return grouped


def main(argv: list[str] | None = None) -> int:
    """``python -m lib mentions``: print the index of the shipped corpus as JSON lines."""
    import argparse

    from lib.data.dataset import load_dataset

    argparse.ArgumentParser(
        prog="python -m lib mentions",
        description="Print every place named in every article, one JSON object a line.",
    ).parse_args(argv)
    data = load_dataset()
    for mention in build_index(data.articles.values(), data.gazetteer):
        sys.stdout.write(json.dumps(asdict(mention), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
