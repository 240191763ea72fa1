import Fluent
import SQLKit

/// The in-app inbox, every delivery attempt, device tokens / push subscriptions, channel
/// subscriptions of the original API, per-event preferences and Telegram link codes.
struct CreateNotificationTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("notifications")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("event_type", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required, .sql(.default("")))
            .field("data", .string, .required, .sql(.default("{}")))
            .field("read_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("notification_deliveries")
            .field("id", .int, .identifier(auto: true))
            .field("notification_id", .int, .references("notifications", "id", onDelete: .cascade))
            .field("user_id", .int, .references("users", "id", onDelete: .cascade))
            .field("event_type", .string, .required)
            .field("channel", .string, .required)
            .field("target", .string, .required, .sql(.default("")))
            .field("attempt", .int, .required)
            .field("status", .string, .required)
            .field("error", .string, .required, .sql(.default("")))
            .field("is_final", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("device_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .references("users", "id", onDelete: .cascade))
            .field("token", .string, .required)
            .field("platform", .string, .required)
            .field("app_version", .string, .required, .sql(.default("")))
            .field("device_info", .string, .required, .sql(.default("{}")))
            .field("last_active_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "token", name: "uq_device_tokens_token")
            .create()

        try await database.schema("notification_subscriptions")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("endpoint", .string, .required, .sql(.default("")))
            .field("enabled", .bool, .required)
            .field("preferences", .string, .required, .sql(.default("{}")))
            .field("last_used_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id", "channel", "endpoint", name: "uq_notification_subscriptions")
            .create()

        try await database.schema("notification_preferences")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("event_type", .string, .required)
            .field("channel", .string, .required)
            .field("enabled", .bool, .required)
            .unique(on: "user_id", "event_type", "channel", name: "uq_notification_preferences")
            .create()

        try await database.schema("telegram_link_codes")
            .field("code", .string, .identifier(auto: false))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()

        let sql = try database.sql()
        for statement in [
            "CREATE INDEX ix_notifications_user ON notifications (user_id, created_at)",
            "CREATE INDEX ix_notifications_unread ON notifications (user_id, read_at)",
            "CREATE INDEX ix_notification_deliveries_user ON notification_deliveries (user_id, created_at)",
            "CREATE INDEX ix_notification_deliveries_notification ON notification_deliveries (notification_id)",
            "CREATE INDEX ix_device_tokens_user ON device_tokens (user_id)",
            "CREATE INDEX ix_telegram_link_codes_user ON telegram_link_codes (user_id)",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in [
            "telegram_link_codes", "notification_preferences", "notification_subscriptions", "device_tokens",
            "notification_deliveries", "notifications",
        ] {
            try await database.schema(table).delete()
        }
    }
}
