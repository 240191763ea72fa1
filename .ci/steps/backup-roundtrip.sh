#!/usr/bin/env bash
# Backup → restore round trip with the built binary, on SQLite and on PostgreSQL:
#   demo data (`ringo seed-demo`) + orders through the JSON API → stop → `ringo backup` → `ringo restore` into a
#   NEW database → serve it → users, orders and equipment must answer exactly as before.
# Also: restore refuses the now non-empty database without --force, --force replaces it (after backing it up),
# the source database is left alone, and production refuses to start without JWT_SECRET and DATABASE_URL.
# Needs .build/debug/ringo, python3, and (from .ci/run) RINGO_CI_PG_BIN and RINGO_CI_PG_PORT: a PostgreSQL
# server on 127.0.0.1 with user postgres and trust authentication.
set -euo pipefail
cd "$(dirname "$0")/../.."
RINGO="$PWD/.build/debug/ringo"
PGBIN="${RINGO_CI_PG_BIN:?set RINGO_CI_PG_BIN to the PostgreSQL bin directory}"
PGPORT="${RINGO_CI_PG_PORT:?set RINGO_CI_PG_PORT to the port of the running PostgreSQL server}"
[ -x "$RINGO" ] || { echo "missing $RINGO: run swift build first" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER_PID=""
RUN_ID="rt$$"
PG_ROLE="ringo_$RUN_ID"
PG_SRC="ringo_${RUN_ID}_src"
PG_DST="ringo_${RUN_ID}_dst"
psql_admin() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    psql_admin -d postgres -c "DROP DATABASE IF EXISTS $PG_SRC" -c "DROP DATABASE IF EXISTS $PG_DST" \
        -c "DROP ROLE IF EXISTS $PG_ROLE" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "backup-roundtrip: FAILED: $*" >&2; exit 1; }
say() { echo "backup-roundtrip: $*"; }

# Settings shared by every run: one admin, one JWT secret (so a token outlives the restore), quiet logs.
export RINGO_ADMIN_PHONE=+79990000001 RINGO_ADMIN_PASSWORD=roundtrip-Pass-1
export JWT_SECRET=roundtrip-secret-roundtrip-secret-0123456789 LOG_LEVEL=warning
unset DATABASE_URL RINGO_ENV RINGO_DATA_DIR RINGO_BACKUP_DIR

cat > "$WORK/api.py" <<'PY'
"""Small JSON API client for the round trip: login, create orders, snapshot, compare."""
import json, sys, urllib.request, urllib.error

def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")

def need(status, answer, what, expected=(200,)):
    if status not in expected:
        sys.exit(f"{what}: HTTP {status}: {answer}")
    return answer

def login(base, phone, password):
    answer = need(*call(base, "POST", "/api/v1/token/", body={"phone": phone, "password": password}), "login")
    print(answer["access"])

def create_orders(base, token):
    equipment = need(*call(base, "GET", "/api/v1/equipment/?page_size=200", token), "equipment")["results"]
    clients = need(*call(base, "GET", "/api/v1/clients/?page_size=200", token), "clients")["results"]
    operators = need(*call(base, "GET", "/api/v1/users/?role=operator", token), "operators")["results"]
    if len(equipment) < 2 or len(clients) < 2 or not operators:
        sys.exit(f"seed-demo gave too little data: {len(equipment)} machines, {len(clients)} clients, {len(operators)} operators")
    created = []
    for day in range(3):
        body = {
            "client_id": clients[day % len(clients)]["id"],
            "address": f"ст. Елизаветинская, ул. Садовая {day + 1}",
            "start_dt": f"2025-12-0{day + 1}T09:00:00+03:00",
            "end_dt": f"2025-12-0{day + 1}T18:00:00+03:00",
            "description": f"Заказ {day + 1} (round trip)",
            "operator_ids": [operators[0]["id"]],
            "items": [{"item_type": "equipment", "ref_id": equipment[day % 2]["id"], "metadata": {"shifts": day + 1}}],
        }
        order = need(*call(base, "POST", "/api/v1/orders/", token, body), "create order", (200, 201))
        created.append(order["id"])
    need(*call(base, "PATCH", f"/api/v1/orders/{created[0]}/status/", token, {"status": "APPROVED"}), "approve order")
    print(f"{len(created)} orders created")

ENDPOINTS = ["/api/v1/users/?page_size=200", "/api/v1/orders/?page_size=200", "/api/v1/equipment/?page_size=200"]

def snapshot(base, token, out):
    result = {path: need(*call(base, "GET", path, token), path) for path in ENDPOINTS}
    orders = result[ENDPOINTS[1]]["results"]
    if len(orders) < 3:
        sys.exit(f"expected at least 3 orders, got {len(orders)}")
    for order in orders:  # the detail of every order too (items, operators, history)
        result[f"/api/v1/orders/{order['id']}/"] = need(*call(base, "GET", f"/api/v1/orders/{order['id']}/", token), "order")
    with open(out, "w") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1, sort_keys=True)
    summary = [(o["id"], o["number"], o["total_amount"]) for o in orders]
    print(f"{len(result[ENDPOINTS[0]]['results'])} users, {len(orders)} orders {summary}, "
          f"{len(result[ENDPOINTS[2]]['results'])} machines")

def compare(before_path, after_path):
    before, after = (json.load(open(path)) for path in (before_path, after_path))
    differences = []
    def walk(a, b, where):
        if type(a) is not type(b):
            differences.append(f"{where}: {a!r} != {b!r}")
        elif isinstance(a, dict):
            for key in sorted(set(a) | set(b)):
                if key not in a or key not in b:
                    differences.append(f"{where}.{key}: only in {'before' if key in a else 'after'}")
                else:
                    walk(a[key], b[key], f"{where}.{key}")
        elif isinstance(a, list):
            if len(a) != len(b):
                differences.append(f"{where}: {len(a)} items before, {len(b)} after")
            for index, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{where}[{index}]")
        elif a != b:
            differences.append(f"{where}: {a!r} != {b!r}")
    walk(before, after, "")
    if differences:
        print("\n".join(differences[:50]))
        sys.exit(f"{len(differences)} differences after restore")
    print(f"identical: {', '.join(sorted(before))}")

