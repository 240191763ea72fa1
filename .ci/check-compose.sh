#!/usr/bin/env bash
# Validates the deployment files on a machine with no Docker engine (Debian 12 is enough):
#   1. docker-compose.yml: `docker-compose config -q` (Debian's docker-compose 1.29) with .env made from
#      .env.example, plus structural rules the original deployment broke (see DEPLOY.md, failures).
#   2. nginx: renders both sites with deploy/nginx/entrypoint.sh (plain HTTP, and HTTPS with a throw-away
#      self-signed certificate), runs `nginx -t`, then starts nginx on loopback in front of a stub api and
#      checks the behaviour through the proxy: headers passed, gzip, caching, body limit, redirects.
#   3. shell syntax of the deployment scripts; systemd units with systemd-analyze when it is there; no
#      password on a command line in scripts and docs.
#   4. with RINGO_CI_PG_PORT (CI's PostgreSQL): the db init script creates a non-superuser owner role.
# Installs what it needs with apt-get when missing (root). Exits non-zero on any failure.
#
#   bash .ci/check-compose.sh                 # from anywhere; ENV_EXAMPLE=path to use another example file
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_EXAMPLE="${ENV_EXAMPLE:-$REPO/.env.example}"
PASSED=0
FAILED=0
ok()   { PASSED=$((PASSED + 1)); echo "ok    $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $*"; }
check() { # check "description" command...
    local what="$1"; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# --- tools -------------------------------------------------------------------------------------------
missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PY=/usr/bin/python3

WORK="$(mktemp -d /tmp/ringo-check-compose.XXXXXX)"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    if [ -f "$WORK/nginx/nginx.pid" ]; then kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. compose ----------------------------------------------------------------------------------------
echo "== docker-compose.yml"
P="$WORK/project"
mkdir -p "$P"
cp "$REPO/docker-compose.yml" "$REPO/Dockerfile" "$P/"
ln -s "$REPO/deploy" "$P/deploy"

# Variables the compose file insists on (${VAR:?…}) must be documented in .env.example.
required_vars="$(grep -o '\${[A-Z0-9_]*:?' "$REPO/docker-compose.yml" | sed 's/^\${//; s/:?$//' | sort -u)"
if [ -f "$ENV_EXAMPLE" ]; then
    cp "$ENV_EXAMPLE" "$P/.env"
    ok ".env.example exists ($ENV_EXAMPLE)"
else
    fail ".env.example is missing ($ENV_EXAMPLE); DEPLOY.md tells operators to copy it"
    : > "$P/.env"
fi
for v in $required_vars; do
    if grep -Eq "^[[:space:]]*(export[[:space:]]+)?$v=" "$P/.env"; then
        ok ".env.example documents $v"
    else
        fail ".env.example does not mention $v (docker-compose.yml requires it)"
    fi
    # Example values may be blank; give blanks a placeholder so the rest of the file can be checked.
    if ! grep -Eq "^[[:space:]]*(export[[:space:]]+)?$v=.+" "$P/.env"; then
        echo "$v=ci-placeholder-value" >> "$P/.env"
    fi
done

compose() { docker-compose --project-directory "$P" -f "$P/docker-compose.yml" "$@"; }
check "docker-compose config -q" compose config -q
check "docker-compose --profile s3 config -q" compose --profile s3 config -q
compose --profile s3 config > "$WORK/resolved.yml" 2>"$WORK/resolved.err" || cat "$WORK/resolved.err"

# Structural rules; each line printed is one check.
"$PY" - "$REPO/docker-compose.yml" "$WORK/resolved.yml" "$REPO/Dockerfile" "$P" <<'PYEOF' > "$WORK/rules.txt" || true
import re, sys, yaml
raw_path, resolved_path, dockerfile_path, project = sys.argv[1:5]
raw = yaml.safe_load(open(raw_path))
try:
    cfg = yaml.safe_load(open(resolved_path)) or {}
except Exception as e:
    cfg = {}
svcs = cfg.get("services", {})
dockerfile = open(dockerfile_path).read()
results = []
def rule(ok, text): results.append(("ok" if ok else "FAIL") + "\t" + text)

rule("version" not in raw, "no obsolete top-level `version:` key")
rule(bool(svcs), "resolved config has services")
for name in ("db", "api", "worker", "nginx"):
    rule(name in svcs, f"service `{name}` exists")
rule("backup" in svcs, "a `backup` service schedules the nightly backup")

built = {n: s for n, s in svcs.items() if "build" in s}
for n, s in built.items():
    ctx = s["build"]["context"] if isinstance(s["build"], dict) else s["build"]
    rule(ctx in (project, "."), f"{n}: built from this repository (context {ctx})")
    img = s.get("image", "")
    rule("/" not in img.split(":")[0], f"{n}: image name `{img}` is local, not a registry path")
    rule(s.get("pull_policy") == "build", f"{n}: pull_policy build (never pulled)")
    raw_svc = (raw.get("services") or {}).get(n) or {}   # 1.29's `config` folds env_file into environment
    rule(".env" in str(raw_svc.get("env_file", s.get("env_file", ""))), f"{n}: settings from .env via env_file")
    env = s.get("environment", {}) or {}
    rule(env.get("RINGO_ENV") == "production", f"{n}: RINGO_ENV=production")
    rule(str(env.get("DATABASE_URL", "")).startswith("postgres://") and "@db:" in str(env.get("DATABASE_URL", "")),
         f"{n}: DATABASE_URL points at the db service")
    for v in s.get("volumes", []) or []:
        src = v.split(":")[0] if isinstance(v, str) else v.get("source", "")
        rule(not (src.startswith("/") or src.startswith(".")), f"{n}: no bind mount of host paths/source ({src})")
for n, s in svcs.items():
    img = s.get("image", "")
    if n not in built:
        tag = img.rsplit(":", 1)[1] if ":" in img.split("/")[-1] else ""
        rule(tag not in ("", "latest"), f"{n}: image `{img}` has an explicit, non-latest tag")

def published(s):
    out = []
    for p in s.get("ports", []) or []:
        if isinstance(p, dict):
            out.append((str(p.get("host_ip", "")), str(p.get("published", ""))))
        else:
            parts = str(p).split(":")
            out.append((parts[0] if len(parts) == 3 else "", parts[-2] if len(parts) >= 2 else ""))
    return out
for n in ("db", "api", "worker", "backup"):
    if n in svcs:
        rule(not published(svcs[n]), f"{n}: publishes no port (only nginx faces the network)")
for n in ("minio",):
    if n in svcs:
        rule(all(ip == "127.0.0.1" for ip, _ in published(svcs[n])), f"{n}: ports bound to 127.0.0.1 only")

has_image_healthcheck = "HEALTHCHECK" in dockerfile and "/api/health/" in dockerfile
def healthy_capable(n):
    s = svcs.get(n, {})
    hc = s.get("healthcheck")
    if hc is not None:
        return not hc.get("disable", False)
    return n in built and has_image_healthcheck
for n, s in svcs.items():
    dep = s.get("depends_on", {}) or {}
    if isinstance(dep, list):
        rule(False, f"{n}: depends_on uses conditions (not a bare list)")
        continue
    for d, spec in dep.items():
        cond = (spec or {}).get("condition")
        rule(cond in ("service_healthy", "service_completed_successfully"), f"{n} -> {d}: waits for {cond}")
        if cond == "service_healthy":
            rule(healthy_capable(d), f"{d}: has a healthcheck ({n} waits for it)")
for n in ("worker", "backup"):
    if n in svcs:
        hc = svcs[n].get("healthcheck")
        rule(hc is not None and (hc.get("disable") or "/api/health" not in str(hc.get("test"))),
             f"{n}: does not inherit the HTTP healthcheck of `ringo serve`")
db_env = svcs.get("db", {}).get("environment", {}) or {}
superuser = str(db_env.get("POSTGRES_USER", "postgres"))
for n, s in built.items():
    url = str((s.get("environment", {}) or {}).get("DATABASE_URL", ""))
    url_user = re.sub(r"^postgres(ql)?://", "", url).split("@")[0].split(":")[0]
    rule(url_user not in ("", "postgres", superuser), f"{n}: DATABASE_URL user `{url_user}` is not the superuser `{superuser}`")
    rule((s.get("environment", {}) or {}).get("POSTGRES_ADMIN_PASSWORD", "") in ("", None),
         f"{n}: the superuser password is blanked (env_file would pass it on)")
rule(str(db_env.get("RINGO_DB_USER", "")) not in ("", superuser), "db: the application role differs from the superuser")
rule(any("/docker-entrypoint-initdb.d" in str(v) for v in svcs.get("db", {}).get("volumes", [])),
     "db: init scripts (application role) mounted at /docker-entrypoint-initdb.d")
db_hc = str(svcs.get("db", {}).get("healthcheck", {}).get("test", ""))
rule("pg_isready" in db_hc, "db: pg_isready healthcheck")
rule(any("postgresql" in str(v) or "pgdata" in str(v) for v in svcs.get("db", {}).get("volumes", [])),
     "db: data on a named volume")

ng = svcs.get("nginx", {})
up = str((ng.get("environment") or {}).get("RINGO_UPSTREAM", ""))
host, _, port = up.partition(":")
rule(host in svcs, f"nginx upstream host `{host}` is a compose service")
api_cmd = [str(x) for x in svcs.get(host, {}).get("command", []) or []]
api_port = api_cmd[api_cmd.index("--port") + 1] if "--port" in api_cmd else "8080"
rule(port == api_port, f"nginx upstream port {port} = the port `{host}` listens on ({api_port})")
rule(any(":/etc/nginx/ringo" in str(v) for v in ng.get("volumes", [])), "nginx: config mounted from deploy/nginx")
for name, s in (cfg.get("services") or {}).items():
    if "minio" in name:
        rule("s3" in (s.get("profiles") or []), f"{name}: only under the `s3` profile")
print("\n".join(results))
PYEOF
while IFS=$'\t' read -r status text; do
    if [ "$status" = ok ]; then ok "$text"; else fail "$text"; fi
done < "$WORK/rules.txt"
[ -s "$WORK/rules.txt" ] || fail "structural rules did not run"

# --- 2. nginx ----------------------------------------------------------------------------------------
echo "== nginx (deploy/nginx)"
N="$WORK/nginx"
mkdir -p "$N/tmp" "$N/acme/.well-known/acme-challenge" "$N/logs"
chmod 755 "$WORK" "$N" && chmod 777 "$N/tmp"
echo "ringo-acme-probe" > "$N/acme/.well-known/acme-challenge/probe-token"
# The rendered file includes ringo/conf/*.conf relative to nginx's conf dir: give it the real files.
cp -R "$REPO/deploy/nginx" "$N/ringo"
sed -i "s#access_log /var/log/nginx/access.log#access_log $N/logs/access.log#" "$N/ringo/conf/app.conf"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -keyout "$N/key.pem" -out "$N/cert.pem" >/dev/null 2>&1

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
STUB_PORT="$(free_port)"; HTTP_PORT="$(free_port)"; HTTPS_PORT="$(free_port)"

# render SITE_FILE [TLS] : the real entrypoint's rendering, then loopback ports for this test
render() {
    local out="$1" tls="${2:-}"
    if [ -n "$tls" ]; then
        SERVER_NAME=ringo.test TLS_CERT="$N/cert.pem" TLS_KEY="$N/key.pem" RINGO_UPSTREAM=api:8080 ACME_ROOT="$N/acme" \
            sh "$REPO/deploy/nginx/entrypoint.sh" --render-only "$out"
    else
        TLS_DOMAIN=no-such-domain.invalid RINGO_UPSTREAM=api:8080 ACME_ROOT="$N/acme" \
            sh "$REPO/deploy/nginx/entrypoint.sh" --render-only "$out"
    fi
    # The compose service name `api` does not resolve here: point it at the stub (same as api -> 127.0.0.1).
    sed -i -e "s#http://api:8080#http://127.0.0.1:$STUB_PORT#" \
           -e "/listen \[::\]/d" \
           -e "s#listen 80 default_server#listen 127.0.0.1:$HTTP_PORT default_server#" \
           -e "s#listen 443 ssl#listen 127.0.0.1:$HTTPS_PORT ssl#" "$out"
}
write_main_conf() {
    cat > "$N/nginx.conf" <<EOF
worker_processes 1;
pid $N/nginx.pid;
error_log $N/logs/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $N/logs/access.log;
    client_body_temp_path $N/tmp/body;
    proxy_temp_path $N/tmp/proxy;
    fastcgi_temp_path $N/tmp/fastcgi;
    uwsgi_temp_path $N/tmp/uwsgi;
    scgi_temp_path $N/tmp/scgi;
    include $N/site.conf;
}
EOF
}
write_main_conf

