import Fluent
import SQLKit

/// Indexes for «Журнал действий» (docs/ui.md#audit-log): the list is newest first (`created_at DESC, id DESC`),
/// filtered by entity type and/or user and a period, one page at a time. Each filter has an index that ends in the
/// sort key, so a page is read in order from the index instead of sorting every matching entry.
struct AddAuditListIndexes: AsyncMigration {
    static let statements = [
        "CREATE INDEX ix_audit_created_id ON audit_entries (created_at, id)",
        "CREATE INDEX ix_audit_entity_type_created ON audit_entries (entity_type, created_at, id)",
        "CREATE INDEX ix_audit_actor_created_id ON audit_entries (actor_id, created_at, id)",
    ]

    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for statement in Self.statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for index in ["ix_audit_actor_created_id", "ix_audit_entity_type_created", "ix_audit_created_id"] {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: index)").run()
        }
    }
}
