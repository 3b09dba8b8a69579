#!/usr/bin/env bash
# Stops the silos started by deploy/up.sh, then the services.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run=${FV_DATA_DIR:-$repo/.data}/run

for pidfile in "$run"/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"  # the supervisor stops its silo gracefully (it deactivates its grains and leaves the cluster)
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "[down] stopped $(basename "$pidfile" .pid)" >&2
  fi
  rm -f "$pidfile"
done
"$repo/deploy/services.sh" down
