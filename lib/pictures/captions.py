"""Captions in words shared by the pictures and their alt text: lists and active filters."""

from __future__ import annotations

from collections.abc import Mapping

from lib.data.articles import Article
from lib.map import mapview
from lib.map.viewstate import ViewState


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def filter_caption(state: ViewState, articles: Mapping[str, Article]) -> str:
    """The filters in words (empty when there are none), so a reader knows what is left out."""
    parts = []
    if state.types:
        parts.append(
            f"only {and_list([mapview.TYPE_LABELS.get(t, t) for t in state.types])} events"
        )
    if state.claimants:
        parts.append(f"claimed by {and_list(list(state.claimants))}")
    if state.articles:
        if len(state.articles) == 1:
            article = articles.get(state.articles[0])
            headline = article.headline if article else state.articles[0]
            if len(headline) > 70:
                headline = headline[:69].rstrip() + "…"
            parts.append(f"reported in “{headline}”")
        else:
            parts.append(f"reported in {len(state.articles)} selected articles")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
