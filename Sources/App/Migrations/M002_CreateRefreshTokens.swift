import Fluent
import SQLKit

struct CreateRefreshTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("refresh_tokens")
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await database.sql().raw("CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id)").run()
        try await database.sql().raw("CREATE INDEX ix_refresh_tokens_expires ON refresh_tokens (expires_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("refresh_tokens").delete()
    }
}
