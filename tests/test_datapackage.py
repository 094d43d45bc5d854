"""datapackage.json: the shipped data is valid by the `frictionless` package itself, and the
loaders apply exactly the column rules the package declares (no more, no fewer)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil

import frictionless
import pytest

from lib.data import schema
from lib.data.articles import load_articles
from lib.data.claimants import load_claimants
from lib.data.events import Context, validate_rows
from lib.data.gazetteer import parse_place
from lib.data.schema import PACKAGE_FILE
from tests.fixtures import FIXTURE_DATA

pytestmark = pytest.mark.unit

ROOT = PACKAGE_FILE.parent
RESOURCES = ("events", "places", "articles", "claimants")


def test_the_shipped_data_is_valid_by_frictionless():
    report = frictionless.Package(str(PACKAGE_FILE), basepath=str(ROOT)).validate()
    errors = report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, errors


def test_every_item_of_a_list_column_names_a_row_of_the_table_it_refers_to():
    """Table Schema's foreignKeys take single values, so the references from ';'-list columns
    (an event's places, articles and contests) are declared in ``listForeignKeys``; checked
    here on the rows frictionless reads."""
    package = frictionless.Package(str(PACKAGE_FILE), basepath=str(ROOT))
    rows = {r.name: r.read_rows() for r in package.resources}
    declared = [
        (resource.name, key)
        for resource in package.resources
        for key in resource.schema.custom.get("listForeignKeys", [])
    ]
    assert {(name, key["fields"][0]) for name, key in declared} == {
        ("events", "places"),
        ("events", "articles"),
        ("events", "contests"),
    }
    missing = []
    for name, key in declared:
        (column,), target = key["fields"], key["reference"]
        known = {row[target["fields"][0]] for row in rows[target["resource"]]}
        for row in rows[name]:
            for item in row[column] or []:
                if item.strip() not in known:
                    missing.append((name, row.row_number, column, item))
    assert not missing


@pytest.mark.parametrize("name", RESOURCES)
def test_the_package_declares_the_columns_the_shipped_file_has(name):
    resource = schema.resource(name)
    with open(ROOT / resource["path"], encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == [field["name"] for field in resource["schema"]["fields"]]


def test_the_loaders_word_only_columns_the_package_declares():
    from lib.data import articles, events, gazetteer

    for name, rules in (
        ("events", events.RULES),
        ("places", gazetteer.RULES),
        ("articles", articles.RULES),
    ):
        declared = {c.name: c for c in schema.columns(name)}
        assert set(rules) <= set(declared), name
        # every declared rule is applied: a column with one has its wording (line ranges are
        # parsed in code, lib.data.boilerplate, with a message per range)
        ruled = {
            c.name
            for c in declared.values()
            if c.enum or c.pattern or c.type in ("date", "number") or c.max_length
        }
        assert ruled - {"boilerplate", "captions"} <= set(rules), name


#: Columns kept in the files for editors but not read into the loaded records, and why.
NOT_LOADED = {
    ("articles", "seed_file"): "provenance for editors: the file the text was taken from",
    ("claimants", "note"): "a note for editors",
}


@pytest.mark.parametrize("name", RESOURCES)
def test_every_declared_column_is_loaded_and_every_loaded_field_is_declared(name):
    import dataclasses

    from lib.data.articles import Article
    from lib.data.claimants import Claimant
    from lib.data.events import Event
    from lib.data.gazetteer import Place

    record = {"events": Event, "places": Place, "articles": Article, "claimants": Claimant}[name]
    loaded = {f.name for f in dataclasses.fields(record)} - {"row", "text"}
    declared = {c.name for c in schema.columns(name)}
    assert declared - loaded == {c for t, c in NOT_LOADED if t == name}
    assert loaded <= declared


# --- the loaders and frictionless agree, cell by cell ------------------------------------------


def _first_row(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.DictReader(handle))


def _csv(fields, row):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue()


def _digest():
    return hashlib.sha256(
        (FIXTURE_DATA / "articles" / "valley-attack.txt").read_bytes()
    ).hexdigest()


def base_row(name):
    """A good row of each table (from the fixture data), with every declared column."""
    row = {
        "events": lambda: _first_row(FIXTURE_DATA / "events.csv"),
        "places": lambda: _first_row(FIXTURE_DATA / "geodata" / "gazetteer.csv"),
        "articles": lambda: _first_row(FIXTURE_DATA / "articles" / "articles.csv"),
        "claimants": lambda: {"id": "nrf", "name": "National Resistance Front"},
    }[name]()
    full = {c.name: "" for c in schema.columns(name)}
    full.update({k: v for k, v in row.items() if k in full})
    return full


def loader_rejects(name, row, column, tmp_path):
    """Whether the loader reports an error on ``column`` of ``row`` (with no gazetteer or
    articles to check against: only the column rules and the row's own consistency)."""
    fields = [c.name for c in schema.columns(name)]
    if name == "events":
        table = validate_rows([(2, row)], Context())
        problems = table.problems
    elif name == "places":
        problems = []
        parse_place(row, lambda col, message, hint="": problems.append((col, message)))
        return any(col == column for col, _ in problems)
    elif name == "articles":
        folder = tmp_path / "articles"
        shutil.copytree(FIXTURE_DATA / "articles", folder, dirs_exist_ok=True)
        (folder / "articles.csv").write_text(_csv(fields, row), encoding="utf-8")
        _, problems = load_articles(folder)
    else:
        path = tmp_path / "claimants.csv"
        path.write_text(_csv(fields, row), encoding="utf-8")
        _, problems = load_claimants(path)
    return any(p.column == column and p.severity == "error" for p in problems)


def frictionless_rejects(name, row, column, tmp_path):
    """Whether frictionless, with the package's schema for the table, reports ``column``."""
    fields = [c.name for c in schema.columns(name)]
    path = tmp_path / f"{name}.csv"
    path.write_text(_csv(fields, row), encoding="utf-8")
    descriptor = json.loads(json.dumps(schema.resource(name)["schema"]))
    resource = frictionless.Resource(
        path.name, basepath=str(tmp_path), schema=frictionless.Schema.from_descriptor(descriptor)
    )
    found = resource.validate().flatten(["type", "fieldName"])
    # a cell's own errors only: anything else (the file unread, the header) would pass silently
    assert {kind for kind, _ in found} <= {"type-error", "constraint-error", "primary-key"}, found
    return column in {field for _, field in found}


def mutations():
    """(table, column, value) for every rule the package declares: allowed and refused
    values, empty cells, and the forms a spreadsheet produces."""
    cases = []
    for name in RESOURCES:
        for column in schema.columns(name):
            values = ["", "x"]
            if column.enum:
                values += [*column.enum, column.enum[0].capitalize(), "nonsense"]
            if column.pattern:
                values += ["ok", "Not Valid!", "a" * 100, "a-b", "a_b", "AF", "af", "E012"]
            if column.type == "date":
                values += ["2021-09-02", "2021-9-2", "02/09/2021", "20210902", "2021-02-30"]
                values += ["2021-W35-3"]
            if column.type == "number":
                values += ["35.5", "-91", "91", "-181", "181", "-1", "abc", "1e1", "nan", "inf"]
            if column.delimiter:
                values += ["a; b", ";", " ; "]
            if column.max_length:
                values += ["x" * column.max_length, "x" * (column.max_length + 1)]
            if column.name == "summary":
                values += ["two\nlines"]
            if column.name in ("url", "archive_url"):
                values += ["https://example.org/a", "javascript:alert(1)", "example.org/a"]
            if column.name == "retrieved_at":
                values += ["2021-09-04", "2021-09-04T10:15:00Z", "2021-13-45", "yesterday"]
            if column.name == "language":
                values += ["en", "en-GB", "English", "e"]
            if column.name in ("boilerplate", "captions"):
                values += ["1", "1-2", "1-2;4", " 1 - 2 ; 4 ", "1;;3", "1,2", "one", "1-"]
            if column.name == "sha256":
                values += [_digest(), _digest().upper(), "not-a-hash"]
            cases += [(name, column.name, v) for v in dict.fromkeys(values)]
    return cases


#: Where the loader is deliberately kinder or stricter than the package, and why. Every other
#: cell gets the same verdict from both.
KNOWN = {
    # Spreadsheets capitalise a word typed into a cell; the loader reads "Ready" as ready.
    ("events", "review", "Draft"): "loader forgives case",
    ("articles", "date_inferred", "Yes"): "loader forgives case",
    # frictionless' date reads with strptime, which takes one-digit months and days.
    ("events", "date", "2021-9-2"): "loader wants YYYY-MM-DD",
    ("articles", "published_from", "2021-9-2"): "loader wants YYYY-MM-DD",
    ("articles", "published_to", "2021-9-2"): "loader wants YYYY-MM-DD",
    # The pattern says what a time looks like; the loader also knows there is no month 13.
    ("articles", "retrieved_at", "2021-13-45"): "loader checks the calendar",
    # Rules that need more than the cell stay in code.
    ("events", "claimant", ""): "a claimed or disputed row needs its claimant",
    ("events", "casualties", "x"): "the casualties cell is a small language of its own",
    ("events", "casualties", "a; b"): "the casualties cell is a small language of its own",
    ("articles", "file", "x"): "the text file must exist",
    # frictionless reads ";" as a list of two empty items; the loader as no item at all.
    ("events", "places", ";"): "a list of no items is empty",
    ("events", "places", " ; "): "a list of no items is empty",
    ("events", "articles", ";"): "a list of no items is empty",
    ("events", "articles", " ; "): "a list of no items is empty",
}


@pytest.mark.parametrize("name, column, value", mutations())
def test_the_loader_and_frictionless_agree_on_a_cell(name, column, value, tmp_path):
    row = base_row(name)
    row[column] = value
    verdicts = (
        loader_rejects(name, row, column, tmp_path),
        frictionless_rejects(name, row, column, tmp_path),
    )
    if (name, column, value) in KNOWN:
        assert verdicts[0] != verdicts[1], "agree now: take it out of KNOWN"
    else:
        assert verdicts[0] == verdicts[1], f"loader rejects: {verdicts[0]}"


@pytest.mark.parametrize("name", RESOURCES)
def test_every_column_has_its_own_label_for_forms_and_grids(name):
    titles = [c.label for c in schema.columns(name)]
    assert all(t and t != c.name for t, c in zip(titles, schema.columns(name), strict=True))
    assert len(set(titles)) == len(titles)


# --- the package that ships with the CSV export ------------------------------------------------


def test_the_exported_columns_are_described_in_the_frames_order():
    from lib.data.package import EXPORT_FIELDS
    from lib.map.viewstate import FRAME_COLUMNS

    assert list(EXPORT_FIELDS) == FRAME_COLUMNS


@pytest.fixture
def export_env(tmp_path, monkeypatch):
    from tests.support.export_data import write_dataset

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_dataset(tmp_path / "data")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out"
    out.mkdir()
    return out


def test_a_csv_export_comes_with_a_data_package_that_frictionless_validates(export_env):
    from lib.pictures import export

    assert export.main(["csv", "--out", str(export_env / "clashes.csv")]) == 0
    descriptor = json.loads((export_env / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["resources"][0]["path"] == "clashes.csv"
    package = frictionless.Package(descriptor, basepath=str(export_env))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = package.get_resource("events").read_rows()
    with open(export_env / "clashes.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(rows) == len(list(csv.DictReader(handle))) > 0
    assert {r["event_type"] for r in rows} <= set(schema.EVENT_TYPES)


def test_a_csv_export_leaves_a_data_package_describing_other_files_alone(export_env):
    from lib.pictures import export

    project = export_env / "datapackage.json"
    shutil.copy(PACKAGE_FILE, project)
    before = project.read_bytes()
    assert export.main(["csv", "--out", str(export_env / "events.csv")]) == 0
    assert project.read_bytes() == before
    beside = json.loads((export_env / "events.datapackage.json").read_text(encoding="utf-8"))
    assert beside["resources"][0]["path"] == "events.csv"


@pytest.mark.parametrize("value", ["20210902", "2021-W35-3", "2021-9-2", "2021-02-30"])
def test_every_loader_reads_a_date_one_way(value, tmp_path):
    # Regression: articles.csv's dates went through date.fromisoformat, which takes 20210902
    # and week dates; events.csv refused them. schema.parse_date is now the one parser.
    assert schema.parse_date(value) is None
    event = base_row("events")
    event["date"] = value
    assert loader_rejects("events", event, "date", tmp_path)
    article = base_row("articles")
    article["published_from"] = value
    assert loader_rejects("articles", article, "published_from", tmp_path)
