import Fluent
import SQLKit

/// Photo evidence per order (before / after / incident), with the file in `FileStorage` under `storage_key`.
struct CreateOrderPhotos: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("order_photos")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("uploaded_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("photo_type", .string, .required, .sql(.default("before")))
            .field("storage_key", .string, .required)
            .field("content_type", .string, .required)
            .field("size_bytes", .int64, .required)
            .field("original_name", .string, .required, .sql(.default("")))
            .field("gps_lat", .int64)
            .field("gps_lng", .int64)
            .field("captured_at", .datetime)
            .field("notes", .string, .required, .sql(.default("")))
            .field("metadata", .string, .required, .sql(.default("{}")))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "storage_key", name: "uq_order_photos_storage_key")
            .create()
        try await database.sql().raw("CREATE INDEX ix_order_photos_order ON order_photos (order_id, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("order_photos").delete()
    }
}
