"""HTML fragments for the panels, built only from escaped data (lib.data.text.escape/highlight).

Rendered with ``st.html``, which does not run Markdown over them: a summary containing
``[link](javascript:...)`` or ``<img onerror=...>`` shows as the text it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from lib.data.text import escape, highlight, plural
from lib.map import links
from lib.map.colour import text_on
from lib.map.mapview import TYPE_COLOURS, TYPE_LABELS

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
    """Link to the Articles page carrying the map's ``view`` params (see lib.map.links.articles_href)."""
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


#: Page-level styles of the main screen (not data: no escaping needed).
PAGE_STYLE = """
<style>
.nm-lede { color: #3d3d3d; margin: -0.4rem 0 0.2rem; }
.nm-note { border-left: 4px solid #9a6700; background: #fff8e1; padding: 6px 10px; margin: 4px 0; }
.nm-hint { color: #3d3d3d; }
.nm-place-head h2 { margin: 0.2rem 0 0; font-size: 1.5rem; padding: 0; }
/* Scrolled into view on a phone (static/a11y/place-panel.js): clear of Streamlit's top bar. */
.nm-place-head h2 { scroll-margin-top: 4.5rem; }
.nm-place-head p { margin: 0.1rem 0 0.4rem; color: #3d3d3d; }
@media (max-width: 640px) {
  h1 { font-size: 1.45rem !important; line-height: 1.2 !important; padding: 0.2rem 0 !important; }
  .nm-lede { font-size: 0.85rem; }
  /* The map fits the first screen on a phone, below the timeline. */
  iframe[title="streamlit_folium.st_folium"] { height: min(640px, 62vh) !important; }
}
</style>
"""


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
