import Fluent
import SQLKit

struct CreateOrders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("orders")
            .field("id", .string, .identifier(auto: false))
            .field("number", .string, .required)
            .field("number_value", .int64)
            .field("client_id", .int, .references("clients", "id", onDelete: .setNull))
            .field("address", .string, .required)
            .field("geo_lat", .int64)
            .field("geo_lng", .int64)
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime)
            .field("description", .string, .required, .sql(.default("")))
            .field("status", .string, .required)
            .field("manager_id", .int, .references("users", "id", onDelete: .setNull))
            .field("created_by_id", .int, .references("users", "id", onDelete: .setNull))
            .field("prepayment_amount", .int64, .required, .sql(.default(0)))
            .field("prepayment_status", .string, .required, .sql(.default("pending")))
            .field("total_amount", .int64, .required, .sql(.default(0)))
            .field("estimated_total", .int64, .required, .sql(.default(0)))
            .field("price_snapshot", .string, .required, .sql(.default("{}")))
            .field("attachments", .string, .required, .sql(.default("[]")))
            .field("meta", .string, .required, .sql(.default("{}")))
            .field("started_at", .datetime)
            .field("completed_at", .datetime)
            .field("search_text", .string, .required, .sql(.default("")))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number", name: "uq_orders_number")
            .create()

        try await database.schema("order_items")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("position", .int, .required, .sql(.default(0)))
            .field("item_type", .string, .required)
            .field("ref_id", .int)
            .field("name_snapshot", .string, .required, .sql(.default("")))
            .field("quantity", .int64, .required, .sql(.default(100)))
            .field("unit", .string, .required, .sql(.default("")))
            .field("unit_price", .int64, .required, .sql(.default(0)))
            .field("manual_price", .bool, .required, .sql(.default(false)))
            .field("tax_rate", .int64, .required, .sql(.default(0)))
            .field("discount", .int64, .required, .sql(.default(0)))
            .field("fuel_expense", .int64)
            .field("repair_expense", .int64)
            .field("metadata", .string, .required, .sql(.default("{}")))
            .create()

        try await database.schema("order_operators")
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .restrict))
            .compositeIdentifier(over: "order_id", "user_id")
            .create()

        try await database.schema("order_status_logs")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("from_status", .string, .required, .sql(.default("")))
            .field("to_status", .string, .required)
            .field("actor_id", .int, .references("users", "id", onDelete: .setNull))
            .field("comment", .string, .required, .sql(.default("")))
            .field("attachment_url", .string, .required, .sql(.default("")))
            .field("created_at", .datetime, .required)
            .create()

        // One row per machine or operator held by an active order; the double-booking guard.
        try await database.schema("bookings")
            .field("id", .int, .identifier(auto: true))
            .field("order_id", .string, .required, .references("orders", "id", onDelete: .cascade))
            .field("resource_type", .string, .required)
            .field("resource_id", .int, .required)
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime, .required)
            .create()

        let sql = try database.sql()
        for statement in [
            "CREATE INDEX ix_orders_status ON orders (status)",
            "CREATE INDEX ix_orders_start ON orders (start_at)",
            "CREATE INDEX ix_orders_created ON orders (created_at)",
            "CREATE INDEX ix_orders_client ON orders (client_id)",
            "CREATE INDEX ix_orders_manager ON orders (manager_id)",
            "CREATE INDEX ix_orders_number_value ON orders (number_value)",
            "CREATE INDEX ix_order_items_order ON order_items (order_id, position)",
            "CREATE INDEX ix_order_operators_user ON order_operators (user_id)",
            "CREATE INDEX ix_status_logs_order ON order_status_logs (order_id, created_at)",
            "CREATE INDEX ix_bookings_resource ON bookings (resource_type, resource_id, start_at)",
            "CREATE INDEX ix_bookings_order ON bookings (order_id)",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["bookings", "order_status_logs", "order_operators", "order_items", "orders"] {
            try await database.schema(table).delete()
        }
    }
}
