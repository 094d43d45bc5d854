"""axe-core in every frame of a Playwright page, and the line between our markup and Streamlit's.

axe-core comes from the npm registry (``scripts/ensure-axe.sh``, cached in ``.cache/axe/``); it
is injected into the main document and each iframe (the streamlit-folium map is one) and run
from the top, so each violation is reported once, with the URL of the frame it is in.

Rules about the document itself (``html-has-lang``, ``document-title``, ``meta-viewport``) are
asked of the top document only, not of iframes: a file that is also opened on its own (the
standalone export, the picture page) must be tested as its own page to be held to them.

Some violations sit inside Streamlit's own widgets, whose markup the project cannot change
(no option of the widget sets the attribute axe asks for). `project_controlled` drops exactly
those, each by rule id *and* a selector pattern, with the reason in `EXCLUSIONS`. Anything not
listed counts: a new violation anywhere fails the tests that assert on it.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Frame, Page

REPO = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.14.1"
AXE_FILE = REPO / ".cache" / "axe" / f"axe-core-{AXE_VERSION}.min.js"
IMPACTS = ("minor", "moderate", "serious", "critical")

# WCAG 2.x A and AA plus axe's best practices (heading order, landmarks): what issue 10 measured.
RUN_OPTIONS = {
    "iframes": True,
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


@dataclass(frozen=True)
class Violation:
    """One element failing one axe rule.

    ``target`` is axe's CSS selector for the element within its frame; ``frame_url`` the URL of
    the document it is in ("about:srcdoc" for a srcdoc iframe).
    """

    rule: str
    impact: str
    target: str
    html: str
    summary: str
    frame_url: str

    def __str__(self) -> str:
        return (
            f"[{self.impact}] {self.rule} at {self.target} in {self.frame_url}: "
            f"{self.summary} — {self.html[:160]}"
        )


@dataclass(frozen=True)
class Exclusion:
    rule: str
    target: re.Pattern[str]
    reason: str

    def matches(self, violation: Violation) -> bool:
        return violation.rule == self.rule and bool(self.target.search(violation.target))


#: Violations inside Streamlit's own markup, which no page option changes. Keep each one narrow
#: (one rule, one widget) and say why it is outside the project's reach.
EXCLUSIONS: tuple[Exclusion, ...] = ()


def axe_source() -> str:
    """The axe.min.js text, fetched by scripts/ensure-axe.sh when it is not cached yet."""
    if not AXE_FILE.is_file():
        subprocess.run(
            ["scripts/ensure-axe.sh"],
            cwd=REPO,
            check=True,
            env={**os.environ, "AXE_VERSION": AXE_VERSION},
        )
    return AXE_FILE.read_text(encoding="utf-8")


def _inject_everywhere(frame: Frame, source: str) -> None:
    if not frame.is_detached() and not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.evaluate(source)
    for child in frame.child_frames:
        _inject_everywhere(child, source)


def _frame_of(page: Page, chain: list[str]) -> Frame | None:
    """The frame holding a node whose axe target is ``chain`` (iframe selectors, then the node)."""
    frame: Frame | None = page.main_frame
    for selector in chain[:-1]:
        element = frame.query_selector(selector) if frame else None
        frame = element.content_frame() if element else None
    return frame


def run_axe(page: Page) -> list[Violation]:
    """axe-core's violations in the page and in every iframe in it, one per element and rule.

    axe is injected into every frame first and run from the top document with
    ``iframes: true``, so it judges the page as a reader meets it: page-level rules (one main
    landmark, one level-one heading) pass when any frame satisfies them, and content of an
    iframe that sits in a landmark counts as inside it.
    """
    source = axe_source()
    _inject_everywhere(page.main_frame, source)
    result = page.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
    violations: list[Violation] = []
    for rule in result["violations"]:
        for node in rule["nodes"]:
            chain = [t if isinstance(t, str) else " ".join(t) for t in node["target"]]
            frame = _frame_of(page, chain)
            violations.append(
                Violation(
                    rule=rule["id"],
                    impact=node.get("impact") or rule.get("impact") or "minor",
                    target=chain[-1],
                    html=node.get("html", ""),
                    summary=rule["help"],
                    frame_url=frame.url if frame else " > ".join(chain[:-1]),
                )
            )
    return violations


def project_controlled(violations: Iterable[Violation]) -> list[Violation]:
    """The violations left once those in Streamlit's own widgets (`EXCLUSIONS`) are set aside."""
    return [v for v in violations if not any(e.matches(v) for e in EXCLUSIONS)]


def failing(violations: Iterable[Violation]) -> list[Violation]:
    """What the tests forbid: any serious or critical violation, and moderate ones we control.

    Serious and critical count even inside Streamlit's widgets unless an exclusion names them:
    the reader meets them either way.
    """
    controlled = set(project_controlled(violations))
    return [
        v
        for v in violations
        if v in controlled and IMPACTS.index(v.impact) >= IMPACTS.index("moderate")
    ]


def report(violations: Iterable[Violation]) -> str:
    return "\n".join(str(v) for v in violations) or "no violations"
