#!/usr/bin/env bash
# The README's test command: starts the services, builds, runs every test.
# Exits non-zero on any failure. Pass a filter to run a subset, e.g.
#   deploy/test.sh "Category=Runtime"
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

deploy/services.sh up
dotnet build FirstViscount.sln -c Release -warnaserror --nologo -v quiet

filter=()
[ $# -gt 0 ] && filter=(--filter "$1")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test FirstViscount.sln -c Release --no-build --nologo "${filter[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# One closing line over all test assemblies: "N passed, N failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "Tests: $passed passed, $failed failed"
[ "$passed" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
exit "$rc"
