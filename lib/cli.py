"""The one command line: ``python -m lib COMMAND`` (or ``newsmap COMMAND`` once installed).

Each command lives in the package of its concern and keeps its own ``main(argv)``; this module
only dispatches, importing the command's module when it is called, so ``python -m lib export``
still starts Chromium before pandas and folium are imported, and ``--help`` costs nothing.
The README's command list is generated from ``COMMANDS`` (``tests/test_cli.py`` checks it).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import NamedTuple


class Command(NamedTuple):
    module: str
    summary: str


COMMANDS: dict[str, Command] = {
    "check": Command(
        "lib.commands.check", "validate articles, gazetteer and events; list every problem"
    ),
    "archive": Command(
        "lib.commands.archive", "ask the Wayback Machine to archive an article; note its address"
    ),
    "export": Command(
        "lib.pictures.export", "the map as PNG, GIF, MP4, PDF, SVG or HTML; the data as CSV/GeoJSON"
    ),
    "publish": Command(
        "lib.edition.publish", "write the reader edition: static files for any web server or CDN"
    ),
    "serve": Command("lib.commands.serve", "run N app processes behind nginx (session affinity)"),
    "users": Command("lib.access.users", "add, remove, list editor accounts; change a password"),
    "history": Command("lib.editing.history", "list the saves recorded in the edit history"),
    "geocode": Command("lib.places.geocode", "resolve a place name through gazetteer and GeoNames"),
    "mentions": Command("lib.data.mentions", "print every place named in every article"),
    "geodata": Command("lib.places.build_geonames", "rebuild the offline geocoding data"),
}

#: ``python -m lib.X`` forms that still work for one release, with the command they became.
OLD_FORMS = {
    "lib.check": "check",
    "lib.export": "export",
    "lib.users": "users",
    "lib.history": "history",
    "lib.geocode": "geocode",
    "lib.mentions": "mentions",
    "lib.build_geonames": "geodata",
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: python -m lib COMMAND [ARGS...]   (or: newsmap COMMAND)", "", "commands:"]
    lines += [f"  {name:<{width}}  {cmd.summary}" for name, cmd in COMMANDS.items()]
    lines += ["", "`python -m lib COMMAND --help` describes each command."]
    return "\n".join(lines)


def markdown_list() -> str:
    """The README's command list, one Markdown item per command (``tests/test_cli.py`` compares)."""
    return "\n".join(f"- `python -m lib {name}`: {cmd.summary}" for name, cmd in COMMANDS.items())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = args[0], args[1:]
    command = COMMANDS.get(name)
    if command is None:
        print(f"unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    result = importlib.import_module(command.module).main(rest)
    return int(result or 0)


def run_old_form(module: str) -> None:
    """Entry of a deprecated ``python -m lib.X`` shim: say what replaced it, then run it."""
    command = OLD_FORMS[module]
    print(
        f"note: `python -m {module}` is now `python -m lib {command}`; "
        "the old form goes in the next release.",
        file=sys.stderr,
    )
    raise SystemExit(main([command, *sys.argv[1:]]))
