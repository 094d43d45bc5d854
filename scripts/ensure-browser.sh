#!/usr/bin/env bash
# Make sure a Chromium that Playwright can drive is present.
# 1. $CHROMIUM_PATH or Debian's /usr/bin/chromium if already installed;
# 2. as root with apt-get (Debian/Ubuntu, CI): install Debian's chromium package;
# 3. otherwise Playwright's own download (`playwright install chromium`), which works on a
#    normal networked machine but not in sandboxes that only reach package registries.
set -euo pipefail
PY=${PY:-.venv/bin/python}
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium package for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "No system Chromium; fetching Playwright's build (needs internet)..."
"$PY" -m playwright install chromium
