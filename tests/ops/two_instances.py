#!/usr/bin/env python3
"""Checks two `ringo serve` instances that share one PostgreSQL (run by .ci/steps/two-instances.sh).

Standard library only. Talks HTTP to both instances and reads the database with psql (PGHOST/PGPORT
from the environment, user postgres). Exits non-zero when a check fails.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

FAILURES = []


def check(ok, text):
    print(("ok    " if ok else "FAIL  ") + text, flush=True)
    if not ok:
        FAILURES.append(text)
    return ok


def request(port, method, path, token=None, body=None, headers=None, timeout=10):
    """(status, headers, parsed JSON or text); status 0 when no HTTP answer came (refused, reset)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw, reply_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, reply_headers = error.code, error.read(), error.headers
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, {}, None
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return status, reply_headers, parsed


def psql(database, sql):
    out = subprocess.run(
        ["psql", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qtA", "-F", "\t", "-c", sql],
        check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def sign_in(port, phone, password):
    status, _, reply = request(port, "POST", "/api/v1/token/", body={"phone": phone, "password": password})
    if status != 200 or not isinstance(reply, dict) or "access" not in reply:
        raise SystemExit(f"sign-in on port {port} failed: {status} {reply}")
    return reply["access"]


def writes_are_visible_at_once(port1, port2, token1, token2):
    print("== 1. a write through instance 1 is visible through instance 2 at once")
    status, _, order = request(port1, "POST", "/api/v1/orders/", token1, {
        "client_id": None, "address": "ст. Елизаветинская, ул. Садовая 5",
        "start_dt": "2026-12-01T09:00:00+03:00", "description": "before-the-write"})
    if not check(status == 201, f"order created through instance 1 ({status})"):
        print(order)
        return
    order_id = order["id"]
    list_path, detail_path = "/api/v1/orders/?page_size=50", f"/api/v1/orders/{order_id}/"
    # Warm instance 2's response cache: the second read of each is served from it (same ETag).
    for path in (list_path, detail_path):
        first = request(port2, "GET", path, token2)
        second = request(port2, "GET", path, token2)
        check(first[0] == 200 and "before-the-write" in json.dumps(first[2], ensure_ascii=False),
              f"instance 2 reads {path} before the write")
        check(first[1].get("ETag") is not None and first[1].get("ETag") == second[1].get("ETag"),
              f"instance 2 serves {path} from its cache (ETag {first[1].get('ETag')} twice)")
    stale_etag = request(port2, "GET", detail_path, token2)[1].get("ETag")

    marker = f"after-the-write-{int(time.time() * 1000)}"
    status, _, _ = request(port1, "PATCH", detail_path, token1, {"description": marker})
    check(status == 200, f"PATCH description through instance 1 ({status})")
    for path in (list_path, detail_path):
        status, _, reply = request(port2, "GET", path, token2)
        check(status == 200 and marker in json.dumps(reply, ensure_ascii=False),
              f"instance 2 shows the new description on {path} right after the PATCH")
    status, _, _ = request(port2, "GET", detail_path, token2, headers={"If-None-Match": stale_etag or ""})
    check(status == 200, f"instance 2 does not answer 304 to the pre-write ETag ({status})")

    # And the other way round, with a client (not cached, but read through the other pool).
    name = f"Клиент через 2 {marker}"
    status, _, client = request(port2, "POST", "/api/v1/clients/", token2, {"name": name, "phone": "+79990000001"})
    check(status == 201, f"client created through instance 2 ({status})")
    if status == 201:
        status, _, reply = request(port1, "GET", f"/api/v1/clients/{client['id']}/", token1)
        check(status == 200 and reply.get("name") == name, "instance 1 reads that client at once")


def jobs_run_once(database, logs, count=30):
    print(f"== 2. {count} jobs queued while both instances' workers run: each runs exactly once")
    # max_attempts 5: a job claimed twice would show attempts = 2.
    ids = [row[0] for row in psql(database, f"""
        INSERT INTO jobs (name, payload, status, attempts, max_attempts, run_at, last_error, created_at, updated_at)
        SELECT 'maintenance.cleanup', '{{}}', 'queued', 0, 5, now(), '', now(), now()
        FROM generate_series(1, {count}) RETURNING id""")]
    check(len(ids) == count, f"{count} jobs queued")
    id_list = ",".join(ids)
    deadline = time.time() + 60
    rows = []
    while time.time() < deadline:
        rows = psql(database, f"SELECT id, status, attempts FROM jobs WHERE id IN ({id_list})")
        if rows and all(status in ("succeeded", "dead") for _, status, _ in rows):
            break
        time.sleep(0.5)
    statuses = sorted({status for _, status, _ in rows})
    check(len(rows) == count and statuses == ["succeeded"], f"all {count} jobs succeeded (statuses: {statuses})")
    attempts = sorted({int(a) for _, _, a in rows})
    check(attempts == [1], f"every job was claimed once (attempts = {attempts})")
    # The same from the servers' side: one "job succeeded" log line per job, across both logs.
    runs = {job_id: [] for job_id in ids}
    for number, path in enumerate(logs, start=1):
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                if "job succeeded" not in line:
                    continue
                found = re.search(r"job_id: (\d+)", line)
                if found and found.group(1) in runs:
                    runs[found.group(1)].append(number)
    once = all(len(where) == 1 for where in runs.values())
    by_instance = {n: sum(1 for where in runs.values() if where == [n]) for n in (1, 2)}
    check(once, f"each job ran on exactly one instance (instance 1 ran {by_instance[1]}, instance 2 ran {by_instance[2]})")
    if not once:
        print({job_id: where for job_id, where in runs.items() if len(where) != 1})


def no_acknowledged_write_is_lost(port1, port2, pid1, token1, token2, database, threads=8, seconds=6.0):
    print(f"== 3. kill -9 of instance 1 under load ({threads} writers through both instances)")
    results = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number):
        sequence = 0
        while not stop.is_set():
            sequence += 1
            port, token = (port1, token1) if (number + sequence) % 2 else (port2, token2)
            name = f"load-{number}-{sequence}"
            phone = "+7995" + f"{number:02d}{sequence:05d}"
            status, _, _ = request(port, "POST", "/api/v1/clients/", token, {"name": name, "phone": phone}, timeout=15)
            with lock:
                results[name] = (port, status)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(seconds / 2)
    os.kill(pid1, signal.SIGKILL)
    killed_at = len(results)
    time.sleep(seconds / 2)
    stop.set()
    for worker in workers:
        worker.join()

    acknowledged = {name for name, (_, status) in results.items() if status == 201}
    unanswered = {name for name, (_, status) in results.items() if status == 0}
    other = {name: status for name, (_, status) in results.items() if status not in (0, 201)}
    stored = {row[0] for row in psql(database, "SELECT name FROM clients WHERE name LIKE 'load-%'")}
    lost = sorted(acknowledged - stored)
    after_kill_on_2 = sum(1 for name, (port, status) in results.items() if port == port2 and status == 201)
    print(f"      {len(results)} writes ({killed_at} before the kill): {len(acknowledged)} acknowledged with 201, "
          f"{len(unanswered)} without an answer (instance 1 gone), {len(other)} other statuses; "
          f"{len(stored)} load clients in the database, {len(stored - acknowledged)} of them unacknowledged")
    check(len(acknowledged) > 0 and killed_at > 0, "writes were acknowledged before and around the kill")
    check(not lost, f"every acknowledged client is in the database (lost: {lost[:10]})")
    check(not other, f"no write got an error status other than a dropped connection ({dict(list(other.items())[:5])})")
    check(after_kill_on_2 > 0, f"instance 2 kept acknowledging writes ({after_kill_on_2} through it)")
    status, _, _ = request(port2, "GET", "/api/health/")
    check(status == 200, "instance 2 is healthy after instance 1 was killed")
    return stored - acknowledged


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port1", type=int, required=True)
    parser.add_argument("--port2", type=int, required=True)
    parser.add_argument("--pid1", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--logs", nargs=2, required=True)
    args = parser.parse_args()
    phone, password = os.environ["ADMIN_PHONE"], os.environ["ADMIN_PASSWORD"]

    token1 = sign_in(args.port1, phone, password)
    token2 = sign_in(args.port2, phone, password)
    check(request(args.port2, "GET", "/api/v1/users/me/", token1)[0] == 200,
          "a token from instance 1 is accepted by instance 2 (one JWT secret)")
    writes_are_visible_at_once(args.port1, args.port2, token1, token2)
    jobs_run_once(args.database, args.logs)
    no_acknowledged_write_is_lost(args.port1, args.port2, args.pid1, token1, token2, args.database)

    print()
    if FAILURES:
        print(f"two-instances: {len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("two-instances: all checks passed")


if __name__ == "__main__":
    main()
