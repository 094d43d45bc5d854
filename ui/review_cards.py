"""The review list of an article's drafts, as Add article shows it: a map, then one card per
draft with its claim and basis, Accept (as draft or ready), Edit and Drop, and the list's save.

Glue only: the list and its checks are ``lib.editing.review_list``, its state and save are
``ui.editor_state`` (``ReviewLists``, ``save_review``). Every value from the article or the
editor reaches the page through ``lib.data.text.markdown_escape`` (``ui.safe``) or, on the
map, ``lib.data.text.escape`` (``lib.editing.preview.preview_map``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from lib.data.dataset import Dataset
from lib.data.problems import Problem
from lib.data.schema import DATE_PRECISIONS, EVENT_COLUMNS, EVENT_TYPES, STATUSES
from lib.data.text import markdown_escape, split_list
from lib.editing import review_list
from lib.editing.drafting import one_line
from lib.editing.grid import with_present
from lib.editing.preview import preview_map
from lib.editing.review_list import ACCEPTED, DROPPED, Card, ReviewList
from ui import editor_state as state
from ui.data import refresh
from ui.keys import Keys

HELP = {c.name: c.help for c in EVENT_COLUMNS}
PICKERS = {"event_type": EVENT_TYPES, "status": STATUSES, "date_precision": DATE_PRECISIONS}
LONG = ("summary", "quote")


def field_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def show(
    review: ReviewList, data: Dataset, held: state.ReviewLists, *, root: Path, base_url: str
) -> None:
    """The whole review list of ``review`` (one article's drafts); ``root`` is the data
    directory (events.csv, its backups and history)."""
    if review.base.blocking:
        st.error(
            "events.csv cannot be edited here until it is fixed by hand: rewriting it now would "
            "lose rows, so the drafts cannot be saved. `python -m lib check` lists every problem."
        )
        for problem in review.base.blocking:
            st.markdown(markdown_escape(problem))
        return
    problems = review_list.card_problems(review, data.context)
    counts = review.counts()
    if not review.cards:
        st.info(
            "No drafts left from this article: every one was saved or dropped. Edit events "
            "holds the saved ones."
        )
        if st.button(
            "Draft this article again",
            key=Keys.widget(f"review:again:{review.article_id}"),
            help="A new list of drafts from its text (the rows saved from it stay as they are).",
        ):
            del held.lists[review.article_id]
            st.rerun()
        messages(held)
        return
    st.markdown(
        f"**{len(review.cards)} draft(s)**: {counts[review_list.OPEN]} to decide, "
        f"{counts[ACCEPTED]} accepted, {counts[DROPPED]} dropped. Nothing is written until "
        "you save the list at the bottom."
    )
    show_map(review, data, base_url)
    for n, card in enumerate(review.cards, start=1):
        show_card(n, card, review, problems.get(card.key, []), data, held)
    save_bar(review, problems, held, root)


def show_map(review: ReviewList, data: Dataset, base_url: str) -> None:
    """Where each draft lands (dashed, labelled 'draft'), among the approved events; the map
    frames the drafts."""
    column = "review" in review.base.columns
    approved = [r for r in review.base.rows if review_list.review_state(r, column) == "approved"]
    points, drafts, unplaced = review_list.map_markers(
        approved, [review_list.saved_row(c) for c in review.kept], data.gazetteer.places
    )
    if unplaced:
        st.caption("Not on the map (no known place): " + markdown_escape(", ".join(unplaced)))
    st_folium(
        preview_map(points + drafts, base_url=base_url, legend=review_list.MAP_LEGEND, fit=drafts),
        key=Keys.widget(f"review:map:{review.article_id}"),
        height=360,
        use_container_width=True,
        returned_objects=[],
    )


def place_words(card: Card, data: Dataset) -> str:
    names = []
    for place_id in split_list(card.row.get("places", "")):
        place = data.gazetteer.places.get(place_id)
        names.append(place.name if place else f"{place_id} (not in the gazetteer)")
    return ", ".join(names) or "none"


def show_card(
    n: int,
    card: Card,
    review: ReviewList,
    problems: list[Problem],
    data: Dataset,
    held: state.ReviewLists,
) -> None:
    """One draft: its cells and basis, its problems, its form when open, and its buttons."""
    wkey = f"review:{card.key}"
    if card.state == DROPPED:
        with st.container(border=True):
            left, right = st.columns([5, 1])
            left.caption(
                f"Draft {n} dropped: {markdown_escape(card.id)}, "
                f"{markdown_escape(one_line(card.row.get('summary', ''), 120))}"
            )
            if right.button("Undo drop", key=Keys.widget(f"{wkey}:undrop"), width="stretch"):
                card.state = review_list.OPEN
                st.rerun()
        return
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    row = card.row
    line = review_list.line_of(review, card.key)
    with st.container(border=True):
        state_words = (
            f"accepted as **{card.accept_as}**, saved with the list"
            if card.state == ACCEPTED
            else "to decide"
        )
        st.markdown(
            f"**Draft {n} · {markdown_escape(card.id)}** · line {line} of events.csv · "
            f"{state_words}"
        )
        st.markdown(f"**Claim:** {markdown_escape(row.get('summary', ''))}")
        st.markdown(
            " · ".join(
                f"**{label}:** {markdown_escape(row.get(name, '')) or '(none)'}"
                for label, name in (
                    ("Claimant", "claimant"),
                    ("Type", "event_type"),
                    ("Status", "status"),
                    ("Figures", "casualties"),
                )
            )
        )
        st.markdown(
            f"**Date:** {markdown_escape(row.get('date', '')) or '(none)'} "
            f"({markdown_escape(row.get('date_precision', ''))}): "
            f"{markdown_escape(row.get('date_basis', ''))}"
        )
        basis = row.get("place_basis", "").removeprefix("inferred, ")
        inferred = f" · *inferred* ({markdown_escape(basis)})" if card.inferred else ""
        st.markdown(f"**Place:** {markdown_escape(place_words(card, data))}{inferred}")
        st.markdown(f"**Basis, from the article:** “{markdown_escape(card.sentence)}”")
        for problem in errors:
            st.error(markdown_escape(review_list.where(problem)))
        for problem in warnings:
            st.warning(markdown_escape("warning: " + review_list.where(problem)))
        editing_now = card.key in held.editing
        if editing_now:
            edit_fields(card, wkey)
        buttons = st.columns(4)
        blocked = "Fix the problems above first (Edit)." if errors else None
        if card.state == ACCEPTED:
            if buttons[0].button(
                "Undo accept", key=Keys.widget(f"{wkey}:unaccept"), width="stretch"
            ):
                card.state = review_list.OPEN
                st.rerun()
        else:
            for column, accept_as in zip(buttons[:2], review_list.ACCEPT_AS, strict=True):
                if column.button(
                    f"Accept as {accept_as}",
                    key=Keys.widget(f"{wkey}:accept:{accept_as}"),
                    disabled=bool(errors),
                    help=blocked or f"It joins events.csv as '{accept_as}' when you save the list.",
                    type="primary" if accept_as == "draft" else "secondary",
                    width="stretch",
                ):
                    card.state, card.accept_as = ACCEPTED, accept_as
                    st.rerun()
        if buttons[2].button(
            "Close the form" if editing_now else "Edit",
            key=Keys.widget(f"{wkey}:edit"),
            width="stretch",
        ):
            held.editing.symmetric_difference_update({card.key})
            st.rerun()
        if buttons[3].button("Drop", key=Keys.widget(f"{wkey}:drop"), width="stretch"):
            card.state = DROPPED
            held.editing.discard(card.key)
            st.rerun()


def _set(card: Card, name: str, key: str) -> None:
    value = st.session_state.get(key)
    card.row = {**card.row, name: ("" if value is None else str(value)).strip()}


def edit_fields(card: Card, wkey: str) -> None:
    """The card's cells as fields; each is kept in the list as soon as it is changed (on Enter
    or leaving the field), and checked with the grid's rules on the same rerun."""
    left, right = st.columns(2)
    for i, name in enumerate(review_list.FIELDS):
        value = card.row.get(name, "")
        key = Keys.widget(f"{wkey}:field:{name}")
        common = {
            "key": key,
            "on_change": _set,
            "args": (card, name, key),
            "help": f"Column `{name}`: {HELP.get(name, '')}",
        }
        with left if i % 2 == 0 else right:
            if name in PICKERS:
                options = with_present(["", *PICKERS[name]], [value])
                st.selectbox(
                    field_label(name),
                    options,
                    index=options.index(value),
                    format_func=lambda o: o or "(choose)",
                    **common,
                )
            elif name in LONG:
                st.text_area(field_label(name), value=value, height=90, **common)
            else:
                st.text_input(field_label(name), value=value, **common)


