#!/usr/bin/env bash
# Deploys the checked-out commit with Docker Compose on this host (see DEPLOY.md).
#
#   deploy/scripts/deploy.sh                 preflight, backup, build, api swap with a readiness gate, the rest, verify
#   deploy/scripts/deploy.sh --check         preflight only (nothing is changed)
#   options: --no-backup   skip the pre-upgrade backup (first deploy is detected by itself)
#            --allow-dirty deploy although tracked files differ from the commit (not recommended)
#            --profile s3  also run MinIO (any `--profile NAME` is passed to docker compose)
#
# What it refuses to do: deploy without .env, with placeholder or missing secrets, with a DB password
# that the existing database volume does not accept, or with hand-edited tracked files.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
CHECK_ONLY=0 NO_BACKUP=0 ALLOW_DIRTY=0
PROFILES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --check) CHECK_ONLY=1 ;;
        --no-backup) NO_BACKUP=1 ;;
        --allow-dirty) ALLOW_DIRTY=1 ;;
        --profile) PROFILES+=(--profile "$2"); shift ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done

say()  { printf '\n==> %s\n' "$*"; }
die()  { printf '\nDEPLOY STOPPED: %s\n' "$*" >&2; exit 1; }
dc()   { docker compose "${PROFILES[@]}" "$@"; }
# Reads KEY from .env without executing it (values may contain spaces or shell characters).
envval() { sed -n "s/^[[:space:]]*\(export[[:space:]]\{1,\}\)\{0,1\}$1=//p" .env | tail -1 | sed 's/^"\(.*\)"$/\1/; s/^'"'"'\(.*\)'"'"'$/\1/'; }

# --- preflight ----------------------------------------------------------------------------------------
say "preflight"
docker compose version >/dev/null 2>&1 || die "needs Docker Engine with the compose v2 plugin (\`docker compose\`)"
[ -f .env ] || die ".env is missing: cp .env.example .env, then fill it in (DEPLOY.md, Quick start)"

problems=()
for key in POSTGRES_PASSWORD POSTGRES_ADMIN_PASSWORD JWT_SECRET; do
    [ -n "$(envval "$key")" ] || problems+=("$key is empty")
done
jwt="$(envval JWT_SECRET)"
[ "${#jwt}" -ge 32 ] || problems+=("JWT_SECRET is shorter than 32 characters (openssl rand -hex 32)")
pgpw="$(envval POSTGRES_PASSWORD)"
[[ "$pgpw" =~ ^[A-Za-z0-9._~-]*$ ]] || problems+=("POSTGRES_PASSWORD has characters that break DATABASE_URL; use openssl rand -hex 24")
# Placeholders must never reach production (the original shipped "ваш-домен.ru"). Only key names are printed.
# Keys that docker-compose.yml sets itself are ignored in .env; say so instead of failing on them.
overridden=" DATABASE_URL RINGO_ENV TRUSTED_PROXIES RINGO_DATA_DIR RINGO_BACKUP_DIR RINGO_EXTERNAL_WORKER "
while IFS= read -r line; do
    key="${line%%=*}"; val="${line#*=}"; key="${key#export }"; key="${key// /}"
    if [[ "$overridden" == *" $key "* ]]; then
        [ -z "$val" ] || echo "note: $key in .env is ignored; docker-compose.yml sets it"
        continue
    fi
    if printf '%s' "$val" | grep -Eiq 'change[-_ ]?me|changeme|replace[-_ ]?me|your[-_ ]|ваш|example\.(com|org|ru)|^<.*>$|^x{3,}$|^todo$'; then
        problems+=("$key still holds a placeholder value")
    fi
