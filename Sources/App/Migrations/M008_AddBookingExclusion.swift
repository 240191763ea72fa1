import Fluent
import SQLKit

/// PostgreSQL only: an exclusion constraint makes two overlapping bookings of one resource impossible,
/// even for concurrent transactions. SQLite relies on the service's check under a write lock.
struct AddBookingExclusion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE EXTENSION IF NOT EXISTS btree_gist").run()
        try await sql.raw(
            """
            ALTER TABLE bookings ADD CONSTRAINT ex_bookings_overlap EXCLUDE USING gist (
              resource_type WITH =, resource_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE bookings DROP CONSTRAINT IF EXISTS ex_bookings_overlap").run()
    }
}
