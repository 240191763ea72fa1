import Domain
import Fluent
import SQLKit

/// Every client's ledger totals kept up to date by triggers, so that «Должники» and the dashboard's debt read one
/// row per client instead of every order and payment (docs/domain-rules.md#client-balances).
///
/// - `orders.paid_amount` / `orders.last_paid_at`: Σ and the latest moment of the order's successful payments,
///   recomputed from `payments` by triggers on `payments` (a few rows per order, read by `ix_payments_order`).
/// - `client_balances`: per client, Σ of its orders' contributions (`ClientBalanceSQL.contribution`), changed by
///   row triggers on `orders` by the difference between the old and the new row. A payment changes its order's
///   `paid_amount`, so it reaches the client's row through the order's trigger.
///
/// Triggers (not the services) keep the totals, so a write from any code path, instance or import keeps them right.
struct AddClientBalances: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("orders").field("paid_amount", .int64, .required, .sql(.default(0))).update()
        try await database.schema("orders").field("last_paid_at", .datetime).update()
        try await database.schema("client_balances")
            .field("client_id", .int64, .identifier(auto: false))
            .field("billed", .int64, .required, .sql(.default(0)))
            .field("positive", .int64, .required, .sql(.default(0)))
            .field("open_total", .int64, .required, .sql(.default(0)))
            .field("paid", .int64, .required, .sql(.default(0)))
            .field("last_paid_at", .datetime)
            .create()
        let sql = try database.sql()
        for statement in ClientBalanceSQL.backfill { try await sql.raw(statement).run() }
        let triggers =
            sql.dialect.name == "postgresql" ? ClientBalanceSQL.postgresTriggers : ClientBalanceSQL.sqliteTriggers
        for statement in triggers { try await sql.raw(statement).run() }
        try await sql.raw(ClientBalanceSQL.billedAtIndex).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        if sql.dialect.name == "postgresql" {
            for statement in [
                "DROP TRIGGER IF EXISTS trg_payments_paid ON payments",
                "DROP TRIGGER IF EXISTS trg_orders_balance ON orders",
                "DROP TRIGGER IF EXISTS trg_orders_balance_update ON orders",
                "DROP FUNCTION IF EXISTS ringo_refresh_order_paid()",
                "DROP FUNCTION IF EXISTS ringo_client_balance()",
            ] { try await sql.raw(SQLQueryString(statement)).run() }
        } else {
            for name in [
                "trg_payments_paid_ai", "trg_payments_paid_au", "trg_payments_paid_ad", "trg_orders_balance_ai",
                "trg_orders_balance_au", "trg_orders_balance_ad",
            ] { try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name)").run() }
        }
        try await sql.raw("DROP INDEX IF EXISTS ix_orders_completed_billed_at").run()
        try await database.schema("client_balances").delete()
        try await database.schema("orders").deleteField("last_paid_at").update()
        try await database.schema("orders").deleteField("paid_amount").update()
    }
}

/// The statements of `AddClientBalances`, in the two dialects. Status names come from `OrderStatus` and
/// `PaymentStatus` (constants, never input).
enum ClientBalanceSQL {
    static let completed = "'\(OrderStatus.completed.rawValue)'"
    static let open = ClientAccount.openStatuses.map { "'\($0)'" }.joined(separator: ", ")
    static let success = "'\(PaymentStatus.success.rawValue)'"
    /// When the order counts as billed (docs/domain-rules.md#client-ledger), as `DebtQueries` writes it.
    static let billedAt = "COALESCE(end_at, completed_at, start_at)"

    /// The four sums an order row `r` adds to its client's row.
    static func contribution(_ r: String) -> (billed: String, positive: String, open: String, paid: String) {
        (
            "CASE WHEN \(r).status = \(completed) THEN \(r).total_amount ELSE 0 END",
            "CASE WHEN \(r).status = \(completed) AND \(r).total_amount > 0 THEN \(r).total_amount ELSE 0 END",
            "CASE WHEN \(r).status IN (\(open)) THEN \(r).total_amount ELSE 0 END",
            "\(r).paid_amount"
        )
    }

    /// `paid_amount = …, last_paid_at = …` from the successful payments of the order `orderID`.
    static func paidColumns(of orderID: String) -> String {
        let payments = "FROM payments p WHERE p.order_id = \(orderID) AND p.status = \(success)"
        return "paid_amount = COALESCE((SELECT SUM(p.amount) \(payments)), 0), "
            + "last_paid_at = (SELECT MAX(COALESCE(p.paid_at, p.created_at)) \(payments))"
    }

    /// Sets an order's `paid_amount` and `last_paid_at` from its successful payments.
    static func refreshPaid(of orderID: String) -> String {
        "UPDATE orders SET \(paidColumns(of: orderID)) WHERE id = \(orderID)"
    }

    /// Adds the order row `r` (`NEW`) to its client's row, which exists (`insertClient`).
    static func add(_ r: String) -> String {
        let c = contribution(r)
        return "UPDATE client_balances SET billed = billed + \(c.billed), positive = positive + \(c.positive), "
            + "open_total = open_total + \(c.open), paid = paid + \(c.paid), "
            + "last_paid_at = CASE WHEN \(r).last_paid_at IS NOT NULL AND "
            + "(last_paid_at IS NULL OR \(r).last_paid_at > last_paid_at) THEN \(r).last_paid_at ELSE last_paid_at END "
            + "WHERE client_id = \(r).client_id"
    }

