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
