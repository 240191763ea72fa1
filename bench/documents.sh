#!/usr/bin/env bash
# Documents on PostgreSQL (release build): an invoice with 10 positions.
# - render time: SEQUENTIAL single requests of GET /api/v1/invoices/{id}/pdf/ (curl's time to the first byte, which
#   is the server's time on loopback), median and best of RUNS;
# - throughput: wrk -t2 -c8 on the same URL (target ≥ 200 documents/s, p99 ≤ 50 ms on 2 cores);
# - size of the one-page PDF (target ≤ 60 KB: a font subset, not the whole font).
# Usage: bash bench/documents.sh   → prints a Markdown table and appends it to bench/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-50}
DURATION=${DURATION:-20s}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source bench/lib.sh
"$BIN" seed-demo >/dev/null
"${PSQL[@]}" -d ringo_bench -c "update services set price = 350000 + id * 12500"
start_server
TOKEN=$(token)
API="http://127.0.0.1:$APPPORT/api/v1"
call() {  # method path [json] → body
  curl -sf -X "$1" "$API$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
call PUT /company/ '{"name":"ООО «Ринго Спецтехника»","inn":"7707083893","kpp":"773601001","ogrn":"1027700132195",
  "address":"г. Москва, ул. Строителей, д. 15","phone":"+7 495 123-45-67","email":"office@ringo.example",
  "bank_name":"ПАО Сбербанк","bik":"044525225","account":"40702810938000012345",
  "correspondent_account":"30101810400000000225","director":"Иванов И. И.","accountant":"Петрова А. С.","vat":"20"}' >/dev/null
CLIENT=$(call POST /clients/ '{"name":"ООО «Стройтрест № 7»","phone":"+79005550101","inn":"500100732259"}' |
  python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
SERVICES=$(call GET '/services/?page_size=10' | python3 -c 'import sys,json; print(" ".join(str(s["id"]) for s in json.load(sys.stdin)["results"]))')
ITEMS=$(for id in $SERVICES; do printf '{"item_type":"service","ref_id":%s,"quantity":"2"},' "$id"; done)
ORDER=$(call POST /orders/ "{\"client_id\":$CLIENT,\"address\":\"г. Москва, ул. Лесная, 5\",
  \"start_dt\":\"2026-11-02T08:00:00+03:00\",\"items\":[${ITEMS%,}]}" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
INVOICE=$(call POST "/orders/$ORDER/generate_invoice/" | python3 -c 'import sys,json; print(json.load(sys.stdin)["invoice_id"])')
URL="$API/invoices/$INVOICE/pdf/"
POSITIONS=$(echo "$SERVICES" | wc -w)

curl -sf -o "$WORK/invoice.pdf" -H "Authorization: Bearer $TOKEN" "$URL"
SIZE=$(stat -c %s "$WORK/invoice.pdf")
PAGES=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page[^s]', open(sys.argv[1],'rb').read())))" "$WORK/invoice.pdf")
TIMES=()
for _ in $(seq 1 "$RUNS"); do
  TIMES+=("$(curl -s -o /dev/null -w '%{time_starttransfer}' -H "Authorization: Bearer $TOKEN" "$URL")")
done
RENDER=$(printf '%s\n' "${TIMES[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f ms | %.1f ms", a[int((NR+1)/2)]*1000, a[1]*1000}')
OUT=$(wrk -t2 -c8 -d"$DURATION" --latency -H "Authorization: Bearer $TOKEN" "$URL")
RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
P99=$(echo "$OUT" | awk '$1=="99%" {print $2}')
NON2XX=$(echo "$OUT" | awk '/Non-2xx/ {print $4}')

{
  echo
  echo "### $(date -u +%Y-%m-%d) commit $(git rev-parse --short HEAD), documents, release build, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(nproc) cores shared by server, database and wrk"
  echo
  echo "Invoice with $POSITIONS positions, $PAGES page(s), $SIZE bytes. Render: $RUNS sequential requests (time to first byte)."
  echo
  echo "| measure | value | target |"
  echo "|---|---|---|"
  echo "| render, median \| best | $RENDER | ≤ 10 ms |"
  echo "| \`GET /api/v1/invoices/{id}/pdf/\`, wrk -c8 | $RPS docs/s, p99 $P99, non-2xx ${NON2XX:-0} | ≥ 200/s, p99 ≤ 50 ms |"
  echo "| size of the one-page PDF | $((SIZE / 1024)) KB | ≤ 60 KB |"
} | tee -a bench/results.md
