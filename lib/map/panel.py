"""What a place's panel shows, as data: its events (all dates: the page filters them by the
view), the rival claims they answer, and every passage naming it.

The reader edition (``lib.edition.publish``) writes one file per place of these; the
single-file HTML export (``lib.pictures.presentation.standalone_html``) embeds those of the
places its view shows. ``static/newsmap/panel.js`` draws them. Plain text throughout: the page
escapes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from lib.data.articles import Article
from lib.data.events import corroboration
from lib.data.gazetteer import Place
from lib.data.mentions import Mention


def with_corroboration(frame: pd.DataFrame, articles: Mapping[str, Article]) -> pd.DataFrame:
    """``frame`` (``lib.map.viewstate.events_frame``) with a ``corroboration`` column: how many
    outlets report each event ("2 outlets: ..."), computed from its articles, for the cards."""
    labels = {
        cell: corroboration(cell.split("; "), articles).label for cell in frame["articles"].unique()
    }
    return frame.assign(corroboration=frame["articles"].map(labels).fillna(""))


def event_record(row: Mapping, first: dt.date) -> list:
    """``[id, iso date, day offset, precision, basis, type, claimant, status, summary, quote,
    casualties, [article ids], [contested with], corroboration]`` (plain text: the page escapes
    it). Corroboration ("2 outlets: ...") is there when the frame has it (the app's does)."""
    return [
        row["event_id"],
        row["date"].isoformat(),
        (row["date"] - first).days,
        row["date_precision"],
        row["date_basis"],
        row["event_type"],
        row["claimant"],
        row["status"],
        row["summary"],
        row["quote"],
        row["casualties"],
        [a for a in row["articles"].split("; ") if a],
        [i for i in row["contested_with"].split(";") if i],
        row.get("corroboration") or "",
    ]


def headline(article: Article | None, article_id: str) -> str:
    if article is None:
        return article_id
    outlet = f"{article.outlet}: " if article.outlet else ""
    return f"{outlet}“{article.headline}” ({article.published_label})"


def event_records(frame: pd.DataFrame, first: dt.date) -> dict[str, list]:
    """Per event id its record (``event_record``), oldest first (by date, then id)."""
    unique = frame.drop_duplicates("event_id").sort_values(["date", "event_id"])
    return {r["event_id"]: event_record(r, first) for r in unique.to_dict("records")}


def place_data(
    place: Place,
    event_ids: Iterable[str],
    records: Mapping[str, list],
    mentions: list[Mention],
    articles: Mapping[str, Article],
) -> dict:
    """Everything a place's panel shows: the place, its events (all dates: the page filters
    them by the view), the rival claims they answer, and every passage naming it.
    ``records`` is ``event_records(...)`` of every event."""
    here_ids = set(event_ids)
    here = sorted((records[i] for i in here_ids if i in records), key=lambda r: (r[1], r[0]))
    rival_ids = {i for r in here for i in r[12]} - here_ids
    rivals = [records[i] for i in sorted(rival_ids) if i in records]
    cited = {a for r in (*here, *rivals) for a in r[11]} | {m.article_id for m in mentions}
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "precision": place.precision,
        "km": place.uncertainty_km,
        "pin": place.is_pin,
        "source": place.source,
        "events": here,
        "rivals": rivals,
        # [article id, sentence, name start, name end (in the sentence), offset in the article,
        #  on a photo caption]
        "passages": [
            [
                m.article_id,
                m.sentence,
                m.start - m.sentence_start,
                m.end - m.sentence_start,
                m.start,
                bool(getattr(m, "caption", False)),
            ]
            for m in mentions
        ],
        "headlines": {a: headline(articles.get(a), a) for a in sorted(cited)},
    }


def places_data(
    frame: pd.DataFrame,
    shown: pd.DataFrame,
    places: Mapping[str, Place],
    mentions: Mapping[str, list[Mention]],
    articles: Mapping[str, Article],
    first: dt.date,
) -> dict[str, dict]:
    """``place_data`` of every place with an event in ``shown`` (one row per event and place),
    with those events; rival claims come from ``frame`` (every event), day offsets from
    ``first``."""
    if shown.empty:
        return {}
    if "corroboration" not in frame:
        frame = with_corroboration(frame, articles)
    records = event_records(frame, first)
    at = shown.groupby("place_id")["event_id"].unique()
    return {
        place_id: place_data(
            places[place_id], at[place_id], records, mentions.get(place_id, []), articles
        )
        for place_id in sorted(at.index)
        if place_id in places
    }
