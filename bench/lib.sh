# Shared by the bench scripts (source it after `cd` to the repository root): the release binary, a throwaway
# PostgreSQL cluster with an empty `ringo_bench` database, and the environment `ringo` needs to use it.
# PG_EXTRA_OPTIONS adds server options (e.g. `-c autovacuum=off`). Sets BIN, PGBIN, WORK, PGPORT, APPPORT, PSQL.
BIN=${BIN:-.build-release/release/ringo}
if [ ! -x "$BIN" ]; then swift build -c release --scratch-path .build-release --product ringo; fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
WORK=$(mktemp -d); chown postgres "$WORK"
PGPORT=$(free_port)
APPPORT=$(free_port)
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w start \
  -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$WORK -c max_connections=200 -c shared_buffers=256MB ${PG_EXTRA_OPTIONS:-}" >/dev/null
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -q)
"${PSQL[@]}" -c "create database ringo_bench"
export RINGO_ENV=production DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/ringo_bench"
export JWT_SECRET=bench-secret-bench-secret-bench-secret-0123 RINGO_ADMIN_PHONE=+79991234567 RINGO_ADMIN_PASSWORD=bench-admin-1
export RINGO_DATA_DIR="$WORK/data" LOG_LEVEL=${LOG_LEVEL:-notice} RINGO_EXTERNAL_WORKER=true TIME_ZONE=${TIME_ZONE:-Europe/Moscow}

# `ringo serve` on APPPORT in the background (SERVER_PID), ready when this returns.
start_server() {
  "$BIN" serve --hostname 127.0.0.1 --port "$APPPORT" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$APPPORT/api/health/live" >/dev/null && return; sleep 0.2; done
  echo "server did not start"; cat "$WORK/server.log"; exit 1
}

# An access token of the bench admin.
token() {
  curl -s -X POST "http://127.0.0.1:$APPPORT/api/v1/token/" -H 'Content-Type: application/json' \
    -d '{"phone":"+79991234567","password":"bench-admin-1"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["access"])'
}
