import Fluent
import SQLKit

/// Covering indexes for the equipment report (docs/domain-rules.md#reports), so that both databases read the period's
/// machine lines, completed orders and salary sums from indexes in order id order and join them without sorting
/// or hashing (see `ReportQueries.equipment`):
/// - the machine lines of every order, with the figures the report sums (partial: only `equipment` lines with
///   a machine, the rows the report reads);
/// - orders by status and id with the work's start, for "completed orders that started in the period";
/// - salary amounts by order.
struct AddReportIndexes: AsyncMigration {
    static let statements = [
        """
        CREATE INDEX ix_order_items_machine_lines ON order_items
            (order_id, ref_id, booked_hours, line_total, hours, shifts)
            WHERE item_type = 'equipment' AND ref_id IS NOT NULL
        """,
        "CREATE INDEX ix_orders_status_id ON orders (status, id, start_at)",
        "CREATE INDEX ix_salary_records_order_amount ON salary_records (order_id, amount)",
    ]

    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for statement in Self.statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for index in ["ix_salary_records_order_amount", "ix_orders_status_id", "ix_order_items_machine_lines"] {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: index)").run()
        }
    }
}
