"""Text helpers shared by matching, validation and rendering.

Everything here is pure and works on ``str``. Two ideas matter:

* ``fold`` maps a string to a same-length, lower-case, accent-free form with curly quotes and
  dashes made plain, so a match found in the folded text has the same character span in the
  original text.
* ``name_key`` reduces a place name to letters and digits only, so "Jabul-Saraj", "jabul saraj"
  and "JabulSaraj" compare equal.

``escape`` is the single place where data becomes HTML: every string from the data set that goes
into a popup, tooltip or highlighted article passes through it (or through ``highlight``).
``markdown_escape`` is its twin for the few places where Streamlit renders Markdown (warnings,
captions, headings): untrusted text there shows as the characters it is. Both drop the bidi
override and isolate controls (``strip_bidi``), which would show text reversed.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

# Characters people and word processors use interchangeably in names and quotes.
_PLAIN = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark / apostrophe
    "\u02bc": "'",  # modifier letter apostrophe
    "\u02bb": "'",
    "\u02be": "'",  # transliteration ayn/hamza marks used in GeoNames
    "\u02bf": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u0131": "i",  # dotless i
    "\u00df": "s",  # keeps one char per char; good enough for names
    "\u00f8": "o",
    "\u0142": "l",
    "\u0111": "d",
}


def _fold_char(ch: str) -> str:
    if ch in _PLAIN:
        return _PLAIN[ch]
    low = ch.lower()
    if len(low) != 1:  # e.g. "İ".lower() is two characters
        low = ch
    decomposed = unicodedata.normalize("NFKD", low)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Keep the span map exact: one character in, one character out.
    return base if len(base) == 1 else low


class _FoldTable(dict):
    """``str.translate`` table that folds each character once, on first sight.

    Translating in C through this table is about ten times faster than a Python call per
    character, which matters for the mention index over hundreds of articles.
    """

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip accents and plain-ify quotes/dashes, keeping ``len(fold(s)) == len(s)``."""
    return text.translate(_FOLD_TABLE)


_NON_ALNUM = re.compile(r"[^0-9a-z]+")
WORD = re.compile(r"[^\W_]+")


def name_key(name: str) -> str:
    """Letters and digits of ``fold(name)`` only: the comparison key for place names."""
    return _NON_ALNUM.sub("", fold(name))


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of ``fold(text)`` as ``(token, start, end)`` spans into ``text``."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(fold(text))]


_WS = re.compile(r"\s+")
_WS_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+[ \t]*")


def normalize_quote(text: str) -> str:
    """Folded text with runs of white space collapsed: how quotes are compared with articles."""
    return _WS.sub(" ", fold(text)).strip()


def split_list(cell: str) -> list[str]:
    """Split a ``;``-separated cell into trimmed, non-empty items."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def join_list(items: Iterable[str]) -> str:
    return "; ".join(items)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_chars(text: str) -> list[str]:
    """Control characters in ``text`` (tabs and newlines excepted), as ``\\xNN`` strings."""
    if not _CONTROL.search(text):  # the common case, checked for every cell of every table
        return []
    return sorted({f"\\x{ord(c):02x}" for c in _CONTROL.findall(text)})


#: Bidi embedding/override (U+202A-U+202E) and isolate (U+2066-U+2069) controls: pasted into a
#: name they make the rest of the line display reversed ("evil.exe" shown as "exe.live").
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Every ASCII punctuation character: CommonMark lets a backslash escape any of them, and
#: escaping all of them (not a hand-picked list) also covers GFM autolinks (``http://``,
#: ``www.``), Streamlit's ``:red[...]`` directives, ``$`` maths and entities such as ``&lt;``.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


#: GFM autolinks ("http://x", "www.x", "a@x.org") are found in the text *after* backslash
#: escapes are resolved (measured in Streamlit 1.67: an escaped ``http\:\/\/evil`` still became
#: a live link), so escaping cannot stop them. An invisible word joiner after the scheme, after
#: ``www`` and after ``@`` breaks the pattern and changes nothing a reader sees.
_AUTOLINK = re.compile(r"(?:https?|ftp|mailto|xmpp|www)(?=[:.])|@", re.IGNORECASE)
_WORD_JOINER = "\u2060"


def strip_bidi(text: str) -> str:
    """``text`` without bidi override, embedding and isolate controls."""
    return _BIDI.sub("", text)


def escape(value: object) -> str:
    """HTML-escape any value for text or attribute context (quotes included); drops bidi controls."""
    return html.escape(strip_bidi("" if value is None else str(value)), quote=True)


def markdown_escape(value: object) -> str:
    """Markdown source that renders as exactly ``value`` (bidi controls dropped).

    For Streamlit calls that render Markdown (``st.warning``, ``st.caption``, ``st.subheader``,
    ``st.markdown``). A backslash before each ASCII punctuation character makes it literal, so
    ``[x](http://evil)`` stays text, ``![x](...)`` fetches nothing and ``&lt;`` shows as typed.
    Line breaks become spaces: a message is one paragraph, and a leading ``    `` or ``===`` on
    a later line cannot start a code block or turn the line above into a heading.
    """
    text = strip_bidi("" if value is None else str(value))
    text = _WS_BREAKS.sub(" ", text)
    text = _AUTOLINK.sub(lambda m: m.group() + _WORD_JOINER, text)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def highlight(text: str, spans: Iterable[tuple[int, int]], *, tag: str = "mark") -> str:
    """Escape ``text`` and wrap each ``(start, end)`` span in ``<tag>``.

    Spans may overlap or come unsorted; overlapping spans are merged. The spans index the raw
    text, so escaping happens piecewise and never splits an entity.
    """
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    pos = 0
    for start, end in merged:
        out.append(escape(text[pos:start]))
        out.append(f"<{tag}>{escape(text[start:end])}</{tag}>")
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """``count`` and ``word`` as a reader says it: "1 event", "0 events", "2 places".

    The plural adds "s" unless ``plural_form`` is given ("1 country", "3 countries"). Counts
    are printed with thousands separators ("12,000 events").
    """
    form = word if count == 1 else (plural_form or word + "s")
    return f"{count:,} {form}"
