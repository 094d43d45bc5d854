"""Hostile strings for the injection tests, and the functions that plant them in a data folder.

- ``PAYLOAD`` (``poison``, in a copy of the shipped data): rendered as Markdown instead of
  shown as text, it would make a link, an image, an entity or a right-to-left override; the
  AppTest suite (tests/test_hostile_input.py) and the browser suite
  (tests/test_markdown_browser.py) plant the same ones.
- ``HOSTILE`` (``poison_fixture``, in a copy of the small fixture set): markup, a script end
  and template syntax, for what readers see (the reader edition, the exports).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

LINK = "[Session expired - click to log in again](http://evil.example/login)"
IMAGE = "![x](http://evil.example/pixel.png)"
ENTITY = "&lt;b&gt;bold&lt;/b&gt;"
BIDI = "\u202eexe.txt"
PAYLOAD = f"{LINK} {IMAGE} {ENTITY} {BIDI}"
ARTICLE = "rebels-clash-last-region"  # it names Shotul


def fields_of(line: str) -> list[str]:
    return next(csv.reader([line]))


def csv_line(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


def poison(data_dir: Path) -> None:
    """The payload in an article's outlet, evidence, reasoning and notes and a place's name.

    ``data_dir`` is a copy of the shipped data: the payload goes into ``ARTICLE``'s metadata
    row and the gazetteer row of Shotul.
    """
    meta = data_dir / "articles" / "articles.csv"
    rows = meta.read_text(encoding="utf-8").splitlines()
    header = fields_of(rows[0])
    index = next(i for i, r in enumerate(rows) if r.startswith(f"{ARTICLE},"))
    fields = fields_of(rows[index])
    for column in ("outlet", "outlet_evidence", "date_reasoning", "notes"):
        fields[header.index(column)] = PAYLOAD
    rows[index] = csv_line(fields)
    meta.write_text("\n".join(rows) + "\n", encoding="utf-8")
    places = data_dir / "geodata" / "gazetteer.csv"
    rows = places.read_text(encoding="utf-8").splitlines()
    column = {name: i for i, name in enumerate(fields_of(rows[0]))}
    index = next(i for i, r in enumerate(rows) if r.startswith("shotul,"))
    fields = fields_of(rows[index])
    fields[column["variants"]] = "Shotul; " + fields[column["variants"]]
    fields[column["name"]] = f"Shotul {LINK} {IMAGE} {ENTITY}"
    fields[column["source"]] = PAYLOAD
    rows[index] = csv_line(fields)
    places.write_text("\n".join(rows) + "\n", encoding="utf-8")


#: Markdown syntax that, unescaped, would make a link, an image or an entity.
LIVE = re.compile(r"(?<!\\)\]\((?:http|www)|(?<!\\)!\[|(?<!\\)&(?:lt|gt|amp|#)|\u202e")


def markdown_sources(at) -> list[str]:
    """The Markdown source of every element of an AppTest run that renders Markdown."""
    kinds = ("markdown", "caption", "warning", "error", "info", "subheader", "title", "header")
    return [e.value for kind in kinds for e in getattr(at, kind)]


def assert_page_survived(at) -> None:
    """No exception and no guard message ("... could not be shown") on an AppTest run."""
    from ui import guard

    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if guard.MESSAGE in e.value]


#: Markup, a script end, and template syntax: each must reach a page only as the text it is.
HOSTILE = "<img src=x onerror=window.pwned=1></script><script>window.pwned=2</script>{{7*7}}{%x%}"


def poison_fixture(root: Path) -> None:
    """``HOSTILE`` in every text field of an event, a place and an article of a copy of the small
    fixture set (tests/fixtures/data), and in the article's text."""
    text = root / "articles" / "valley-attack.txt"
    text.write_text(
        text.read_text(encoding="utf-8") + f"In Shotul they wrote {HOSTILE} on a wall.\n", "utf-8"
    )

    def rewrite(path: Path, key: str, changes: dict[str, str]) -> None:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for row in rows:
            if row["id"] == key:
                row.update(changes)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")

    rewrite(
        root / "events.csv",
        "F003",
        {
            "summary": HOSTILE,
            "claimant": "Taliban " + HOSTILE,
            "date_basis": HOSTILE,
            "quote": f"they wrote {HOSTILE} on a wall",
        },
    )
    rewrite(
        root / "geodata" / "gazetteer.csv",
        "shotul",
        {"name": "Shotul " + HOSTILE, "source": HOSTILE, "variants": "Shotul; Shutul"},
    )
    rewrite(
        root / "articles" / "articles.csv",
        "valley-attack",
        {
            "outlet": HOSTILE,
            "outlet_evidence": HOSTILE,
            "date_reasoning": HOSTILE,
            "notes": HOSTILE,
        },
    )
