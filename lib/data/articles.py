"""The article corpus: ``articles/*.txt`` plus their metadata in ``articles/articles.csv``.

Dropping a new ``.txt`` into ``articles/`` is enough for it to load (with a warning that it has
no metadata row yet); its id is then the file name without ``.txt``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from lib.data import csvio
from lib.data.boilerplate import Range, line_spans, parse_ranges
from lib.data.problems import Problem
from lib.data.schema import ARTICLE_COLUMNS, Rule, column_problems, parse_date
from lib.data.text import control_chars

METADATA_FILE = "articles.csv"
#: An article id, as datapackage.json declares it (matched whole).
ID_PATTERN = re.compile(rf"(?:{next(c for c in ARTICLE_COLUMNS if c.name == 'id').pattern})\Z")
#: Longest ``file`` value: what common file systems allow for one name.
FILE_NAME_MAX = 255
#: Largest article file read, in bytes. The longest article is about 10 KB; this keeps a
#: mistaken multi-gigabyte file from being read into every server process.
ARTICLE_MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Article:
    id: str
    file: str
    text: str
    outlet: str = ""
    outlet_evidence: str = ""
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    date_inferred: bool = True
    date_reasoning: str = ""
    notes: str = ""
    title: str = ""  # metadata override of the headline, when the text's first line is wrong
    boilerplate: tuple[Range, ...] = ()  # line ranges (from 1, inclusive) that are not the article
    captions: tuple[Range, ...] = ()  # line ranges that are photo captions (reporting, labelled)
    url: str = ""  # where the article was published (http/https)
    archive_url: str = ""  # an archived copy of it
    retrieved_at: str = ""  # when the text was retrieved (ISO date or UTC time)
    language: str = ""  # BCP 47 tag
    sha256: str = ""  # of the file's bytes, as recorded when it was retrieved

    @property
    def headline(self) -> str:
        """The ``title`` from the metadata if set, else the first non-empty line of the text."""
        if self.title:
            return self.title
        for line in self.text.splitlines():
            if line.strip():
                return line.strip()
        return ""

    @property
    def boilerplate_spans(self) -> list[tuple[int, int]]:
        """Character spans ``(start, end)`` of the boilerplate lines, end exclusive."""
        return line_spans(self.text, list(self.boilerplate))

    @property
    def caption_spans(self) -> list[tuple[int, int]]:
        """Character spans ``(start, end)`` of the caption lines, end exclusive."""
        return line_spans(self.text, list(self.captions))

    @property
    def caption_lines(self) -> frozenset[int]:
        """Line numbers (from 1) that are photo captions."""
        return frozenset(n for s, e in self.captions for n in range(s, e + 1))

    @property
    def boilerplate_lines(self) -> frozenset[int]:
        """Line numbers (from 1, as ``text.split('\\n')`` counts) that are boilerplate."""
        return frozenset(n for s, e in self.boilerplate for n in range(s, e + 1))

    @property
    def published_label(self) -> str:
        """Human wording of the publication date, saying when it is uncertain or inferred."""
        if self.published_from is None:
            return "date unknown"
        start = self.published_from
        end = self.published_to or start
        label = (
            f"{start:%-d %B %Y}"
            if start == end
            else f"between {start:%-d} and {end:%-d %B %Y}"
            if (start.year, start.month) == (end.year, end.month)
            else f"between {start:%-d %B} and {end:%-d %B %Y}"
        )
        return label + (" (inferred)" if self.date_inferred else "")


def file_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an article file name in ``articles/``, or ``None`` if it can."""
    if not name:
        return "the file name is empty"
    if len(name) > FILE_NAME_MAX:
        return f"the file name is {len(name):,} characters long; at most {FILE_NAME_MAX}"
    if control_chars(name) or any(ch in name for ch in "\t\n\r"):
        return "the file name contains control characters"
    if "/" in name or "\\" in name or name.startswith("."):
        return f"'{name}' is not a file name in articles/"
    if name.lower() == METADATA_FILE:  # the metadata would load as an article's text
        return f"'{name}' is the metadata table itself, not an article's text"
    return None


def read_article(directory: Path, name: str) -> tuple[str | None, str]:
    """The text of ``articles/<name>``, or ``(None, why not)``. Never raises (see read_article_bytes)."""
    text, _digest, why = read_article_bytes(directory, name)
    return text, why


