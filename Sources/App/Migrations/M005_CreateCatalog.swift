import Fluent
import SQLKit

// Money columns hold kopecks (BIGINT); other decimals hold hundredths, coordinates millionths.

struct CreateCatalog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("equipment")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required, .sql(.default("")))
            .field("hourly_rate", .int64, .required)
            .field("daily_rate", .int64)
            .field("fuel_consumption", .int64)
            .field("status", .string, .required, .sql(.default("available")))
            .field("photos", .string, .required, .sql(.default("[]")))
            .field("last_maintenance_date", .string)
            .field("attributes", .string, .required, .sql(.default("{}")))
            .field("search_text", .string, .required, .sql(.default("")))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code", name: "uq_equipment_code")
            .create()

        try await database.schema("service_categories")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("description", .string, .required, .sql(.default("")))
            .field("sort_order", .int, .required, .sql(.default(0)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "name", name: "uq_service_categories_name")
            .create()

        try await database.schema("services")
            .field("id", .int, .identifier(auto: true))
            .field("category_id", .int, .required, .references("service_categories", "id", onDelete: .restrict))
            .field("name", .string, .required)
            .field("unit", .string, .required, .sql(.default("hour")))
            .field("price", .int64)
            .field("default_duration", .int64)
            .field("included_items", .string, .required, .sql(.default("[]")))
            .field("is_active", .bool, .required, .sql(.default(true)))
            .field("search_text", .string, .required, .sql(.default("")))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        try await database.schema("materials")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("category", .string, .required, .sql(.default("soil")))
            .field("unit", .string, .required, .sql(.default("m3")))
            .field("price", .int64, .required)
            .field("density", .int64)
            .field("supplier", .string, .required, .sql(.default("")))
            .field("is_active", .bool, .required, .sql(.default(true)))
            .field("search_text", .string, .required, .sql(.default("")))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        try await database.schema("attachments")
            .field("id", .int, .identifier(auto: true))
            .field("equipment_id", .int, .required, .references("equipment", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("price", .int64, .required, .sql(.default(0)))
            .field("status", .string, .required, .sql(.default("available")))
            .field("metadata", .string, .required, .sql(.default("{}")))
            .field("search_text", .string, .required, .sql(.default("")))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = try database.sql()
        try await sql.raw("CREATE INDEX ix_services_category ON services (category_id)").run()
        try await sql.raw("CREATE INDEX ix_attachments_equipment ON attachments (equipment_id)").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["attachments", "materials", "services", "service_categories", "equipment"] {
            try await database.schema(table).delete()
        }
    }
}
