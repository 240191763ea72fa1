import Fluent
import SQLKit

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int, .identifier(auto: true))
            .field("phone", .string, .required)
            .field("email", .string, .required, .sql(.default("")))
            .field("first_name", .string, .required, .sql(.default("")))
            .field("last_name", .string, .required, .sql(.default("")))
            .field("position", .string, .required, .sql(.default("")))
            .field("avatar", .string, .required, .sql(.default("")))
            .field("locale", .string, .required, .sql(.default("ru")))
            .field("role", .string, .required)
            .field("is_active", .bool, .required)
            .field("password_hash", .string, .required)
            .field("last_login_at", .datetime)
            .field("telegram_chat_id", .string)
            .field("search_text", .string, .required, .sql(.default("")))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "phone", name: "uq_users_phone")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}

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

struct CreateLoginAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_attempts")
            .field("id", .int, .identifier(auto: true))
            .field("phone", .string, .required)
            .field("ip", .string, .required)
            .field("succeeded", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql().raw("CREATE INDEX ix_login_attempts_phone ON login_attempts (phone, created_at)").run()
        try await database.sql().raw("CREATE INDEX ix_login_attempts_ip ON login_attempts (ip, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_attempts").delete()
    }
}

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
