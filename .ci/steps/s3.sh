#!/usr/bin/env bash
# The S3 file storage against moto's S3 server on 127.0.0.1 (the debug build is already done).
# moto checks request signatures here: after the first four unauthenticated calls (bucket, IAM user,
# its policy, its access key) every request must be SigV4-signed with that user's key.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! python3 -c 'import moto.server, boto3' >/dev/null 2>&1; then
  python3 -m pip install --quiet "moto[server]" \
    || python3 -m pip install --quiet --break-system-packages "moto[server]"
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)
INITIAL_NO_AUTH_ACTION_COUNT=4 python3 -m moto.server -H 127.0.0.1 -p "$PORT" >"$LOG" 2>&1 &
MOTO_PID=$!
stop_moto() { kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; rm -f "$LOG"; }
trap stop_moto EXIT

ENDPOINT="http://127.0.0.1:$PORT"
for _ in $(seq 1 150); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1).close()" 2>/dev/null && break
  sleep 0.2
done
BUCKET=ringo-ci
KEYS=$(python3 - "$ENDPOINT" "$BUCKET" <<'PY'
import json, sys
import boto3
endpoint, bucket = sys.argv[1], sys.argv[2]
options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
boto3.client("s3", **options).create_bucket(Bucket=bucket)
iam = boto3.client("iam", **options)
iam.create_user(UserName="ringo")
policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
iam.put_user_policy(UserName="ringo", PolicyName="s3", PolicyDocument=json.dumps(policy))
key = iam.create_access_key(UserName="ringo")["AccessKey"]
print(key["AccessKeyId"], key["SecretAccessKey"])
PY
) || { cat "$LOG"; exit 1; }
read -r ACCESS_KEY SECRET_KEY <<<"$KEYS"

RINGO_TEST_S3_ENDPOINT="$ENDPOINT" RINGO_TEST_S3_BUCKET="$BUCKET" RINGO_TEST_S3_REGION=us-east-1 \
RINGO_TEST_S3_ACCESS_KEY="$ACCESS_KEY" RINGO_TEST_S3_SECRET_KEY="$SECRET_KEY" RINGO_TEST_S3_CHECKS_SIGNATURES=1 \
  env -u DATABASE_URL swift test --skip-build --filter S3StorageTests
