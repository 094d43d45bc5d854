#!/usr/bin/env bash
# Fetch Biome (the JavaScript linter `make lint` runs over static/newsmap/) from the npm registry
# once, into .cache/biome/ (git-ignored), and print the binary's path. Biome (MIT or Apache-2.0)
# ships as one native binary per platform (@biomejs/cli-<os>-<arch>); `npm pack` downloads that
# package's tarball only: no install scripts run, no node_modules. Pinned so that a new release
# cannot add rules that fail the lint overnight; bump BIOME_VERSION on purpose (and the
# "$schema" in biome.json with it).
set -euo pipefail
BIOME_VERSION=${BIOME_VERSION:-2.6.9}
DEST=${BIOME_DIR:-.cache/biome}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) PLATFORM=linux-arm64 ;;
  Darwin-x86_64) PLATFORM=darwin-x64 ;;
  Darwin-arm64) PLATFORM=darwin-arm64 ;;
  *) echo "no Biome binary known for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
TARGET="$DEST/biome-$BIOME_VERSION-$PLATFORM"
if [ -x "$TARGET" ]; then echo "$TARGET"; exit 0; fi
mkdir -p "$DEST"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(scripts/npm-pack.sh "@biomejs/cli-$PLATFORM@$BIOME_VERSION" "$work" "the JavaScript lint")
tar -xzf "$tarball" -C "$work"
mv "$work/package/biome" "$TARGET"
chmod +x "$TARGET"
echo "Biome $BIOME_VERSION in $TARGET" >&2
echo "$TARGET"
