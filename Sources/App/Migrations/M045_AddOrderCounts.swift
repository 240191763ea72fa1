import Fluent
import SQLKit

/// `order_counts`: how many orders each status has, kept by triggers on `orders` (an insert, a delete, a change of
/// status), so that the order list's `count` for the whole list or some statuses reads a few rows instead of
/// counting every matching order on every page (`OrderListQuery.count`, docs/architecture.md#order-counts).
///
/// On PostgreSQL inserts and deletes are counted per statement (a bulk insert of the import updates each status
/// once), a change of status per row. Each write upserts its statuses in one statement, sorted, so two writes
/// that touch the same two statuses take their row locks in one order.
struct AddOrderCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("order_counts")
            .field("status", .string, .identifier(auto: false))
            .field("n", .int64, .required, .sql(.default(0)))
            .create()
        let sql = try database.sql()
        try await Self.recount(on: sql)
        let statements = sql.dialect.name == "postgresql" ? Self.postgres : Self.sqlite
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        let statements =
            sql.dialect.name == "postgresql"
            ? [
                "DROP TRIGGER IF EXISTS trg_orders_counts_insert ON orders",
                "DROP TRIGGER IF EXISTS trg_orders_counts_delete ON orders",
                "DROP TRIGGER IF EXISTS trg_orders_counts_status ON orders",
                "DROP FUNCTION IF EXISTS ringo_count_orders()",
                "DROP FUNCTION IF EXISTS ringo_count_order_status()",
            ]
            : ["ai", "ad", "au"].map { "DROP TRIGGER IF EXISTS trg_orders_counts_\($0)" }
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
        try await database.schema("order_counts").delete()
    }

    /// Counts every status again from `orders` (the migration; and a write that bypassed the triggers).
    static func recount(on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "order_counts").run()
        try await sql.raw("INSERT INTO order_counts (status, n) SELECT status, COUNT(*) FROM orders GROUP BY status")
            .run()
    }

    static let upsert = "INSERT INTO order_counts (status, n) "
    static let onConflict = " ON CONFLICT (status) DO UPDATE SET n = order_counts.n + excluded.n"

    static var postgres: [String] {
        [
            """
            CREATE OR REPLACE FUNCTION ringo_count_orders() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                \(upsert)SELECT status, COUNT(*) FROM new_rows GROUP BY status ORDER BY status\(onConflict);
              ELSE
                \(upsert)SELECT status, -COUNT(*) FROM old_rows GROUP BY status ORDER BY status\(onConflict);
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """,
            """
            CREATE OR REPLACE FUNCTION ringo_count_order_status() RETURNS trigger AS $$
            BEGIN
              \(upsert)SELECT s, k FROM (VALUES (OLD.status, -1), (NEW.status, 1)) AS v(s, k) ORDER BY s\(onConflict);
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """,
            "CREATE TRIGGER trg_orders_counts_insert AFTER INSERT ON orders REFERENCING NEW TABLE AS new_rows "
                + "FOR EACH STATEMENT EXECUTE FUNCTION ringo_count_orders()",
            "CREATE TRIGGER trg_orders_counts_delete AFTER DELETE ON orders REFERENCING OLD TABLE AS old_rows "
                + "FOR EACH STATEMENT EXECUTE FUNCTION ringo_count_orders()",
            "CREATE TRIGGER trg_orders_counts_status AFTER UPDATE OF status ON orders FOR EACH ROW "
                + "WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION ringo_count_order_status()",
        ]
    }

    static var sqlite: [String] {
        func add(_ status: String, _ k: Int) -> String {
            "\(upsert)VALUES (\(status), \(k))\(onConflict);"
        }
        return [
            "CREATE TRIGGER trg_orders_counts_ai AFTER INSERT ON orders BEGIN \(add("NEW.status", 1)) END",
            "CREATE TRIGGER trg_orders_counts_ad AFTER DELETE ON orders BEGIN \(add("OLD.status", -1)) END",
            "CREATE TRIGGER trg_orders_counts_au AFTER UPDATE OF status ON orders WHEN OLD.status IS NOT NEW.status "
                + "BEGIN \(add("OLD.status", -1)) \(add("NEW.status", 1)) END",
        ]
    }
}
