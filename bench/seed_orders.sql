-- Adds :n synthetic orders (3 items, 1 operator, 1 status-log row each) on PostgreSQL for benchmarks.
-- Needs the demo catalog and clients (`ringo seed-demo`) and at least one operator.
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_base AS SELECT COALESCE(MAX(number_value), 0) AS base FROM orders;
INSERT INTO orders (id, number, number_value, client_id, address, start_at, end_at, description, status, manager_id,
                    created_by_id, prepayment_amount, prepayment_status, total_amount, estimated_total, price_snapshot,
                    attachments, meta, search_text, created_at, updated_at)
SELECT md5('bench-order-' || (b.base + g))::uuid::text, lpad((b.base + g)::text, 6, '0'), b.base + g,
       (SELECT id FROM clients ORDER BY id LIMIT 1 OFFSET (g % 3)),
       'Краснодар, ул. Северная ' || g, now() - (g || ' hours')::interval, now() - (g || ' hours')::interval + interval '9 hours',
       'Копка траншеи, участок ' || g, (ARRAY['CREATED','APPROVED','IN_PROGRESS','COMPLETED','CANCELLED'])[1 + g % 5],
       (SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1), (SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1),
       500000, 'pending', 7415000, 0, '{}', '[]', '{}', lower(lpad((b.base + g)::text, 6, '0') || ' краснодар, ул. северная ' || g),
       now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
FROM generate_series(1, :n) g, bench_base b;
INSERT INTO order_items (order_id, position, item_type, ref_id, name_snapshot, quantity, unit, unit_price, manual_price,
                         tax_rate, discount, metadata)
SELECT md5('bench-order-' || (b.base + g))::uuid::text, p,
       (ARRAY['equipment','material','service'])[p + 1],
       CASE p WHEN 0 THEN (SELECT id FROM equipment ORDER BY id LIMIT 1) WHEN 1 THEN (SELECT id FROM materials ORDER BY id LIMIT 1)
              ELSE (SELECT id FROM services ORDER BY id LIMIT 1) END,
       (ARRAY['Экскаватор-погрузчик MST 644 S','Песок','Копка траншей'])[p + 1],
       CASE p WHEN 0 THEN 500 WHEN 1 THEN 250 ELSE 100 END,
       (ARRAY['hour','m3','hour'])[p + 1],
       CASE p WHEN 0 THEN 245000 WHEN 1 THEN 80000 ELSE 500000 END, p = 2, 0, 0,
       CASE p WHEN 0 THEN '{"shifts": 2, "hours": 3, "daily_rate": 30000}' ELSE '{}' END
FROM generate_series(1, :n) g, generate_series(0, 2) p, bench_base b;
INSERT INTO order_operators (order_id, user_id)
SELECT md5('bench-order-' || (b.base + g))::uuid::text, (SELECT id FROM users WHERE role = 'operator' ORDER BY id LIMIT 1 OFFSET (g % 2))
FROM generate_series(1, :n) g, bench_base b;
INSERT INTO order_status_logs (order_id, from_status, to_status, actor_id, comment, created_at)
SELECT md5('bench-order-' || (b.base + g))::uuid::text, '', 'CREATED', (SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1),
       'Заявка создана', now() - (g || ' minutes')::interval
FROM generate_series(1, :n) g, bench_base b;
COMMIT;
ANALYZE;
