#!/usr/bin/env bash
# Timing of «Должники» (`/debts`) on PostgreSQL (release build): a throwaway cluster, `ringo seed-demo`, then
# bench/seed_debts.sql (5,000 clients with 100,000 orders and their payments by default), and RUNS sequential
# requests of the page (signed in through the login form, curl's total time), of its CSV export and of one
# client card. Usage: bash bench/debts.sh   → prints a Markdown table and appends it to bench/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
CLIENTS=${CLIENTS:-5000}
ORDERS=${ORDERS:-100000}
source bench/lib.sh
"$BIN" seed-demo >/dev/null
"${PSQL[@]}" -d ringo_bench -v clients="$CLIENTS" -v n="$ORDERS" -f bench/seed_debts.sql
COUNTS=$("${PSQL[@]}" -d ringo_bench -At -F ' ' -c "select (select count(*) from clients), (select count(*) from orders),
  (select count(*) from payments)")
read -r N_CLIENTS N_ORDERS N_PAYMENTS <<<"$COUNTS"
CLIENT_ID=$("${PSQL[@]}" -d ringo_bench -At -c "select min(id) from clients where name like 'Бенч-клиент %'")

start_server
JAR="$WORK/cookies"
BASE="http://127.0.0.1:$APPPORT"
CSRF=$(curl -s -c "$JAR" -b "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$JAR" -b "$JAR" -X POST "$BASE/login" \
  --data-urlencode "_csrf=$CSRF" --data-urlencode "phone=+79991234567" --data-urlencode "password=bench-admin-1"

measure() {  # path → "median min" in ms over RUNS requests after one warm-up
  local url="$BASE$1" times=() code
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$url")
  [ "$code" = 200 ] || { echo "GET $url → $code" >&2; exit 1; }
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$JAR" "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.0f ms | %.0f ms", a[int((NR+1)/2)]*1000, a[1]*1000}'
}

ROWS=(
  "| \`/debts\` | $(measure "/debts") |"
  "| \`/debts?sort=name&page=20\` | $(measure "/debts?sort=name&page=20") |"
  "| \`/debts?export=csv\` | $(measure "/debts?export=csv") |"
  "| \`/clients/$CLIENT_ID\` | $(measure "/clients/$CLIENT_ID") |"
)
DEBTORS=$(curl -s -b "$JAR" "$BASE/debts?export=csv" | tail -n +2 | wc -l)

{
  echo
  echo "### $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD), «Должники», release build, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "$N_CLIENTS clients, $N_ORDERS orders, $N_PAYMENTS payments, $DEBTORS debtors; $RUNS sequential requests each after one warm-up."
  echo
  echo "| page | median | best |"
  echo "|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee -a bench/results.md
