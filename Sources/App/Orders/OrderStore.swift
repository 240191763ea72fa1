import Domain
import Foundation
import SQLKit

/// One row of `orders`, as the services work with it.
struct OrderRecord: Sendable {
    var id: String
    var number: String
    var clientID: Int?
    var address: String
    var geoLat: Int64?
    var geoLng: Int64?
    var startAt: Date
    var endAt: Date?
    var description: String
    var status: OrderStatus
    var managerID: Int?
    var createdByID: Int?
    var prepayment: Int64
    var prepaymentStatus: String
    var totalAmount: Int64
    var estimatedTotal: Int64
    var priceSnapshot: String
    var attachments: String
    var meta: String
    var startedAt: Date?
    var completedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    /// The fields the audit trail compares.
    var auditFields: [String: JSONValue] {
        [
            "number": .string(number), "client_id": clientID.map { .number(Decimal($0)) } ?? .null,
            "address": .string(address), "start_dt": .string(startAt.timeIntervalSince1970.description),
            "end_dt": endAt.map { .string($0.timeIntervalSince1970.description) } ?? .null,
            "description": .string(description), "status": .string(status.rawValue),
            "manager_id": managerID.map { .number(Decimal($0)) } ?? .null,
            "prepayment_amount": .string(Scaled.text(prepayment, scale: 2)),
            "prepayment_status": .string(prepaymentStatus),
            "total_amount": .string(Scaled.text(totalAmount, scale: 2)),
            "estimated_total": .string(Scaled.text(estimatedTotal, scale: 2)),
            "geo_lat": geoLat.map { .string(Scaled.text($0, scale: 6)) } ?? .null,
            "geo_lng": geoLng.map { .string(Scaled.text($0, scale: 6)) } ?? .null,
            "meta": JSONValue.parse(meta) ?? .null,
        ]
    }
}

/// Reads and writes the order tables with plain SQL.
struct OrderStore {
    let sql: any SQLDatabase

    static let columns = [
        "id", "number", "client_id", "address", "geo_lat", "geo_lng", "start_at", "end_at", "description", "status",
        "manager_id", "created_by_id", "prepayment_amount", "prepayment_status", "total_amount", "estimated_total",
        "price_snapshot", "attachments", "meta", "started_at", "completed_at", "created_at", "updated_at",
    ]

    /// The order; `locking` it (inside a write's transaction) makes a concurrent write of the same order wait for
    /// this one to commit and then read what it saved, instead of overwriting it with what it read before. SQLite
    /// needs no lock: its writes run one at a time.
    func load(_ id: String, locking: Bool = false) async throws -> OrderRecord? {
        let lock = locking && sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        let columns = Self.columns.joined(separator: ", ")
        let rows = try await FastRows(sql: sql).all(
            "SELECT \(unsafeRaw: columns) FROM orders WHERE id = \(bind: id)\(unsafeRaw: lock)")
        return try rows.first.map(OrderRecord.init(row:))
    }

    private func values(_ order: OrderRecord) -> [any SQLExpression] {
        [
            SQLBind(order.id), SQLBind(order.number), SQLBind(order.clientID), SQLBind(order.address),
            SQLBind(order.geoLat), SQLBind(order.geoLng), SQLBind(order.startAt), SQLBind(order.endAt),
            SQLBind(order.description), SQLBind(order.status.rawValue), SQLBind(order.managerID),
            SQLBind(order.createdByID), SQLBind(order.prepayment), SQLBind(order.prepaymentStatus),
            SQLBind(order.totalAmount), SQLBind(order.estimatedTotal), SQLBind(order.priceSnapshot),
            SQLBind(order.attachments), SQLBind(order.meta), SQLBind(order.startedAt), SQLBind(order.completedAt),
            SQLBind(order.createdAt), SQLBind(order.updatedAt),
        ]
    }

    func insert(_ order: OrderRecord, searchText: String) async throws {
        try await sql.insert(into: "orders")
            .columns(Self.columns + ["number_value", "search_text"])
            .values(values(order) + [SQLBind(Int64(order.number)), SQLBind(searchText)])
            .run()
    }

    /// Many new orders in one statement (the import of the original, docs/import.md); see `insert`.
    func insert(_ orders: [(order: OrderRecord, searchText: String)]) async throws {
        guard !orders.isEmpty else { return }
        var insert = sql.insert(into: "orders").columns(Self.columns + ["number_value", "search_text"])
        for (order, searchText) in orders {
            insert = insert.values(values(order) + [SQLBind(Int64(order.number)), SQLBind(searchText)])
        }
        try await insert.run()
    }

    func update(_ order: OrderRecord, searchText: String) async throws {
        var query = sql.update("orders")
        for (column, value) in zip(Self.columns, values(order)) where column != "id" {
            query = query.set(SQLColumn(column), to: value)
        }
        try await query.set("number_value", to: SQLBind(Int64(order.number)))
            .set("search_text", to: SQLBind(searchText))
            .where("id", .equal, order.id).run()
    }

    func lines(of orderID: String) async throws -> [OrderLine] {
        try await sql.select()
            .columns(
                "item_type", "ref_id", "name_snapshot", "quantity", "unit", "unit_price", "manual_price",
                "tax_rate", "discount", "fuel_expense", "repair_expense", "metadata"
            )
            .from("order_items").where("order_id", .equal, orderID).orderBy("position").all()
            .map { try OrderLine(row: $0) }
    }

    /// Replaces the order's lines. Each row also gets its `LineFigures` (what the reports sum and the order
    /// JSON shows), priced in `context`: the order as it is saved.
    func replaceLines(of orderID: String, with lines: [OrderLine], pricedIn context: PricingContext) async throws {
        try await sql.delete(from: "order_items").where("order_id", .equal, orderID).run()
        try await insertLines([(orderID, lines, context)])
    }

