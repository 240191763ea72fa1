import Fluent
import SQLKit

/// «Главная»'s counts and revenue by status (`DashboardService.stats`) read from this index alone instead of every
/// order row.
struct AddOrderStatusTotalsIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql().raw("CREATE INDEX ix_orders_status_total ON orders (status, total_amount)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().raw("DROP INDEX IF EXISTS ix_orders_status_total").run()
    }
}
