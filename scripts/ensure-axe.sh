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
mkdir -p "$DEST"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(scripts/npm-pack.sh "axe-core@$AXE_VERSION" "$work" "the accessibility tests")
tar -xzf "$tarball" -C "$work" package/axe.min.js package/LICENSE
mv "$work/package/LICENSE" "$DEST/LICENSE-axe-core-$AXE_VERSION"
mv "$work/package/axe.min.js" "$TARGET"
echo "axe-core $AXE_VERSION in $TARGET"
