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
PG_EXTRA_OPTIONS="-c autovacuum=off"
source bench/lib.sh
"$BIN" seed-demo >/dev/null
"${PSQL[@]}" -d ringo_bench -v n="$ORDERS" -f bench/seed_finance.sql
COUNTS=$("${PSQL[@]}" -d ringo_bench -At -F ' ' -c "select (select count(*) from orders), (select count(*) from order_items),
  (select count(*) from expenses), (select count(*) from salary_records)")
read -r N_ORDERS N_ITEMS N_EXPENSES N_SALARIES <<<"$COUNTS"

start_server
TOKEN=$(token)

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
