#!/usr/bin/env bash
# The disaster-recovery drill: on a private PostgreSQL (its own data folder, WAL archive and encrypted backup
# repository) with a million events of history and two silo processes, under checkout load: a base backup, a target
# time, the data folder destroyed, a restore to the end of the archived WAL (RPO, RTO), then a point-in-time restore
# to the target, audited against every checkout the API acknowledged. The shared services stay untouched.
# Prints {"bench":"drill/rpo",...} and {"bench":"drill/rto",...} lines. --quick: 100,000 events, a few minutes.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
deploy/services.sh up
dotnet build src/FirstViscount.Silo -c Release --nologo -v quiet
exec dotnet run -c Release --project bench/FirstViscount.Benchmarks -- drill "$@"
