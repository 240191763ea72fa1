#!/usr/bin/env bash
# Two `ringo serve` instances (production settings) on one PostgreSQL, as DEPLOY.md runs them:
#   1. a write through one instance is visible through the other at once, although each keeps its own
#      response cache (warmed on the reader before the write);
#   2. jobs put into the queue while both instances' workers run are each run exactly once;
#   3. `kill -9` of one instance under a load of concurrent writes through both loses no write that was
#      acknowledged (every client created with 201 is in the database afterwards).
# The database belongs to a non-superuser role made by deploy/postgres/init/10-ringo-role.sh, as in compose.
#
# Needs the debug build (`swift build`), python3 and psql. In CI, .ci/run exports RINGO_CI_PG_BIN and
# RINGO_CI_PG_PORT (a PostgreSQL on 127.0.0.1, user postgres, trust auth); locally:
#   RINGO_CI_PG_PORT=5432 bash .ci/steps/two-instances.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd)"
RINGO="$ROOT/.build/debug/ringo"
[ -x "$RINGO" ] || { echo "two-instances: $RINGO is missing (swift build first)"; exit 1; }
PGPORT="${RINGO_CI_PG_PORT:?RINGO_CI_PG_PORT (port of a PostgreSQL on 127.0.0.1 with user postgres) is required}"
export PGHOST=127.0.0.1 PGPORT

WORK="$(mktemp -d /tmp/ringo-two-instances.XXXXXX)"
DB="ringo_two_$$"
ROLE="ringo_two_app_$$"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    psql -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    psql -U postgres -d postgres -qc "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1 || true
    if [ "${KEEP_WORK:-}" = 1 ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

psql -U postgres -d postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $DB" >/dev/null
POSTGRES_USER=postgres POSTGRES_DB="$DB" RINGO_DB_USER="$ROLE" RINGO_DB_PASSWORD="two-instances-$$" \
    sh deploy/postgres/init/10-ringo-role.sh >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PORT1="$(free_port)"; PORT2="$(free_port)"
while [ "$PORT2" = "$PORT1" ]; do PORT2="$(free_port)"; done

export RINGO_ENV=production
export DATABASE_URL="postgres://$ROLE:two-instances-$$@127.0.0.1:$PGPORT/$DB"
export JWT_SECRET="two-instances-secret-two-instances-secret-0123"
export METRICS_ENABLED=false LOG_LEVEL=info TIME_ZONE=Europe/Moscow
# Jobs run inside both `serve` processes, so their workers compete for the same queue.
export RINGO_EXTERNAL_WORKER=false

start_instance() { # number port -> pid in PIDS
    RINGO_DATA_DIR="$WORK/data$1" "$RINGO" serve --hostname 127.0.0.1 --port "$2" >"$WORK/instance$1.log" 2>&1 &
    PIDS+=($!)
    local _
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$2/api/health/" >/dev/null 2>&1 && return 0
        kill -0 "$!" 2>/dev/null || break
        sleep 0.2
    done
    echo "instance $1 did not start"; tail -40 "$WORK/instance$1.log"; return 1
}
# The admin as DEPLOY.md makes it: the password on stdin (create-admin also migrates, under the lock).
export ADMIN_PHONE=+79990001122 ADMIN_PASSWORD=two-instances-admin-1
printf '%s\n' "$ADMIN_PASSWORD" | RINGO_DATA_DIR="$WORK/admin" "$RINGO" create-admin --phone "$ADMIN_PHONE" --password-stdin \
    >"$WORK/create-admin.log" 2>&1 || { cat "$WORK/create-admin.log"; exit 1; }
grep -q "admin $ADMIN_PHONE created" "$WORK/create-admin.log" || { echo "create-admin did not create the admin"; cat "$WORK/create-admin.log"; exit 1; }
echo "ok    create-admin --password-stdin created the admin"
start_instance 1 "$PORT1"
start_instance 2 "$PORT2"
echo "instance 1: pid ${PIDS[0]}, port $PORT1; instance 2: pid ${PIDS[1]}, port $PORT2; database $DB as role $ROLE"

python3 tests/ops/two_instances.py \
    --port1 "$PORT1" --port2 "$PORT2" --pid1 "${PIDS[0]}" --database "$DB" \
    --logs "$WORK/instance1.log" "$WORK/instance2.log"   # the admin's phone and password: from the environment
