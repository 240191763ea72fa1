import Fluent
import SQLKit

/// `users.token_version`: access tokens carry the version they were issued under, and a password change or
/// a deactivation bumps it, so older access tokens stop working at once.
/// `refresh_tokens.family_id` / `used_at`: the rotations of one login share a family; presenting a token
/// that was already rotated revokes the whole family, and `users.revoked_token_families` lists such families
/// until their last access token has expired.
struct AddTokenRevocation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("token_version", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema("users")
            .field("revoked_token_families", .string, .required, .sql(.default("")))
            .update()
        try await database.schema("refresh_tokens")
            .field("family_id", .string)
            .update()
        try await database.schema("refresh_tokens")
            .field("used_at", .datetime)
            .update()
        try await database.sql().raw("CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql().raw("DROP INDEX IF EXISTS ix_refresh_tokens_family").run()
        try await database.schema("refresh_tokens").deleteField("used_at").update()
        try await database.schema("refresh_tokens").deleteField("family_id").update()
        try await database.schema("users").deleteField("revoked_token_families").update()
        try await database.schema("users").deleteField("token_version").update()
    }
}