    private static let lineColumns =
        [
            "order_id", "position", "item_type", "ref_id", "name_snapshot", "quantity", "unit", "unit_price",
            "manual_price", "tax_rate", "discount", "fuel_expense", "repair_expense", "metadata",
        ] + figureColumns

    /// The lines of orders that have none yet, a few hundred rows per statement (the import inserts a page of
    /// orders at once); each row with its `LineFigures` priced in its order's `context`.
    func insertLines(_ orders: [(orderID: String, lines: [OrderLine], context: PricingContext)]) async throws {
        var rows: [[any SQLExpression]] = []
        for (orderID, lines, context) in orders {
            for (position, line) in lines.enumerated() {
                rows.append(
                    [
                        SQLBind(orderID), SQLBind(position), SQLBind(line.itemType.rawValue), SQLBind(line.refID),
                        SQLBind(line.name), SQLBind(line.quantity), SQLBind(line.unit), SQLBind(line.unitPrice),
                        SQLBind(line.manualPrice), SQLBind(line.taxRate), SQLBind(line.discount),
                        SQLBind(line.fuelExpense), SQLBind(line.repairExpense), SQLBind(line.metadataJSON),
                    ] + Self.figureValues(line.figures(in: context)))
            }
        }
        // 21 binds a row: 1,000 rows stay under SQLite's limit of 32,766.
        for chunk in rows.chunked(1_000) {
            var insert = sql.insert(into: "order_items").columns(Self.lineColumns)
            for row in chunk { insert = insert.values(row) }
            try await insert.run()
        }
    }

    /// Re-prices the stored figures of unchanged lines after the order's times changed (lines priced by the
    /// order's duration depend on them). `lines` are the order's lines in position order; `columns` limits
    /// which figures are written (a migration fills only the ones it adds).
    func refreshLineFigures(
        of orderID: String, lines: [OrderLine], pricedIn context: PricingContext,
        columns: Set<String> = Set(OrderStore.figureColumns)
    ) async throws {
        for (position, line) in lines.enumerated() {
            var update = sql.update("order_items")
            for (column, value) in zip(Self.figureColumns, Self.figureValues(line.figures(in: context)))
            where columns.contains(column) {
                update = update.set(SQLColumn(column), to: value)
            }
            try await update.where("order_id", .equal, orderID).where("position", .equal, position).run()
        }
    }

    static let figureColumns = [
        "line_total", "hours", "shifts", "booked_hours", "revenue_group", "display_quantity", "display_unit",
    ]

    private static func figureValues(_ figures: LineFigures) -> [any SQLExpression] {
        [
            SQLBind(figures.lineTotal.kopecks), SQLBind(Scaled.toInt(figures.hours, scale: 2)),
            SQLBind(Scaled.toInt(figures.shifts, scale: 2)), SQLBind(Scaled.toInt(figures.bookedHours, scale: 2)),
            SQLBind(figures.revenueGroup.rawValue), SQLBind(figures.displayQuantity), SQLBind(figures.displayUnit),
        ]
    }

    func operatorIDs(of orderID: String) async throws -> [Int] {
        try await sql.select().column("user_id").from("order_operators").where("order_id", .equal, orderID)
            .orderBy("user_id").all().map { try $0.decode(column: "user_id", as: Int.self) }
    }

    func replaceOperators(of orderID: String, with userIDs: [Int]) async throws {
        try await sql.delete(from: "order_operators").where("order_id", .equal, orderID).run()
        guard !userIDs.isEmpty else { return }
        var insert = sql.insert(into: "order_operators").columns("order_id", "user_id")
        for userID in Set(userIDs).sorted() { insert = insert.values(SQLBind(orderID), SQLBind(userID)) }
        try await insert.run()
    }

    func insertLog(
        orderID: String, from: OrderStatus?, to: OrderStatus, actorID: Int?, comment: String, attachmentURL: String = ""
    ) async throws {
        try await sql.insert(into: "order_status_logs")
            .columns("order_id", "from_status", "to_status", "actor_id", "comment", "attachment_url", "created_at")
            .values(
                SQLBind(orderID), SQLBind(from?.rawValue ?? ""), SQLBind(to.rawValue), SQLBind(actorID),
                SQLBind(comment), SQLBind(attachmentURL), SQLBind(Date())
            )
            .run()
    }

    /// The next free `000001`-style number. Callers hold the numbering lock (see `OrderService`).
    func nextNumber() async throws -> String {
        let row = try await sql.raw("SELECT COALESCE(MAX(number_value), 0) + 1 AS next FROM orders").first()
        let next = try row?.decode(column: "next", as: Int64.self) ?? 1
        let text = String(next)
        return text.count >= 6 ? text : String(repeating: "0", count: 6 - text.count) + text
    }

    func numberExists(_ number: String, except orderID: String? = nil) async throws -> Bool {
        var query = sql.select().column("id").from("orders").where("number", .equal, number)
        if let orderID { query = query.where("id", .notEqual, orderID) }
        return try await query.first() != nil
    }

    func deleteOrder(_ orderID: String) async throws {
        try await sql.delete(from: "expenses").where("order_id", .equal, orderID).run()
        try await sql.delete(from: "salary_records").where("order_id", .equal, orderID).run()
        try await sql.delete(from: "payments").where("order_id", .equal, orderID).run()
        try await sql.delete(from: "invoices").where("order_id", .equal, orderID).run()
        for table in ["bookings", "order_status_logs", "order_operators", "order_items", "order_photos"] {
            try await sql.delete(from: table).where("order_id", .equal, orderID).run()
        }
        try await sql.delete(from: "orders").where("id", .equal, orderID).run()
    }
}
