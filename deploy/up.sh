#!/usr/bin/env bash
# The README's run command: starts the services and the silos, and prints where to reach them.
# Running it again leaves what already runs alone. deploy/down.sh stops everything it started.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
run=${FV_DATA_DIR:-$repo/.data}/run
mkdir -p "$run"

deploy/services.sh up
dotnet build src/FirstViscount.Silo -c Release --nologo -v quiet
dotnet build src/FirstViscount.Cli -c Release --nologo -v quiet

# The silos talk TLS to all three servers and verify their certificates against the local authority
# deploy/services.sh made (docs/OPERATIONS.md says how to use your own).
ca=${FV_DATA_DIR:-$repo/.data}/tls/ca.crt
postgres="Host=127.0.0.1;Port=15432;Username=firstviscount;Password=firstviscount;Database=firstviscount;SSL Mode=VerifyFull;Root Certificate=$ca"
# The key that encrypts payer details at rest: made once, kept with the data, never in the repository.
payer_key_file=$run/../payer.key
[ -s "$payer_key_file" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$payer_key_file")
carrier_key_file=$run/../carrier.key
[ -s "$carrier_key_file" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$carrier_key_file")
admin_email=admin@firstviscount.local
admin_password_file=$run/../admin.password
[ -s "$admin_password_file" ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$admin_password_file")

start_silo() {
  local name=$1 http_port=$2 silo_port=$3
  local pidfile=$run/$name.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "[up] $name already runs (pid $(cat "$pidfile"))" >&2
  else
    Urls="http://127.0.0.1:$http_port" \
    Silo__ClusterId=local \
    Silo__Port="$silo_port" \
    Redis__Configuration=127.0.0.1:16380,ssl=true \
    Redis__TrustedCertificateAuthority="$ca" \
    Postgres__ConnectionString="$postgres" \
    ClickHouse__Url=https://127.0.0.1:18443/ \
    ClickHouse__TrustedCertificateAuthority="$ca" \
    ClickHouse__Database=firstviscount \
    Payments__PayerKey="$(cat "$payer_key_file")" \
    Delivery__CarrierKey="$(cat "$carrier_key_file")" \
    Admin__Email="$admin_email" \
    Admin__Password="$(cat "$admin_password_file")" \
      nohup deploy/supervise.sh "$run/$name.log" dotnet "src/FirstViscount.Silo/bin/Release/net10.0/FirstViscount.Silo.dll" \
      --contentRoot "$repo/src/FirstViscount.Silo" >/dev/null 2>&1 &
    echo $! >"$pidfile"
  fi
  for _ in $(seq 60); do
    if curl -sf "http://127.0.0.1:$http_port/health/ready" >/dev/null; then
      echo "[up] $name ready at http://127.0.0.1:$http_port" >&2
      return 0
    fi
    sleep 0.5
  done
  echo "[up] $name did not become ready; see $run/$name.log" >&2
  exit 1
}

start_silo silo-1 5080 11111
start_silo silo-2 5081 11112

# Demo catalog with opening stock (idempotent: a second run adds nothing).
FV_POSTGRES="$postgres" dotnet src/FirstViscount.Cli/bin/Release/net10.0/firstviscount.dll seed --products "${FV_DEMO_PRODUCTS:-10000}" >&2

cat <<TXT

FirstViscount is up.
  Silo 1         http://127.0.0.1:5080    (health: /health/live, /health/ready; silo port 11111)
  Silo 2         http://127.0.0.1:5081    (silo port 11112)
  Operations     http://127.0.0.1:5080/ops/    (sales, funnel, stock alerts, silos: sign in as the admin below)
  API document   http://127.0.0.1:5080/openapi/v1.json    (browsable at /swagger)
  Dashboard      http://127.0.0.1:5080/dashboard/    (Orleans dashboard: the operations page links to it, or send an admin bearer token)
  Admin e-mail   $admin_email
  Admin password $(cat "$admin_password_file")    (kept in $admin_password_file)
  PostgreSQL     127.0.0.1:15432  user firstviscount / password firstviscount, database firstviscount (TLS; PgBouncer on 16432)
  Redis          127.0.0.1:16379  (TLS on 16380)
  ClickHouse     http://127.0.0.1:18123, https://127.0.0.1:18443    (database firstviscount; the silos stream the event log into it)
  TLS            the silos use TLS to all three, verified against $ca
  Backups        deploy/backup.sh (encrypted, WAL archived continuously; docs/OPERATIONS.md)
  Analytics      http://127.0.0.1:5080/v1/analytics/sales?interval=day   (admin token; also top-products, funnel, freshness)
Logs under $run. Stop everything with deploy/down.sh.
TXT
