import Domain
import Fluent
import Foundation
import SQLKit

/// Per-line figures the reports sum in SQL (docs/domain-rules.md#line-figures): the priced amount, hours, shifts
/// and the revenue group a line belongs to. Written by `OrderStore.replaceLines` whenever lines are priced.
///
/// Hours and shifts are hundredths (`300` = 3.00 h); `booked_hours` counts a shift as the pricing threshold
/// (8 h). `revenue_group` is `equipment`, `services` (services, soil and tool materials) or `attachments`
/// (attachments and attachment materials).
struct AddOrderItemReportFigures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("order_items")
            .field("line_total", .int64, .required, .sql(.default(0)))
            .update()
        try await database.schema("order_items")
            .field("hours", .int64, .required, .sql(.default(0)))
            .update()
        try await database.schema("order_items")
            .field("shifts", .int64, .required, .sql(.default(0)))
            .update()
        try await database.schema("order_items")
            .field("booked_hours", .int64, .required, .sql(.default(0)))
            .update()
        try await database.schema("order_items")
            .field("revenue_group", .string, .required, .sql(.default("services")))
            .update()
        try await backfill(try database.sql())
    }

    /// Prices the lines that existed before this migration, one order at a time.
    private func backfill(_ sql: any SQLDatabase) async throws {
        var lastID = ""
        while true {
            let orders = try await sql.select().columns("id", "start_at", "end_at").from("orders")
                .where("id", .greaterThan, lastID).orderBy("id").limit(500).all()
            guard let last = orders.last else { return }
            lastID = try last.decode(column: "id", as: String.self)
            for order in orders {
                let orderID = try order.decode(column: "id", as: String.self)
                let start = try order.decode(column: "start_at", as: Date.self)
                let end = try order.decode(column: "end_at", as: Date?.self)
                let context = PricingContext(start: start, end: end, referenceTime: end ?? start)
                let lines = try await sql.select()
                    .columns(
                        "id", "item_type", "name_snapshot", "quantity", "unit", "unit_price", "tax_rate",
                        "discount", "metadata"
                    )
                    .from("order_items").where("order_id", .equal, orderID).all()
                for line in lines {
                    let metadata =
                        JSONValue.parse(try line.decode(column: "metadata", as: String.self))?
                        .objectValue ?? [:]
                    let item = PricingItem(
                        name: try line.decode(column: "name_snapshot", as: String.self),
                        itemType: ItemType(rawValue: try line.decode(column: "item_type", as: String.self)) ?? .service,
                        quantity: Scaled.toDecimal(try line.decode(column: "quantity", as: Int64.self), scale: 2),
                        unitPrice: Scaled.toDecimal(try line.decode(column: "unit_price", as: Int64.self), scale: 2),
                        taxRate: Scaled.toDecimal(try line.decode(column: "tax_rate", as: Int64.self), scale: 2),
                        discount: Scaled.toDecimal(try line.decode(column: "discount", as: Int64.self), scale: 2),
                        shifts: metadata["shifts"]?.decimalValue, hours: metadata["hours"]?.decimalValue,
                        dailyRate: metadata["daily_rate"]?.decimalValue,
                        billingMode: metadata["billing_mode"]?.stringValue, note: metadata["note"]?.stringValue,
                        unit: try line.decode(column: "unit", as: String.self))
                    let figures = LineFigures(
                        item, materialCategory: metadata["material_category"]?.stringValue, context: context)
                    try await sql.update("order_items")
                        .set("line_total", to: figures.lineTotal.kopecks)
                        .set("hours", to: Scaled.toInt(figures.hours, scale: 2))
                        .set("shifts", to: Scaled.toInt(figures.shifts, scale: 2))
                        .set("booked_hours", to: Scaled.toInt(figures.bookedHours, scale: 2))
                        .set("revenue_group", to: figures.revenueGroup.rawValue)
                        .where("id", .equal, try line.decode(column: "id", as: Int.self)).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["revenue_group", "booked_hours", "shifts", "hours", "line_total"] {
            try await database.schema("order_items").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}
