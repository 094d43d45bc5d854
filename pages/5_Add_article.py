"""Add an article to the corpus, mark what is not the article, see the places it names, and
draft events from it.

Glue only: the article is checked with the loader's own rules and saved by
lib.editing.corpus.add_article (text file and metadata row, both atomic; an existing id is refused);
the lines proposed as boilerplate come from lib.data.boilerplate.propose_boilerplate and those the
editor keeps marked go into the row's ``boilerplate`` column (lib.editing.forms.article_row);
mentions come from lib.data.mentions, suggestions from lib.places.geocode's offline tiers. Drafted events
open in a review list (lib.editing.review_list, shown by ui.review_cards): accepted, edited or
dropped, and saved to events.csv only when the editor saves the list.
"""

from __future__ import annotations

import datetime as dt
import zlib

import pandas as pd
import streamlit as st

from lib.data.articles import Article
from lib.data.boilerplate import propose_boilerplate
from lib.data.mentions import Matcher, find_mentions
from lib.data.schema import ARTICLE_COLUMNS, EVENT_COLUMNS
from lib.data.text import markdown_escape
from lib.editing import history, review_list
from lib.editing.corpus import add_article
from lib.editing.drafting import one_line, sentences_with_places, suggest_places
from lib.editing.forms import ARTICLES_LABEL, article_problems, article_row
from lib.editing.saving import BACKUP_DIR
from lib.editing.snapshot import SaveError, read_snapshot
from lib.map.offline import static_base_url
from ui import auth, render, review_cards, safe
from ui import editor_state as state
from ui.data import dataset, refresh

HELP = {c.name: c.help for c in ARTICLE_COLUMNS}
EARLIEST = dt.date(1900, 1, 1)

st.set_page_config(page_title="Add an article", layout="wide")
st.html(render.STYLE)  # shared CSS: captions at AA contrast
st.title("Add an article")
data = dataset()
paths = data.paths

if not auth.require_editor():
    st.header("The corpus (read-only)")
    st.dataframe(
        pd.DataFrame(
            [
                {"id": a.id, "headline": a.headline, "published": a.published_label}
                for a in data.articles.values()
            ]
        ),
        hide_index=True,
    )
    st.stop()


def key(name: str) -> str:
    """Widget key of a form field. The form's version is part of it: after a save the version
    changes, so every field starts empty (deleting a widget's state does not clear what the
    browser still holds) and the draft picker starts at the article just saved."""
    return state.Keys.widget(f"article:{st.session_state.get(state.Keys.ARTICLE_FORM, 0)}:{name}")


saved = st.session_state.get(state.Keys.ARTICLE_SAVED)
if state.Keys.ARTICLE_FLASH in st.session_state:
    st.success(st.session_state.pop(state.Keys.ARTICLE_FLASH))

# --- 1. the article ----------------------------------------------------------------------------
st.header("1. The article")
left, right = st.columns([2, 1])
with left:
    text = st.text_area(
        "Text (paste it whole; the first line is the headline)", height=320, key=key("text")
    )
with right:
    article_id = st.text_input(
        "Short id for the article",
        key=key("id"),
        help=f"Column `id`: {HELP['id']}, e.g. panjshir-falls",
    )
    outlet = st.text_input("Outlet", key=key("outlet"), help=HELP["outlet"])
    outlet_unknown = st.checkbox(
        "The outlet is unknown (the text does not name it)", key=key("outlet_unknown")
    )
    evidence = st.text_input(
        "Words in the text that name the outlet",
        key=key("evidence"),
        help=f"Column `outlet_evidence`: {HELP['outlet_evidence']}",
    )
    start_col, end_col = st.columns(2)
    published_from = start_col.date_input(
        "Published on or after",
        value=None,
        min_value=EARLIEST,
        key=key("from"),
        help=f"Column `published_from`: {HELP['published_from']}",
    )
    published_to = end_col.date_input(
        "Published on or before",
        value=None,
        min_value=EARLIEST,
        key=key("to"),
        help=f"Column `published_to`: {HELP['published_to']} (empty: the same day)",
    )
    date_unknown = st.checkbox(
        "The publication date is unknown",
        key=key("date_unknown"),
        help="Drafted events then get no date: you must date each one yourself.",
    )
    inferred = st.radio(
        "The publication date is",
        ["inferred from the text", "printed in the text"],
        key=key("inferred"),
        horizontal=True,
    )
