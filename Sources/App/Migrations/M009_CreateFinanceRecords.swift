import Fluent
import SQLKit

struct CreateFinanceRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("salary_records")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .restrict))
            .field("order_id", .string, .references("orders", "id", onDelete: .setNull))
            .field("hours_worked", .int64, .required, .sql(.default(0)))
            .field("rate_type", .string, .required, .sql(.default("fixed")))
            .field("rate_value", .int64, .required, .sql(.default(0)))
            .field("amount", .int64, .required, .sql(.default(0)))
            .field("status", .string, .required, .sql(.default("pending")))
            .field("paid_at", .datetime)
            .field("notes", .string, .required, .sql(.default("")))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id", "order_id", name: "uq_salary_records_user_order")
            .create()

        try await database.schema("expenses")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .references("orders", "id", onDelete: .setNull))
            .field("equipment_id", .int, .references("equipment", "id", onDelete: .setNull))
            .field("reported_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("category", .string, .required, .sql(.default("other")))
            .field("amount", .int64, .required)
            .field("date", .string, .required)
            .field("comment", .string, .required, .sql(.default("")))
            .field("attachment_url", .string, .required, .sql(.default("")))
            .field("source_key", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "source_key", name: "uq_expenses_source_key")
            .create()
        let sql = try database.sql()
        try await sql.raw("CREATE INDEX ix_salary_records_order ON salary_records (order_id)").run()
        try await sql.raw("CREATE INDEX ix_expenses_order ON expenses (order_id)").run()
        try await sql.raw("CREATE INDEX ix_expenses_date ON expenses (date)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("expenses").delete()
        try await database.schema("salary_records").delete()
    }
}
