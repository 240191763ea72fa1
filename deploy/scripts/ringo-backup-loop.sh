#!/bin/sh
# Nightly backup loop for the `backup` service in docker-compose.yml (baked into the image as
# /usr/local/bin/ringo-backup-loop; it is not bind-mounted).
#
#   ringo-backup-loop            run forever: one `ringo backup` a day at BACKUP_AT (container time, UTC),
#                                a catch-up backup at start when the last good one is older than 24 h,
#                                and a restore test into a scratch database on RESTORE_TEST_WEEKDAY.
#   ringo-backup-loop --now      one backup now (what deploy/scripts/deploy.sh calls before an upgrade).
#   ringo-backup-loop --restore-test   restore the newest backup into a scratch database and check it.
#   ringo-backup-loop --check    the container HEALTHCHECK: last good backup younger than BACKUP_MAX_AGE_HOURS
#                                and the last restore test did not fail.
#
# Retention is `ringo backup`'s job (RINGO_BACKUP_KEEP_DAILY / RINGO_BACKUP_KEEP_WEEKLY).
# Markers live next to the backups (dot-files, so they are not mistaken for dumps).
set -eu

BACKUP_DIR="${RINGO_BACKUP_DIR:-/var/backups/ringo}"
export PGOPTIONS="${PGOPTIONS:--c client_min_messages=warning}"
BACKUP_AT="${BACKUP_AT:-02:00}"
RESTORE_TEST_WEEKDAY="${RESTORE_TEST_WEEKDAY:-7}"      # 1 = Monday … 7 = Sunday; "off" disables
BACKUP_MAX_AGE_HOURS="${BACKUP_MAX_AGE_HOURS:-26}"
OK_MARK="$BACKUP_DIR/.last-backup-ok"
RT_OK_MARK="$BACKUP_DIR/.last-restore-test-ok"
RT_FAIL_MARK="$BACKUP_DIR/.last-restore-test-failed"

