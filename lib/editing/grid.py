"""The events table as ``st.data_editor`` shows it: rows to an all-text frame and back,
with ``articles`` split into a first article (a picker) and the others."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from lib.data.text import join_list, split_list
from lib.editing.diff import value_of
from lib.editing.snapshot import Row

# --- the events table in st.data_editor --------------------------------------------------------

#: Editor-only columns: the first article gets a picker, the others stay a ';'-list.
FIRST_ARTICLE = "article"
MORE_ARTICLES = "more_articles"


def editor_columns(columns: Sequence[str]) -> list[str]:
    """The columns an editor sees: ``articles`` split into `FIRST_ARTICLE` and `MORE_ARTICLES`."""
    out: list[str] = []
    for name in columns:
        out.extend([FIRST_ARTICLE, MORE_ARTICLES] if name == "articles" else [name])
    return out


def events_to_frame(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as an all-text frame for ``st.data_editor``, indexed 1, 2, ... (the row numbers that
    problems refer to). The original ``articles`` cell stays in its own (hidden) column so that
    an untouched row round-trips byte for byte."""
    records = []
    for row in rows:
        record = {c: value_of(row, c) for c in columns}
        articles = split_list(record.get("articles", ""))
        record[FIRST_ARTICLE] = articles[0] if articles else ""
        record[MORE_ARTICLES] = join_list(articles[1:])
        records.append(record)
    names = list(dict.fromkeys([*columns, FIRST_ARTICLE, MORE_ARTICLES]))
    frame = pd.DataFrame.from_records(records, columns=names)
    frame.index = pd.RangeIndex(1, len(records) + 1)
    return frame.astype(str)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def events_from_frame(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple[int, Row]]:
    """``(row number, CSV row)`` for each row of the edited frame; blank rows are left out.

    New rows come back from the editor with missing values (NaN/None): they become ''. Values
    are trimmed. ``articles`` is rebuilt from the two editor columns unless they still say the
    same as the original cell.
    """
    out: list[tuple[int, Row]] = []
    visible = [c for c in editor_columns(columns) if c in frame.columns]
    for label, series in frame.iterrows():
        values = {c: _cell(series.get(c)) for c in frame.columns}
        if not any(values[c] for c in visible):
            continue
        chosen = [values.get(FIRST_ARTICLE, "")] if values.get(FIRST_ARTICLE) else []
        chosen += split_list(values.get(MORE_ARTICLES, ""))
        original = values.get("articles", "")
        row = {c: values.get(c, "") for c in columns}
        if "articles" in columns:
            row["articles"] = original if split_list(original) == chosen else join_list(chosen)
        out.append((int(label), row))
    return out


def with_present(options: Iterable[str], present: Iterable[str]) -> list[str]:
    """Picker options plus any other value the data holds, so a bad value stays visible (and
    is flagged by validation) instead of showing as an empty cell."""
    listed = list(dict.fromkeys(options))
    extra = sorted({p for p in present if p and p not in listed})
    return listed + extra
