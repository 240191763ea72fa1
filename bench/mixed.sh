#!/usr/bin/env bash
# A busy office's mixed load (issue #14; bench/mixed.lua: 70 % list pages 1–5, 25 % details, 5 % edits) at
# CONNECTIONS (200) connections, on PostgreSQL (default) or the embedded SQLite (DB=sqlite), release build.
# Usage: bash bench/mixed.sh   (ORDERS=2000 DURATION=20s CONNECTIONS=200 DB=postgres|sqlite BIN=…)
# Prints a Markdown row per run and appends them to bench/results.md. Server, database and wrk share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-200}
ORDERS=${ORDERS:-2000}
DB=${DB:-postgres}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source bench/lib.sh
if [ "$DB" = sqlite ]; then mkdir -p "$WORK/data"; export DATABASE_URL="sqlite://$WORK/data/ringo.sqlite"; fi
"$BIN" seed-demo >/dev/null
if [ "$DB" = postgres ]; then
  "${PSQL[@]}" -d ringo_bench -v n="$ORDERS" -f bench/seed_orders.sql
  "$BIN" refresh-line-figures >/dev/null
  "${PSQL[@]}" -d ringo_bench -c "VACUUM ANALYZE"
fi
start_server
BASE="http://127.0.0.1:$APPPORT"
TOKEN=$(token)
if [ "$DB" = sqlite ]; then  # the embedded database is filled through the API
  python3 bench/create_orders.py "$BASE" "$TOKEN" "$ORDERS"
fi
# The orders of pages 1–5 for the details, and created orders at least 10 hours apart for the edits (the seeded
# orders last 9 hours with the same machine, so edits never meet a booking conflict).
python3 - "$BASE" "$TOKEN" "$WORK" <<'PY'
import datetime, json, sys, urllib.request
base, token, work = sys.argv[1:4]
def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(request))
details = [o["id"] for page in range(1, 6) for o in get(f"/api/v1/orders/?page={page}")["results"]]
created = get("/api/v1/orders/?status=CREATED&page_size=200")["results"]
edits, last = [], None
for order in sorted(created, key=lambda o: datetime.datetime.fromisoformat(o["start_dt"])):
    start = datetime.datetime.fromisoformat(order["start_dt"])
    if last is None or start - last >= datetime.timedelta(hours=10):
        edits.append(order["id"])
        last = start
open(work + "/details", "w").write("\n".join(details))
open(work + "/edits", "w").write("\n".join(edits[:50]))
print(f"{len(details)} orders for details, {min(len(edits), 50)} created orders for edits")
PY
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status"; }
BEFORE=$(rss)
# The peak (VmHWM) counts from here: writing 5 to clear_refs resets it (Linux 4.0+).
echo 5 > "/proc/$SERVER_PID/clear_refs"
LOAD=$(cut -d' ' -f1 /proc/loadavg)
OUT=$(DETAIL_IDS="$WORK/details" EDIT_IDS="$WORK/edits" wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency \
  -H "Authorization: Bearer $TOKEN" -s bench/mixed.lua "$BASE")
MIX=$(echo "$OUT" | grep '^MIX')
AFTER=$(rss)
PEAK=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status")
sleep 2
SETTLED=$(rss)
# RSS counts the program's and libraries' pages read from disk too; the heap is the anonymous part.
MEMORY=$(awk '/RssAnon|RssFile/ {printf "%s %.1f MiB, ", $1, $2/1024}' "/proc/$SERVER_PID/status" | sed 's/, $//')
ROW="| $DB | $ORDERS | $CONNECTIONS | $(echo "$MIX" | sed 's/.*rps=\([0-9.]*\).*/\1/') | $(echo "$MIX" | sed 's/.*p99=\([0-9.]*ms\).*/\1/') | $(echo "$MIX" | sed 's/.*non2xx=\([0-9]*\).*/\1/') | $BEFORE → $PEAK → $AFTER → $SETTLED | $LOAD |"
{
  echo
  echo "### $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD), mixed load (bench/mixed.lua), wrk -t2 -c$CONNECTIONS -d$DURATION, release build, $(nproc) cores shared"
  echo
  echo "| database | orders | connections | req/s | p99 | non-2xx | server RSS before → peak during → end → after (MiB) | load before |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "$ROW"
  echo
  echo "Server memory after the run: $MEMORY."
} | tee -a bench/results.md
