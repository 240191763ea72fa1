#!/usr/bin/env bash
# No-Docker upgrade on a systemd host (see DEPLOY.md, "Without Docker"). Run as root.
#
#   deploy/scripts/install-release.sh DIST_DIR
#
# DIST_DIR holds `ringo` and `Public/` (the Dockerfile's `dist` output, or a local release build).
# Steps: copy to /opt/ringo/releases/<UTC timestamp>, check the binary's libraries, back up the database
# (ringo-backup.service), switch /opt/ringo/current atomically, restart ringo.service, wait for
# /api/health/, restart the worker. If the new release does not become healthy, the symlink goes back
# to the previous release and it is restarted (migrations are forward-only: a previous release that
# cannot work with the migrated schema needs `ringo restore` of the pre-upgrade backup; see DEPLOY.md).
set -euo pipefail

SRC="${1:?usage: $0 DIST_DIR}"
ROOT=/opt/ringo
KEEP=5
[ -x "$SRC/ringo" ] || { echo "$SRC/ringo is missing or not executable" >&2; exit 1; }
if ldd "$SRC/ringo" | grep 'not found'; then echo "missing shared libraries (above)" >&2; exit 1; fi

release="$ROOT/releases/$(date -u +%Y%m%d%H%M%S)"
mkdir -p "$ROOT/releases"
cp -a "$SRC" "$release.tmp"
[ -d "$release.tmp/Public" ] || mkdir "$release.tmp/Public"
chown -R root:root "$release.tmp"
chmod -R go-w "$release.tmp"
mv "$release.tmp" "$release"
previous="$(readlink -f "$ROOT/current" 2>/dev/null || true)"

if [ -n "$previous" ] && systemctl is-active --quiet ringo.service; then
    echo "==> backup before upgrade"
    systemctl start ringo-backup.service
fi

switch_to() { ln -sfn "$1" "$ROOT/current.new" && mv -T "$ROOT/current.new" "$ROOT/current"; }
healthy() {
    for _ in $(seq 150); do
        curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:8080/api/health/ && return 0
        sleep 2
    done
    return 1
}

echo "==> switching to $release"
switch_to "$release"
systemctl restart ringo.service
if healthy; then
    systemctl restart ringo-worker.service
    echo "==> $release is live"
else
    journalctl -u ringo.service -n 60 --no-pager || true
    if [ -n "$previous" ]; then
        echo "==> not healthy: back to $previous" >&2
        switch_to "$previous"
        systemctl restart ringo.service ringo-worker.service
    fi
    exit 1
fi

# Keep the newest $KEEP releases (and never the live one).
live="$(readlink -f "$ROOT/current")"
ls -1dt "$ROOT"/releases/*/ | sed 's:/$::' | tail -n +$((KEEP + 1)) | while read -r old; do
    [ "$old" = "$live" ] || rm -rf -- "$old"
done
