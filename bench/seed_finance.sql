-- Synthetic finance data for the report benchmarks (bench/reports.sh), PostgreSQL only.
-- Needs a migrated database (`ringo migrate` or `ringo seed-demo`); brings its own machines, operators and client.
-- Adds :n orders (default volume: 100,000) whose work starts between 2024-12-01 and 2025-12-31 MSK (about 92 % of
-- them in 2025), 3 lines each (a machine on every order, a second machine on every other order, a service or a
-- soil material), one salary record per order and :n expenses (60 % linked to an order and its machine by their
-- own date, 25 % machine expenses without an order, 15 % rent/other without machine).
-- Statuses: 70 % COMPLETED, 10 % CANCELLED, 20 % CREATED/APPROVED/IN_PROGRESS.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO equipment (code, name, hourly_rate, daily_rate, status, created_at, updated_at)
SELECT 'BENCH-' || lpad(m::text, 3, '0'), 'Бенч-техника ' || m, 200000 + m * 5000, 3000000,
       CASE WHEN m % 10 = 0 THEN 'inactive' ELSE 'available' END, now(), now()
FROM generate_series(1, 40) m
ON CONFLICT (code) DO NOTHING;
INSERT INTO users (phone, first_name, last_name, role, is_active, password_hash, created_at, updated_at)
SELECT '+7900555' || lpad(u::text, 4, '0'), 'Оператор', 'Бенч ' || u, 'operator', true, 'x', now(), now()
FROM generate_series(1, 30) u
ON CONFLICT (phone) DO NOTHING;
INSERT INTO clients (name, phone, created_at, updated_at)
SELECT 'ООО Бенч', '+79005550000', now(), now()
WHERE NOT EXISTS (SELECT 1 FROM clients WHERE name = 'ООО Бенч');

CREATE TEMP TABLE bench_machines AS
SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM equipment WHERE code LIKE 'BENCH-%';
CREATE TEMP TABLE bench_operators AS
SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM users WHERE phone LIKE '+7900555%' AND role = 'operator';
CREATE TEMP TABLE bench_base AS SELECT COALESCE(MAX(number_value), 0) AS base FROM orders;

CREATE TEMP TABLE bench_orders AS
SELECT g, b.base + g AS num, md5('bench-fin-order-' || (b.base + g))::uuid::text AS id,
       timestamptz '2024-12-01 08:00:00+03' + ((g::bigint * 396 * 86400 / :n) || ' seconds')::interval AS start_at,
       CASE WHEN g % 10 < 7 THEN 'COMPLETED' WHEN g % 10 = 7 THEN 'CANCELLED'
            ELSE (ARRAY['CREATED','APPROVED','IN_PROGRESS'])[1 + g % 3] END AS status
FROM generate_series(1, :n) g, bench_base b;

INSERT INTO orders (id, number, number_value, client_id, address, start_at, end_at, description, status, manager_id,
                    created_by_id, prepayment_amount, prepayment_status, total_amount, estimated_total, price_snapshot,
                    attachments, meta, search_text, created_at, updated_at)
SELECT o.id, 'B' || lpad(o.num::text, 7, '0'), o.num, (SELECT id FROM clients WHERE name = 'ООО Бенч' LIMIT 1),
       'Краснодар, ул. Бенч ' || o.g, o.start_at, o.start_at + interval '9 hours', 'Бенч ' || o.g, o.status,
       NULL, NULL, 0, 'pending', 7650000 + CASE WHEN o.g % 2 = 0 THEN 5400000 ELSE 0 END, 0, '{}', '[]', '{}',
       'b' || o.num, o.start_at - interval '2 days', o.start_at
FROM bench_orders o;

-- Line 0: machine (g % 40), 2 shifts + 3 h; line 1: a second machine on even orders, else a service;
-- line 2: soil material on odd orders, else a service.
INSERT INTO order_items (order_id, position, item_type, ref_id, name_snapshot, quantity, unit, unit_price, manual_price,
                         tax_rate, discount, metadata, line_total, hours, shifts, booked_hours, revenue_group)
SELECT o.id, p,
       CASE WHEN p = 0 OR (p = 1 AND o.g % 2 = 0) THEN 'equipment' WHEN p = 2 AND o.g % 2 = 1 THEN 'material'
            ELSE 'service' END,
       CASE WHEN p = 0 THEN (SELECT id FROM bench_machines WHERE k = o.g % 40)
            WHEN p = 1 AND o.g % 2 = 0 THEN (SELECT id FROM bench_machines WHERE k = (o.g / 2 + 7) % 40)
            ELSE NULL END,
       'Бенч-строка ' || p, 100, 'hour', 245000, false, 0, 0,
       CASE WHEN p = 0 OR (p = 1 AND o.g % 2 = 0) THEN '{"shifts": 2, "hours": 3, "daily_rate": 30000}' ELSE '{}' END,
       CASE WHEN p = 0 THEN 6735000 WHEN p = 1 AND o.g % 2 = 0 THEN 5400000 ELSE 500000 END,
       CASE WHEN p = 0 OR (p = 1 AND o.g % 2 = 0) THEN 300 ELSE 0 END,
       CASE WHEN p = 0 OR (p = 1 AND o.g % 2 = 0) THEN 200 ELSE 0 END,
       CASE WHEN p = 0 THEN 1900 WHEN p = 1 AND o.g % 2 = 0 THEN 900 ELSE 0 END,
       CASE WHEN p = 0 OR (p = 1 AND o.g % 2 = 0) THEN 'equipment' ELSE 'services' END
FROM bench_orders o, generate_series(0, 2) p;

INSERT INTO salary_records (user_id, order_id, hours_worked, rate_type, rate_value, amount, status, notes,
                            created_at, updated_at)
SELECT (SELECT id FROM bench_operators WHERE k = o.g % 30), o.id, 900, 'fixed', 800000, 800000,
       (ARRAY['pending','approved','paid'])[1 + o.g % 3], 'Зарплата за заказ ' || o.num, o.start_at, o.start_at
FROM bench_orders o;

INSERT INTO expenses (order_id, equipment_id, category, amount, date, comment, created_at, updated_at)
SELECT CASE WHEN e % 20 < 12 THEN o.id END,
       CASE WHEN e % 20 < 17 THEN (SELECT id FROM bench_machines WHERE k = o.g % 40) END,
       CASE WHEN e % 20 < 12 THEN (ARRAY['fuel','repair'])[1 + e % 2]
            WHEN e % 20 < 17 THEN (ARRAY['repair','other','fuel'])[1 + e % 3]
            ELSE (ARRAY['rent','other'])[1 + e % 2] END,
       100000 + (e % 7) * 50000, to_char(o.start_at AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD'), 'Бенч',
       o.start_at, o.start_at
FROM bench_orders o, LATERAL (SELECT o.g AS e) x;
COMMIT;
ANALYZE;
