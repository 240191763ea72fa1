#!/usr/bin/env bash
# Timing of the import (docs/import.md) on PostgreSQL: the original's dump (tests/fixtures/original-db) grown by
# bench/seed_import.sql to ORDERS more orders (100,000 by default, 300,000 lines), then `ringo import-original`
# into an empty database, with its wall time and peak memory (GNU time), then the same again (nothing to do);
# and `ringo import-table clients` of a ROWS-row CSV checked without saving (`--dry-run`, the web's preview).
# Usage: bash bench/import.sh   (BIN=.build/debug/ringo for a debug binary) → a Markdown table, also appended
# to bench/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
ORDERS=${ORDERS:-100000}
ROWS=${ROWS:-10000}
source bench/lib.sh
"${PSQL[@]}" -c "create database original"
gunzip -c tests/fixtures/original-db/original-200.sql.gz | sed -e '/^\\restrict /d' -e '/^\\unrestrict /d' \
  | "${PSQL[@]}" -d original >/dev/null
"${PSQL[@]}" -d original -v n="$ORDERS" -f bench/seed_import.sql
FROM="postgres://postgres@127.0.0.1:$PGPORT/original"
COUNTS=$("${PSQL[@]}" -d original -At -F ' ' -c "select (select count(*) from orders_order),
  (select count(*) from orders_orderitem), (select count(*) from orders_orderstatuslog)")
read -r N_ORDERS N_ITEMS N_LOGS <<<"$COUNTS"

timed() {  # label, command… → "seconds maxRSS-MiB"
  local out="$WORK/$1.out"
  shift
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$out" 2>&1 || { tail -20 "$out"; exit 1; }
  awk '{printf "%s %.0f", $1, $2 / 1024}' "$WORK/time"
}
read -r FIRST_S FIRST_MB <<<"$(timed first "$BIN" import-original --from "$FROM")"
read -r SECOND_S SECOND_MB <<<"$(timed second "$BIN" import-original --from "$FROM")"
grep -q "Nothing changed" "$WORK/second.out" || { echo "the second run changed something"; exit 1; }
IMPORTED=$("${PSQL[@]}" -d ringo_bench -At -c "select count(*) from orders")

python3 - "$WORK/clients.csv" "$ROWS" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("Название;Контактное лицо;Телефон;E-mail;Город;ИНН\n")
    for i in range(int(sys.argv[2])):
        f.write(f"Бенч-клиент {i};Иван {i};+7999{i:07d};c{i}@example.com;Самара;\n")
PY
read -r PREVIEW_S PREVIEW_MB <<<"$(timed preview "$BIN" import-table clients "$WORK/clients.csv" --dry-run)"

TABLE=$(cat <<MD

## import ($(date -u +%Y-%m-%d), $(basename "$BIN"), PostgreSQL, 2 cores shared)
Original: $N_ORDERS orders, $N_ITEMS lines, $N_LOGS status logs. Imported orders: $IMPORTED.

| what | wall time | peak memory |
|---|---|---|
| \`import-original\`, first run | ${FIRST_S} s | ${FIRST_MB} MiB |
| \`import-original\`, second run (nothing to do) | ${SECOND_S} s | ${SECOND_MB} MiB |
| \`import-table clients\` --dry-run, $ROWS rows (the preview) | ${PREVIEW_S} s | ${PREVIEW_MB} MiB |
MD
)
echo "$TABLE"
echo "$TABLE" >>bench/results.md
