import Fluent
import SQLKit

// Money columns hold kopecks (BIGINT); other decimals hold hundredths, coordinates millionths.

struct CreateClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("clients")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("contact_person", .string, .required, .sql(.default("")))
            .field("phone", .string, .required)
            .field("email", .string, .required, .sql(.default("")))
            .field("address", .string, .required, .sql(.default("")))
            .field("city", .string, .required, .sql(.default("")))
            .field("geo_lat", .int64)
            .field("geo_lng", .int64)
            .field("billing_details", .string, .required, .sql(.default("{}")))
            .field("inn", .string, .required, .sql(.default("")))
            .field("kpp", .string, .required, .sql(.default("")))
            .field("notes", .string, .required, .sql(.default("")))
            .field("is_active", .bool, .required, .sql(.default(true)))
            .field("credit_limit", .int64)
            .field("search_text", .string, .required, .sql(.default("")))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.sql().raw("CREATE INDEX ix_clients_name ON clients (name)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("clients").delete()
    }
}