    /// Takes the order row `r` (`OLD`) off its client's row. The latest payment is read again from the client's
    /// orders (after the change) when this order had one, since a maximum cannot be subtracted.
    static func subtract(_ r: String) -> String {
        let c = contribution(r)
        return "UPDATE client_balances SET billed = billed - \(c.billed), positive = positive - \(c.positive), "
            + "open_total = open_total - \(c.open), paid = paid - \(c.paid), "
            + "last_paid_at = CASE WHEN \(r).last_paid_at IS NULL THEN last_paid_at ELSE "
            + "(SELECT MAX(o.last_paid_at) FROM orders o WHERE o.client_id = \(r).client_id) END "
            + "WHERE client_id = \(r).client_id"
    }

    /// The columns whose change moves a client's totals.
    static let watched = ["status", "total_amount", "client_id", "paid_amount", "last_paid_at"]

    static let backfill: [SQLQueryString] = {
        let c = contribution("o")
        return [
            SQLQueryString(
                "UPDATE orders SET \(paidColumns(of: "orders.id")) "
                    + "WHERE id IN (SELECT p.order_id FROM payments p WHERE p.status = \(success))"),
            SQLQueryString(
                "INSERT INTO client_balances (client_id, billed, positive, open_total, paid, last_paid_at) "
                    + "SELECT o.client_id, SUM(\(c.billed)), SUM(\(c.positive)), SUM(\(c.open)), SUM(\(c.paid)), "
                    + "MAX(o.last_paid_at) FROM orders o WHERE o.client_id IS NOT NULL GROUP BY o.client_id"),
        ]
    }()

    static let postgresTriggers: [SQLQueryString] = {
        let insertClient =
            "INSERT INTO client_balances (client_id) VALUES (NEW.client_id) ON CONFLICT (client_id) DO NOTHING"
        let changed = watched.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
        return [
            """
            CREATE OR REPLACE FUNCTION ringo_refresh_order_paid() RETURNS trigger AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') THEN \(refreshPaid(of: "OLD.order_id")); END IF;
              IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.order_id IS DISTINCT FROM OLD.order_id) THEN
                \(refreshPaid(of: "NEW.order_id"));
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """,
            "CREATE TRIGGER trg_payments_paid AFTER INSERT OR UPDATE OR DELETE ON payments "
                + "FOR EACH ROW EXECUTE FUNCTION ringo_refresh_order_paid()",
            """
            CREATE OR REPLACE FUNCTION ringo_client_balance() RETURNS trigger AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.client_id IS NOT NULL THEN \(subtract("OLD")); END IF;
              IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.client_id IS NOT NULL THEN
                \(insertClient);
                \(add("NEW"));
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """,
            "CREATE TRIGGER trg_orders_balance AFTER INSERT OR DELETE ON orders "
                + "FOR EACH ROW EXECUTE FUNCTION ringo_client_balance()",
            "CREATE TRIGGER trg_orders_balance_update AFTER UPDATE ON orders FOR EACH ROW WHEN (\(changed)) "
                + "EXECUTE FUNCTION ringo_client_balance()",
        ].map { SQLQueryString($0) }
    }()

    static let sqliteTriggers: [SQLQueryString] = {
        let insertClient =
            "INSERT OR IGNORE INTO client_balances (client_id) SELECT NEW.client_id WHERE NEW.client_id IS NOT NULL"
        let changed = watched.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
        return [
            "CREATE TRIGGER trg_payments_paid_ai AFTER INSERT ON payments "
                + "BEGIN \(refreshPaid(of: "NEW.order_id")); END",
            "CREATE TRIGGER trg_payments_paid_au AFTER UPDATE ON payments BEGIN "
                + "\(refreshPaid(of: "OLD.order_id")); \(refreshPaid(of: "NEW.order_id")); END",
            "CREATE TRIGGER trg_payments_paid_ad AFTER DELETE ON payments "
                + "BEGIN \(refreshPaid(of: "OLD.order_id")); END",
            "CREATE TRIGGER trg_orders_balance_ai AFTER INSERT ON orders WHEN NEW.client_id IS NOT NULL BEGIN "
                + "\(insertClient); \(add("NEW")); END",
            "CREATE TRIGGER trg_orders_balance_au AFTER UPDATE ON orders WHEN \(changed) BEGIN "
                + "\(subtract("OLD")); \(insertClient); \(add("NEW")); END",
            "CREATE TRIGGER trg_orders_balance_ad AFTER DELETE ON orders WHEN OLD.client_id IS NOT NULL BEGIN "
                + "\(subtract("OLD")); END",
        ].map { SQLQueryString($0) }
    }()

    /// The completed orders by the moment they were billed: the ageing of «Должники» reads only the last 90 days.
    /// The literal status lets SQLite use the partial index (a bound value would not).
    static let billedAtIndex = SQLQueryString(
        "CREATE INDEX ix_orders_completed_billed_at ON orders ((\(billedAt)), client_id, total_amount) "
            + "WHERE status = \(completed)")
}
