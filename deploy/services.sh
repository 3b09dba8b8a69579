#!/usr/bin/env bash
# Starts FirstViscount's backing services on loopback, on the project's own ports:
#   PostgreSQL 15 on 15432, Redis 7 on 16379, ClickHouse (HTTP) on 18123, and PgBouncer (transaction pooling, in
#   front of PostgreSQL) on 16432.
# Usage: deploy/services.sh up [--replica]|down|status
#   --replica also starts a streaming replica of PostgreSQL on 15433 ($FV_PG_REPLICA_PORT), for catalog search.
# Data lives under .data/ in the repository (git-ignored), or $FV_DATA_DIR.
# PostgreSQL archives its WAL continuously into an encrypted pgBackRest repository (deploy/backup.sh takes base
# backups and restores): the repository is $FV_BACKUP_DIR (default .data/backups), its key $FV_BACKUP_KEY_FILE
# (default .data/secrets/backup.key, outside the repository folder); under write load a WAL segment is archived
# at the latest every $FV_ARCHIVE_TIMEOUT seconds (15), which bounds what a lost disk loses.
# TLS: a local certificate authority and a server certificate for 127.0.0.1 are made once under .data/tls
# (ca.crt is what clients trust). PostgreSQL accepts TLS on its port (FV_PG_REQUIRE_TLS=1 refuses plain text), Redis
# has a TLS port (16380) beside the plain one, ClickHouse an HTTPS port (18443).
# Idempotent: `up` reuses a server that already answers on its port; `down` stops
# only the processes this script started (their PID files are under the data folder).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log_tag=services
# shellcheck source=lib/common.sh
source "$repo/deploy/lib/common.sh"
# shellcheck source=lib/apt.sh
source "$repo/deploy/lib/apt.sh"

