#!/usr/bin/env bash
# Prints the Chromium the browser tests (Category=Browser) drive: $FV_CHROMIUM when set, else Debian's
# /usr/bin/chromium, installed with apt when it is missing. Playwright drives this browser by its path: its own
# browser download is never used (it fails on this network).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -n "${FV_CHROMIUM:-}" ]; then
  echo "$FV_CHROMIUM"
  exit 0
fi
if [ ! -x /usr/bin/chromium ]; then
  # shellcheck source=apt.sh
  source "$repo/deploy/lib/apt.sh"
  echo "installing chromium for the browser tests" >&2
  apt_install chromium
fi
echo /usr/bin/chromium
