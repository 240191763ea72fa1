#!/usr/bin/env bash
# The compose backup service's weekly restore test (`ringo-backup-loop --restore-test`) against CI's
# PostgreSQL, as the application role of deploy/postgres/init (not a superuser, CREATEDB only): a dump
# made by `ringo backup` must restore into the scratch database, and the role's password must never
# appear in any process's command line meanwhile (it goes through PGPASSWORD).
# Needs .build/debug/ringo, python3, psql and RINGO_CI_PG_PORT (from .ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RINGO="$PWD/.build/debug/ringo"
[ -x "$RINGO" ] || { echo "backup-loop: $RINGO is missing (swift build first)"; exit 1; }
PGPORT="${RINGO_CI_PG_PORT:?RINGO_CI_PG_PORT is required}"

WORK="$(mktemp -d /tmp/ringo-backup-loop.XXXXXX)"
DB="ringo_bl_$$" ROLE="ringo_bl_app_$$"
PASSWORD="bl-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
admin() { PGHOST=127.0.0.1 PGPORT="$PGPORT" psql -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
cleanup() {
    [ -f "$WORK/sampler.pid" ] && kill "$(cat "$WORK/sampler.pid")" 2>/dev/null || true
    admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS ringo_restore_check WITH (FORCE)" \
        -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "backup-loop: FAILED: $*" >&2; exit 1; }

admin -c "CREATE DATABASE $DB" >/dev/null
PGHOST=127.0.0.1 PGPORT="$PGPORT" POSTGRES_USER=postgres POSTGRES_DB="$DB" RINGO_DB_USER="$ROLE" \
    RINGO_DB_PASSWORD="$PASSWORD" sh deploy/postgres/init/10-ringo-role.sh >/dev/null

export RINGO_ENV=production DATABASE_URL="postgres://$ROLE:$PASSWORD@127.0.0.1:$PGPORT/$DB"
export JWT_SECRET=backup-loop-secret-backup-loop-secret-0123 RINGO_DATA_DIR="$WORK/data" RINGO_BACKUP_DIR="$WORK/backups"
export METRICS_ENABLED=false LOG_LEVEL=warning
"$RINGO" migrate >/dev/null
"$RINGO" backup >/dev/null
ls "$WORK/backups"/*.dump >/dev/null 2>&1 || fail "ringo backup wrote no dump"

# Every process's arguments, sampled until the restore test ends.
SAMPLER_PASSWORD="$PASSWORD" python3 - "$WORK/seen" "$WORK/stop" <<'PY' &
import os, sys, time
seen_path, stop_path = sys.argv[1:3]
secret = os.environ.pop("SAMPLER_PASSWORD").encode()
seen = set()
while not os.path.exists(stop_path):
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read()
        except OSError:
            continue
        if secret in args:
            seen.add(args.replace(b"\0", b" ").replace(secret, b"<PASSWORD>").decode(errors="replace"))
    time.sleep(0.002)
with open(seen_path, "w") as f:
    f.write("\n".join(sorted(seen)))
PY
echo $! > "$WORK/sampler.pid"
sleep 0.3
status=0
sh deploy/scripts/ringo-backup-loop.sh --restore-test >"$WORK/restore.log" 2>&1 || status=$?
touch "$WORK/stop"; wait "$(cat "$WORK/sampler.pid")" || true; rm -f "$WORK/sampler.pid"
cat "$WORK/restore.log"
[ "$status" -eq 0 ] || fail "restore test exited $status"
grep -q "restore test: OK" "$WORK/restore.log" || fail "restore test did not report OK"
[ -e "$WORK/backups/.last-restore-test-ok" ] || fail "no .last-restore-test-ok marker"
[ "$(admin -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$ROLE'")" = f ] || fail "$ROLE is a superuser"
if [ -s "$WORK/seen" ]; then
    echo "command lines holding the database password:"; cat "$WORK/seen"
    fail "the database password appeared on a command line"
fi
echo "backup-loop: OK (restore test as a non-superuser role; the password never on a command line)"
