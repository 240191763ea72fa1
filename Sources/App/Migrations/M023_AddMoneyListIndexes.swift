import Fluent
import SQLKit

/// Indexes for the sort keys and filters of «Счета» and «Платежи» (docs/ui.md#invoices-and-payments): each list
/// page reads one LIMIT/OFFSET slice in its default order, even with 100 000 rows behind it.
struct AddMoneyListIndexes: AsyncMigration {
    static let statements = [
        "CREATE INDEX ix_invoices_issued ON invoices (issued_at, id)",
        "CREATE INDEX ix_payments_when ON payments ((COALESCE(paid_at, created_at)), id)",
        "CREATE INDEX ix_payments_method ON payments (method, paid_at)",
    ]

    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for statement in Self.statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for name in ["ix_invoices_issued", "ix_payments_when", "ix_payments_method"] {
            try await sql.raw(SQLQueryString("DROP INDEX IF EXISTS " + name)).run()
        }
    }
}
