#!/usr/bin/env bash
# Timing of the finance reports on PostgreSQL (release build): a throwaway cluster, `ringo seed-demo`, then
# bench/seed_finance.sql (100,000 orders, 300,000 lines, 100,000 expenses, 100,000 salary records by default), and
# RUNS sequential requests per report for the one-year period 2025-01-01…2025-12-31 (curl's total time).
# The reports are measured twice: right after the bulk load (only ANALYZE), and after VACUUM (the state autovacuum
# brings a table to, in which PostgreSQL can answer from the covering indexes without visiting the table).
# Usage: bash bench/reports.sh   → prints a Markdown table and appends it to bench/results.md
# Server and PostgreSQL share the machine's cores: compare figures taken in the same run only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
ORDERS=${ORDERS:-100000}
PERIOD=${PERIOD:-from=2025-01-01&to=2025-12-31}
BIN=${BIN:-.build-release/release/ringo}
if [ ! -x "$BIN" ]; then swift build -c release --scratch-path .build-release --product ringo; fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d); chown postgres "$WORK"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
APPPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w start \
  -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$WORK -c max_connections=200 -c shared_buffers=256MB -c autovacuum=off" >/dev/null
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -q)
"${PSQL[@]}" -c "create database ringo_bench"
export RINGO_ENV=production DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/ringo_bench"
export JWT_SECRET=bench-secret-bench-secret-bench-secret-0123 RINGO_ADMIN_PHONE=+79991234567 RINGO_ADMIN_PASSWORD=bench-admin-1
export RINGO_DATA_DIR="$WORK/data" LOG_LEVEL=${LOG_LEVEL:-notice} RINGO_EXTERNAL_WORKER=true TIME_ZONE=Europe/Moscow
"$BIN" seed-demo >/dev/null
"${PSQL[@]}" -d ringo_bench -v n="$ORDERS" -f bench/seed_finance.sql
COUNTS=$("${PSQL[@]}" -d ringo_bench -At -F ' ' -c "select (select count(*) from orders), (select count(*) from order_items),
  (select count(*) from expenses), (select count(*) from salary_records)")
read -r N_ORDERS N_ITEMS N_EXPENSES N_SALARIES <<<"$COUNTS"

"$BIN" serve --hostname 127.0.0.1 --port "$APPPORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$APPPORT/api/health/live" >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -s -X POST "http://127.0.0.1:$APPPORT/api/v1/token/" -H 'Content-Type: application/json' \
  -d '{"phone":"+79991234567","password":"bench-admin-1"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["access"])')

measure() {  # report → "median min" in ms over RUNS requests after one warm-up
  local url="http://127.0.0.1:$APPPORT/api/v1/reports/$1/?$PERIOD" times=() code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$url")
  [ "$code" = 200 ] || { echo "GET $url → $code" >&2; exit 1; }
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f ms | %.0f ms", a[int((NR+1)/2)]*1000, a[1]*1000}'
}

ROWS=()
for state in "after the bulk load (ANALYZE only)" "after VACUUM"; do
  if [ "$state" = "after VACUUM" ]; then "${PSQL[@]}" -d ringo_bench -c "VACUUM ANALYZE"; fi
  for report in summary equipment employees; do
    ROWS+=("| $report | $state | $(measure "$report") |")
  done
done

{
  echo
  echo "### $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD), reports, release build, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "$N_ORDERS orders, $N_ITEMS lines, $N_EXPENSES expenses, $N_SALARIES salary records; \`?$PERIOD\`; $RUNS sequential requests each after one warm-up."
  echo
  echo "| report | database state | median | best |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee -a bench/results.md
