"""Articles: each article's text with the places it names highlighted and linked to the map.

Untrusted text reaches the page only through ``ui.safe`` (Markdown elements) or ``st.html``
with ``lib.data.text.escape``; an unexpected error shows one line (``ui.guard``), never a traceback.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.data import story
from lib.data.articles import is_boilerplate
from lib.data.problems import errors as problem_errors
from lib.data.text import escape, strip_bidi
from lib.map import links
from lib.map.viewstate import Bounds
from ui import anchors, guard, render, safe
from ui import data as store
from ui import view as view_params

st.set_page_config(page_title=f"Articles · {story.current().title}", page_icon="📰", layout="wide")
st.html(render.STYLE)

with guard.page("this article"):
    dataset = store.dataset()
    frame = store.frame()
    _, mentions_by_article = store.mentions()
    articles = dataset.articles
    # Newest reporting last; articles with an unknown date after the dated ones.
    ids = sorted(
        articles,
        key=lambda a: (
            articles[a].published_from is None,
            articles[a].published_from or dt.date.min,
            a,
        ),
    )

    st.title("The reporting")
    # The map's view (dates, mode, filters) came in with the link; every link back restores it,
    # but only the values the map honours: an ignored one is named once, never passed on.
    bounds = Bounds.of(frame, dataset.articles, dataset.gazetteer.places)
    params, focus, ignored = links.honoured_view(view_params.query_params(), bounds)
    for note in ignored:
        safe.warning(f"Link parameter ignored: {note}")
    st.html(
        f"<a href='{escape(links.map_href(params, focus))}' target='_self'>← Back to the map</a>"
    )
    if problem_errors(dataset.problems):
        with st.expander(f"⚠ {len(dataset.problems)} data problem(s): some rows are not shown"):
            # st.text runs no Markdown; bidi controls in a quoted value would still reverse it.
            st.text(strip_bidi("\n".join(str(p) for p in dataset.problems)))
    if not ids:
        st.info("No articles yet. Add text files to articles/ (see docs/data.md).")
        st.stop()

    wanted = st.query_params.get("article")
    if "articles.pick" not in st.session_state:
        if wanted and wanted not in articles:
            safe.warning(f"Link parameter ignored: no article '{wanted}'")
        st.session_state["articles.pick"] = wanted if wanted in articles else ids[0]
    picked = st.selectbox(
        "Article",
        ids,
        key="articles.pick",
        format_func=lambda a: f"{articles[a].headline[:90]} ({articles[a].published_label})",
    )
    st.query_params["article"] = picked
    article = articles[picked]

    meta, body = st.columns([1, 2])
    with meta:
        st.header("About this article")
        safe.field("Outlet", article.outlet or "not identified in the text")
        if article.outlet_evidence:
            safe.caption(article.outlet_evidence)
        safe.field("Published", article.published_label)
        if article.url or article.archive_url:  # provenance (docs/provenance.md)
            st.html(render.source_links(article))
        if article.date_reasoning:
            safe.caption(article.date_reasoning)
        if article.notes:
            st.markdown("**Notes**")
            safe.caption(article.notes)
        # astype(bool): on an empty frame the mask is an empty object Series, which pandas would
        # read as a list of column labels (that was the KeyError: 'date' with no events loaded).
        citing = frame["articles"].map(lambda cell: picked in cell.split("; ")).astype(bool)
        events = frame[citing].drop_duplicates("event_id").sort_values(["date", "event_id"])
        st.markdown(f"**Events citing it:** {len(events)}")
        headlines = {a.id: a.headline for a in articles.values()}
        if len(events):
            cards = (
                render.event_card(r, headlines, links.map_params(params, focus))
                for r in events.to_dict("records")
            )
            st.html("".join(cards))

    with body:
        hide = st.toggle(
            "Hide page furniture (newsletter prompts, related links, image credits)", value=True
        )
        mentions = mentions_by_article.get(picked, [])
        places = dataset.gazetteer.places
        counts: dict[str, int] = {}
        for m in mentions:
            counts[m.place_id] = counts.get(m.place_id, 0) + 1
        safe.caption(
            "Places named: "
            + (
                ", ".join(
                    f"{places[p].name} ({n})"
                    for p, n in sorted(counts.items(), key=lambda kv: -kv[1])
                )
                or "none"
            )
            + ". Each highlighted name links to the map with that place selected."
        )
        text = article.text
        pieces: list[str] = []
        pos = 0
        for m in mentions:
            pieces.append(escape(text[pos : m.start]))
            href = links.map_href(params, m.place_id)
            cls = "focus" if m.place_id == focus else ""
            pieces.append(
                f"<a id='m{m.start}' class='mention {cls}' href='{escape(href)}' target='_self' "
                f"title='{escape(places[m.place_id].name)} on the map'><mark>{escape(text[m.start : m.end])}</mark></a>"
            )
            pos = m.end
        pieces.append(escape(text[pos:]))
        marked = "".join(pieces)
        lines = marked.split("\n")
        raw_lines = text.split("\n")
        # The heading is the editor's title where articles.csv sets one: the text's first line
        # is then often another story's headline scraped with it, and stays an ordinary line.
        titled = bool(article.title)
        shown = [f"<h2 class='headline'>{escape(article.title)}</h2>"] if titled else []
        shown += [
            f"<p>{line}</p>" if i or titled else f"<h2 class='headline'>{line}</h2>"
            for i, (line, raw) in enumerate(zip(lines, raw_lines, strict=True))
            # Boilerplate: the line ranges marked in articles.csv, or what looks like it.
            if raw.strip()
            and not (
                hide
                and (i or titled)
                and ((i + 1) in article.boilerplate_lines or is_boilerplate(raw))
            )
        ]
        st.html(render.ARTICLE_STYLE + f"<div class='article'>{''.join(shown)}</div>")
        anchors.scroll_to_fragment()
