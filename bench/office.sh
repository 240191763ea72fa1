#!/usr/bin/env bash
# Timing of the office's money pages (docs/ui.md) on PostgreSQL (release build): a throwaway cluster,
# `ringo seed-demo`, bench/seed_finance.sql (ORDERS orders with their expenses and salary records) and
# bench/seed_office.sql (CLIENTS clients, an invoice per order, the payments, AUDIT audit entries), then RUNS
# sequential requests per page as the signed-in admin (curl's total time on loopback: the server's time plus
# a few hundred microseconds of loopback and curl).
# Usage: bash bench/office.sh → prints a Markdown table and appends it to bench/results.md
# (BIN=… reuses a release binary; ONLY="/debts /" measures only those pages).
# Server and PostgreSQL share the machine's cores: compare figures taken in the same run only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-9}
ORDERS=${ORDERS:-100000}
CLIENTS=${CLIENTS:-5000}
AUDIT=${AUDIT:-100000}
source bench/lib.sh
"$BIN" seed-demo >/dev/null
"${PSQL[@]}" -d ringo_bench -v n="$ORDERS" -f bench/seed_finance.sql
"${PSQL[@]}" -d ringo_bench -v clients="$CLIENTS" -v audit="$AUDIT" -f bench/seed_office.sql
"${PSQL[@]}" -d ringo_bench -c "VACUUM ANALYZE"
COUNTS=$("${PSQL[@]}" -d ringo_bench -At -F ' ' -c "select (select count(*) from invoices),
  (select count(*) from payments), (select count(*) from expenses), (select count(*) from audit_entries),
  (select count(*) from salary_records), (select count(*) from clients)")
read -r N_INVOICES N_PAYMENTS N_EXPENSES N_AUDIT N_SALARIES N_CLIENTS <<<"$COUNTS"

start_server
BASE="http://127.0.0.1:$APPPORT"
JAR="$WORK/cookies"
# Sign in through the login form, as a browser does: the pre-session CSRF token comes with the form.
CSRF=$(curl -s -c "$JAR" -b "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$CSRF" --data-urlencode "phone=+79991234567" \
  --data-urlencode "password=bench-admin-1" "$BASE/login"

measure() {  # path → "median | best" in ms over RUNS requests after one warm-up, and the page's size
  local url="$BASE$1" times=() code size
  read -r code size < <(curl -s -o /dev/null -b "$JAR" -w '%{http_code} %{size_download}' "$url")
  [ "$code" = 200 ] || { echo "GET $url → $code" >&2; exit 1; }
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s -o /dev/null -b "$JAR" -w '%{time_total}' "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n |
    awk -v size="$size" '{a[NR]=$1} END {printf "%.1f ms | %.1f ms | %.0f KB", a[int((NR+1)/2)]*1000, a[1]*1000, size/1024}'
}

PAGES=(
  "/invoices"
  "/invoices?page=50"
  "/invoices?status=overdue"
  "/payments"
  "/payments?page=50"
  "/expenses"
  "/expenses?from=2025-03-01&to=2025-03-31"
  "/audit"
  "/audit?entity=payment&page=20"
  "/salaries"
  "/debts"
  "/"
)
# ONLY="/debts /" measures just those pages.
if [ -n "${ONLY:-}" ]; then read -r -a PAGES <<<"$ONLY"; fi
ROWS=()
for page in "${PAGES[@]}"; do
  ROWS+=("| \`$page\` | $(measure "$page") |")
done

{
  echo
  echo "### $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD), office pages, release build, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "$N_INVOICES invoices, $N_PAYMENTS payments, $N_EXPENSES expenses, $N_AUDIT audit entries, $N_SALARIES salary records, $N_CLIENTS clients; the admin's session; $RUNS sequential requests each after one warm-up, after VACUUM ANALYZE."
  echo
  echo "| page | median | best | size |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee -a bench/results.md
