-- Synthetic office data for the money pages' benchmark (bench/office.sh), PostgreSQL only, run after
-- bench/seed_finance.sql: spreads the bench orders over :clients clients (default 5,000), issues an invoice for every
-- bench order (100,000 by default), records one payment per bench order (full on 60 %, partial on 25 %, none on
-- 15 %; 3 % refused), and writes :audit audit entries (default 100,000) by the admin with a before → after.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO clients (name, phone, inn, credit_limit, search_text, created_at, updated_at)
SELECT 'ООО Офис-бенч ' || lpad(c::text, 5, '0'), '+7900666' || lpad(c::text, 4, '0'),
       lpad((7700000000 + c)::text, 10, '0'), CASE WHEN c % 4 = 0 THEN 50000000 END,
       lower('ООО Офис-бенч ' || lpad(c::text, 5, '0')), now(), now()
FROM generate_series(1, :clients) c
WHERE NOT EXISTS (SELECT 1 FROM clients WHERE name LIKE 'ООО Офис-бенч %');

CREATE TEMP TABLE office_clients AS
SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM clients WHERE name LIKE 'ООО Офис-бенч %';
CREATE TEMP TABLE office_orders AS
SELECT row_number() OVER (ORDER BY number_value) AS g, id, start_at, end_at, total_amount FROM orders
WHERE number LIKE 'B%';

UPDATE orders o SET client_id = c.id
FROM office_orders b, office_clients c
WHERE o.id = b.id AND c.k = b.g % (SELECT count(*) FROM office_clients);

INSERT INTO invoices (order_id, number, payment_status, amount, currency, issued_at, due_date, pdf_url, metadata,
                      created_at, updated_at)
SELECT b.id, 'BINV-' || lpad(b.g::text, 7, '0'), CASE WHEN b.g % 20 < 12 THEN 'success' ELSE 'pending' END,
       b.total_amount, 'RUB', b.end_at, to_char((b.end_at + interval '10 days') AT TIME ZONE 'Europe/Moscow',
       'YYYY-MM-DD'), '', '{}', b.end_at, b.end_at
FROM office_orders b
ON CONFLICT DO NOTHING;

INSERT INTO payments (order_id, invoice_id, method, status, amount, currency, transaction_id, is_prepayment, paid_at,
                      comment, metadata, created_at, updated_at)
SELECT b.id, i.id, (ARRAY['cash','bank_transfer','online','bank_transfer'])[1 + b.g % 4],
       CASE WHEN b.g % 33 = 0 THEN 'failed' ELSE 'success' END,
       CASE WHEN b.g % 20 < 12 THEN b.total_amount ELSE b.total_amount / 2 END, 'RUB', '', false,
       b.end_at + ((b.g % 40) || ' days')::interval, 'Бенч-платёж ' || b.g, '{}',
       b.end_at + ((b.g % 40) || ' days')::interval, b.end_at + ((b.g % 40) || ' days')::interval
FROM office_orders b JOIN invoices i ON i.order_id = b.id
WHERE b.g % 20 < 17;

INSERT INTO audit_entries (actor_id, actor_name, action, entity_type, entity_id, changes, ip, request_id, user_agent,
                           created_at)
SELECT (SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1), 'Администратор',
       (ARRAY['update','create','update','delete'])[1 + a % 4],
       (ARRAY['order','payment','invoice','client','expense'])[1 + a % 5], (a % 5000 + 1)::text,
       '{"description": {"from": "Бенч ' || a || '", "to": "Бенч ' || (a + 1) || '"}}', '127.0.0.1', '', 'bench',
       timestamptz '2025-01-01 00:00:00+03' + ((a::bigint * 365 * 86400 / :audit) || ' seconds')::interval
FROM generate_series(1, :audit) a;
COMMIT;
ANALYZE;
