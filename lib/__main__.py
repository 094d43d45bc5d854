"""``python -m lib COMMAND``: see ``lib.cli``."""

from lib.cli import main

raise SystemExit(main())
