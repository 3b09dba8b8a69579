#!/usr/bin/env bash
# Backups of the services deploy/services.sh runs, and PostgreSQL's point-in-time recovery.
#
#   deploy/backup.sh [now]      PostgreSQL base backup (the first is full, later ones incremental) into the
#                               pgBackRest repository, which also receives every WAL segment as PostgreSQL archives
#                               it; a copy of Redis's RDB and AOF; ClickHouse's tables frozen and copied.
#   deploy/backup.sh postgres [--full] | redis | clickhouse    one of them alone
#   deploy/backup.sh info       what the PostgreSQL repository holds (backups, archived WAL range)
#   deploy/backup.sh restore [--target 'YYYY-MM-DD HH:MM:SS+00']
#                               stops PostgreSQL if it runs, restores its data folder to the target time (default:
#                               the end of the archived WAL), starts it and waits until it accepts writes.
#   deploy/backup.sh restore-redis [FILE]
#                               stops Redis, replaces its data with a copy (default: the newest) and starts it again.
#
# Everything lands in $FV_BACKUP_DIR (default .data/backups) encrypted with the key in $FV_BACKUP_KEY_FILE (default
# .data/secrets/backup.key): pgBackRest's repository encryption for PostgreSQL, openssl AES-256 for the Redis and
# ClickHouse copies. Keep a copy of the key somewhere else than the backups: without it they cannot be read.
# The same settings as deploy/services.sh (FV_DATA_DIR, FV_PG_PORT, FV_REDIS_PORT, FV_CH_HTTP_PORT...).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log_tag=backup
# shellcheck source=lib/common.sh
source "$repo/deploy/lib/common.sh"

pg_dir=$data/postgres
pgbackrest="$pgbackrest_dir/pgbackrest"
stamp=$(date -u +%Y%m%dT%H%M%SZ)

require_pgbackrest() {
  [ -x "$pgbackrest" ] || fail "no pgBackRest configuration under $pgbackrest_dir: start PostgreSQL with deploy/services.sh up first"
}

# Writes stdin to $1 encrypted with the backup key.
encrypt_to() {
  ensure_backup_key
  openssl enc -aes-256-cbc -pbkdf2 -salt -pass "file:$backup_key" -out "$1"
}

backup_postgres() {
  require_pgbackrest
  local type=incr
  [ "${1:-}" = "--full" ] && type=full
  # The first backup is full whatever the type asked (pgBackRest says so in a warning).
  as_pg_user "$pgbackrest" backup --type="$type" 2>&1 | grep -v 'no prior backup exists' >&2 || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || fail "pgBackRest's backup failed; see $pgbackrest_dir/log"
  log "PostgreSQL base backup in $backups/postgres"
}

redis_info() { redis-cli -p "$redis_port" INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }

backup_redis() {
  if ! port_answers "$redis_port"; then log "Redis does not answer on $redis_port: skipped"; return 0; fi
  local cli=(redis-cli -p "$redis_port") dir before
  dir=$("${cli[@]}" CONFIG GET dir | sed -n 2p)
  before=$(redis_info rdb_saves)
  # SCHEDULE: when an AOF rewrite is running, the snapshot starts after it instead of failing. rdb_saves counts
  # finished snapshots (LASTSAVE has one-second resolution and can miss a quick one).
  "${cli[@]}" BGSAVE SCHEDULE >/dev/null
  for _ in $(seq 600); do
    [ "$(redis_info rdb_saves)" -gt "$before" ] && break
    sleep 0.1
  done
  [ "$(redis_info rdb_saves)" -gt "$before" ] || fail "Redis did not finish its snapshot within 60 s"
  [ "$(redis_info rdb_last_bgsave_status)" = "ok" ] || fail "Redis's snapshot failed (INFO persistence)"
  mkdir -p "$backups/redis"
  local files=(dump.rdb)
  [ -d "$dir/appendonlydir" ] && files+=(appendonlydir)
  tar -C "$dir" -czf - "${files[@]}" | encrypt_to "$backups/redis/redis-$stamp.tar.gz.enc" || fail "could not write the Redis copy"
  log "Redis RDB and AOF copied to $backups/redis/redis-$stamp.tar.gz.enc"
}

clickhouse_query() { curl -sf "http://127.0.0.1:$ch_http_port/" --data-binary "$1"; }

backup_clickhouse() {
  if ! curl -sf "http://127.0.0.1:$ch_http_port/ping" >/dev/null; then log "ClickHouse does not answer on $ch_http_port: skipped"; return 0; fi
  local path=$data/clickhouse/db
  if [ ! -d "$path" ]; then log "the ClickHouse on $ch_http_port keeps its data outside $data: skipped"; return 0; fi
  rm -rf "$path/shadow"
  # FREEZE hard-links every part of a table under shadow/ without stopping inserts (ClickHouse 18.16 has it).
  local tables
  tables=$(clickhouse_query "SELECT database || '.' || name FROM system.tables WHERE engine LIKE '%MergeTree' AND database != 'system'")
  for table in $tables; do
    clickhouse_query "ALTER TABLE $table FREEZE" >/dev/null || fail "could not freeze $table"
  done
  mkdir -p "$backups/clickhouse"
  local parts=(metadata)
  [ -d "$path/shadow" ] && parts+=(shadow)
  tar -C "$path" -czf - "${parts[@]}" | encrypt_to "$backups/clickhouse/clickhouse-$stamp.tar.gz.enc" || fail "could not write the ClickHouse copy"
  rm -rf "$path/shadow"
  log "ClickHouse tables ($(echo "$tables" | wc -w)) copied to $backups/clickhouse/clickhouse-$stamp.tar.gz.enc"
}

