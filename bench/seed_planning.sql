-- The planning board's data on PostgreSQL: :machines machines (EXC/DUMP/LOAD/MAN/TOW kinds), :operators operators,
-- :n orders spread over the 36 months before today and the 31 days after, each on one machine and one operator,
-- with their bookings. Per machine the orders follow each other without overlap (one every few days, 9–33 h
-- long); the past ones are completed (1 in 20 cancelled), the current and future ones active without an end.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO equipment (code, name, description, hourly_rate, daily_rate, status, search_text, created_at, updated_at)
SELECT k || '-B' || lpad(g::text, 3, '0'), n || ' ' || g, '', 245000, 2500000, 'available', lower(n || ' ' || g), now(), now()
FROM generate_series(1, :machines) g,
     LATERAL (SELECT (ARRAY['EXC','DUMP','LOAD','MAN','TOW'])[1 + g % 5] AS k,
                     (ARRAY['Экскаватор-погрузчик','Самосвал','Мини-погрузчик','Манипулятор','Эвакуатор'])[1 + g % 5] AS n) t;
INSERT INTO users (phone, email, first_name, last_name, role, is_active, password_hash, search_text, created_at, updated_at)
SELECT '+7999800' || lpad(g::text, 4, '0'), '', 'Оператор', 'Бенчев ' || g, 'operator', true, 'x', '', now(), now()
FROM generate_series(1, :operators) g;
CREATE TEMP TABLE bench_machines AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM equipment WHERE code LIKE '%-B%';
CREATE TEMP TABLE bench_people AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM users WHERE last_name LIKE 'Бенчев %';
CREATE TEMP TABLE bench_plan AS
SELECT g, md5('plan-order-' || g)::uuid::text AS id, m.id AS machine, p.id AS person,
       date_trunc('day', now()) - interval '1096 days'
         + interval '1 day' * (((g - 1) / :machines) * (1096 + 31) / ceil(:n::numeric / :machines))
         + interval '8 hours' AS start_at,
       interval '1 hour' * (9 + g % 25) AS length
FROM generate_series(1, :n) g
JOIN bench_machines m ON m.i = (g - 1) % :machines
JOIN bench_people p ON p.i = (g - 1) % :operators;
ALTER TABLE bench_plan ADD COLUMN status text;
UPDATE bench_plan SET status = CASE WHEN start_at + length < now() THEN (CASE WHEN g % 20 = 0 THEN 'CANCELLED' ELSE 'COMPLETED' END)
                                    ELSE (ARRAY['CREATED','APPROVED','IN_PROGRESS'])[1 + g % 3] END;
INSERT INTO orders (id, number, number_value, client_id, address, start_at, end_at, description, status, manager_id,
                    created_by_id, prepayment_amount, prepayment_status, total_amount, estimated_total, price_snapshot,
                    attachments, meta, search_text, created_at, updated_at)
SELECT b.id, 'P' || lpad(g::text, 6, '0'), 900000 + g, (SELECT id FROM clients ORDER BY id LIMIT 1 OFFSET (g % 3)),
       'Краснодар, ул. Северная ' || g, b.start_at, CASE WHEN b.status IN ('COMPLETED', 'CANCELLED') THEN b.start_at + b.length END,
       'Работа ' || g, b.status, NULL, NULL, 0, 'pending', 6125000, 0, '{}', '[]', '{}', 'p' || g, now(), now()
FROM bench_plan b;
INSERT INTO order_items (order_id, position, item_type, ref_id, name_snapshot, quantity, unit, unit_price, manual_price,
                         tax_rate, discount, metadata)
SELECT b.id, 0, 'equipment', b.machine, 'Техника', 100, 'hour', 245000, false, 0, 0, '{"shifts": 1}' FROM bench_plan b;
INSERT INTO order_operators (order_id, user_id) SELECT b.id, b.person FROM bench_plan b;
INSERT INTO bookings (order_id, resource_type, resource_id, start_at, end_at)
SELECT b.id, 'equipment', b.machine, b.start_at, b.start_at + interval '1 day' FROM bench_plan b
WHERE b.status IN ('CREATED', 'APPROVED', 'IN_PROGRESS');
COMMIT;
ANALYZE;
