# Settings and helpers shared by the deploy scripts (sourced, never run): where the data and backups live, the
# services' ports, and running PostgreSQL's tools as the postgres OS user when root. Expects $repo and $log_tag.
data=${FV_DATA_DIR:-$repo/.data}
pg_port=${FV_PG_PORT:-15432}
redis_port=${FV_REDIS_PORT:-16379}
ch_http_port=${FV_CH_HTTP_PORT:-18123}
ch_tcp_port=${FV_CH_TCP_PORT:-19000}
pg_bin=/usr/lib/postgresql/15/bin
pg_user=firstviscount
pg_password=firstviscount
backups=${FV_BACKUP_DIR:-$data/backups}
backup_key=${FV_BACKUP_KEY_FILE:-$data/secrets/backup.key}
archive_timeout=${FV_ARCHIVE_TIMEOUT:-15}
pgbackrest_dir=$data/pgbackrest
pgbouncer_port=${FV_PGBOUNCER_PORT:-16432}
replica_port=${FV_PG_REPLICA_PORT:-15433}
redis_tls_port=${FV_REDIS_TLS_PORT:-16380}
ch_https_port=${FV_CH_HTTPS_PORT:-18443}
tls_dir=$data/tls

log() { printf '[%s] %s\n' "$log_tag" "$*" >&2; }
fail() { printf '[%s] error: %s\n' "$log_tag" "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user.
as_pg_user() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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

# The key every backup is encrypted with, made once; it lives outside the backup folder.
ensure_backup_key() {
  mkdir -p "$(dirname "$backup_key")"
  [ -s "$backup_key" ] || (umask 077 && openssl rand -base64 48 >"$backup_key")
  if is_root && id postgres >/dev/null 2>&1; then chown postgres:postgres "$backup_key"; fi
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

