"""The user documentation as one text: README.md and every docs/*.md.

Tests that check that a setting, a column or a check code is documented read this, so a fact
may live in whichever document its reader needs it in.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"


def documentation() -> str:
    """README.md then each docs/*.md in name order, separated by blank lines."""
    files = [README, *sorted(DOCS.glob("*.md"))]
    return "\n\n".join(path.read_text(encoding="utf-8") for path in files)
