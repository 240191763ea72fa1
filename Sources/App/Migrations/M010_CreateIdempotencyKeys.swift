import Fluent
import SQLKit

struct CreateIdempotencyKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("idempotency_keys")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required)
            .field("key", .string, .required)
            .field("method", .string, .required)
            .field("path", .string, .required)
            .field("request_hash", .string, .required)
            .field("status", .int, .required)
            .field("content_type", .string, .required, .sql(.default("")))
            .field("body", .string, .required, .sql(.default("")))
            .field("completed", .bool, .required, .sql(.default(false)))
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "key", name: "uq_idempotency_user_key")
            .create()
        try await database.sql().raw("CREATE INDEX ix_idempotency_created ON idempotency_keys (created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("idempotency_keys").delete()
    }
}
