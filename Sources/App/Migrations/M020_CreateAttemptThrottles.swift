import Fluent
import SQLKit

/// Sign-in, password-change and registration attempts per key (see `AttemptThrottle`).
struct CreateAttemptThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attempt_throttles")
            .field("throttle_key", .string, .identifier(auto: false))
            .field("attempts", .int, .required)
            .field("blocked_until", .datetime)
            .field("last_attempt_at", .datetime, .required)
            .field("version", .int, .required)
            .create()
        try await database.sql().raw(
            "CREATE INDEX ix_attempt_throttles_last_attempt ON attempt_throttles (last_attempt_at)"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attempt_throttles").delete()
    }
}
