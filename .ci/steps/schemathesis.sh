#!/usr/bin/env bash
# The API against its own contract: `ringo serve` on a fresh SQLite with the demo data, an admin's token, and
# schemathesis generating requests from GET /api/schema/ for a fixed time. Any 5xx answer fails the step.
# Needs .build/debug/ringo and python3; installs the pinned schemathesis when it is missing.
# ST_MAX_TIME (seconds of generated requests, default 150), ST_SEED (to replay a run) and ST_DATABASE_URL (an
# empty PostgreSQL database instead of SQLite) may be set.
set -euo pipefail
cd "$(dirname "$0")/../.."
RINGO="$PWD/.build/debug/ringo"
[ -x "$RINGO" ] || { echo "missing $RINGO: run swift build first" >&2; exit 1; }
SCHEMATHESIS_VERSION=4.32.5
MAX_TIME=${ST_MAX_TIME:-150}

# A virtualenv of its own (kept between runs) leaves the other steps' Python packages alone.
VENV="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/ringo-ci/schemathesis-$SCHEMATHESIS_VERSION"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import schemathesis" 2>/dev/null; then
    rm -rf "$VENV"
    if ! { python3 -m venv "$VENV" && "$VENV/bin/python" -m pip install -q "schemathesis==$SCHEMATHESIS_VERSION"; }; then
        rm -rf "$VENV"
        python3 -m pip install -q "schemathesis==$SCHEMATHESIS_VERSION" \
            || python3 -m pip install -q --break-system-packages "schemathesis==$SCHEMATHESIS_VERSION"
    fi
fi
PYTHON=python3
[ -x "$VENV/bin/python" ] && PYTHON="$VENV/bin/python"

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [ -n "${ST_KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "schemathesis: FAILED: $*" >&2; exit 1; }

export RINGO_DATA_DIR="$WORK/data" RINGO_ADMIN_PHONE=+79990000001 RINGO_ADMIN_PASSWORD=schema-Pass-1
export JWT_SECRET=schemathesis-secret-schemathesis-0123456789 LOG_LEVEL=warning
unset DATABASE_URL RINGO_ENV RINGO_BACKUP_DIR
if [ -n "${ST_DATABASE_URL:-}" ]; then export DATABASE_URL="$ST_DATABASE_URL"; fi
"$RINGO" seed-demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; fail "seed-demo"; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
"$RINGO" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
    curl -fsS "$BASE/api/health/" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "ringo serve exited"; }
    sleep 0.5
done
curl -fsS "$BASE/api/schema/" >"$WORK/schema.json" || fail "GET /api/schema/ did not answer 200"

TOKEN=$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"phone\": \"$RINGO_ADMIN_PHONE\", \"password\": \"$RINGO_ADMIN_PASSWORD\"}" "$BASE/api/v1/token/" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access"])') || fail "login"

# Generated UUIDs never name an order, so paths under /orders/{id}/ mostly take the demo orders' ids.
python3 - "$BASE" "$TOKEN" >"$WORK/schemathesis.toml" <<'PY' || fail "listing the demo orders"
import json, sys, urllib.request
base, token = sys.argv[1:]
request = urllib.request.Request(base + "/api/v1/orders/?page_size=200", headers={"Authorization": "Bearer " + token})
ids = [order["id"] for order in json.load(urllib.request.urlopen(request))["results"]]
if not ids:
    sys.exit("seed-demo created no orders")
print("[dictionaries.order_ids]\nvalues = " + json.dumps(ids))
print('[[operations]]\ninclude-path-regex = "^/api/v1/orders/\\\\{id\\\\}/"')
print('parameters = { "path.id" = { dictionary = "order_ids", probability = 0.8 } }')
PY

# Every operation with generated valid and invalid input; the admin's token passes every role guard but the
# operator-only salary view's.
status=0
# Run from the temporary folder: schemathesis keeps a cache in `.schemathesis/` of the current directory.
(cd "$WORK" && "$PYTHON" -m schemathesis.cli --no-color --config-file "$WORK/schemathesis.toml" run "$BASE/api/schema/" \
    --checks not_a_server_error \
    --header "Authorization: Bearer $TOKEN" \
    --max-time "$MAX_TIME" \
    --workers 2 \
    --request-timeout 30 \
    --wait-for-schema 30 \
    ${ST_SEED:+--seed "$ST_SEED"} \
    --generation-database none \
    >"$WORK/st.log" 2>&1) || status=$?
# Lines are cut: a crash of schemathesis itself can print a whole source file on one line.
section() { { sed -n "/= $1 =/,/= $2 =/p" "$WORK/st.log" | head -n "$3" | cut -c1-300; } || true; }
tail -n 25 "$WORK/st.log" | cut -c1-300

# Only the server's failures count: schemathesis also exits non-zero on errors of its own (a generator that
# crashed on a schema keyword), which are shown but do not fail the step. A server that died shows up as
# network errors there, so it is checked here directly.
curl -fsS "$BASE/api/health/" >/dev/null 2>&1 || { tail -n 40 "$WORK/server.log" >&2; fail "the server stopped answering"; }
if grep -q "Server error" "$WORK/st.log"; then
    section FAILURES WARNINGS 150 >&2
    fail "schemathesis found server errors"
fi
# AppErrorMiddleware logs every 500 it answers, with the underlying error.
if grep -q "request failed" "$WORK/server.log"; then
    grep "request failed" "$WORK/server.log" | tail -n 20 >&2
    fail "the server answered 500"
fi
generated=$(grep -Eo '[0-9]+ generated' "$WORK/st.log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
# About 50 cases a second run on a loaded 2-core machine; far fewer means the run did not really happen.
[ "$generated" -ge $((MAX_TIME * 3)) ] || fail "only $generated test cases ran (exit $status)"
if [ "$status" -ne 0 ]; then
    section ERRORS WARNINGS 12
    echo "schemathesis: exit $status without server errors (errors of schemathesis itself, shown above)"
fi
echo "schemathesis: OK, $generated test cases, no server errors"
