#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (Category=Browser) when it is missing, and prints its path.
# Playwright drives this browser by its path: its own browser download is never used (it fails on this network).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
chromium=${FV_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  # shellcheck source=apt.sh
  source "$repo/deploy/lib/apt.sh"
  echo "installing chromium for the browser tests" >&2
  apt_install chromium
fi
echo "$chromium"
