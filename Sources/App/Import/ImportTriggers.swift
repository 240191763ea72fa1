import Foundation
import SQLKit

/// The triggers of the order tables (client balances, order versions, counts by status: `AddClientBalances`,
/// `AddOrderVersions`, `AddOrderCounts`) fire once per imported row or page; at a hundred thousand orders over a
/// few clients they cost more than the rows themselves. On PostgreSQL the import switches them off inside its own
/// transaction and recomputes what they keep, once (docs/import.md#speed). `ALTER TABLE` holds the tables' lock
/// until the commit, so no other writer ever sees them off, and a rollback puts them back. SQLite keeps its
/// triggers. The stored order JSON (`AddStoredOrderJSON`, on `order_versions`) is not written at the import's
/// commit either: the job `orders.stored_json` writes it afterwards, and until then the reads write those orders.
struct ImportTriggers {
    static let tables = ["orders", "order_items", "order_operators", "order_status_logs", "order_versions"]

    let sql: any SQLDatabase
    /// False when the triggers stay on (SQLite, or a PostgreSQL user that does not own the tables).
    let off: Bool

    /// Switches the user triggers of `tables` off when the database is PostgreSQL and the user may.
    static func suspend(_ sql: any SQLDatabase) async throws -> ImportTriggers {
        guard sql.dialect.name == "postgresql" else { return ImportTriggers(sql: sql, off: false) }
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        let mayAlter =
            try await sql.raw(
                SQLQueryString(
                    "SELECT bool_and(pg_has_role(c.relowner, 'USAGE')) AS owner FROM pg_class c "
                        + "WHERE c.relname IN (\(names)) AND c.relkind = 'r' AND pg_table_is_visible(c.oid)")
            ).first()?.decode(column: "owner", as: Bool?.self) ?? false
        guard mayAlter else { return ImportTriggers(sql: sql, off: false) }
        for table in tables { try await sql.raw("ALTER TABLE \(ident: table) DISABLE TRIGGER USER").run() }
        return ImportTriggers(sql: sql, off: true)
    }

    /// What the triggers would have done for these written orders: each order's version bumped.
    func written(orders ids: [String]) async throws {
        guard off, !ids.isEmpty else { return }
        for chunk in ids.chunked(1_000) {
            let values = SQLList(chunk.map { SQLGroupExpression([SQLBind($0), SQLLiteral.numeric("1")]) })
            try await sql.raw(
                "INSERT INTO order_versions (order_id, version) VALUES \(values) "
                    + "ON CONFLICT (order_id) DO UPDATE SET version = order_versions.version + 1"
            ).run()
        }
    }

    /// Statistics of the order tables once the first page is in: planned as empty, the per-page look-ups (numbers
    /// taken, bookings held) would read the growing tables whole, page after page.
    func analyze() async throws {
        guard off else { return }
        try await sql.raw("ANALYZE orders, order_items, bookings").run()
    }

    /// The clients' balances and the orders' counts by status from scratch, the cached lists' counters bumped
    /// once, and the triggers on again.
    func resume() async throws {
        guard off else { return }
        try await sql.raw("DELETE FROM client_balances").run()
        for statement in ClientBalanceSQL.backfill { try await sql.raw(statement).run() }
        try await AddOrderCounts.recount(on: sql)
        try await sql.raw(
            "UPDATE data_versions SET value = value + 1 WHERE name IN ('orders', 'orders_structure')"
        ).run()
        for table in Self.tables { try await sql.raw("ALTER TABLE \(ident: table) ENABLE TRIGGER USER").run() }
    }
}
