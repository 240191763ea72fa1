-- The original's database (restored from tests/fixtures/original-db) grown to :n more orders with 3 lines each
-- (300,000 lines at the default 100,000), their status logs, operators, and the salaries and fuel expenses of
-- the completed ones. Used by bench/import.sh.
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO orders_order (id, created_at, updated_at, number, address, geo_lat, geo_lng, start_dt, end_dt,
  description, status, prepayment_amount, prepayment_status, total_amount, price_snapshot, attachments, meta,
  client_id, created_by_id, manager_id, operator_id)
SELECT md5('bench-order-' || g)::uuid, now(), now(), lpad((100000 + g)::text, 7, '0'), 'Бенч-улица ' || g,
  NULL, NULL, timestamptz '2023-01-02 08:00+00' + g * interval '41 minutes',
  timestamptz '2023-01-02 08:00+00' + g * interval '41 minutes' + interval '6 hours', 'bench order',
  (ARRAY['COMPLETED', 'COMPLETED', 'CANCELLED', 'COMPLETED', 'APPROVED'])[1 + g % 5], 0, 'pending', 27000.00,
  '{}', '[]', '{}', 1 + g % 25, 1, 7, CASE WHEN g % 2 = 0 THEN 2 + g % 5 END
FROM generate_series(1, :n) AS g;

INSERT INTO orders_orderitem (created_at, updated_at, item_type, ref_id, name_snapshot, quantity, unit, unit_price,
  tax_rate, discount, metadata, order_id, fuel_expense, repair_expense)
SELECT now(), now(), (ARRAY['equipment', 'service', 'material'])[k],
  CASE k WHEN 1 THEN 1 + g % 8 ELSE 1 + g % 6 END,
  (ARRAY['Экскаватор бенч', 'Услуга бенч', 'Щебень бенч'])[k], 3.00, (ARRAY['hour', 'h', 'm3'])[k],
  (ARRAY[6000.00, 2500.00, 500.00])[k], 0.00, 0.00,
  CASE k WHEN 1 THEN '{"hours": 3.0}' ELSE '{}' END::jsonb, md5('bench-order-' || g)::uuid,
  CASE WHEN k = 1 THEN 1500.00 END, NULL
FROM generate_series(1, :n) AS g, generate_series(1, 3) AS k;

INSERT INTO orders_order_operators (order_id, user_id)
SELECT md5('bench-order-' || g)::uuid, 2 + (g + 1) % 5 FROM generate_series(1, :n) AS g WHERE g % 3 = 0;

INSERT INTO orders_orderstatuslog (from_status, to_status, comment, attachment_url, created_at, actor_id, order_id)
SELECT f, t, '', '', timestamptz '2023-01-02 08:00+00' + g * interval '41 minutes' + s * interval '1 hour', 1,
  md5('bench-order-' || g)::uuid
FROM generate_series(1, :n) AS g,
  LATERAL (VALUES (1, 'CREATED', 'APPROVED'), (2, 'APPROVED', 'IN_PROGRESS'), (3, 'IN_PROGRESS', 'COMPLETED'))
    AS steps(s, f, t)
WHERE g % 5 IN (0, 1, 3);

INSERT INTO finance_salaryrecord (created_at, updated_at, hours_worked, rate_type, rate_value, amount, status,
  paid_at, notes, order_id, user_id)
SELECT now(), now(), 6.00, 'fixed', 3000.00, 3000.00, 'pending', NULL, 'бенч', md5('bench-order-' || g)::uuid,
  2 + g % 5
FROM generate_series(1, :n) AS g WHERE g % 5 IN (0, 1, 3) AND g % 2 = 0;

INSERT INTO finance_expense (created_at, updated_at, category, amount, date, comment, attachment_url, equipment_id,
  order_id, reported_by_id)
SELECT now(), now(), 'fuel', 1500.00, date '2023-01-02' + (g / 35), 'бенч', '', 1 + g % 8,
  md5('bench-order-' || g)::uuid, 1
FROM generate_series(1, :n) AS g WHERE g % 5 IN (0, 1, 3);
COMMIT;
ANALYZE;