if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"login": login, "create-orders": create_orders, "snapshot": snapshot, "compare": compare}[command](*args)
PY
api() { python3 "$WORK/api.py" "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server LABEL: `ringo serve` with the current environment; waits for /api/health/ and sets BASE.
start_server() {
    local port
    port=$(free_port)
    BASE="http://127.0.0.1:$port"
    "$RINGO" serve --hostname 127.0.0.1 --port "$port" >"$WORK/$1.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
        if curl -fsS "$BASE/api/health/" >/dev/null 2>&1; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/$1.log" >&2; fail "$1: ringo serve exited"; }
        sleep 0.5
    done
    cat "$WORK/$1.log" >&2
    fail "$1: /api/health/ did not answer within 2 minutes"
}
stop_server() {
    kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# round_trip LABEL SOURCE_ENV TARGET_ENV: each *_ENV is "VAR=value ..." selecting a database.
round_trip() {
    local label=$1 source_env=$2 target_env=$3 file second token
    say "$label: demo data and orders"
    env $source_env "$RINGO" seed-demo >"$WORK/$label-seed.log" 2>&1 || { cat "$WORK/$label-seed.log" >&2; fail "$label: seed-demo"; }
    export $source_env
    start_server "$label-source"
    token=$(api login "$BASE" "$RINGO_ADMIN_PHONE" "$RINGO_ADMIN_PASSWORD")
    api create-orders "$BASE" "$token"
    api snapshot "$BASE" "$token" "$WORK/$label-before.json"
    stop_server

    say "$label: backup"
    file=$("$RINGO" backup | tail -n 1)
    [ -s "$file" ] || fail "$label: ringo backup printed '$file', which is not a file"
    case "$(basename "$file")" in ringo-[0-9]*-[0-9]*.dump|ringo-[0-9]*-[0-9]*.sqlite) ;; *) fail "$label: unexpected name $file" ;; esac
    say "$label: $(basename "$file") ($(wc -c <"$file") bytes)"

    say "$label: restore into a new database"
    export $target_env
    "$RINGO" restore "$file"
    if "$RINGO" restore "$file" >"$WORK/$label-refused.log" 2>&1; then
        fail "$label: a second restore into the now non-empty database was not refused"
    fi
    grep -q -- "--force" "$WORK/$label-refused.log" || { cat "$WORK/$label-refused.log" >&2; fail "$label: the refusal does not mention --force"; }
    "$RINGO" restore "$file" --force >"$WORK/$label-forced.log" 2>&1 || { cat "$WORK/$label-forced.log" >&2; fail "$label: restore --force"; }
    second=$(ls "$(dirname "$file")" | grep -c '^ringo-') || true
    [ "$second" -ge 2 ] || fail "$label: restore --force wrote no backup of the database it replaced"

    start_server "$label-restored"
    api snapshot "$BASE" "$token" "$WORK/$label-after.json"
    api login "$BASE" "$RINGO_ADMIN_PHONE" "$RINGO_ADMIN_PASSWORD" >/dev/null || fail "$label: the admin cannot log in after restore"
    stop_server
    api compare "$WORK/$label-before.json" "$WORK/$label-after.json" || fail "$label: restored data differs"
}

say "production refuses to start without JWT_SECRET and DATABASE_URL"
status=0
env -u JWT_SECRET RINGO_ENV=production RINGO_DATA_DIR="$WORK/prod" "$RINGO" serve >"$WORK/prod.log" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "production mode started without secrets"
grep -q JWT_SECRET "$WORK/prod.log" && grep -q DATABASE_URL "$WORK/prod.log" || { cat "$WORK/prod.log" >&2; fail "the refusal does not name both variables"; }

# --- SQLite: a data directory each ---
( round_trip sqlite \
    "RINGO_DATA_DIR=$WORK/sqlite-source RINGO_BACKUP_DIR=$WORK/sqlite-backups" \
    "RINGO_DATA_DIR=$WORK/sqlite-restored RINGO_BACKUP_DIR=$WORK/sqlite-backups" )

# --- PostgreSQL: a database each, owned by a role with a password (not a superuser) ---
PASSWORD='rt:p@ss/w0rd'
ENCODED=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PASSWORD")
psql_admin -d postgres -c "CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PASSWORD'" \
    -c "CREATE DATABASE $PG_SRC OWNER $PG_ROLE" -c "CREATE DATABASE $PG_DST OWNER $PG_ROLE"
url() { echo "postgres://$PG_ROLE:$ENCODED@127.0.0.1:$PGPORT/$1?sslmode=disable"; }
export PATH="$PGBIN:$PATH"
( round_trip postgres \
    "DATABASE_URL=$(url "$PG_SRC") RINGO_DATA_DIR=$WORK/pg-data RINGO_BACKUP_DIR=$WORK/pg-backups" \
    "DATABASE_URL=$(url "$PG_DST") RINGO_DATA_DIR=$WORK/pg-data RINGO_BACKUP_DIR=$WORK/pg-backups" )

# The restores went only into the target database: the source still has exactly its orders
# (the demo seed's 4 plus the 3 created through the API).
orders=$(psql_admin -d "$PG_SRC" -tAc "SELECT count(*) FROM orders")
[ "$orders" = "7" ] || fail "the source database changed: $orders orders"
say "OK: SQLite and PostgreSQL round trips identical"
