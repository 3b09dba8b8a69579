#!/usr/bin/env bash
# Keeps one silo running, as systemd's Restart=always or a Kubernetes pod would: when the silo process ends by
# itself (Orleans stops a silo that learns it was declared dead, for example after a long freeze or when Redis
# lost the membership table), it is started again. SIGTERM stops the silo gracefully, then the supervisor.
# Usage: deploy/supervise.sh LOGFILE COMMAND [ARGS...]
set -u
log=$1
shift
child=
stop() {
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  exit 0
}
trap stop TERM INT
while true; do
  "$@" >>"$log" 2>&1 &
  child=$!
  wait "$child"
  echo "[supervise] the silo exited with $?; starting it again in 1 s" >>"$log"
  sleep 1
done
