#!/usr/bin/env bash
# nginx for the replica tests (tests/test_serve*.py) and `make serve`: Debian's package, installed
# as root where apt-get exists (CI). Elsewhere the tests that need it skip with the reason.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nginx package for the replica tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  exit 0
fi
echo "nginx not found: the replica tests will be skipped (Debian: apt-get install -y nginx)" >&2
