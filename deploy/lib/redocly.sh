#!/usr/bin/env bash
# Installs the OpenAPI linter the tests run (@redocly/cli, pinned) under the data folder, once, and prints its path.
# npm comes with the machine image (Node.js); apt-get installs it where it does not.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools=${FV_DATA_DIR:-$repo/.data}/tools/redocly
version=2.77.0
if [ ! -x "$tools/node_modules/.bin/redocly" ] || ! grep -q "\"version\": \"$version\"" "$tools/node_modules/@redocly/cli/package.json" 2>/dev/null; then
  if ! command -v npm >/dev/null; then
    # shellcheck source=apt.sh
    source "$repo/deploy/lib/apt.sh"
    apt_install nodejs npm
  fi
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent "@redocly/cli@$version" >&2
fi
echo "$tools/node_modules/.bin/redocly"
