"""The data set as the exports use it (``load_export_data``), validated once per version of its
files and cached outside the repository (``cache_dir``, keyed by ``data_fingerprint``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from lib.data.gazetteer import Gazetteer
    from lib.data.mentions import Mention


@dataclass
class ExportData:
    """What the exports need from the data set: the events frame, articles (their metadata
    and headline; ``load_export_data`` leaves the text out) and places."""

    frame: pd.DataFrame
    articles: dict
    gazetteer: Gazetteer
    errors: int
    #: Per place id, every passage naming it (the mention index, made before the text is left
    #: out): the standalone HTML's place panel shows them.
    mentions: dict[str, list[Mention]] = field(default_factory=dict)


#: Code whose change changes what loading produces: part of the cache key.
_LOADER_SOURCES = (
    "data/dataset",
    "data/events",
    "data/gazetteer",
    "data/articles",
    "data/schema",
    "map/viewstate",
    "data/csvio",
    "data/mentions",
)


def cache_dir() -> Path:
    """Where validated data sets are cached: ``$XDG_CACHE_HOME/panjshir-timeline`` (or
    ``~/.cache/...``), outside the repository."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "panjshir-timeline"


def data_fingerprint(root: Path, today: dt.date) -> str:
    """SHA-256 of the loaders' code, every data file's path, size, modification time and
    inode, and ``today``.

    Data files are known by what the file system says of them, not by their bytes: reading
    10,000 articles took most of a second per export. Any save changes the time (an editor's
    save is a new file, a new inode), so a changed file is never taken for the cached one.
    Validation depends on the date (an event may not be dated after its article could be
    published), so a new day is a new key.
    """
    digest = hashlib.sha256(today.isoformat().encode())
    lib_dir = Path(__file__).resolve().parents[1]
    for name in _LOADER_SOURCES:
        code = lib_dir / f"{name}.py"
        digest.update(str(code).encode() + b"\0" + code.read_bytes() + b"\0")
    files = [root / "events.csv", root / "geodata" / "gazetteer.csv"]
    articles = root / "articles"
    if articles.is_dir():
        files += sorted(p for p in articles.rglob("*") if p.is_file())
    for file in files:
        try:
            st = file.stat()
            facts = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"
        except OSError:
            facts = "(missing)"
        digest.update(f"{file}\0{facts}\0".encode())
    return digest.hexdigest()


def load_export_data(root: Path | None = None, *, cache: bool = True) -> ExportData:
    """The data set as the exports use it, validated once per version of its files (cached by
    ``data_fingerprint``).

    Loading and validating 100,000 events takes about 10 s; the result is pickled under
    ``cache_dir()`` keyed by ``data_fingerprint``, so a second export of the same files
    starts in well under a second. Any change to a data file (or to the loaders) misses the
    cache. A cache that cannot be read or written is ignored: the data is loaded as usual.
    """
    from lib.data.dataset import data_dir, load_dataset
    from lib.data.events import for_readers
    from lib.data.mentions import build_index, by_place
    from lib.map.viewstate import events_frame

    root = Path(root) if root else data_dir()
    key = data_fingerprint(root, dt.date.today()) if cache else ""
    file = cache_dir() / f"data-{key}.pickle"
    if cache and file.is_file():
        try:
            with file.open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, ExportData):
                return cached
        except Exception:  # noqa: BLE001 - a broken cache is only a slower start
            pass
    dataset = load_dataset(root)
    data = ExportData(
        # Journalists export what readers see: approved rows only.
        frame=events_frame(for_readers(dataset.events.events), dataset.gazetteer),
        # Without their text: exports name articles by headline, outlet and date, and 10,000
        # texts were most of the cache's size and of the time it took to read.
        articles={k: replace(a, title=a.headline, text="") for k, a in dataset.articles.items()},
        gazetteer=dataset.gazetteer,
        errors=sum(1 for p in dataset.problems if p.severity == "error"),
        mentions=by_place(build_index(dataset.articles.values(), dataset.gazetteer)),
    )
    if cache:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            for old in file.parent.glob("data-*.pickle"):
                old.unlink(missing_ok=True)  # one data set at a time: the cache never grows
            tmp = file.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(file)
        except OSError:
            pass
    return data
