import Fluent
import SQLKit

/// The operators' private calendar feeds (docs/planning.md#calendar-feed): one secret per user while the feed is
/// on; revoking deletes the row, so the old address stops working at once.
struct CreateCalendarFeeds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("calendar_feeds")
            .field("user_id", .int, .identifier(auto: false), .references("users", "id", onDelete: .cascade))
            .field("secret", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "secret", name: "uq_calendar_feeds_secret")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("calendar_feeds").delete()
    }
}
