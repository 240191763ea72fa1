#!/bin/sh
# Pre-flight for Let's Encrypt HTTP-01, run on the server before certbot (and after DNS changes):
# for each name, puts a random token into the ACME webroot and fetches it the way the CA will,
# http://NAME/.well-known/acme-challenge/TOKEN. If a name's DNS points at another machine (the original's
# `www` record pointed at a stale IP) this fails here, with the address it resolved to, instead of in certbot.
#
#   deploy/scripts/check-domain.sh example.ru www.example.ru
#   ACME_WEBROOT=/var/www/acme (default; the directory nginx serves /.well-known/acme-challenge/ from)
set -eu

[ $# -gt 0 ] || { echo "usage: $0 DOMAIN [DOMAIN...]" >&2; exit 2; }
WEBROOT="${ACME_WEBROOT:-/var/www/acme}"
DIR="$WEBROOT/.well-known/acme-challenge"
mkdir -p "$DIR"
TOKEN="ringo-check-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s' "$TOKEN" > "$DIR/$TOKEN"
chmod 644 "$DIR/$TOKEN"
trap 'rm -f "$DIR/$TOKEN"' EXIT

rc=0
for name in "$@"; do
    addrs="$(getent ahostsv4 "$name" 2>/dev/null | awk '{print $1}' | sort -u | tr '\n' ' ')"
    if [ -z "$addrs" ]; then
        echo "FAIL  $name: no A record"; rc=1; continue
    fi
    got="$(curl -fsS --max-time 10 "http://$name/.well-known/acme-challenge/$TOKEN" 2>/dev/null || true)"
    if [ "$got" = "$TOKEN" ]; then
        echo "ok    $name -> $addrs serves this host's ACME webroot"
    else
        echo "FAIL  $name -> $addrs does not reach this host's nginx on port 80 (wrong A record, firewall, or nginx down)"
        rc=1
    fi
done
exit $rc
