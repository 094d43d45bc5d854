"""Hostile text in every field of the fixture data set, for the tests of what readers see."""

from __future__ import annotations

import csv
import io
from pathlib import Path

#: Markup, a script end, and template syntax: each must reach a page only as the text it is.
HOSTILE = "<img src=x onerror=window.pwned=1></script><script>window.pwned=2</script>{{7*7}}{%x%}"


def poison(root: Path) -> None:
    """``HOSTILE`` in every text field of an event, a place and an article, and the text."""
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
