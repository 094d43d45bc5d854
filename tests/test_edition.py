"""The reader edition's builder (lib/edition/publish.py): hashed files, relative URLs only, a
manifest for every place and article, hostile data kept as text, an interrupted publish that
leaves the previous edition whole, and the corrections log between publications."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib.data.dataset import load_dataset
from lib.editing import history
from lib.edition import publish as edition
from lib.edition.corrections import corrections_since, describe
from tests.fixtures import FIXTURE_DATA
from tests.support.hostile import HOSTILE, poison_fixture

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2021, 9, 5, 14, 2, tzinfo=dt.UTC)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, root)
    return root


def published(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def received(data: bytes) -> tuple[str, object]:
    """The key and JSON of a data file (``Newsmap.receive(key, JSON.parse("..."));``)."""
    assert data.endswith(b"));\n")
    return edition.read_data_script(data)


def manifest_of(files: dict[str, bytes]) -> dict:
    """The manifest ``index.html`` names (the previous edition's may be there too)."""
    (name,) = re.findall(r'content="(data/manifest\.[0-9a-f]+\.js)"', files["index.html"].decode())
    return received(files[name])[1]


def test_asset_and_data_names_carry_the_hash_of_their_bytes(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    files = published(out)
    hashed = [
        f
        for f in files
        if f.startswith(("assets/", "data/")) and "/images/" not in f and f != "data/events.csv"
    ]
    assert len(hashed) > 10
    for name in hashed:
        digest = name.rsplit("/", 1)[-1].split(".")[-2]
        assert digest == hashlib.sha256(files[name]).hexdigest()[:16], name


def test_the_assets_are_the_apps_own_engine_files(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    files = published(out)
    for source in (*edition.JS_FILES, *edition.CSS_FILES):
        stem, ext = Path(source).stem, Path(source).suffix
        copies = [f for f in files if re.fullmatch(rf"assets/{stem}\.[0-9a-f]{{16}}\{ext}", f)]
        assert len(copies) == 1, source
        assert files[copies[0]] == (edition.STATIC_DIR / source).read_bytes(), source


def test_every_url_is_relative_and_names_a_file_of_the_edition(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    files = published(out)
    page = files["index.html"].decode()
    urls = re.findall(r'(?:src|href)="([^"]*)"', page)
    urls += re.findall(r'<meta name="nm-manifest" content="([^"]*)"', page)
    css_urls = [
        u for name, b in files.items() if name.endswith(".css")
        for u in re.findall(r"url\(['\"]?([^'\")]+)", b.decode())
    ]  # fmt: skip
    manifest = manifest_of(files)
    data_urls = [*manifest["places"].values(), *manifest["articles"].values(), manifest["outlines"]]
    assert len(urls) >= 12 and data_urls
    for url in [*urls, *data_urls]:
        if url.startswith("#") or url == "data:,":
            continue
        assert not re.match(r"^(?:[a-z]+:|/)", url), url  # no scheme, no host, no leading /
        assert url in files, url
    for url in css_urls:
        assert url.startswith(("images/", "data:", "#")), url  # "#default#VML": old IE
        if url.startswith("images/"):
            assert f"assets/{url}" in files, url


def test_the_manifest_names_a_file_for_every_place_and_article(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    files = published(out)
    manifest = manifest_of(files)
    dataset = load_dataset(data)
    assert set(manifest["articles"]) == set(dataset.articles)
    # Every place of the gazetteer: the app's `place` parameter accepts any of them.
    assert set(manifest["places"]) == set(dataset.gazetteer.places)
    key, shotul = received(files[manifest["places"]["shotul"]])
    assert key == "place:shotul"
    assert {e[0] for e in shotul["events"]} == {"F001", "F003"}
    # Every passage naming the place under any spelling, with the name's span in the sentence.
    for article_id, sentence, start, end, offset, _caption in shotul["passages"]:
        assert sentence[start:end] in {"Shotul", "Shutul"}
        text = dataset.articles[article_id].text
        assert text[offset : offset + end - start] == sentence[start:end]
    key, article = received(files[manifest["articles"]["kabul-talks"]])
    assert key == "article:kabul-talks"
    assert article["reasoning"] == "'on Wednesday' is 1 Sep; written a day or two later."
    assert article["text"] == dataset.articles["kabul-talks"].text


def test_the_first_paint_carries_no_article_text(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    files = published(out)
    (engine_file,) = [f for f in files if f.startswith("data/engine.")]
    key, engine = received(files[engine_file])
    assert key == "engine" and engine["v"] == 1
    assert "repeated that his men had killed" not in files[engine_file].decode()  # article text


def test_only_approved_rows_reach_the_edition(data: Path, tmp_path: Path) -> None:
    """A draft (F003, which contests F001) stays with the editors: not in any file readers get,
    not even as the rival of an approved claim. (Its sentence may still show as a passage:
    the article itself is public.)"""
    events = data / "events.csv"
    text = events.read_text(encoding="utf-8")
    draft = next(line for line in text.splitlines() if line.startswith("F003,"))
    events.write_text(text.replace(draft, draft.removesuffix("approved") + "draft"), "utf-8")
    out = tmp_path / "edition"
    edition.publish(out, data, now=NOW)
    everything = "".join(v.decode() for k, v in published(out).items() if k.startswith("data/"))
    assert "The Taliban say they have taken Shotul" not in everything
    assert "Fighters in Bazarak say they repelled an attack" in everything  # F001 stays
    assert "F003" not in everything


def test_hostile_strings_in_every_field_reach_the_edition_only_as_json_text(
    data: Path, tmp_path: Path
) -> None:
    poison_fixture(data)
    dataset = load_dataset(data)
    assert not [p for p in dataset.problems if p.severity == "error"], dataset.problems
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW, title="Map " + HOSTILE)
    files = published(out)
    page = files["index.html"].decode()
    assert "<img" not in page and "<script>window" not in page
    assert "Map &lt;img src=x onerror=window.pwned=1&gt;" in page
    for name, body in files.items():
        if name.startswith("data/") and name.endswith(".js"):
            text = body.decode()
            # script_json: no "<" at all (so no </script> or <!--), no Jinja pair.
            assert "<" not in text and "{{" not in text and "{%" not in text, name
    manifest = manifest_of(files)
    _, shotul = received(files[manifest["places"]["shotul"]])
    assert shotul["name"] == "Shotul " + HOSTILE  # the text itself, for the page to escape
    (summary,) = [e[8] for e in shotul["events"] if e[0] == "F003"]
    assert summary == HOSTILE


def test_a_publish_that_fails_midway_leaves_the_old_edition_whole(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    before = published(out)
    (data / "events.csv").write_text(
        (data / "events.csv").read_text(encoding="utf-8").replace("Talks in Kabul fail.", "New."),
        encoding="utf-8",
    )
    written = []

    def failing(path: Path, data: bytes) -> None:
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    monkeypatch.setattr(edition, "_write_file", failing)
    with pytest.raises(OSError):
        edition.publish(out, data, now=NOW + dt.timedelta(hours=1))
    assert published(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")] == [".site.lock"]


KILLED_PUBLISH = """
import os, sys, time
from pathlib import Path
from lib.edition import publish
real = publish._write_file
count = 0
def slow(path, data):
    global count
    real(path, data)
    count += 1
    if count == 5:
        print("writing", flush=True)
        time.sleep(60)
publish._write_file = slow
publish.publish(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_publish_killed_midway_leaves_the_old_edition_whole(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    before = published(out)
    (data / "events.csv").write_text(
        (data / "events.csv").read_text(encoding="utf-8").replace("Talks in Kabul fail.", "New."),
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUBLISH, str(out), str(data)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "writing"
        assert any(p.name.startswith(".site.building-") for p in tmp_path.iterdir())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert published(out) == before
    # The next publish clears what the killed one left and replaces the edition.
    edition.publish(out, data, now=NOW + dt.timedelta(hours=1))
    assert not any(p.name.startswith(".site.building-") for p in tmp_path.iterdir())
    assert "New." in "".join(b.decode() for n, b in published(out).items() if "data/" in n)


def test_the_published_folder_is_readable_by_a_web_server(data: Path, tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        edition.publish(tmp_path / "site", data, now=NOW)
    finally:
        os.umask(old)
    assert (tmp_path / "site").stat().st_mode & 0o005 == 0o005


# --- the corrections log ----------------------------------------------------------------------


def save(root: Path, label: str, new: str, note: str = "") -> None:
    path = root / label
    old = path.read_bytes()
    path.write_text(new, encoding="utf-8")
    history.record(root, label, old, new.encode(), who="editor", note=note)


def test_the_corrections_log_says_what_changed_between_two_publications(
    data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    history.record(data, "events.csv", None, (data / "events.csv").read_bytes(), who="editor")
    edition.publish(out, data, now=NOW)
    assert json.loads((out / "edition.json").read_text())["corrections"] == []

    events = (data / "events.csv").read_text(encoding="utf-8")
    lines = events.splitlines()
    f004 = next(line for line in lines if line.startswith("F004,"))
    new = events.replace("F004,2021-09-01,", "F004,2021-08-31,")
    new += f004.replace("F004", "F006") + "\n" + f004.replace("F004", "F007") + "\n"
    save(data, "events.csv", new, note="The talks were on Tuesday, not Wednesday.")
    edition.publish(out, data, now=NOW + dt.timedelta(days=1))

    state = json.loads((out / "edition.json").read_text())
    (latest,) = state["corrections"]
    assert latest["text"] == "the date of one event corrected; two events added"
    assert latest["notes"] == ["The talks were on Tuesday, not Wednesday."]
    assert latest["time"] == "2021-09-06T14:02:00Z"
    assert manifest_of(published(out))["corrections"] == state["corrections"]

    # A publication with no change adds no line; the log keeps the earlier ones.
    edition.publish(out, data, now=NOW + dt.timedelta(days=2))
    assert json.loads((out / "edition.json").read_text())["corrections"] == [latest]


def test_the_first_publication_has_no_corrections(data: Path, tmp_path: Path) -> None:
    save(data, "events.csv", (data / "events.csv").read_text(encoding="utf-8") + "\n")
    done = edition.publish(tmp_path / "site", data, now=NOW)
    assert done.correction is None


@pytest.mark.parametrize(
    ("cells", "added", "deleted", "text"),
    [
        ([["summary", "a", "b"]], 0, 0, "the summary of one event corrected"),
        ([], 0, 3, "three events removed"),
        ([["date", "a", "b"], ["quote", "a", "b"]], 1, 0,
         "the date of one event corrected; the quote of one event corrected; one event added"),
    ],
)  # fmt: skip
def test_describe_names_each_kind_of_change(cells, added, deleted, text) -> None:
    entry = history.Entry(
        id="1",
        time="2021-09-05T14:02:00Z",
        who="e",
        who_label="e",
        file="events.csv",
        action="save",
        before=None,
        after="x",
        added=tuple({"id": f"N{i}"} for i in range(added)),
        changed=({"id": "F001", "key": "F001", "cells": cells},) if cells else (),
        deleted=tuple({"id": f"D{i}"} for i in range(deleted)),
    )
    assert describe([entry]) == text
    assert corrections_since([entry], "1", NOW) is None  # nothing after the position


def test_the_cli_publishes_and_reports_what_it_wrote(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "lib", "publish", str(out), "--data", str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "published 5 events, 5 places, 2 articles" in done.stdout
    assert (out / "index.html").is_file()
    assert time.monotonic() - started < 60


def test_the_previous_editions_files_stay_one_more_publication(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    first = published(out)
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Talks in Kabul fail.", "A."))
    edition.publish(out, data, now=NOW + dt.timedelta(hours=1))
    second = published(out)
    # A reader who opened the first edition can still open Kabul's panel.
    old_kabul = manifest_of(first)["places"]["kabul"]
    assert old_kabul != manifest_of(second)["places"]["kabul"]
    assert second[old_kabul] == first[old_kabul]
    events.write_text(events.read_text(encoding="utf-8").replace("A.", "B."))
    edition.publish(out, data, now=NOW + dt.timedelta(hours=2))
    assert old_kabul not in published(out)  # one publication, not for ever


def test_a_bad_row_is_named_and_left_out_and_the_rest_is_published(
    data: Path, tmp_path: Path
) -> None:
    events = data / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("F004,2021-09-01,", "F004,2021-09-31,"),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "lib", "publish", str(tmp_path / "site"), "--data", str(data)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "events.csv, row 5, column 'date'" in done.stderr
    assert "published 4 events" in done.stdout


def test_an_empty_events_file_publishes_a_map_with_no_events(data: Path, tmp_path: Path) -> None:
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    done = edition.publish(tmp_path / "site", data, now=NOW)
    assert (done.events, done.articles) == (0, 2)
    assert (tmp_path / "site" / "index.html").is_file()


def test_the_edition_carries_its_events_as_a_csv_with_a_data_package(
    data: Path, tmp_path: Path
) -> None:
    """data/events.csv holds the approved rows as the CSV export writes them (one row per event
    and place, hostile text as plain data: it is served as text/csv, never run), and
    datapackage.json describes it well enough for frictionless to validate it."""
    import frictionless

    poison_fixture(data)
    out = tmp_path / "site"
    edition.publish(out, data, now=NOW)
    package = frictionless.Package(str(out / "datapackage.json"), basepath=str(out))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = package.get_resource("events").read_rows()
    shipped = load_dataset(data)
    approved = {(e.id, p) for e in shipped.events.events if e.is_public for p in e.places}
    assert {(r["event_id"], r["place_id"]) for r in rows} == approved
    assert HOSTILE in {r["summary"] for r in rows}
    state = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert "data/events.csv" not in state["files"]  # not a hashed file kept for old pages
