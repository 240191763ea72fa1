import Fluent
import SQLKit

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
