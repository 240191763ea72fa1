import Fluent
import SQLKit

/// The planning board reads the orders whose time touches a period: those that end after its start, or have no
/// end and start at most a day before it (docs/planning.md#speed). With an index on each side of that OR,
/// PostgreSQL reads both from indexes instead of every order ever made.
struct AddPlanningIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql().raw("CREATE INDEX ix_orders_end ON orders (end_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().raw("DROP INDEX IF EXISTS ix_orders_end").run()
    }
}
