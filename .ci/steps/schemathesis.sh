#!/usr/bin/env bash
# The API against its own contract: `ringo serve` on a fresh SQLite with the demo data, an admin's token, and
# schemathesis generating requests from GET /api/schema/ for a fixed time. Any 5xx answer fails the step.
# Needs .build/debug/ringo and python3; installs the pinned schemathesis when it is missing.
# ST_MAX_TIME (seconds of generated requests, default 150) and ST_SEED (to replay a run) may be set.
set -euo pipefail
cd "$(dirname "$0")/../.."
RINGO="$PWD/.build/debug/ringo"
[ -x "$RINGO" ] || { echo "missing $RINGO: run swift build first" >&2; exit 1; }
SCHEMATHESIS_VERSION=4.32.5
MAX_TIME=${ST_MAX_TIME:-150}

installed=$(python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true)
if [ "$installed" != "$SCHEMATHESIS_VERSION" ]; then
    python3 -m pip install -q "schemathesis==$SCHEMATHESIS_VERSION" \
        || python3 -m pip install -q --break-system-packages "schemathesis==$SCHEMATHESIS_VERSION"
fi

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

# Every operation with generated valid and invalid input; the admin's token passes every role guard but the
# operator-only salary view's.
status=0
python3 -m schemathesis.cli --no-color run "$BASE/api/schema/" \
    --checks not_a_server_error \
    --header "Authorization: Bearer $TOKEN" \
    --max-time "$MAX_TIME" \
    --workers 2 \
    --request-timeout 30 \
    --wait-for-schema 30 \
    ${ST_SEED:+--seed "$ST_SEED"} \
    --generation-database none \
    >"$WORK/st.log" 2>&1 || status=$?
tail -n 60 "$WORK/st.log"
if [ "$status" -ne 0 ]; then
    echo "--- server errors logged by ringo:" >&2
    grep -i "error" "$WORK/server.log" | tail -n 40 >&2 || true
    fail "schemathesis found failures (exit $status)"
fi
# AppErrorMiddleware logs every 500 it answers.
if grep -q "request failed" "$WORK/server.log"; then
    grep "request failed" "$WORK/server.log" | tail -n 20 >&2
    fail "the server logged failed requests"
fi
echo "schemathesis: OK, no server errors"
