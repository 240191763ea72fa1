#!/usr/bin/env bash
# Load benchmark of the hot order reads on PostgreSQL (release build, wrk on loopback).
# Usage: bash bench/run.sh            → prints a Markdown table and appends it to bench/results.md
#        BIN=path/to/ringo SETS=2000 DURATION=10s bash bench/run.sh   (another build, the 2,000-order set only)
# Server, PostgreSQL and wrk share the machine's cores: compare figures taken in the same run only.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source bench/lib.sh
"$BIN" seed-demo >/dev/null

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status"; }
measure() {  # name url → "req/s | p99"
  local out
  out=$(wrk -t2 -c32 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$2")
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  echo "| $1 | $ORDERS | $CACHE | $rps | $p99 | ${non2xx:-0} |"
}

ROWS=()
run_set() {
  ORDERS=$1
  for CACHE in on off; do
    RINGO_RESPONSE_CACHE=$([ "$CACHE" = on ] && echo true || echo false) start_server
    TOKEN=$(token)
    ID=$(curl -s "http://127.0.0.1:$APPPORT/api/v1/orders/?page_size=1" -H "Authorization: Bearer $TOKEN" | python3 -c 'import sys,json; print(json.load(sys.stdin)["results"][0]["id"])')
    ROWS+=("$(measure 'GET /api/v1/orders/?page=1' "http://127.0.0.1:$APPPORT/api/v1/orders/?page=1")")
    ROWS+=("$(measure 'GET /api/v1/orders/{id}/' "http://127.0.0.1:$APPPORT/api/v1/orders/$ID/")")
    ROWS+=("| server RSS after the runs (MiB) | $ORDERS | $CACHE | $(rss) | | |")
    stop_server
  done
}

seed() {  # count: SQL-inserted orders, then their stored line figures priced by the program itself
  "${PSQL[@]}" -d ringo_bench -v n="$1" -f bench/seed_orders.sql
  "$BIN" refresh-line-figures >/dev/null
  # The state autovacuum brings a table to; without it a vacuum may start in the middle of a measurement.
  "${PSQL[@]}" -d ringo_bench -c "VACUUM ANALYZE"
}
# SETS="2000" measures the small set only (a quick before/after comparison of two builds).
seeded=0
for total in ${SETS:-2000 100000}; do
  seed $((total - seeded))
  seeded=$total
  run_set "$total"
done

{
  echo
  echo "### $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD), wrk -t2 -c32 -d$DURATION, release build, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores shared by server, database and wrk"
  echo
  echo "| request | orders | response cache | req/s | p99 | non-2xx |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee -a bench/results.md