done < <(grep -E '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*=' .env | sed 's/^[[:space:]]*//')
[ ${#problems[@]} -eq 0 ] || die "$(printf '\n  - %s' "${problems[@]}")"

if git rev-parse --git-dir >/dev/null 2>&1; then
    if [ -n "$(git status --porcelain --untracked-files=no)" ] && [ "$ALLOW_DIRTY" -eq 0 ]; then
        git status --short --untracked-files=no
        die "tracked files differ from the commit. Deployment files are changed in git, not on the server (--allow-dirty to override)"
    fi
    BUILD_COMMIT="$(git rev-parse --short=12 HEAD)"
    BUILD_VERSION="$(git describe --tags --always --dirty 2>/dev/null || echo "$BUILD_COMMIT")"
else
    BUILD_COMMIT=unknown BUILD_VERSION=dev
fi
export BUILD_COMMIT BUILD_VERSION
dc config -q || die "docker-compose.yml does not validate with this .env"
echo "release $BUILD_VERSION ($BUILD_COMMIT)"

db_running() { [ -n "$(dc ps -q --status running db 2>/dev/null)" ]; }

# A database volume keeps the password it was created with; a changed POSTGRES_PASSWORD only applies
# to a new volume. Catch the mismatch before anything is restarted. The password goes through stdin:
# `docker exec -e PGPASSWORD=…` would show it in the host's process list.
if db_running; then
    app_role="$(envval POSTGRES_USER)"; app_role="${app_role:-ringo}"
    if printf '%s\n' "$pgpw" | dc exec -T db sh -c \
        'IFS= read -r PGPASSWORD; export PGPASSWORD; psql -h 127.0.0.1 -U "$1" -d "${POSTGRES_DB}" -Atqc "select 1"' \
        sh "$app_role" >/dev/null 2>&1; then
        echo "database accepts POSTGRES_PASSWORD from .env"
    else
        die "the running database rejects POSTGRES_PASSWORD from .env for role $app_role. Rotate it with ALTER ROLE (DEPLOY.md, Passwords) instead of editing .env alone"
    fi
    is_super="$(dc exec -T db psql -U postgres -d postgres -Atqc \
        "select rolsuper from pg_roles where rolname = '$app_role'" 2>/dev/null || true)"
    if [ "$is_super" = t ]; then
        echo "WARNING: the application role $app_role is a PostgreSQL superuser (a volume from before the"
        echo "         application role). DEPLOY.md, 'Application role', shows how to demote it."
    fi
fi
[ "$CHECK_ONLY" -eq 0 ] || { say "preflight passed (--check: nothing changed)"; exit 0; }

# --- backup -------------------------------------------------------------------------------------------
if [ "$NO_BACKUP" -eq 1 ]; then
    say "backup skipped (--no-backup)"
elif [ -n "$(dc ps -q --status running backup 2>/dev/null)" ]; then
    say "backup before upgrade (running backup container, current release)"
    dc exec -T backup ringo-backup-loop --now || die "pre-upgrade backup failed; nothing was changed"
elif db_running && docker image inspect ringo-uchet:local >/dev/null 2>&1; then
    say "backup before upgrade (one-off container, current image)"
    dc run --rm --no-deps -T backup ringo-backup-loop --now || die "pre-upgrade backup failed; nothing was changed"
else
    say "no running database: first deploy, nothing to back up"
fi

# --- build (the running release keeps serving meanwhile) ---------------------------------------------
say "build"
dc build
docker tag ringo-uchet:local "ringo-uchet:$BUILD_COMMIT"

# --- api: start the new release next to the old one, switch when it is healthy -------------------------
wait_healthy() { # container-id timeout-seconds
    local id="$1" deadline=$((SECONDS + $2)) st
    while [ $SECONDS -lt $deadline ]; do
        st="$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id" 2>/dev/null || echo gone)"
        case "$st" in healthy) return 0 ;; unhealthy|exited|dead|gone) return 1 ;; esac
        sleep 3
    done
    return 1
}

old_api="$(dc ps -q api 2>/dev/null || true)"
if [ -z "$old_api" ]; then
    say "start (first deploy or api not running)"
    dc up -d --remove-orphans
else
    say "api: starting the new release next to the running one"
    old_count="$(echo "$old_api" | wc -l)"
    dc up -d --no-deps --no-recreate --scale "api=$((old_count * 2))" api
    new_api="$(dc ps -q api | grep -vxF "$old_api" || true)"
    [ -n "$new_api" ] || die "no new api container was started"
    for id in $new_api; do
        if ! wait_healthy "$id" 900; then
            docker logs --tail 80 "$id" || true
            docker stop $new_api >/dev/null; docker rm $new_api >/dev/null
            die "new api container did not become healthy; the previous release is still serving"
        fi
    done
    echo "new api healthy; letting nginx pick it up (its DNS cache is 10 s)"
    sleep 15
    docker stop -t 30 $old_api >/dev/null
    docker rm $old_api >/dev/null
    say "worker, backup, nginx"
    dc up -d --remove-orphans
fi

# --- verify through the proxy -----------------------------------------------------------------------------
say "verify"
http_port="$(envval HTTP_PORT)"; http_port="${http_port:-80}"
for _ in $(seq 60); do
    if curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$http_port/api/health/"; then
        dc ps
        say "deployed $BUILD_VERSION ($BUILD_COMMIT)"
        exit 0
    fi
    sleep 5
done
dc ps
dc logs --tail 50 api nginx || true
die "http://127.0.0.1:$http_port/api/health/ did not answer 200 through nginx"