pg_in_recovery() {
  as_pg_user "$pg_bin/psql" -h "$pg_dir" -p "$pg_port" -U "$pg_user" -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null || true
}

restore_postgres() {
  require_pgbackrest
  local target=""
  if [ "${1:-}" = "--target" ]; then
    target=${2:-}
    # Checked before PostgreSQL is stopped: a typo must not take the database down.
    [[ $target =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?[+-][0-9]{2}(:?[0-9]{2})?$ ]] ||
      fail "--target needs a time with its zone, as YYYY-MM-DD HH:MM:SS+00 (got '$target')"
  fi
  if [ -f "$pg_dir/db/postmaster.pid" ]; then
    as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/db" -m fast -w stop >/dev/null 2>&1 || true
  fi
  mkdir -p "$pg_dir/db"
  chmod 700 "$pg_dir/db"
  if is_root; then chown postgres:postgres "$pg_dir" "$pg_dir/db"; fi
  # The restore_command pgBackRest would write calls pgbackrest itself, which has no key; the wrapper has.
  local args=(restore "--recovery-option=restore_command=$pgbackrest archive-get %f \"%p\"")
  # --delta rewrites only what differs from the backup; an emptied (lost) data folder is restored whole.
  [ -f "$pg_dir/db/PG_VERSION" ] && args+=(--delta)
  [ -n "$target" ] && args+=(--type=time "--target=$target" --target-action=promote)
  log "restoring PostgreSQL ${target:+to $target }from $backups/postgres"
  as_pg_user "$pgbackrest" "${args[@]}"
  # pg_ctl returns once hot standby accepts reads, before recovery has reached its target: wait for the promotion,
  # and give up at once if the server stopped (for example "recovery ended before configured recovery target was
  # reached": no archived commit is as late as the target).
  as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/db" -l "$pg_dir/postgres.log" -w -t 3600 start >/dev/null || true
  while [ "$(pg_in_recovery)" != "f" ]; do
    as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/db" status >/dev/null ||
      fail "PostgreSQL stopped during the restore: $(grep -E 'FATAL|PANIC' "$pg_dir/postgres.log" | tail -1)"
    sleep 0.5
  done
  log "PostgreSQL restored and accepting writes on 127.0.0.1:$pg_port"
}

restore_redis() {
  local file=${1:-}
  if [ -z "$file" ]; then
    file=$(ls -1t "$backups"/redis/redis-*.tar.gz.enc 2>/dev/null | head -1 || true)
  fi
  [ -n "$file" ] && [ -f "$file" ] || fail "no Redis copy to restore${file:+ at $file} (deploy/backup.sh redis makes one in $backups/redis)"
  local dir=$data/redis staging
  [ -f "$dir/redis.pid" ] || fail "the Redis on $redis_port was not started by deploy/services.sh for $data: restore its files by hand"
  # Decrypted before Redis is stopped: a wrong key or a damaged file leaves the running data alone.
  staging=$(mktemp -d "$dir/restore.XXXXXX")
  if ! openssl enc -d -aes-256-cbc -pbkdf2 -pass "file:$backup_key" -in "$file" | tar -C "$staging" -xzf -; then
    rm -rf "$staging"
    fail "could not decrypt and unpack $file with $backup_key"
  fi
  redis-cli -p "$redis_port" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
  for _ in $(seq 100); do port_answers "$redis_port" || break; sleep 0.1; done
  rm -rf "$dir/appendonlydir" "$dir/dump.rdb" "$dir/redis.pid"
  mv "$staging"/* "$dir/"
  rmdir "$staging"
  "$repo/deploy/services.sh" up >/dev/null 2>&1 || fail "Redis did not start again after the restore; see $dir/redis.log"
  log "Redis restored from $file"
}

case "${1:-now}" in
  now)
    backup_postgres
    backup_redis
    backup_clickhouse
    ;;
  postgres) backup_postgres "${2:-}" ;;
  redis) backup_redis ;;
  clickhouse) backup_clickhouse ;;
  restore-redis) restore_redis "${2:-}" ;;
  info) require_pgbackrest; as_pg_user "$pgbackrest" info ;;
  restore) shift; restore_postgres "$@" ;;
  *) echo "usage: $0 [now] | postgres [--full] | redis | clickhouse | info | restore [--target TIME] | restore-redis [FILE]" >&2; exit 2 ;;
esac