reasoning = st.text_area(
    "How the date was inferred",
    key=key("reasoning"),
    height=80,
    help=f"Column `date_reasoning`: {HELP['date_reasoning']}",
)
notes = st.text_input("Notes", key=key("notes"), help=f"Column `notes`: {HELP['notes']}")

# --- 2. what is not the article ----------------------------------------------------------------
st.header("2. Lines that are not the article")
proposed = propose_boilerplate(text) if text.strip() else []
marked = []
if not text.strip():
    st.caption("Paste the text to see the lines proposed as captions, tags, boxes and links.")
elif not proposed:
    st.caption("No line looks like a caption, a photo tag, a newsletter box or a related link.")
else:
    st.caption(
        "These lines look like page furniture, not reporting. Ticked lines are saved in the "
        "column `boilerplate`: the text stays as pasted, but readers see them greyed and they "
        "are not searched for places. Untick a line that is part of the article."
    )
    lines = text.split("\n")
    for start, end, reason in proposed:
        shown = " / ".join(line.strip() for line in lines[start - 1 : end] if line.strip())
        where = f"Line {start}" if start == end else f"Lines {start}-{end}"
        # The key carries the lines' text: edit the text and the proposal starts ticked again.
        digest = zlib.crc32(shown.encode("utf-8"))
        if st.checkbox(
            f"**{where}** ({reason}): {markdown_escape(one_line(shown, 160))}",
            value=True,
            key=key(f"boiler:{start}-{end}:{digest:08x}"),
        ):
            marked.append((start, end))

row = article_row(
    article_id,
    outlet=outlet,
    outlet_evidence=evidence,
    published_from=published_from,
    published_to=published_to,
    date_inferred=inferred == "inferred from the text",
    date_reasoning=reasoning,
    notes=notes,
    boilerplate=marked,
)

# --- 3. the places it names --------------------------------------------------------------------
st.header("3. Places the text names")
matcher = Matcher.from_gazetteer(data.gazetteer)
draft_article = Article(
    id=row["id"] or "new", file=row["file"], text=text, boilerplate=tuple(marked)
)
mentions = find_mentions(draft_article, matcher) if text.strip() else []
if not text.strip():
    st.caption("Paste the text to see the gazetteer places it mentions.")
elif not mentions:
    st.info("The text names no place of the gazetteer.")
else:
    counts: dict[str, list] = {}
    for mention in mentions:
        counts.setdefault(mention.place_id, []).append(mention)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "place": data.gazetteer.places[pid].name,
                    "id": pid,
                    "mentions": len(found),
                    "as written": ", ".join(sorted({m.matched for m in found})),
                }
                for pid, found in counts.items()
            ]
        ),
        hide_index=True,
    )
if text.strip():
    suggestions = suggest_places(text, data.gazetteer, mentions)
    if suggestions:
        st.markdown(
            "**Names that look like places in the region but are not in the gazetteer.** "
            "Add them on the places page (the check there shows the candidates on a map)."
        )
        for n, found in enumerate(suggestions):
            best = found.place or found.candidates[0]
            name_col, what_col, go_col = st.columns([1, 3, 1])
            with name_col:
                safe.markdown_text(found.query)
            with what_col:
                safe.caption(
                    f"{found.status}: {best.name} ({best.country}), {best.distance_km:.0f} km "
                    f"from the Panjshir valley; {best.source}"
                )
            if go_col.button("Add this place", key=key(f"suggest:{n}")):
                st.session_state[state.Keys.PLACE_PREFILL] = found.query
                st.switch_page("pages/4_Edit_places.py")

# --- 4. save -------------------------------------------------------------------------------------
st.header("4. Save the article")
problems = article_problems(row, text, data.articles) if (article_id or text) else []
# An empty field is not a mistake yet: it is listed as still to fill in, not shown in red.
to_fill = [p.column for p in problems if p.message == "is empty" and p.severity == "error"]
problems = [p for p in problems if not (p.message == "is empty" and p.severity == "error")]
if not text.strip():
    to_fill.insert(0, "the text")
