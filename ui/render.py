"""HTML fragments for the panels, built only from escaped data (lib.data.text.escape/highlight).

Rendered with ``st.html``, which does not run Markdown over them: a summary containing
``[link](javascript:...)`` or ``<img onerror=...>`` shows as the text it is.
"""

from __future__ import annotations

from lib.data.events import is_contested
from lib.data.text import escape
from lib.map import links
from lib.map.colour import text_on
from lib.map.mapview import TYPE_COLOURS, TYPE_LABELS
from lib.map.offline import STATIC_DIR


def stylesheet(name: str) -> str:
    """``static/app/<name>`` as a ``<style>`` element for ``st.html`` (which draws nothing for it)."""
    return f"<style>\n{(STATIC_DIR / 'app' / name).read_text(encoding='utf-8')}</style>"


#: Styles of the Articles page's event cards, and captions at AA contrast on every page.
STYLE = stylesheet("panels.css")


def article_href(
    article_id: str, place_id: str | None = None, anchor: int | None = None, view=None
) -> str:
    """Link to the Articles page carrying the map's ``view`` params (see lib.map.links.articles_href)."""
    return links.articles_href(article_id, place_id, anchor, view)


def event_card(row, headlines: dict[str, str], view=None) -> str:
    """One event: date (precision), type, claimant/status, summary, quote and its article.

    ``view`` (the map's query parameters) travels with the article links, see article_href.
    """
    colour = TYPE_COLOURS.get(row["event_type"], "#999")
    undated = row["date_precision"] == "undated"  # context the text does not date
    precision = {"day": "", "undated": " (undated)"}.get(row["date_precision"], " (approximate)")
    basis = f" title='{escape(row['date_basis'])}'" if row["date_basis"] else ""
    who = f"{escape(row['claimant'])} · " if row["claimant"] else ""
    contested = (
        " <span class='tag contested'>contested</span>"
        if is_contested(row["contested_with"], row["status"])
        else ""
    )
    casualties = (
        f"<div class='meta'>Figures: {escape(row['casualties'])}</div>" if row["casualties"] else ""
    )
    if row.get("corroboration"):  # computed from the articles' outlets (ui.data.frame)
        casualties += f"<div class='meta'>Reported by: {escape(row['corroboration'])}</div>"
    sources = ", ".join(
        f"<a href='{escape(article_href(a, view=view))}' target='_self'>{escape(headlines.get(a, a))}</a>"
        for a in row["articles"].split("; ")
    )
    return (
        f"<div class='ev' style='border-left-color:{colour}'>"
        f"<div class='meta'><b{basis}>{'by ' if undated else ''}{escape(row['date'])}{precision}</b> · "
        f"<span class='tag' style='background:{colour};color:{text_on(colour)}'>{escape(TYPE_LABELS.get(row['event_type'], row['event_type']))}</span>"
        f" · {who}{escape(row['status'])} <span class='meta'>[{escape(row['event_id'])}]</span>{contested}</div>"
        f"<div>{escape(row['summary'])}</div>{casualties}"
        f"<blockquote>“{escape(row['quote'])}”</blockquote>"
        f"<div class='meta'>Source: {sources}</div></div>"
    )


def source_links(article) -> str:
    """Links to the article's web address and its archived copy, when the metadata has them.

    The loader accepts only http(s) addresses in ``url``/``archive_url``, and they are escaped
    here like any other data; ``rel=noopener noreferrer`` keeps the source from seeing the app.
    """
    items = []
    for label, href in (("Source", article.url), ("Archived copy", article.archive_url)):
        if href:
            items.append(
                f"<a href='{escape(href)}' target='_blank' rel='noopener noreferrer'>"
                f"{escape(label)}</a>"
            )
    retrieved = f" · retrieved {escape(article.retrieved_at)}" if article.retrieved_at else ""
    return f"<div class='meta provenance'>{' · '.join(items)}{retrieved}</div>"


#: Page-level styles of the main screen (not data: no escaping needed).
PAGE_STYLE = stylesheet("main.css")
#: The Articles page's text: marks, mentions and the passage a link points at.
ARTICLE_STYLE = stylesheet("article.css")


def notice(text: str) -> str:
    """A note for the reader (e.g. a link parameter ignored), escaped: no Markdown, no HTML."""
    return f"<div class='nm-note' role='note'>{escape(text)}</div>"
