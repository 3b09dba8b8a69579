# Settings and helpers shared by the deploy scripts (sourced, never run): where the data and backups live, the
# services' ports, running PostgreSQL's tools as the postgres OS user when root, and the backup key. Expects $repo
# and $log_tag.
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

# The key every backup is encrypted with, made once; it lives outside the backup folder.
ensure_backup_key() {
  mkdir -p "$(dirname "$backup_key")"
  [ -s "$backup_key" ] || (umask 077 && openssl rand -base64 48 >"$backup_key")
  if is_root && id postgres >/dev/null 2>&1; then chown postgres:postgres "$backup_key"; fi
}