if not article_id.strip() and "id" not in to_fill:
    to_fill.append("id")
if not outlet.strip() and not outlet_unknown:
    to_fill.append("the outlet (or tick 'The outlet is unknown')")
if not (published_from or published_to) and not date_unknown:
    to_fill.append("the publication date (or tick 'The publication date is unknown')")
errors = [p for p in problems if p.severity == "error"]
for problem in problems:
    where = f"{problem.column}: " if problem.column else ""
    message = where + problem.message + (f" ({problem.hint})" if problem.hint else "")
    (safe.error if problem.severity == "error" else safe.warning)(message)
if to_fill:
    safe.info("Still to fill in before saving: " + "; ".join(dict.fromkeys(to_fill)) + ".")
if st.button(
    f"Save articles/{row['file']} and its row in articles.csv"
    if article_id
    else "Save the article (give it an id first)",
    type="primary",
    disabled=bool(errors) or bool(to_fill),
    key=key("save"),
):
    try:
        identity = auth.ensure_editor()
        recorder = history.Recorder(
            paths.root,
            ARTICLES_LABEL,
            identity.name,
            identity.label,
            identity.email,
            action="add article",
            note=f"added articles/{row['file']}",
        )
        add_article(
            paths.articles,
            row,
            text,
            backup_root=paths.root / BACKUP_DIR,
            journal=recorder,
        )
    except PermissionError as exc:
        safe.error(f"Not saved: {exc}")
    except SaveError as exc:
        safe.error(f"{exc} The text is still in the form; download it to keep a copy.")
        st.download_button(
            "Download the text", text, file_name=row["file"] or "article.txt", on_click="ignore"
        )
    else:
        refresh()
        st.session_state[state.Keys.ARTICLE_SAVED] = row["id"]
        st.session_state[state.Keys.ARTICLE_FLASH] = (
            f"Saved articles/{row['file']} and its row in articles/articles.csv. "
            "You can now draft events from it below."
        )
        st.session_state[state.Keys.ARTICLE_FORM] = (
            st.session_state.get(state.Keys.ARTICLE_FORM, 0) + 1
        )
        st.rerun()

# --- 5. review the drafts ----------------------------------------------------------------------
st.header("5. Review the drafts of an article")
st.caption(
    "One draft per claim (a clause where two claimants disagree), with claimant, type, status, "
    "figures and a date read from the text, each with its basis. Accept a draft as it is, edit "
    "it, or drop it; the accepted ones join events.csv when you save the list, as 'draft' or "
    "'ready' (never approved: readers do not see them). Your list is kept while you work, "
    "across pages and reloads."
)
article_ids = sorted(data.articles)
held = state.review_lists(paths.events)
if not article_ids:
    st.stop()
if saved in article_ids:
    held.current = saved
in_progress = {a for a, r in held.lists.items() if r.cards and a in data.articles}
source_id = st.selectbox(
    "Article",
    article_ids,
    # The article just saved, or the list shown last, or none: never another article's
    # sentences by surprise.
    index=article_ids.index(held.current) if held.current in article_ids else None,
    placeholder="Choose an article (save the one above first to draft from it)",
    format_func=lambda i: (
        f"{i}: {data.articles[i].headline[:80]}"
        + (" (review in progress)" if i in in_progress else "")
    ),
    key=key("draft_from"),
)
if source_id is None:
    state.keep_review_lists(held)
    st.stop()
held.current = source_id
source = data.articles[source_id]
if not (source.published_from or source.published_to):
    safe.warning(
        f"{source_id} has no publication date: its drafts get no date, and each must be dated "
        "by hand (Edit)."
    )
review = held.lists.get(source_id)
if review is None:
    base = read_snapshot(paths.events, EVENT_COLUMNS, "events.csv")
    clauses = sentences_with_places(find_mentions(source, matcher), source)
    review = held.lists[source_id] = review_list.open_list(source, clauses, base)
state.follow_disk_review(review, EVENT_COLUMNS)
state.keep_review_lists(held)
review_cards.show(
    review,
    data,
    held,
    root=paths.root,
    base_url=static_base_url(st.get_option("server.baseUrlPath")),
)
