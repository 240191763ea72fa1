#!/usr/bin/env bash
# Timing of the planning board (docs/planning.md#speed) on PostgreSQL: a throwaway cluster, `ringo seed-demo`, then
# bench/seed_planning.sql (60 machines, 20 operators, 20,000 orders over three years by default), and RUNS
# sequential requests of the board for a month and a week (signed in through the login form, curl's total time),
# of the API for a month, with the page's weight. Release build by default; BIN=.build/debug/ringo for a debug
# build. Usage: bash bench/planning.sh   → prints a Markdown table and appends it to bench/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-9}
MACHINES=${MACHINES:-60}
OPERATORS=${OPERATORS:-20}
ORDERS=${ORDERS:-20000}
source bench/lib.sh
"$BIN" seed-demo >/dev/null
"${PSQL[@]}" -d ringo_bench -v machines="$MACHINES" -v operators="$OPERATORS" -v n="$ORDERS" -f bench/seed_planning.sql
COUNTS=$("${PSQL[@]}" -d ringo_bench -At -F ' ' -c "select (select count(*) from equipment), (select count(*) from orders)")
read -r N_MACHINES N_ORDERS <<<"$COUNTS"

start_server
JAR="$WORK/cookies"
BASE="http://127.0.0.1:$APPPORT"
CSRF=$(curl -s -c "$JAR" -b "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -s -o /dev/null -c "$JAR" -b "$JAR" -X POST "$BASE/login" \
  --data-urlencode "_csrf=$CSRF" --data-urlencode "phone=+79991234567" --data-urlencode "password=bench-admin-1"
TOKEN=$(token)

measure() {  # path [api] → "median | best | size | sent" over RUNS requests (as a browser: gzip accepted)
  local url="$BASE$1" times=() code size sent
  local auth=(-b "$JAR")
  [ "${2:-}" = api ] && auth=(-H "Authorization: Bearer $TOKEN")
  code=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$url")
  [ "$code" = 200 ] || { echo "GET $url → $code" >&2; exit 1; }
  size=$(curl -s "${auth[@]}" "$url" | wc -c)
  sent=$(curl -s --compressed -o /dev/null -w '%{size_download}' "${auth[@]}" "$url")
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s --compressed -o /dev/null -w '%{time_total}' "${auth[@]}" "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v size="$size" -v sent="$sent" \
    '{a[NR]=$1} END {printf "%.0f ms | %.0f ms | %.1f KB | %.1f KB", a[int((NR+1)/2)]*1000, a[1]*1000, size/1024, sent/1024}'
}

TODAY=$(TZ=Europe/Moscow date +%Y-%m-%d)
MONTH_END=$(TZ=Europe/Moscow date -d "$TODAY +30 days" +%Y-%m-%d)
BARS=$(curl -s "${BASE}/api/v1/planning/?from=$TODAY&to=$MONTH_END" -H "Authorization: Bearer $TOKEN" |
  python3 -c 'import sys,json; d=json.load(sys.stdin); print(len(d["rows"]), sum(len(r["intervals"]) for r in d["rows"]))')
ROWS=(
  "| \`/planning?span=month\` (the board, 31 days) | $(measure "/planning?span=month&from=$TODAY") |"
  "| \`/planning/details?span=month\` (the month's tooltips, fetched after it) | $(measure "/planning/details?span=month&from=$TODAY") |"
  "| \`/planning\` (a week) | $(measure "/planning") |"
  "| \`/planning?resource=operator&span=month\` | $(measure "/planning?resource=operator&span=month&from=$TODAY") |"
  "| \`GET /api/v1/planning/\` (31 days) | $(measure "/api/v1/planning/?from=$TODAY&to=$MONTH_END" api) |"
)
mkdir -p bench/results/raw
curl -s -b "$JAR" "$BASE/planning?span=month&from=$TODAY" >bench/results/raw/planning-month.html
PLAN=$("${PSQL[@]}" -d ringo_bench -At -c "explain (analyze, buffers off, timing off, summary on)
  select distinct r.ref_id, o.id, o.number, o.status, o.start_at, o.end_at, o.address, c.name
  from orders o join order_items r on r.order_id = o.id and r.item_type = 'equipment' and r.ref_id is not null
  left join clients c on c.id = o.client_id
  where o.status <> 'CANCELLED' and o.start_at < now() + interval '31 days'
    and (o.end_at > now() or o.start_at > now() - interval '1 day')" | tee bench/results/raw/planning-plan.txt | tail -n 1)

{
  echo
  echo "### $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD), «План», $(basename "$(dirname "$BIN")") build, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "$N_MACHINES machines, $N_ORDERS orders; the month shows $BARS (rows, bars); $RUNS sequential requests each after one warm-up; the board's orders query: $PLAN."
  echo
  echo "| page | median | best | size | sent (gzip) |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee -a bench/results.md
