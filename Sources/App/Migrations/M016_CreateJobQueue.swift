import Fluent
import SQLKit

/// The durable job queue (`jobs`): see `JobRunner` for the claiming protocol.
struct CreateJobQueue: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("payload", .string, .required, .sql(.default("{}")))
            .field("status", .string, .required, .sql(.default("queued")))
            .field("attempts", .int, .required, .sql(.default(0)))
            .field("max_attempts", .int, .required, .sql(.default(5)))
            .field("run_at", .datetime, .required)
            .field("locked_by", .string)
            .field("lock_token", .string)
            .field("locked_until", .datetime)
            .field("last_error", .string, .required, .sql(.default("")))
            .field("result", .string)
            .field("unique_key", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "unique_key", name: "uq_jobs_unique_key")
            .create()
        let sql = try database.sql()
        try await sql.raw("CREATE INDEX ix_jobs_due ON jobs (status, run_at)").run()
        try await sql.raw("CREATE INDEX ix_jobs_updated ON jobs (updated_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}