def save_bar(
    review: ReviewList, problems: dict[str, list[Problem]], held: state.ReviewLists, root: Path
) -> None:
    counts = review.counts()
    broken = [
        review_list.line_of(review, c.key)
        for c in review.accepted
        if any(p.severity == "error" for p in problems.get(c.key, []))
    ]
    if counts[ACCEPTED]:
        label = f"Save the list: add {counts[ACCEPTED]} accepted draft(s) to events.csv"
    elif counts[DROPPED]:
        label = f"Save the list: clear {counts[DROPPED]} dropped draft(s)"
    else:
        label = "Save the list"
    blocked = (
        "accept or drop a draft first"
        if not (counts[ACCEPTED] or counts[DROPPED])
        else f"fix line(s) {', '.join(map(str, broken))} first"
        if broken
        else ""
    )
    if st.button(
        label,
        type="primary",
        disabled=bool(blocked),
        help=f"Disabled: {blocked}." if blocked else "Open drafts stay in the list.",
        key=Keys.widget(f"review:save:{review.article_id}"),
    ):
        state.save_review(held, review, EVENT_COLUMNS, root, after=refresh)
        st.rerun()
    messages(held)


def messages(held: state.ReviewLists) -> None:
    """Why the list's last save failed, or what it saved: under its button."""
    if held.error:
        st.error(markdown_escape(held.error))
    if held.flash:
        st.success(markdown_escape(held.flash))
        held.flash = None
