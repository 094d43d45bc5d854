"""HTML fragments for the panels, built only from escaped data (lib.text.escape/highlight).

Rendered with ``st.html``, which does not run Markdown over them: a summary containing
``[link](javascript:...)`` or ``<img onerror=...>`` shows as the text it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from lib import links
from lib.colour import text_on
from lib.mapview import TYPE_COLOURS, TYPE_LABELS
from lib.text import escape, highlight

STYLE = """
<style>
.ev { border-left: 4px solid #999; padding: 4px 8px; margin: 6px 0; background: #fafafa; }
.ev .meta { color: #555; font-size: 0.85em; }
.ev blockquote { margin: 4px 0; padding-left: 8px; border-left: 2px solid #ccc; color: #333; font-style: italic; }
.ev .tag { display: inline-block; padding: 0 5px; border-radius: 3px; font-size: 0.8em; }
.ev .contested { background: #b00; color: #fff; }
.passage { margin: 4px 0 10px; font-size: 0.95em; }
.passage mark { background: #ffe066; padding: 0 1px; }
.passage .src { color: #555; font-size: 0.85em; }
/* Streamlit draws captions at 60 % opacity: 3.9:1 on white, below WCAG AA (4.5:1). */
div[data-testid="stCaptionContainer"] { opacity: 0.8; }
.side-by-side { display: grid; gap: 8px; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); }
</style>
"""


def article_href(
    article_id: str, place_id: str | None = None, anchor: int | None = None, view=None
) -> str:
    """Link to the Articles page carrying the map's ``view`` params (see lib.links.articles_href)."""
    return links.articles_href(article_id, place_id, anchor, view)


def event_card(row, headlines: dict[str, str], view=None) -> str:
    """One event: date (precision), type, claimant/status, summary, quote and its article.

    ``view`` (the map's query parameters) travels with the article links, see article_href.
    """
    colour = TYPE_COLOURS.get(row["event_type"], "#999")
    precision = "" if row["date_precision"] == "day" else " (approximate)"
    basis = f" title='{escape(row['date_basis'])}'" if row["date_basis"] else ""
    who = f"{escape(row['claimant'])} · " if row["claimant"] else ""
    contested = " <span class='tag contested'>contested</span>" if row["contested_with"] else ""
    casualties = (
        f"<div class='meta'>Figures: {escape(row['casualties'])}</div>" if row["casualties"] else ""
    )
    sources = ", ".join(
        f"<a href='{escape(article_href(a, view=view))}' target='_self'>{escape(headlines.get(a, a))}</a>"
        for a in row["articles"].split("; ")
    )
    return (
        f"<div class='ev' style='border-left-color:{colour}'>"
        f"<div class='meta'><b{basis}>{escape(row['date'])}{precision}</b> · "
        f"<span class='tag' style='background:{colour};color:{text_on(colour)}'>{escape(TYPE_LABELS.get(row['event_type'], row['event_type']))}</span>"
        f" · {who}{escape(row['status'])} <span class='meta'>[{escape(row['event_id'])}]</span>{contested}</div>"
        f"<div>{escape(row['summary'])}</div>{casualties}"
        f"<blockquote>“{escape(row['quote'])}”</blockquote>"
        f"<div class='meta'>Source: {sources}</div></div>"
    )


def passage(mention, headline: str, place_id: str, view=None) -> str:
    """A sentence naming the place, the name highlighted, linked to the full article.

    ``view`` (the map's query parameters) travels with the link, see article_href.
    """
    start = mention.start - mention.sentence_start
    end = mention.end - mention.sentence_start
    text = highlight(mention.sentence, [(start, end)])
    href = article_href(mention.article_id, place_id, mention.start, view)
    return (
        f"<div class='passage'>{text}<br><span class='src'>— "
        f"<a href='{escape(href)}' target='_self'>{escape(headline)}</a></span></div>"
    )


def side_by_side(cards: Iterable[str]) -> str:
    return "<div class='side-by-side'>" + "".join(f"<div>{c}</div>" for c in cards) + "</div>"
