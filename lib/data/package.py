"""The data package that travels with the events a reader or journalist takes away.

The CSV export (``python -m lib export csv``) and the reader edition (``data/events.csv``)
write the events in view one row per event and place, with the place's name and coordinates,
so that the file maps on its own. ``events_package`` describes such a file as a Frictionless
Data Package: each column's type, label, description and allowed values come from the
project's ``datapackage.json`` (the column it is copied from), so the export says nothing the
project's schema does not. ``frictionless validate datapackage.json`` checks the file with it.
"""

from __future__ import annotations

import json
from pathlib import Path

from lib.data import schema

#: Each exported column and the project column it copies (table, column), or, for a column
#: made in the export, its own Table Schema field.
EXPORT_FIELDS: dict[str, tuple[str, str] | dict] = {
    "event_id": ("events", "id"),
    "date": ("events", "date"),
    "date_precision": ("events", "date_precision"),
    "date_basis": ("events", "date_basis"),
    "place_id": ("places", "id"),
    "place_name": ("places", "name"),
    "lat": ("places", "lat"),
    "lon": ("places", "lon"),
    "precision": ("places", "precision"),
    "uncertainty_km": ("places", "uncertainty_km"),
    "event_type": ("events", "event_type"),
    "status": ("events", "status"),
    "claimant": ("events", "claimant"),
    "actors": ("events", "actors"),
    "casualties": ("events", "casualties"),
    "summary": ("events", "summary"),
    "articles": ("events", "articles"),
    "first_article": {
        "title": "Article quoted",
        "description": "id of the article the quote comes from (the first of articles)",
        "type": "string",
        "constraints": {"required": True},
    },
    "quote": ("events", "quote"),
    "contested_with": {
        "title": "Contested with",
        "description": "ids of the events this one contradicts or is contradicted by, directly "
        "or through another, separated by ';' (a row is contested when this is not empty or "
        "its status is disputed)",
        "type": "list",
        "delimiter": ";",
        "itemType": "string",
    },
    "day": {
        "title": "Day number",
        "description": "the date as a day number (1 is 1 January of year 1), for sorting",
        "type": "integer",
        "constraints": {"required": True},
    },
}

#: What an exported cell may differ in from the project's file: a text cell a spreadsheet
#: would run as a formula gets a leading ' (lib.pictures.export.neutralise_cell), which may
#: take it past a pattern or a length.
_DROPPED_CONSTRAINTS = ("pattern", "maxLength")


def _field(name: str) -> dict:
    source = EXPORT_FIELDS[name]
    if isinstance(source, dict):
        return {"name": name, **source}
    table, column = source
    field = next(f for f in schema.resource(table)["schema"]["fields"] if f["name"] == column)
    field = json.loads(json.dumps(field))  # a copy: the cached package stays as read
    constraints = {
        k: v for k, v in field.pop("constraints", {}).items() if k not in _DROPPED_CONSTRAINTS
    }
    if constraints:
        field["constraints"] = constraints
    return {**field, "name": name}


def events_package(csv_name: str, columns: list[str], title: str) -> dict:
    """The data package descriptor for an events CSV named ``csv_name`` (a path relative to
    the descriptor, with ``/``) with ``columns``, one row per event and place."""
    return {
        "name": "newsmap-events",
        "title": title,
        "description": (
            "The events of the story, one row per event and place (an event at two places has "
            "two rows with the same event_id), with the place's coordinates. Every event comes "
            "with the words of the article that reports it (quote, first_article). Made by "
            "the dashboard's CSV export or reader edition; only approved rows."
        ),
        "resources": [
            {
                "name": "events",
                "path": csv_name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [_field(c) for c in columns],
                },
            }
        ],
    }


def package_json(descriptor: dict) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n"


def write_beside(csv_path: Path, columns: list[str], title: str) -> Path:
    """Write the package of the events CSV at ``csv_path`` beside it and return its path:
    ``datapackage.json``, unless one there describes other files (the project's own, or
    another export's); then ``<csv stem>.datapackage.json``, leaving that one whole."""
    csv_path = Path(csv_path)
    target = csv_path.parent / "datapackage.json"
    if target.exists() and _describes_other_files(target, csv_path.name):
        target = csv_path.with_name(f"{csv_path.stem}.datapackage.json")
    descriptor = events_package(csv_path.name, columns, title)
    target.write_text(package_json(descriptor), encoding="utf-8")
    return target


def _describes_other_files(path: Path, csv_name: str) -> bool:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        paths = [r.get("path") for r in descriptor.get("resources", [])]
    except (OSError, ValueError, AttributeError):
        return True  # not ours to overwrite
    return paths != [csv_name]
