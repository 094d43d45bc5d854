"""``python -m lib archive ARTICLE``: ask the Wayback Machine for an archived copy of an article.

Reads the article's ``url`` from ``articles/articles.csv``, asks ``https://web.archive.org/save/``
to archive it, and writes the address of the copy into the row's ``archive_url`` (an atomic
save of articles.csv). Without a network, or when the archive refuses, it says so and changes
nothing: exit status 0 for "skipped, try again later", 1 for what the editor must fix (an
unknown article, no ``url`` in its row), as ``lib check`` counts errors.
Nothing else in the project needs the network: ``lib check`` verifies hashes offline.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from lib.data import csvio
from lib.data.articles import METADATA_FILE
from lib.data.dataset import Paths, data_dir
from lib.data.schema import ARTICLE_COLUMNS
from lib.data.storage import atomic_write_text

SAVE_ENDPOINT = "https://web.archive.org/save/"
#: Seconds to wait for the archive; it can take a while to fetch the page itself.
TIMEOUT = 60
USER_AGENT = "newsmap-archive/1 (python -m lib archive)"


def request_copy(url: str, opener=urllib.request.urlopen, timeout: float = TIMEOUT) -> str:
    """The address of a fresh archived copy of ``url``. Raises ``OSError`` when there is none
    (no network, a refusal, a timeout)."""
    request = urllib.request.Request(
        SAVE_ENDPOINT + url, headers={"User-Agent": USER_AGENT}, method="GET"
    )
    with opener(request, timeout=timeout) as response:
        location = response.headers.get("Content-Location") or ""
        final = response.geturl() if hasattr(response, "geturl") else ""
    if location.startswith("/web/"):
        return "https://web.archive.org" + location
    if final and "/web/" in final and final.startswith("https://web.archive.org/"):
        return final
    raise OSError("the archive answered without the address of a copy")


def main(argv: list[str] | None = None, opener=urllib.request.urlopen) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib archive", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("article", help="the article's id in articles/articles.csv")
    parser.add_argument("--root", type=Path, default=None, help="data directory (default: repo)")
    args = parser.parse_args(argv)
    path = Paths(args.root or data_dir()).articles / METADATA_FILE
    label = f"articles/{METADATA_FILE}"
    table = csvio.read(
        path,
        [c.name for c in ARTICLE_COLUMNS if c.required],
        [c.name for c in ARTICLE_COLUMNS if not c.required],
        label=label,
    )
    rows = [row for _, row in table.rows]
    row = next((r for r in rows if r.get("id", "").strip() == args.article), None)
    if row is None:
        print(f"{label}: no article '{args.article}'", file=sys.stderr)
        return 1
    url = row.get("url", "").strip()
    if not url.lower().startswith(("http://", "https://")):
        print(
            f"{label}: '{args.article}' has no url to archive (add its web address first)",
            file=sys.stderr,
        )
        return 1
    try:
        copy = request_copy(url, opener)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        print(f"skipped: no archived copy of {url} ({reason}); nothing was changed")
        return 0
    row["archive_url"] = copy
    columns = list(dict.fromkeys([*table.header, "archive_url"]))
    atomic_write_text(path, csvio.write(columns, rows))
    print(f"{args.article}: archived at {copy} (written to {label}, column archive_url)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
