import Fluent

/// `display_quantity` and `display_unit` stored with each line, as `line_total` already is, so that reading
/// an order (the hottest request) never re-prices its lines. Existing lines are priced once here; their other
/// stored figures are left as they are.
struct AddOrderItemDisplayFigures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("order_items")
            .field("display_quantity", .string, .required, .sql(.default("")))
            .update()
        try await database.schema("order_items")
            .field("display_unit", .string, .required, .sql(.default("")))
            .update()
        try await LineFiguresRefresh.run(on: database, columns: ["display_quantity", "display_unit"])
    }

    func revert(on database: any Database) async throws {
        try await database.schema("order_items").deleteField("display_unit").update()
        try await database.schema("order_items").deleteField("display_quantity").update()
    }
}
