#!/bin/sh
# Renders the nginx site for Ringo Uchet and starts nginx.
#
# The site is chosen by what exists, not by a switch someone has to remember:
#   certificate + key readable  -> sites/https.conf (port 80: ACME + health, everything else 301 -> https)
#   otherwise                   -> sites/http.conf  (plain HTTP, no redirect, so no loop before TLS exists)
#
# Usage
#   sh entrypoint.sh nginx -g 'daemon off;'   in the container (docker-compose.yml `entrypoint`/`command`):
#                                             renders /etc/nginx/conf.d/default.conf, re-checks the
#                                             certificates every TLS_RECHECK_SECONDS (switches to https once
#                                             certbot has written them, reloads to pick up renewals), then
#                                             hands over to the official image's /docker-entrypoint.sh.
#   sh entrypoint.sh --render-only OUT        render once to OUT and exit (host nginx, CI).
#
# This directory (deploy/nginx) must be available to nginx as <nginx conf dir>/ringo, because the
# rendered file includes ringo/conf/*.conf (compose mounts it at /etc/nginx/ringo).
#
# Environment
#   RINGO_UPSTREAM       host:port of `ringo serve` (compose: api:8080, the service name; host: 127.0.0.1:8080)
#   NGINX_RESOLVER       DNS server for a host name in RINGO_UPSTREAM (default 127.0.0.11, Docker's DNS)
#   TLS_DOMAIN           certbot layout: /etc/letsencrypt/live/$TLS_DOMAIN/{fullchain,privkey}.pem
#   TLS_CERT, TLS_KEY    explicit certificate and key paths (override TLS_DOMAIN)
#   ACME_ROOT            webroot for HTTP-01 challenges (default /var/www/acme)
#   SERVER_NAME          server_name of the site and host of the http -> https redirect (default TLS_DOMAIN;
#                        neither set: localhost, with a warning; the site stays the default server, so
#                        requests by IP address are still answered)
#   TLS_RECHECK_SECONDS  default 21600 (6 h)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
UPSTREAM="${RINGO_UPSTREAM:-api:8080}"
RESOLVER="${NGINX_RESOLVER:-127.0.0.11}"
ACME_ROOT="${ACME_ROOT:-/var/www/acme}"
if [ -n "${TLS_DOMAIN:-}" ]; then
    TLS_CERT="${TLS_CERT:-/etc/letsencrypt/live/$TLS_DOMAIN/fullchain.pem}"
    TLS_KEY="${TLS_KEY:-/etc/letsencrypt/live/$TLS_DOMAIN/privkey.pem}"
fi
TLS_CERT="${TLS_CERT:-}"
TLS_KEY="${TLS_KEY:-}"
SERVER_NAME="${SERVER_NAME:-${TLS_DOMAIN:-}}"
if [ -z "$SERVER_NAME" ]; then
    echo "ringo-nginx: SERVER_NAME and TLS_DOMAIN are unset: server_name localhost" >&2
    SERVER_NAME=localhost
fi
if ! printf '%s' "$SERVER_NAME" | grep -Eq '^[A-Za-z0-9.-]+$'; then
    echo "ringo-nginx: SERVER_NAME \"$SERVER_NAME\" is not a host name" >&2
    exit 2
fi

log() { echo "ringo-nginx: $*" >&2; }

# nginx before 1.25.1 has no `http2 on;` (Debian 12: 1.22, Ubuntu 24.04: 1.24); the image has 1.28.
nginx_has_http2_directive() {
    v=$(nginx -v 2>&1 | sed -n 's|.*nginx/\([0-9][0-9]*\)\.\([0-9][0-9]*\)\.\([0-9][0-9]*\).*|\1 \2 \3|p')
    [ -n "$v" ] || return 0
    set -- $v
    [ "$1" -gt 1 ] || { [ "$1" -eq 1 ] && { [ "$2" -gt 25 ] || { [ "$2" -eq 25 ] && [ "$3" -ge 1 ]; }; }; }
}

# render OUT -> writes OUT, prints the chosen site (http|https)
render() {
    out="$1"
    if [ -n "$TLS_CERT" ] && [ -r "$TLS_CERT" ] && [ -n "$TLS_KEY" ] && [ -r "$TLS_KEY" ]; then
        site=https
    else
        site=http
    fi
    host="${UPSTREAM%:*}"
    if printf '%s' "$host" | grep -Eq '^([0-9]{1,3}\.){3}[0-9]{1,3}$|^\[.*\]$'; then
        resolver="# upstream is an IP address: no resolver needed"
    else
        resolver="resolver $RESOLVER valid=10s ipv6=off;"
    fi
    {
        echo "# Rendered by deploy/nginx/entrypoint.sh: site=$site upstream=$UPSTREAM. Do not edit; edit deploy/nginx."
        echo "include ringo/conf/http.conf;"
        echo
        sed -e "s|__RINGO_UPSTREAM__|$UPSTREAM|g" \
            -e "s|__RINGO_RESOLVER__|$resolver|g" \
            -e "s|__ACME_ROOT__|$ACME_ROOT|g" \
            -e "s|__TLS_CERT__|$TLS_CERT|g" \
            -e "s|__TLS_KEY__|$TLS_KEY|g" \
            -e "s|__SERVER_NAME__|$SERVER_NAME|g" \
            "$HERE/sites/$site.conf"
    } > "$out.tmp"
    if ! nginx_has_http2_directive; then
        sed -i -e '/^[[:space:]]*http2 on;/d' -e 's/listen \(.*443 ssl\)/listen \1 http2/' "$out.tmp"
    fi
    if [ ! -e /proc/net/if_inet6 ]; then   # IPv6 disabled in the kernel: [::] listeners would fail
        sed -i '/listen \[::\]/d' "$out.tmp"
    fi
    mv "$out.tmp" "$out"
    echo "$site"
}

if [ "${1:-}" = "--render-only" ]; then
    [ $# -eq 2 ] || { echo "usage: $0 --render-only OUTPUT_FILE" >&2; exit 2; }
    site=$(render "$2")
    log "rendered $2 (site=$site, upstream=$UPSTREAM)"
    exit 0
fi

CONF=/etc/nginx/conf.d/default.conf
site=$(render "$CONF")
if [ "$site" = http ] && [ -n "$TLS_CERT" ]; then
    log "no readable certificate at $TLS_CERT: serving plain HTTP (no redirect) until it appears"
fi
log "site=$site upstream=$UPSTREAM"

recheck="${TLS_RECHECK_SECONDS:-21600}"
(
    while sleep "$recheck"; do
        cp "$CONF" "$CONF.prev"
        new=$(render "$CONF")
        if nginx -t -q; then
            nginx -s reload && log "reloaded (site=$new)"
        else
            log "rendered config failed nginx -t; keeping the previous one"
            mv "$CONF.prev" "$CONF"
        fi
    done
) &

exec /docker-entrypoint.sh "$@"
