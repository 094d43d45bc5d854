#!/usr/bin/env bash
# npm-pack.sh PACKAGE@VERSION DIR PURPOSE: download the published tarball of PACKAGE@VERSION
# into DIR with `npm pack` (no install scripts run, no node_modules) and print its path.
# Where npm is missing it installs Debian's npm package when run as root (CI), else says what
# to install for PURPOSE. Shared by scripts/ensure-axe.sh and scripts/ensure-biome.sh.
set -euo pipefail
SPEC=$1 DIR=$2 PURPOSE=$3
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's npm package for $PURPOSE..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "npm not found: install Node.js and npm (Debian: apt-get install npm) for $PURPOSE" >&2
    exit 1
  fi
fi
(cd "$DIR" && npm pack --silent "$SPEC" | tail -n 1 | sed "s|^|$DIR/|")