log() { printf '%s ringo-backup-loop: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

mark_age_seconds() { # prints seconds since the marker was written, or a huge number
    if [ -s "$1" ]; then echo $(( $(date +%s) - $(cat "$1") )); else echo 999999999; fi
}

backup_now() {
    mkdir -p "$BACKUP_DIR"
    log "backup: starting"
    if ringo backup; then
        date +%s > "$OK_MARK.tmp" && mv "$OK_MARK.tmp" "$OK_MARK"
        log "backup: done"
    else
        log "backup: FAILED (exit $?)"
        return 1
    fi
}

newest_backup() {
    # Newest regular, non-hidden file in the backup directory.
    newest=""
    for f in "$BACKUP_DIR"/*; do
        [ -f "$f" ] || continue
        # shellcheck disable=SC3013  # -nt is supported by dash and busybox sh
        if [ -z "$newest" ] || [ "$f" -nt "$newest" ]; then newest="$f"; fi
    done
    echo "$newest"
}

# Sets PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE from a postgres:// URL, so that psql and
# pg_restore get the password from their environment: a command line is visible to every process.
pg_env_from_url() {
    rest="${1#*://}"; rest="${rest%%\?*}"
    case "$rest" in *@*) credentials="${rest%@*}"; rest="${rest##*@}" ;; *) credentials="" ;; esac
    hostport="${rest%%/*}"
    PGDATABASE="${rest#"$hostport"}"; PGDATABASE="${PGDATABASE#/}"
    case "$hostport" in *:*) PGHOST="${hostport%:*}"; PGPORT="${hostport##*:}" ;; *) PGHOST="$hostport"; PGPORT=5432 ;; esac
    PGUSER="${credentials%%:*}"
    # deploy.sh insists on a URL-safe password, so there are no %XX escapes to decode.
    case "$credentials" in *:*) PGPASSWORD="${credentials#*:}" ;; *) PGPASSWORD="" ;; esac
    export PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
    [ -n "$PGPASSWORD" ] || unset PGPASSWORD
}

# Restores the newest dump into a separate scratch database with pg_restore (never `--create`, so the
# dump cannot switch to, drop or overwrite the live database), checks that tables came back, then drops
# the scratch database. PostgreSQL only.
restore_test() {
    if restore_test_run; then
        date +%s > "$RT_OK_MARK"; rm -f "$RT_FAIL_MARK"
    else
        rc=$?
        [ "$rc" -eq 3 ] && return 0   # skipped
        date +%s > "$RT_FAIL_MARK"
        log "restore test: FAILED"
        return 1
    fi
}

restore_test_run() {
    url="${DATABASE_URL:-}"
    case "$url" in postgres://*|postgresql://*) ;; *) log "restore test: skipped (no PostgreSQL DATABASE_URL)"; return 3 ;; esac
    file="$(newest_backup)"
    if [ -z "$file" ]; then log "restore test: no backup file found"; return 1; fi
    if ! pg_restore --list "$file" > /dev/null 2>&1; then
        log "restore test: $file is not a pg_dump custom-format archive"; return 1
    fi
    pg_env_from_url "$url"
    case "$url" in *sslmode=require*) export PGSSLMODE=require ;; esac
    scratch_db="ringo_restore_check"
    log "restore test: $file -> database $scratch_db"
    if ! psql -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $scratch_db" \
        || ! psql -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $scratch_db"; then
        log "restore test: cannot create the scratch database (the role needs CREATEDB)"; return 1
    fi
    rc=0
    pg_restore --no-owner --no-privileges --exit-on-error -d "$scratch_db" "$file" || rc=$?
    tables="$(psql -qtA -d "$scratch_db" -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'" 2>/dev/null || echo 0)"
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $scratch_db" 2>/dev/null || true
    if [ "$rc" -eq 0 ] && [ "${tables:-0}" -gt 0 ]; then
        log "restore test: OK ($tables tables)"
    else
        log "restore test: pg_restore exit $rc, $tables tables"
        return 1
    fi
}

check() {
    age="$(mark_age_seconds "$OK_MARK")"
    if [ "$age" -gt $(( BACKUP_MAX_AGE_HOURS * 3600 )) ]; then
        echo "no successful backup in the last ${BACKUP_MAX_AGE_HOURS} h"; exit 1
    fi
    if [ -e "$RT_FAIL_MARK" ]; then echo "last restore test failed"; exit 1; fi
    echo "ok: last backup $((age / 60)) min ago"
}

seconds_until() { # HH:MM -> seconds until its next occurrence (container local time, UTC by default)
    now="$(date +%s)"
    next="$(date -d "today $1" +%s)"
    if [ "$next" -le "$now" ]; then next="$(date -d "tomorrow $1" +%s)"; fi
    echo $(( next - now ))
}

loop() {
    date -d "today $BACKUP_AT" +%s > /dev/null 2>&1 || { log "BACKUP_AT='$BACKUP_AT' is not a time (HH:MM)"; exit 2; }
    trap 'log "stopping"; exit 0' TERM INT
    log "daily backup at $BACKUP_AT ($(date +%Z)), restore test on weekday $RESTORE_TEST_WEEKDAY, into $BACKUP_DIR"
    if [ "$(mark_age_seconds "$OK_MARK")" -gt 86400 ]; then
        log "last good backup is older than 24 h: catching up now"
        backup_now || true
    fi
    while :; do
        wait_s="$(seconds_until "$BACKUP_AT")"
        log "next backup in $((wait_s / 60)) min"
        sleep "$wait_s" & wait $!
        backup_now || true
        if [ "$RESTORE_TEST_WEEKDAY" != "off" ] && [ "$(date +%u)" = "$RESTORE_TEST_WEEKDAY" ]; then
            restore_test || true
        fi
        sleep 60 & wait $!   # never run twice in the same minute
    done
}

case "${1:-}" in
    "") loop ;;
    --now) backup_now ;;
    --restore-test) restore_test ;;
    --check) check ;;
    *) echo "usage: $0 [--now|--restore-test|--check]" >&2; exit 2 ;;
esac