render "$N/site-http.conf"
check "HTTP site chosen when the certificate is absent" grep -q 'site=http ' "$N/site-http.conf"
check "HTTP site has no redirect to https" bash -c "! grep -q 'return 301' '$N/site-http.conf'"
check "upstream is the compose service api:8080 (resolved via Docker DNS)" \
    bash -c "TLS_DOMAIN=x.invalid sh '$REPO/deploy/nginx/entrypoint.sh' --render-only '$WORK/raw.conf' 2>/dev/null && grep -q 'set \$ringo_api http://api:8080;' '$WORK/raw.conf' && grep -q 'resolver 127.0.0.11' '$WORK/raw.conf'"
render "$N/site-https.conf" tls
check "HTTPS site chosen when certificate and key exist" grep -q 'site=https ' "$N/site-https.conf"
check "server_name is a real name in both sites (never _)" \
    bash -c "grep -q 'server_name ringo.test;' '$N/site-https.conf' && grep -q 'server_name no-such-domain.invalid;' '$N/site-http.conf' && ! grep -q 'server_name _' '$N/site-http.conf' '$N/site-https.conf'"
check "limit_req on the API token endpoints and the web /login" \
    bash -c "grep -A2 'location ^~ /api/v1/token' '$N/ringo/conf/app.conf' | grep -q 'limit_req zone=ringo_login' && grep -F -A2 'location ~ ^/login/?\$ {' '$N/ringo/conf/app.conf' | grep -q 'limit_req zone=ringo_login'"

