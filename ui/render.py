"""HTML fragments for the panels, built only from escaped data (lib.data.text.escape/highlight).

Rendered with ``st.html``, which does not run Markdown over them: a summary containing
``[link](javascript:...)`` or ``<img onerror=...>`` shows as the text it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from lib.data.events import is_contested
from lib.data.text import escape, highlight, plural
from lib.map import links
from lib.map.colour import text_on
from lib.map.mapview import TYPE_COLOURS, TYPE_LABELS
from lib.map.offline import STATIC_DIR


def stylesheet(name: str) -> str:
    """``static/app/<name>`` as a ``<style>`` element for ``st.html`` (which draws nothing for it)."""
    return f"<style>\n{(STATIC_DIR / 'app' / name).read_text(encoding='utf-8')}</style>"


#: Styles of the panels every page shares: event cards, passages, captions at AA contrast.
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


def passage(mention, headline: str, place_id: str, view=None) -> str:
    """A sentence naming the place, the name highlighted, linked to the full article.

    ``view`` (the map's query parameters) travels with the link, see article_href.
    """
    start = mention.start - mention.sentence_start
    end = mention.end - mention.sentence_start
    text = highlight(mention.sentence, [(start, end)])
    href = article_href(mention.article_id, place_id, mention.start, view)
    label = "Photo caption: " if getattr(mention, "caption", False) else ""
    return (
        f"<div class='passage'>{label}{text}<br><span class='src'>— "
        f"<a href='{escape(href)}' target='_self'>{escape(headline)}</a></span></div>"
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


def side_by_side(cards: Iterable[str]) -> str:
    return "<div class='side-by-side'>" + "".join(f"<div>{c}</div>" for c in cards) + "</div>"


#: Page-level styles of the main screen (not data: no escaping needed).
PAGE_STYLE = stylesheet("main.css")
#: The Articles page's text: marks, mentions and the passage a link points at.
ARTICLE_STYLE = stylesheet("article.css")


def notice(text: str) -> str:
    """A note for the reader (e.g. a link parameter ignored), escaped: no Markdown, no HTML."""
    return f"<div class='nm-note' role='note'>{escape(text)}</div>"


def place_heading(place, n_events: int) -> str:
    """The panel's heading and counts, in a live region so screen readers announce a choice."""
    shape = (
        "a point"
        if place.is_pin
        else f"an area of about {place.uncertainty_km:g} km around the marker"
    )
    return (
        "<div class='nm-place-head' role='status' aria-live='polite'>"
        f"<h2>{escape(place.name)}</h2>"
        f"<p>{escape(place.kind.capitalize())}; precision: {escape(place.precision)} ({escape(shape)}). "
        f"Coordinates: {escape(place.source)}</p>"
        f"<p><b>{escape(plural(n_events, 'event'))} here in the selected dates</b></p></div>"
    )


def event_cards(rows, frame, headlines: dict[str, str], changes=None, view=None) -> list[str]:
    """A place's events as cards; a contested event beside the rival claims it answers.

    Rival claims may be from other places or dates; they are marked as such, so the count in
    the heading (events here) and the cards shown agree. ``changes`` (``{event id: (who,
    when)}``, lib.editing.history) adds "last changed by ... on ..." to each card it knows.
    """
    changes = changes or {}

    def card(row) -> str:
        """The event's card, plus who changed it last."""
        html = event_card(row, headlines, view)
        hit = changes.get(row["event_id"])
        if not hit:
            return html
        note = f"<div class='meta'>Last changed by {escape(hit[0])} on {escape(hit[1])}</div>"
        return html[: -len("</div>")] + note + "</div>"

    out: list[str] = []
    shown: set[str] = set()
    here = set(rows["event_id"])
    rival_ids = {i for cell in rows["contested_with"] for i in cell.split(";") if i}
    rivals_frame = frame[frame["event_id"].isin(rival_ids)].drop_duplicates("event_id")
    by_id = {r["event_id"]: r for r in rivals_frame.to_dict("records")}
    for row in rows.to_dict("records"):
        if row["event_id"] in shown:
            continue
        shown.add(row["event_id"])
        rivals = [
            by_id[i]
            for i in row["contested_with"].split(";")
            if i and i in by_id and i not in shown and i not in here
        ]
        if not row["contested_with"]:
            out.append(card(row))
            continue
        shown.update(r["event_id"] for r in rivals)
        note = (
            f" (with {plural(len(rivals), 'rival claim')} from elsewhere or other dates)"
            if rivals
            else ""
        )
        out.append(
            f"<div class='meta'><b>Contested</b>: the claims side by side{escape(note)}</div>"
        )
        out.append(side_by_side(card(r) for r in [row, *rivals]))
    return out
