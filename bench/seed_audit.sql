-- Synthetic audit trail for timing «Журнал действий» (`/audit`, `/api/v1/audit/`), PostgreSQL only.
-- Needs a migrated database with users (`ringo seed-demo`). Adds :n entries (default volume: 100,000) spread over
-- 2025 by every existing user, over seven entity types, each with a before → after of one field.
-- Usage: psql … -v n=100000 -f bench/seed_audit.sql, then time e.g. `/audit`, `/audit?entity=payment`,
-- `/audit?user=1&from=2025-03-01&to=2025-04-30` and `/api/v1/audit/?page=100` with an admin's session or token.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO audit_entries (actor_id, actor_name, action, entity_type, entity_id, changes, ip, request_id, user_agent,
                           created_at)
SELECT u.id, trim(u.first_name || ' ' || u.last_name),
       (ARRAY['create', 'update', 'payment', 'status_change', 'delete'])[1 + g % 5],
       (ARRAY['order', 'payment', 'client', 'invoice', 'expense', 'salary_record', 'user'])[1 + (g / 3) % 7],
       (g % 5000)::text, '{"amount":{"from":"100.00","to":"150.00"}}', '127.0.0.1', 'bench', 'bench',
       timestamptz '2025-01-01 00:00+03' + (g * 315)::text::interval
FROM generate_series(1, :n) g
JOIN LATERAL (SELECT id, first_name, last_name FROM users ORDER BY id OFFSET (g % (SELECT count(*) FROM users))
              LIMIT 1) u ON true;
COMMIT;
ANALYZE audit_entries;