cp "$N/site-http.conf" "$N/site.conf"
check "nginx -t (HTTP site)" "$NGINX" -t -q -p "$N" -c "$N/nginx.conf"
cp "$N/site-https.conf" "$N/site.conf"
check "nginx -t (HTTPS site)" "$NGINX" -t -q -p "$N" -c "$N/nginx.conf"

# Stub api: echoes the request headers it received as JSON, plus a few special paths.
cat > "$WORK/stub.py" <<'EOF'
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def reply(self, code, body, ctype="application/json", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra: self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        remaining = n
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk: break
            remaining -= len(chunk)
        if self.path.startswith("/static/app.0a1b2c3d.css") or self.path.startswith("/static/app.css"):
            return self.reply(200, b"body{color:red}\n" * 200, "text/css", [("Cache-Control", "no-cache")])
        if self.path.startswith("/static/"):
            return self.reply(404, b'{"error":"not found"}')
        if self.path == "/boom":
            return self.reply(502, b'{"error":"upstream says 502"}')
        info = {"path": self.path, "received": n, "headers": {k.lower(): v for k, v in self.headers.items()},
                "padding": "x" * 2048}
        self.reply(200, json.dumps(info).encode())
    do_GET = do_POST = do_PUT = do_DELETE = handle_any
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
"$PY" "$WORK/stub.py" "$STUB_PORT" &
PIDS+=($!)

start_nginx() {
    cp "$1" "$N/site.conf"
    if [ -f "$N/nginx.pid" ]; then "$NGINX" -p "$N" -c "$N/nginx.conf" -s stop 2>/dev/null || true; sleep 0.5; fi
    "$NGINX" -p "$N" -c "$N/nginx.conf"
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/.ringo-proxy-health" && return 0; sleep 0.1; done
    return 1
}
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$STUB_PORT/" && break; sleep 0.1; done

H="http://127.0.0.1:$HTTP_PORT"
S="https://127.0.0.1:$HTTPS_PORT"
hdr()  { curl -s -k -o /dev/null -D - "$@" | tr -d '\r'; }
body() { curl -s -k "$@"; }
code() { curl -s -k -o /dev/null -w '%{http_code}' "$@"; }
json_get() { "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }

if start_nginx "$N/site-http.conf"; then
    ok "nginx starts (HTTP site)"
    check "GET / is proxied (200, no redirect before TLS)" test "$(code "$H/")" = 200
    check "/api/health/ is proxied" test "$(code "$H/api/health/")" = 200
    check "/.ringo-proxy-health answers locally (204)" test "$(code "$H/.ringo-proxy-health")" = 204
    echoed="$(body -H 'X-Forwarded-For: 6.6.6.6' -H 'X-Forwarded-Proto: https' "$H/api/v1/whoami")"
    check "X-Forwarded-For is the client address (spoofed value dropped)" \
        test "$(echo "$echoed" | json_get 'd["headers"].get("x-forwarded-for")')" = 127.0.0.1
    check "X-Forwarded-Proto is nginx's scheme (http), not the client's" \
        test "$(echo "$echoed" | json_get 'd["headers"].get("x-forwarded-proto")')" = http
    check "Host is passed through" \
        test "$(echo "$echoed" | json_get 'd["headers"].get("host")')" = "127.0.0.1:$HTTP_PORT"
    check "X-Request-ID generated (32 hex) when absent" \
        bash -c "[[ '$(echo "$echoed" | json_get 'd["headers"].get("x-request-id")')' =~ ^[0-9a-f]{32}$ ]]"
    check "a well-formed client X-Request-ID is kept" \
        test "$(body -H 'X-Request-ID: abc-123_XYZ.789' "$H/x" | json_get 'd["headers"].get("x-request-id")')" = abc-123_XYZ.789
    check "a malformed client X-Request-ID is replaced" \
        bash -c "[[ '$(body -H 'X-Request-ID: bad id <script>' "$H/x" | json_get 'd["headers"].get("x-request-id")')' =~ ^[0-9a-f]{32}$ ]]"
    check "gzip on JSON responses" bash -c "curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' '$H/api/v1/x' | tr -d '\r' | grep -qi '^Content-Encoding: gzip'"
    check "gzip on CSS" bash -c "curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' '$H/static/app.0a1b2c3d.css' | tr -d '\r' | grep -qi '^Content-Encoding: gzip'"
    sh_static="$(hdr "$H/static/app.0a1b2c3d.css")"
    check "/static/ asset cached for a year, immutable (app's header replaced)" \
        bash -c "grep -i '^Cache-Control:' <<<'$sh_static' | grep -q 'max-age=31536000, immutable' && [ \$(grep -ci '^Cache-Control:' <<<'$sh_static') = 1 ]"
    check "/static/ without a fingerprint is revalidated (no-cache), not cached for a year" \
        bash -c "curl -s -o /dev/null -D - '$H/static/app.css' | tr -d '\r' | grep -qi '^Cache-Control: no-cache\$'"
    check "/static/ with a ?v= version is cached for a year" \
        bash -c "curl -s -o /dev/null -D - '$H/static/app.css?v=20261125' | tr -d '\r' | grep -qi '^Cache-Control: public, max-age=31536000, immutable'"
    check "/static/ 404 is not cached" bash -c "curl -s -o /dev/null -D - '$H/static/missing.css' | tr -d '\r' | grep -qi '^Cache-Control: no-store'"
    check "5xx from the api gets Cache-Control: no-store" bash -c "curl -s -o /dev/null -D - '$H/boom' | tr -d '\r' | grep -qi '^Cache-Control: no-store'"
    check "no HSTS over plain HTTP" bash -c "! curl -s -o /dev/null -D - '$H/' | grep -qi '^Strict-Transport-Security'"
    head -c $((11 * 1024 * 1024)) /dev/zero > "$WORK/11m.bin"
    head -c $((13 * 1024 * 1024)) /dev/zero > "$WORK/13m.bin"
    check "11 MiB upload reaches the api" \
        test "$(curl -s -X POST --data-binary @"$WORK/11m.bin" "$H/api/v1/uploads" | json_get 'd["received"]')" = $((11 * 1024 * 1024))
    check "13 MiB upload is refused by nginx (413)" \
        test "$(code -X POST --data-binary @"$WORK/13m.bin" "$H/api/v1/uploads")" = 413
    check "ACME HTTP-01 challenge served from the webroot" \
        test "$(body "$H/.well-known/acme-challenge/probe-token")" = ringo-acme-probe
    for spelling in /metrics /metrics/ //metrics /metrics/x /%6Detrics; do
        check "$spelling is not served to the internet (404)" test "$(code --path-as-is "$H$spelling")" = 404
    done
    check "/api/v1/token/ still reaches the api" test "$(code -X POST "$H/api/v1/token/")" = 200
    statuses="$(for _ in $(seq 40); do code -X POST -d x "$H/api/v1/token/"; echo; done | sort | uniq -c | tr '\n' ' ')"
    check "rapid sign-in POSTs from one address get 429 ($statuses)" bash -c "[[ '$statuses' == *' 429'* ]]"
    check "GET /login is not rate limited" bash -c "for i in \$(seq 40); do c=\$(curl -s -o /dev/null -w '%{http_code}' '$H/login'); [ \"\$c\" = 200 ] || exit 1; done"
    check "POST /login is rate limited too" \
        bash -c "for i in \$(seq 40); do curl -s -o /dev/null -w '%{http_code}\n' -X POST -d x '$H/login'; done | grep -q 429"
    check "POST /login/ and //login share that limit" \
        bash -c "[ \$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x '$H/login/') = 429 ] && [ \$(curl -s -o /dev/null -w '%{http_code}' --path-as-is -X POST -d x '$H//login') = 429 ]"
    check "server version hidden" bash -c "! curl -s -o /dev/null -D - '$H/' | grep -qi '^Server: nginx/'"
else
    fail "nginx starts (HTTP site)"; cat "$N/logs/error.log" || true
fi

if start_nginx "$N/site-https.conf"; then
    ok "nginx starts (HTTPS site)"
    loc="$(hdr "$H/orders?page=2" | sed -n 's/^[Ll]ocation: //p')"
    check "HTTP redirects to HTTPS when certificates exist (301)" test "$(code "$H/orders?page=2")" = 301
    check "redirect keeps the path and query, to server_name ($loc)" bash -c "[[ '$loc' == https://ringo.test/orders?page=2 ]]"
    evil="$(curl -s -o /dev/null -D - -H 'Host: evil.example' "$H/x" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')"
    check "redirect ignores the client's Host header ($evil)" bash -c "[[ '$evil' == https://ringo.test/x ]]"
    check "health endpoints are not redirected on port 80" test "$(code "$H/api/health/")" = 200
    check "ACME challenge is not redirected" test "$(body "$H/.well-known/acme-challenge/probe-token")" = ringo-acme-probe
    check "HTTPS serves the app (200)" test "$(code "$S/")" = 200
    check "X-Forwarded-Proto is https on 443" \
        test "$(body "$S/x" | json_get 'd["headers"].get("x-forwarded-proto")')" = https
    check "HSTS over HTTPS" bash -c "curl -s -k -o /dev/null -D - '$S/' | grep -qi '^Strict-Transport-Security: max-age=31536000'"
    check "13 MiB upload refused over HTTPS too (413)" \
        test "$(code -X POST --data-binary @"$WORK/13m.bin" "$S/api/v1/uploads")" = 413
    # The api going away (restart): nginx's own 502 must not be cached by a browser or service worker.
    kill "${PIDS[0]}" 2>/dev/null || true; sleep 0.5
    down="$(curl -s -k -o /dev/null -D - -w 'status=%{http_code}\n' "$S/orders" | tr -d '\r')"
    check "api down: 502 from nginx with Cache-Control: no-store" \
        bash -c "grep -q '^status=502' <<<'$down' && grep -qi '^Cache-Control: no-store' <<<'$down'"
else
    fail "nginx starts (HTTPS site)"; cat "$N/logs/error.log" || true
fi
"$NGINX" -p "$N" -c "$N/nginx.conf" -s stop 2>/dev/null || true

# The no-Docker path of DEPLOY.md: Debian's own nginx.conf, edited exactly as documented, with the site
# rendered for a local upstream (and an IP literal, so no resolver line).
if [ -f /etc/nginx/nginx.conf ]; then
    HN="$WORK/hostnginx"
    mkdir -p "$HN"
    cp -R "$REPO/deploy/nginx" "$HN/ringo"
    cp /etc/nginx/nginx.conf "$HN/nginx.conf"
    [ -f /etc/nginx/mime.types ] && cp /etc/nginx/mime.types "$HN/mime.types"
    sed -i 's/^\(\s*gzip on;\)/# \1  (set in ringo\/conf\/http.conf)/' "$HN/nginx.conf"   # as in DEPLOY.md
    RINGO_UPSTREAM=127.0.0.1:8080 sh "$REPO/deploy/nginx/entrypoint.sh" --render-only "$HN/ringo-site.conf" 2>/dev/null
    sed -i -e "s#include /etc/nginx/sites-enabled/\*;#include $HN/ringo-site.conf;#" \
           -e "s#include /etc/nginx/conf.d/\*.conf;##" "$HN/nginx.conf"
    check "host nginx (Debian nginx.conf as DEPLOY.md edits it): upstream is the IP, no resolver" \
        bash -c "grep -q 'set \$ringo_api http://127.0.0.1:8080;' '$HN/ringo-site.conf' && ! grep -q '^ *resolver' '$HN/ringo-site.conf'"
    check "host nginx: nginx -t" "$NGINX" -t -q -c "$HN/nginx.conf"
fi

# --- 3. scripts and units --------------------------------------------------------------------------------
echo "== scripts and units"
for f in "$REPO"/deploy/scripts/*.sh "$REPO/deploy/nginx/entrypoint.sh"; do
    [ -e "$f" ] || continue
    if head -1 "$f" | grep -q bash; then check "bash -n ${f#"$REPO"/}" bash -n "$f"
    else check "sh -n ${f#"$REPO"/}" sh -n "$f"; fi
done
# Passwords never on a command line (ps shows every process's arguments to every user).
password_args="$(grep -rnE -- '--password([[:space:]]|=)' "$REPO/deploy" "$REPO/.ci" "$REPO/bench" "$REPO/tests" \
    "$REPO/README.md" "$REPO/DEPLOY.md" "$REPO/Dockerfile" "$REPO/docker-compose.yml" 2>/dev/null \
    | grep -v '^'"$REPO"'/.ci/check-compose.sh:' || true)"
check "no \`--password <value>\` in scripts and docs${password_args:+: $password_args}" test -z "$password_args"
url_args="$(grep -nE '(psql|pg_restore|pg_dump)[^#]*"\$[a-z_]*url"' "$REPO/deploy/scripts/"*.sh || true)"
check "backup loop: psql/pg_restore get the password from PGPASSWORD, not a URL argument${url_args:+: $url_args}" \
    test -z "$url_args"
pgpassword_args="$(grep -nE -- '-e PGPASSWORD=|PGPASSWORD="\$[a-z]' "$REPO/deploy/scripts/"*.sh | grep -vE '^[^:]+:[0-9]+:[[:space:]]*#' || true)"
check "deploy scripts pass no PGPASSWORD=… argument to docker${pgpassword_args:+: $pgpassword_args}" test -z "$pgpassword_args"
if command -v systemd-analyze >/dev/null 2>&1; then
    for u in "$REPO"/deploy/systemd/*.service "$REPO"/deploy/systemd/*.timer; do
        [ -e "$u" ] || continue
        # Unknown-user and missing-binary warnings are expected off the target host; syntax errors are not.
        if systemd-analyze verify "$u" 2>&1 | grep -Ei 'unknown (section|key|lvalue)|failed to parse|invalid' ; then
            fail "systemd-analyze ${u#"$REPO"/}"
        else
            ok "systemd-analyze ${u#"$REPO"/}"
        fi
    done
fi

# --- 4. the application role ------------------------------------------------------------------------
if [ -n "${RINGO_CI_PG_PORT:-}" ] && command -v psql >/dev/null 2>&1; then
    echo "== deploy/postgres/init (PostgreSQL on 127.0.0.1:$RINGO_CI_PG_PORT)"
    suffix="$$"
    app_db="ringo_initcheck_$suffix" app_role="ringo_app_$suffix"
    export PGHOST=127.0.0.1 PGPORT="$RINGO_CI_PG_PORT"
    pg_super() { psql -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
    pg_super -d postgres -c "CREATE DATABASE $app_db" >/dev/null
    if POSTGRES_USER=postgres POSTGRES_DB="$app_db" RINGO_DB_USER="$app_role" RINGO_DB_PASSWORD="pw'with\"quotes" \
        sh "$REPO/deploy/postgres/init/10-ringo-role.sh" >"$WORK/init.log" 2>&1; then
        ok "init script runs"
    else
        fail "init script runs"; cat "$WORK/init.log"
    fi
    check "the application role is not a superuser and cannot create roles" \
        test "$(pg_super -d postgres -c "SELECT rolsuper::text || rolcreaterole::text || rolcreatedb::text FROM pg_roles WHERE rolname = '$app_role'")" = falsefalsetrue
    check "the application role owns the database" \
        test "$(pg_super -d postgres -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$app_db'")" = "$app_role"
    check "the application role can create btree_gist and tables (what the migrations need)" \
        psql -U "$app_role" -d "$app_db" -v ON_ERROR_STOP=1 -qc "CREATE EXTENSION IF NOT EXISTS btree_gist; CREATE TABLE t (id int)"
    check "the init script can run again (role and database exist)" \
        env POSTGRES_USER=postgres POSTGRES_DB="$app_db" RINGO_DB_USER="$app_role" RINGO_DB_PASSWORD=x \
        sh "$REPO/deploy/postgres/init/10-ringo-role.sh"
    pg_super -d postgres -c "DROP DATABASE IF EXISTS $app_db" >/dev/null || true
    pg_super -d postgres -c "DROP ROLE IF EXISTS $app_role" >/dev/null || true
    unset PGHOST PGPORT
fi

echo
echo "check-compose: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
