-- Synthetic client ledgers for the «Должники» benchmark (bench/debts.sh), PostgreSQL only.
-- Needs a migrated database (`ringo migrate` or `ringo seed-demo`). Adds :clients clients (default 5,000; every
-- fourth with a credit limit) and :n orders (default 100,000, 20 per client) starting between 2025-01-01 and
-- 2025-12-31 MSK: 80 % COMPLETED, 10 % CANCELLED, 10 % APPROVED. Completed orders: 60 % paid in full, 10 % half
-- paid, the rest unpaid; every twentieth order also has a failed payment (which must not count).
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO clients (name, phone, credit_limit, search_text, created_at, updated_at)
SELECT 'Бенч-клиент ' || c, '+7901' || lpad(c::text, 7, '0'), CASE WHEN c % 4 = 0 THEN 5000000 END,
       'бенч-клиент ' || c, now(), now()
FROM generate_series(1, :clients) c;
CREATE TEMP TABLE bench_clients AS
SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM clients WHERE name LIKE 'Бенч-клиент %';
CREATE TEMP TABLE bench_base AS SELECT COALESCE(MAX(number_value), 0) AS base FROM orders;

CREATE TEMP TABLE bench_orders AS
SELECT g, b.base + g AS num, md5('bench-debt-order-' || (b.base + g))::uuid::text AS id,
       timestamptz '2025-01-01 08:00:00+03' + ((g::bigint * 365 * 86400 / :n) || ' seconds')::interval AS start_at,
       CASE WHEN g % 10 < 8 THEN 'COMPLETED' WHEN g % 10 = 8 THEN 'CANCELLED' ELSE 'APPROVED' END AS status,
       100000 + (g % 50) * 10000 AS total
FROM generate_series(1, :n) g, bench_base b;

INSERT INTO orders (id, number, number_value, client_id, address, start_at, end_at, description, status, manager_id,
                    created_by_id, prepayment_amount, prepayment_status, total_amount, estimated_total, price_snapshot,
                    attachments, meta, completed_at, search_text, created_at, updated_at)
SELECT o.id, 'D' || lpad(o.num::text, 7, '0'), o.num, c.id, 'Краснодар, ул. Должников ' || o.g, o.start_at,
       CASE WHEN o.status = 'COMPLETED' THEN o.start_at + interval '9 hours' END, '', o.status, NULL, NULL, 0,
       'pending', o.total, 0, '{}', '[]', '{}',
       CASE WHEN o.status = 'COMPLETED' THEN o.start_at + interval '9 hours' END, 'd' || o.num,
       o.start_at - interval '2 days', o.start_at
FROM bench_orders o JOIN bench_clients c ON c.k = o.g % :clients;

INSERT INTO payments (order_id, method, status, amount, currency, transaction_id, is_prepayment, paid_at, comment,
                      metadata, created_at, updated_at)
SELECT o.id, 'bank_transfer', 'success', CASE WHEN (o.g / 10) % 10 < 6 THEN o.total ELSE o.total / 2 END, 'RUB', '',
       false, o.start_at + interval '3 days', '', '{}', o.start_at + interval '3 days', o.start_at + interval '3 days'
FROM bench_orders o
WHERE o.status = 'COMPLETED' AND (o.g / 10) % 10 < 7;

INSERT INTO payments (order_id, method, status, amount, currency, transaction_id, is_prepayment, paid_at, comment,
                      metadata, created_at, updated_at)
SELECT o.id, 'online', 'failed', o.total, 'RUB', '', false, o.start_at + interval '1 day', '', '{}',
       o.start_at + interval '1 day', o.start_at + interval '1 day'
FROM bench_orders o
WHERE o.g % 20 = 0;
COMMIT;
ANALYZE;
