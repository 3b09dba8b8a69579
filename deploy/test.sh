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

deploy/services.sh up --replica
# The OpenAPI test lints the served document with @redocly/cli (npm).
FV_REDOCLY=$(deploy/lib/redocly.sh)
# The browser tests drive Debian's chromium through Playwright.
FV_CHROMIUM=$(deploy/lib/chromium.sh)
export FV_REDOCLY FV_CHROMIUM
dotnet build FirstViscount.sln -c Release -warnaserror --nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
direct="Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;Timeout=5;Command Timeout=30"
pgbouncer="${direct/Port=15432/Port=16432};Max Auto Prepare=0;No Reset On Close=true"
# run FILTER [PROJECT]: the tests of the solution (or of one project) that FILTER selects.
run() {
  set +e
  dotnet test "${2:-FirstViscount.sln}" -c Release --no-build --nologo --filter "$1" 2>&1 | tee -a "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  return "$rc"
}
rc=0
if [ $# -gt 0 ]; then
  run "$1" || rc=$?
else
  run "Category!=Chaos&Category!=Ops" || rc=$?
  # The Api tests once more with every PostgreSQL connection through PgBouncer's transaction pooling, as a
  # deployment behind it runs (no prepared statements, nothing that needs a session).
  FV_POSTGRES="$pgbouncer" run "Category!=Chaos&Category!=Ops" tests/FirstViscount.Api.Tests || rc=$?
  run "Category=Chaos|Category=Ops" || rc=$?
fi

# One closing line over all test assemblies: "N passed, N failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "Tests: $passed passed, $failed failed"
[ "$passed" -gt 0 ] || { echo "no test ran" >&2; exit 1; }
exit "$rc"