def read_article_bytes(directory: Path, name: str) -> tuple[str | None, str, str]:
    """``(text, SHA-256 of the file's bytes, "")`` of ``articles/<name>``, or ``(None, "", why
    not)``. Never raises.

    Only a regular file directly inside ``directory`` is read: a symbolic link (which could
    serve any file the server can read), a directory, a FIFO (which would block the server)
    or a file over ``ARTICLE_MAX_BYTES`` is refused with the reason.
    """
    why = file_name_problem(name)
    if why is not None:
        return None, "", why
    path = Path(directory) / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None, "", f"articles/{name} does not exist"
    except (OSError, ValueError) as exc:
        return None, "", f"articles/{name} cannot be read: {getattr(exc, 'strerror', None) or exc}"
    if stat.S_ISLNK(info.st_mode):
        return None, "", f"articles/{name} is a symbolic link; an article must be a regular file"
    if stat.S_ISDIR(info.st_mode):
        return None, "", f"articles/{name} is a directory, not a text file"
    if not stat.S_ISREG(info.st_mode):
        return None, "", f"articles/{name} is not a regular file"
    if info.st_size > ARTICLE_MAX_BYTES:
        return (
            None,
            "",
            (
                f"articles/{name} is {info.st_size:,} bytes; an article has at most "
                f"{ARTICLE_MAX_BYTES:,}"
            ),
        )
    try:
        # O_NOFOLLOW: a link swapped in after the check above is still not followed.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(ARTICLE_MAX_BYTES + 1)
    except OSError as exc:
        return None, "", f"articles/{name} cannot be read: {exc.strerror or exc}"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "", f"articles/{name} is not UTF-8 text"
    if not text.strip():
        return None, "", f"articles/{name} is empty"
    return text, hashlib.sha256(data).hexdigest(), ""


_DATE_HINT = "write it as YYYY-MM-DD, e.g. 2021-09-02"
#: The wording of each column's problems; the rules themselves are in datapackage.json.
RULES: dict[str, Rule] = {
    "id": Rule("'{value}' is not a valid article id", "lower-case letters, digits, '-'"),
    "published_from": Rule("'{value}' is not a date", _DATE_HINT),
    "published_to": Rule("'{value}' is not a date", _DATE_HINT),
    "date_inferred": Rule("'{value}' should be yes or no"),
    "url": Rule("'{value:.80}' is not a web address", "start it with https://"),
    "archive_url": Rule("'{value:.80}' is not a web address", "start it with https://"),
    "retrieved_at": Rule("'{value:.40}' is not a date", "e.g. 2021-09-04T10:15:00Z"),
    "language": Rule("'{value:.20}' is not a language tag", "e.g. en, fa, ps"),
    "sha256": Rule("is not 64 hexadecimal digits", "sha256sum articles/<file> prints it"),
}
_COLUMNS = {c.name: c for c in ARTICLE_COLUMNS}
_PROVENANCE = ("url", "archive_url", "retrieved_at", "language", "sha256")


def _cells(row: dict[str, str], name: str, bad) -> dict[str, str]:
    """The row's cells, stripped, checked against the column rules; a bad cell is reported
    and blanked (an article with a bad date or address still loads, without it)."""
    cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
    cells["date_inferred"] = cells.get("date_inferred", "").lower()  # "Yes" as a spreadsheet has it
    for column, message, hint in column_problems(_COLUMNS, RULES, cells):
        if column == "id":
            continue  # checked before the text is read
        bad(column, message, hint.replace("<file>", name))
        if column != "date_inferred":
            cells[column] = ""
    for column, value in row.items():
        if value and control_chars(value):
            bad(column, f"contains control characters {', '.join(control_chars(value))}")
    return cells


def _provenance(cells: dict[str, str], name: str, digest: str, bad) -> dict[str, str]:
    """The provenance cells of an articles.csv row (already checked against the column rules).
    A text whose bytes no longer hash to ``sha256`` is an error: it changed after retrieval,
    and quotes checked against it may no longer be the source's."""
    out = {c: cells.get(c, "") for c in _PROVENANCE}
    when = out["retrieved_at"]
    if when:
        try:  # the pattern lets 2021-13-45 through
            dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            bad("retrieved_at", f"'{when[:40]}' is not a date", "e.g. 2021-09-04T10:15:00Z")
            out["retrieved_at"] = ""
    recorded = out["sha256"] = out["sha256"].lower()
    if recorded and recorded != digest:
        bad(
            "sha256",
            f"articles/{name} has changed since it was retrieved: its SHA-256 is now "
            f"{digest[:12]}…, the row says {recorded[:12]}…",
            "restore the retrieved text, or, if the change is deliberate, put the new hash "
            f"({digest}) and the time in the row",
        )
    return out


def _publication(cells: dict[str, str], bad) -> tuple[dt.date | None, dt.date | None]:
    """``(published_from, published_to)``: swapped when reversed, one day when only the first
    is known."""
    start, end = (
        parse_date(cells.get("published_from", "")),
        parse_date(cells.get("published_to", "")),
    )
    if start and end and end < start:
        bad("published_to", "is before published_from", "swap the two dates")
        start, end = end, start
    return start, end or start


