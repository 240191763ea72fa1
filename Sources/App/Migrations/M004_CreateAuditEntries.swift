import Fluent
import SQLKit

struct CreateAuditEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_entries")
            .field("id", .int, .identifier(auto: true))
            .field("actor_id", .int)
            .field("actor_name", .string, .required, .sql(.default("")))
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("changes", .string, .required)
            .field("ip", .string, .required, .sql(.default("")))
            .field("request_id", .string, .required, .sql(.default("")))
            .field("user_agent", .string, .required, .sql(.default("")))
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql().raw("CREATE INDEX ix_audit_entity ON audit_entries (entity_type, entity_id)").run()
        try await database.sql().raw("CREATE INDEX ix_audit_created ON audit_entries (created_at)").run()
        try await database.sql().raw("CREATE INDEX ix_audit_actor ON audit_entries (actor_id, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_entries").delete()
    }
}