install_missing() {
  local missing=()
  [ -x "$pg_bin/postgres" ] || missing+=(postgresql-15)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v clickhouse-server >/dev/null || missing+=(clickhouse-server)
  command -v clickhouse-client >/dev/null || missing+=(clickhouse-client)
  command -v pgbackrest >/dev/null || missing+=(pgbackrest)
  [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt_install "${missing[@]}"
}

wait_until() {
  local what=$1 tries=$2; shift 2
  for _ in $(seq "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  fail "$what did not answer in time; see its log under $data"
}

# A data folder inside a 0700 temporary directory is unreachable for the postgres user;
# give every ancestor the search (x) bit so it can reach its own folder.
open_path_for_pg_user() {
  is_root || return 0
  local dir=$1
  while [ "$dir" != "/" ]; do
    chmod o+x "$dir" 2>/dev/null || true
    dir=$(dirname "$dir")
  done
}

# pgBackRest for this data folder: a config, a wrapper that hands it the repository key (so that neither the
# config nor archive_command holds the key), and the WAL archiving settings PostgreSQL includes.
pg_backup_config() {
  local dir=$data/postgres
  mkdir -p "$backups/postgres" "$pgbackrest_dir/log" "$pgbackrest_dir/lock"
  ensure_backup_key
  cat >"$pgbackrest_dir/pgbackrest.conf" <<EOF
[global]
repo1-path=$backups/postgres
repo1-cipher-type=aes-256-cbc
repo1-retention-full=2
compress-type=zst
start-fast=y
log-path=$pgbackrest_dir/log
lock-path=$pgbackrest_dir/lock
log-level-console=warn
log-level-file=info

[firstviscount]
pg1-path=$dir/db
pg1-port=$pg_port
pg1-socket-path=$dir
pg1-user=$pg_user
EOF
  cat >"$pgbackrest_dir/pgbackrest" <<EOF
#!/bin/sh
PGBACKREST_REPO1_CIPHER_PASS=\$(cat '$backup_key') exec pgbackrest --config='$pgbackrest_dir/pgbackrest.conf' --stanza=firstviscount "\$@"
EOF
  chmod 755 "$pgbackrest_dir/pgbackrest"
  if is_root; then
    open_path_for_pg_user "$backups/postgres"
    chown -R postgres:postgres "$backups/postgres" "$pgbackrest_dir" "$backup_key"
  fi
  [ -d "$dir/db" ] || return 0
  cat >"$dir/db/archiving.conf" <<EOF
archive_mode = on
archive_command = '$pgbackrest_dir/pgbackrest archive-push %p'
archive_timeout = ${archive_timeout}s
EOF
  if is_root; then chown postgres:postgres "$dir/db/archiving.conf"; fi
  grep -q "^include_if_exists = 'archiving.conf'" "$dir/db/postgresql.conf" ||
    echo "include_if_exists = 'archiving.conf'" >>"$dir/db/postgresql.conf"
}

# The local certificate authority and the servers' certificate (SAN 127.0.0.1 and localhost), made once.
tls_setup() {
  mkdir -p "$tls_dir"
  [ -s "$tls_dir/server.crt" ] && return 0
  log "making a local certificate authority and server certificate in $tls_dir"
  (
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=FirstViscount local CA" \
      -keyout "$tls_dir/ca.key" -out "$tls_dir/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tls_dir/server.key" -out "$tls_dir/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >"$tls_dir/server.ext"
    openssl x509 -req -in "$tls_dir/server.csr" -CA "$tls_dir/ca.crt" -CAkey "$tls_dir/ca.key" -CAcreateserial -days 825 \
      -extfile "$tls_dir/server.ext" -out "$tls_dir/server.crt" 2>/dev/null
  )
  chmod 644 "$tls_dir/ca.crt" "$tls_dir/server.crt"
  rm -f "$tls_dir/server.csr"
}

# PostgreSQL's TLS settings, written before every start; its own copy of the key, which it insists on owning.
pg_tls_config() {
  local db=$data/postgres/db
  cp "$tls_dir/server.crt" "$db/server.crt"
  cp "$tls_dir/server.key" "$db/server.key"
  chmod 600 "$db/server.key"
  if is_root; then chown postgres:postgres "$db/server.crt" "$db/server.key"; fi
  printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_min_protocol_version = 'TLSv1.2'\n" >"$db/tls.conf"
  if is_root; then chown postgres:postgres "$db/tls.conf"; fi
  grep -q "^include_if_exists = 'tls.conf'" "$db/postgresql.conf" || echo "include_if_exists = 'tls.conf'" >>"$db/postgresql.conf"
  # FV_PG_REQUIRE_TLS=1: a TCP connection without TLS is rejected before authentication.
  sed -i '/^hostnossl all all 127.0.0.1\/32 reject/d' "$db/pg_hba.conf"
  if [ "${FV_PG_REQUIRE_TLS:-0}" = "1" ]; then
    sed -i '1i hostnossl all all 127.0.0.1/32 reject' "$db/pg_hba.conf"
  fi
}

pg_up() {
  if port_answers "$pg_port"; then log "PostgreSQL already answers on $pg_port"; return 0; fi
  local dir=$data/postgres
  mkdir -p "$dir"
  open_path_for_pg_user "$dir"
  is_root && chown postgres:postgres "$dir"
  if [ ! -f "$dir/db/PG_VERSION" ]; then
    log "initialising PostgreSQL in $dir/db"
    local pwfile=$dir/pwfile
    echo "$pg_password" >"$pwfile"
    is_root && chown postgres:postgres "$pwfile"
    as_pg_user "$pg_bin/initdb" -D "$dir/db" -U "$pg_user" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log"
    rm -f "$pwfile"
    cat >>"$dir/db/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$dir'
max_connections = 500
shared_buffers = 256MB
synchronous_commit = on
fsync = on
max_prepared_transactions = 0
EOF
  fi
  pg_backup_config
  pg_tls_config
  as_pg_user "$pg_bin/pg_ctl" -D "$dir/db" -l "$dir/postgres.log" -w -t 60 start >/dev/null
  wait_until PostgreSQL 60 "$pg_bin/pg_isready" -h 127.0.0.1 -p "$pg_port"
  as_pg_user "$pgbackrest_dir/pgbackrest" stanza-create >/dev/null
  as_pg_user "$pg_bin/psql" -h "$dir" -p "$pg_port" -U "$pg_user" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'firstviscount'" | grep -q 1 ||
    as_pg_user "$pg_bin/createdb" -h "$dir" -p "$pg_port" -U "$pg_user" firstviscount
  log "PostgreSQL up on 127.0.0.1:$pg_port"
}

# A hot standby streaming from the primary, cloned with pg_basebackup; when it falls too far behind for the
# primary's WAL (stopped for a while), it reads the segments it misses from the backup archive.
replica_up() {
  if port_answers "$replica_port"; then log "PostgreSQL replica already answers on $replica_port"; return 0; fi
  local dir=$data/postgres-replica
  mkdir -p "$dir"
  open_path_for_pg_user "$dir"
  if is_root; then chown postgres:postgres "$dir"; fi
  if [ ! -f "$dir/db/PG_VERSION" ]; then
    log "cloning the PostgreSQL replica into $dir/db"
    as_pg_user env PGPASSWORD="$pg_password" "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U "$pg_user" \
      -D "$dir/db" --write-recovery-conf --checkpoint=fast --wal-method=stream >/dev/null
    cat >>"$dir/db/postgresql.auto.conf" <<EOF
port = $replica_port
unix_socket_directories = '$dir'
hot_standby = on
hot_standby_feedback = on
archive_mode = off
EOF
  fi
  # The segments the primary has removed come from the archive. pgBackRest checks that it runs in the data directory
  # its config names, the primary's, so the replica's own directory is given (written each time: older clones lack it).
  if [ -x "$pgbackrest_dir/pgbackrest" ]; then
    sed -i '/^restore_command = /d' "$dir/db/postgresql.auto.conf"
    echo "restore_command = '$pgbackrest_dir/pgbackrest --pg1-path=$dir/db archive-get %f \"%p\"'" >>"$dir/db/postgresql.auto.conf"
  fi
  as_pg_user "$pg_bin/pg_ctl" -D "$dir/db" -l "$dir/postgres.log" -w -t 120 start >/dev/null
  wait_until "PostgreSQL replica" 60 "$pg_bin/pg_isready" -h 127.0.0.1 -p "$replica_port"
  log "PostgreSQL replica up on 127.0.0.1:$replica_port (streaming from $pg_port)"
}

replica_down() {
  local dir=$data/postgres-replica
  [ -f "$dir/db/postmaster.pid" ] || return 0
  as_pg_user "$pg_bin/pg_ctl" -D "$dir/db" -m fast -w stop >/dev/null && log "PostgreSQL replica stopped"
}

pg_down() {
  local dir=$data/postgres
  [ -f "$dir/db/postmaster.pid" ] || return 0
  as_pg_user "$pg_bin/pg_ctl" -D "$dir/db" -m fast -w stop >/dev/null && log "PostgreSQL stopped"
}

# PgBouncer refuses to run as root too: as root it runs as the postgres OS user.
pgbouncer_up() {
  if port_answers "$pgbouncer_port"; then log "PgBouncer already answers on $pgbouncer_port"; return 0; fi
  local dir=$data/pgbouncer
  mkdir -p "$dir"
  sed -e "s|@PG_PORT@|$pg_port|g" -e "s|@PGBOUNCER_PORT@|$pgbouncer_port|g" -e "s|@DIR@|$dir|g" -e "s|@PG_USER@|$pg_user|g" \
    "$repo/deploy/pgbouncer.ini" >"$dir/pgbouncer.ini"
  (umask 077 && printf '"%s" "%s"\n' "$pg_user" "$pg_password" >"$dir/userlist.txt")
  if is_root; then open_path_for_pg_user "$dir"; chown -R postgres:postgres "$dir"; fi
  as_pg_user /usr/sbin/pgbouncer -d -q "$dir/pgbouncer.ini"
  wait_until PgBouncer 40 port_answers "$pgbouncer_port"
  log "PgBouncer up on 127.0.0.1:$pgbouncer_port (transaction pooling)"
}

pgbouncer_down() { stop_pidfile PgBouncer "$data/pgbouncer/pgbouncer.pid"; }

redis_up() {
  if port_answers "$redis_port"; then log "Redis already answers on $redis_port"; return 0; fi
  local dir=$data/redis
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --appendonly yes --appendfsync everysec --save "" \
    --tls-port "$redis_tls_port" --tls-cert-file "$tls_dir/server.crt" --tls-key-file "$tls_dir/server.key" \
    --tls-ca-cert-file "$tls_dir/ca.crt" --tls-auth-clients no >/dev/null
  wait_until Redis 40 redis-cli -p "$redis_port" ping
  log "Redis up on 127.0.0.1:$redis_port (TLS on $redis_tls_port)"
}

redis_down() { stop_pidfile Redis "$data/redis/redis.pid"; }

clickhouse_config() {
  local dir=$1
  cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/clickhouse.log</log><errorlog>$dir/clickhouse.err.log</errorlog><size>100M</size><count>2</count></logger>
  <http_port>$ch_http_port</http_port>
  <https_port>$ch_https_port</https_port>
  <openSSL><server><certificateFile>$tls_dir/server.crt</certificateFile><privateKeyFile>$tls_dir/server.key</privateKeyFile><verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile><cacheSessions>true</cacheSessions><disableProtocols>sslv2,sslv3,tlsv1,tlsv1_1</disableProtocols><preferServerCiphers>true</preferServerCiphers></server></openSSL>
  <tcp_port>$ch_tcp_port</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>512</max_connections>
  <keep_alive_timeout>30</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>1073741824</uncompressed_cache_size>
  <mark_cache_size>1073741824</mark_cache_size>
  <path>$dir/db/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
</yandex>
EOF
  cat >"$dir/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
}

clickhouse_up() {
  if port_answers "$ch_http_port"; then log "ClickHouse already answers on $ch_http_port"; return 0; fi
  local dir=$data/clickhouse
  mkdir -p "$dir/db" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
  clickhouse_config "$dir"
  clickhouse-server --config-file="$dir/config.xml" --pid-file="$dir/clickhouse.pid" --daemon
  wait_until ClickHouse 120 curl -sf "http://127.0.0.1:$ch_http_port/ping"
  log "ClickHouse up on 127.0.0.1:$ch_http_port (HTTPS on $ch_https_port)"
}

clickhouse_down() { stop_pidfile ClickHouse "$data/clickhouse/clickhouse.pid"; }

stop_pidfile() {
  local what=$1 pidfile=$2 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "$what stopped"
  fi
  rm -f "$pidfile"
}

status() {
  local rc=0
  if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then echo "postgresql  up    127.0.0.1:$pg_port"; else echo "postgresql  down"; rc=1; fi
  if port_answers "$replica_port"; then echo "replica     up    127.0.0.1:$replica_port"; fi
  if port_answers "$pgbouncer_port"; then echo "pgbouncer   up    127.0.0.1:$pgbouncer_port"; else echo "pgbouncer   down"; rc=1; fi
  if port_answers "$redis_port"; then echo "redis       up    127.0.0.1:$redis_port, TLS 127.0.0.1:$redis_tls_port"; else echo "redis       down"; rc=1; fi
  if curl -sf "http://127.0.0.1:$ch_http_port/ping" >/dev/null; then echo "clickhouse  up    http://127.0.0.1:$ch_http_port, https://127.0.0.1:$ch_https_port"; else echo "clickhouse  down"; rc=1; fi
  return $rc
}

case "${1:-}" in
  up)
    install_missing
    mkdir -p "$data"
    tls_setup
    pg_up
    if [ "${2:-}" = "--replica" ]; then replica_up; fi
    pgbouncer_up
    redis_up
    clickhouse_up
    ;;
  down)
    clickhouse_down
    redis_down
    pgbouncer_down
    replica_down
    pg_down
    ;;
  status) status ;;
  *) echo "usage: $0 up [--replica]|down|status" >&2; exit 2 ;;
esac