def _line_ranges(cells: dict[str, str], text: str, bad) -> tuple[tuple[Range, ...], ...]:
    """The boilerplate and caption line ranges; a line cannot be both."""
    lines = text.count("\n") + 1
    boilerplate, errors = parse_ranges(cells.get("boilerplate", ""), lines)
    for message in errors:
        bad("boilerplate", message, "lines count from 1 in the text file, e.g. '5-11;35'")
    captions, errors = parse_ranges(cells.get("captions", ""), lines)
    for message in errors:
        bad("captions", message, "lines count from 1 in the text file, e.g. '10;32'")
    both = {n for a, b in boilerplate for n in range(a, b + 1)} & {
        n for a, b in captions for n in range(a, b + 1)
    }
    if both:
        bad(
            "captions",
            f"line(s) {', '.join(map(str, sorted(both)))} are also marked as boilerplate",
            "a caption is reporting: take it out of 'boilerplate'",
        )
    return tuple(boilerplate), tuple(captions)


def _article(art_id: str, name: str, row: dict[str, str], text: str, digest: str, bad) -> Article:
    """The article of a metadata row whose id and text are good; other bad cells are reported
    and left out."""
    cells = _cells(row, name, bad)
    provenance = _provenance(cells, name, digest, bad)
    start, end = _publication(cells, bad)
    boilerplate, captions = _line_ranges(cells, text, bad)
    return Article(
        id=art_id,
        file=name,
        text=text,
        outlet=cells.get("outlet", ""),
        outlet_evidence=cells.get("outlet_evidence", ""),
        published_from=start,
        published_to=end,
        date_inferred=cells.get("date_inferred", "") != "no",
        date_reasoning=cells.get("date_reasoning", ""),
        notes=cells.get("notes", ""),
        title=cells.get("title", ""),
        boilerplate=boilerplate,
        captions=captions,
        **provenance,
    )


def _undescribed(directory: Path, described: set[str], articles: dict[str, Article], label: str):
    """Load the ``.txt`` files that have no metadata row (unknown date); yields the problems."""
    for path in sorted(directory.glob("*.txt")):
        if path.name in described:
            continue
        text, why = read_article(directory, path.name)
        if text is None:
            yield Problem(label, None, None, why, "it is not loaded")
            continue
        yield Problem(
            label,
            None,
            None,
            f"articles/{path.name} has no row in {METADATA_FILE}; loaded with unknown date",
            "add a row with its id, outlet and publication date",
            severity="warning",
        )
        if path.stem not in articles and ID_PATTERN.match(path.stem):
            articles[path.stem] = Article(id=path.stem, file=path.name, text=text)


def _metadata(directory: Path, label: str) -> csvio.Table:
    meta_path = directory / METADATA_FILE
    if meta_path.exists() or meta_path.is_symlink():
        required = [c.name for c in ARTICLE_COLUMNS if c.required]
        optional = [c.name for c in ARTICLE_COLUMNS if not c.required]
        return csvio.read(meta_path, required, optional, label=label)
    return csvio.Table(label, [], [], [])


def load_articles(directory: Path) -> tuple[dict[str, Article], list[Problem]]:
    """Load every article with its metadata. Never raises on bad content."""
    directory = Path(directory)
    meta_label = f"articles/{METADATA_FILE}"
    if not directory.is_dir():
        state = "is not a directory" if directory.exists() else "does not exist"
        return {}, [
            Problem("articles/", None, None, f"the folder {state}", "it holds the article texts")
        ]
    table = _metadata(directory, meta_label)
    problems = list(table.problems)
    articles: dict[str, Article] = {}
    described: set[str] = set()
    for row_no, row in table.rows:

        def bad(column: str, message: str, hint: str = "") -> None:
            problems.append(Problem(meta_label, row_no, column, message, hint))  # noqa: B023

        too_long = csvio.long_cells(row)
        for column, length in too_long:
            bad(column, *csvio.long_cell_text(length))
        art_id, name = (row.get("id") or "").strip(), (row.get("file") or "").strip()
        id_problem = next(column_problems(_COLUMNS, {"id": RULES["id"]}, {"id": art_id}), None)
        if too_long or id_problem:
            if id_problem and not too_long:
                bad(*id_problem)
            continue
        if art_id in articles:
            bad("id", f"duplicate article id '{art_id}'", "every article needs its own id")
            continue
        if file_name_problem(name) is None:
            described.add(name)
        text, digest, why = read_article_bytes(directory, name)
        if text is None:
            bad("file", why, "add the text file or fix the name (a file directly in articles/)")
            continue
        articles[art_id] = _article(art_id, name, row, text, digest, bad)
    problems.extend(_undescribed(directory, described, articles, meta_label))
    return articles, problems


# Lines that scraping keeps but readers do not need: newsletter prompts, related-story links,
# footers. The stored text keeps them (it is the source); the reader may hide them. Photo
# captions ('... (Image: GETTY)') are reporting and are not matched.
_BOILERPLATE = re.compile(
    r"^(sign up to receive|invalid email|we use your sign-?up|related post|source: read full article"
    r"|just in:|this is a representational image|©)"
    r"|\[(analysis|insight|reveal)\]\s*$",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    """True for a line that is page furniture rather than reporting (see _BOILERPLATE)."""
    return bool(_BOILERPLATE.search(line.strip()))
