#!/usr/bin/env bash
# The README's test command: starts the services, builds, runs every test.
# Exits non-zero on any failure. Pass a filter to run a subset, e.g.
#   deploy/test.sh "Category=Commerce"
# Without a filter the Chaos and Ops tests (real silo processes killed, frozen and restarted, databases restored;
# their timings are what they measure) run after the rest, on their own, so that the other test assemblies do not
# compete with them for the CPU.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

deploy/services.sh up
dotnet build FirstViscount.sln -c Release -warnaserror --nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
  set +e
  dotnet test FirstViscount.sln -c Release --no-build --nologo --filter "$1" 2>&1 | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}
rc=0
if [ $# -gt 0 ]; then
  run "$1" || rc=$?
else
  run "Category!=Chaos&Category!=Ops" || rc=$?
  run "Category=Chaos|Category=Ops" || rc=$?
fi

# One closing line over all test assemblies: "N passed, N failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "Tests: $passed passed, $failed failed"
[ "$passed" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
exit "$rc"
