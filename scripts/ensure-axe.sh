#!/usr/bin/env bash
# Fetch axe-core (the accessibility rules engine the browser tests inject into every frame)
# from the npm registry once, into .cache/axe/ (git-ignored). `npm pack` downloads the
# published tarball only: no install scripts run, no node_modules. Pinned so that a new
# axe-core release cannot add rules that fail the tests overnight; bump AXE_VERSION on purpose.
set -euo pipefail
AXE_VERSION=${AXE_VERSION:-4.14.1}
DEST=${AXE_DIR:-.cache/axe}
TARGET="$DEST/axe-core-$AXE_VERSION.min.js"
if [ -s "$TARGET" ]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's npm package to fetch axe-core..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "npm not found: install Node.js and npm (Debian: apt-get install npm) for the accessibility tests" >&2
    exit 1
  fi
fi
mkdir -p "$DEST"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
tar -xzf "$work/axe-core-$AXE_VERSION.tgz" -C "$work" package/axe.min.js package/LICENSE
mv "$work/package/LICENSE" "$DEST/LICENSE-axe-core-$AXE_VERSION"
mv "$work/package/axe.min.js" "$TARGET"
echo "axe-core $AXE_VERSION in $TARGET"
