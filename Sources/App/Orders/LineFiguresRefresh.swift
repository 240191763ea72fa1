import Domain
import Fluent
import Foundation
import SQLKit

/// Re-prices the stored `LineFigures` of every order line, a batch of orders per transaction. Used when a
/// migration adds a stored figure and by `ringo refresh-line-figures` (after lines were written by other
/// means, such as the benchmark's SQL seed).
enum LineFiguresRefresh {
    /// The number of orders refreshed. `columns` limits which stored figures are rewritten.
    @discardableResult
    static func run(
        on database: any Database, columns: Set<String> = Set(OrderStore.figureColumns), batchSize: Int = 500
    ) async throws -> Int {
        var lastID = ""
        var refreshed = 0
        while true {
            let orders = try await database.sql().select().columns("id", "start_at", "end_at").from("orders")
                .where("id", .greaterThan, lastID).orderBy("id").limit(batchSize).all()
            guard let last = orders.last else { return refreshed }
            lastID = try last.decode(column: "id", as: String.self)
            let contexts = try Dictionary(
                uniqueKeysWithValues: orders.map { row in
                    let start = try row.decode(column: "start_at", as: Date.self)
                    let end = try row.decode(column: "end_at", as: Date?.self)
                    return (
                        try row.decode(column: "id", as: String.self),
                        PricingContext(start: start, end: end, referenceTime: end ?? start)
                    )
                })
            try await database.transaction { transaction in
                let sql = try transaction.sql()
                let rows = try await sql.select()
                    .columns(
                        "order_id", "item_type", "ref_id", "name_snapshot", "quantity", "unit", "unit_price",
                        "manual_price", "tax_rate", "discount", "fuel_expense", "repair_expense", "metadata"
                    )
                    .from("order_items").where("order_id", .in, Array(contexts.keys))
                    .orderBy("order_id").orderBy("position").all()
                var lines: [String: [OrderLine]] = [:]
                for row in rows {
                    lines[try row.decode(column: "order_id", as: String.self), default: []].append(
                        try OrderLine(row: row))
                }
                let store = OrderStore(sql: sql)
                for (orderID, orderLines) in lines {
                    guard let context = contexts[orderID] else { continue }
                    try await store.refreshLineFigures(
                        of: orderID, lines: orderLines, pricedIn: context, columns: columns)
                }
            }
            refreshed += orders.count
        }
    }
}
