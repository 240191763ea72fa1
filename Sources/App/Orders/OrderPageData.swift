import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// Reads what the order pages show, with a fixed number of plain SQL queries per page.
struct OrderPageData {
    let sql: any SQLDatabase
    let timeZone: TimeZone

    init(context: ServiceContext) throws {
        sql = try context.db.sql()
        timeZone = context.timeZone
    }

    init(sql: any SQLDatabase, timeZone: TimeZone) {
        self.sql = sql
        self.timeZone = timeZone
    }

    // MARK: - Lists

    /// List cards for the given orders, in the given order (`OrderQueries.summaries`).
    func summaries(_ ids: [String]) async throws -> [OrderSummary] {
        try await OrderQueries(sql: sql, timeZone: timeZone).summaries(ids).map { card in
            OrderSummary(
                id: card.id, number: card.number, status: OrderStatus(rawValue: card.status) ?? .created,
                clientName: card.clientName, address: card.address, start: card.startAt, end: card.endAt,
                total: card.totalAmount, operatorNames: card.operatorNames)
        }
    }

    static func fullName(_ first: String, _ last: String, phone: String) -> String {
        let name = "\(first) \(last)".trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? phone : name
    }

    // MARK: - Detail

    struct Detail {
        var client: OrderDetailModel.Client?
        var clientAddress: String
        var manager: OrderDetailModel.Person?
        var operators: [(id: Int, person: OrderDetailModel.Person)]
        var lines: [(id: Int, line: OrderLine)]
        var history: [OrderDetailModel.StatusChange]
    }

    /// What the order pages show besides the order row, from its `OrderDetails`.
    func detail(of order: OrderRecord) async throws -> Detail {
        guard let details = try await OrderQueries(sql: sql, timeZone: timeZone).details([order.id]).first else {
            return Detail(client: nil, clientAddress: "", manager: nil, operators: [], lines: [], history: [])
        }
        return Self.detail(details)
    }

    static func detail(_ details: OrderDetails) -> Detail {
        let client = details.client.map { OrderDetailModel.Client(name: $0.name, phone: $0.phone, email: $0.email) }
        let history = details.logs.map { log in
            OrderDetailModel.StatusChange(
                from: OrderStatus(rawValue: log.from), to: OrderStatus(rawValue: log.to) ?? .created,
                actorName: log.actor?.displayName, comment: log.comment, at: log.createdAt)
        }
        return Detail(
            client: client, clientAddress: details.client?.address ?? "",
            manager: details.manager.map { OrderDetailModel.Person(name: $0.displayName, phone: $0.phone) },
            operators: details.operators.map {
                ($0.id, OrderDetailModel.Person(name: $0.displayName, phone: $0.phone))
            },
            lines: details.items.map { ($0.id, $0.pricedLine) }, history: history)
    }

    /// The order's lines as the detail page shows them, with the server-computed line totals.
    static func detailLines(_ order: OrderRecord, lines: [OrderLine]) -> [OrderDetailModel.Line] {
        let snapshot = OrderService.snapshot(for: order, lines: lines)
        return lines.enumerated().map { index, line in
            let total = index < snapshot.positions.count ? snapshot.positions[index].lineTotal.kopecks : 0
            return OrderDetailModel.Line(
                name: line.name, kind: line.itemType, quantityText: quantityText(line), unitPrice: line.unitPrice,
                discountPercent: NSDecimalNumber(decimal: Scaled.toDecimal(line.discount, scale: 2)).doubleValue,
                total: total, fuelExpense: line.fuelExpense, repairExpense: line.repairExpense)
        }
    }

    /// «1 смена, 8 ч», «2,5 м³», «1 усл.».
    static func quantityText(_ line: OrderLine) -> String {
        if line.itemType == .equipment, line.shifts != nil || line.hours != nil {
            var parts: [String] = []
            let shifts = NSDecimalNumber(decimal: line.shifts ?? 0).intValue
            let hours = NSDecimalNumber(decimal: line.hours ?? 0).doubleValue
            if shifts > 0 { parts.append(RussianFormat.shifts(shifts)) }
            if hours > 0 || parts.isEmpty { parts.append(RussianFormat.hours(hours)) }
            return parts.joined(separator: ", ")
        }
        let quantity = RussianFormat.decimal(Scaled.toDecimal(line.quantity, scale: 2))
        return quantity + RussianFormat.unitSeparator + unitLabel(line.unit)
    }

    /// Stored unit codes in Russian.
    static func unitLabel(_ unit: String) -> String { CatalogUnit.label(unit) }

    // MARK: - Form choices

    func clientOptions() async throws -> [OrderFormModel.ClientOption] {
        try await sql.select().columns("id", "name", "phone", "address").from("clients")
            .where("is_active", .equal, true).orderBy("name").limit(1000).all()
            .map { row in
                OrderFormModel.ClientOption(
                    id: String(try row.decode(column: "id", as: Int.self)),
                    name: try row.decode(column: "name", as: String.self),
                    phone: try row.decode(column: "phone", as: String.self),
                    address: try row.decode(column: "address", as: String.self))
            }
    }

    func operatorOptions() async throws -> [OrderFormModel.OperatorOption] {
        try await sql.select().columns("id", "first_name", "last_name", "phone").from("users")
            .where("role", .equal, Role.operator.rawValue).where("is_active", .equal, true)
            .orderBy("first_name").orderBy("last_name").all()
            .map { row in
                let phone = try row.decode(column: "phone", as: String.self)
                return OrderFormModel.OperatorOption(
                    id: String(try row.decode(column: "id", as: Int.self)),
                    name: Self.fullName(
                        try row.decode(column: "first_name", as: String.self),
                        try row.decode(column: "last_name", as: String.self), phone: phone),
                    phone: phone)
            }
    }

    /// Active catalogue materials, by name (the completion form's «Добавить материал»).
    func materialOptions() async throws -> [OrderFormModel.CatalogOption] {
        try await priced(.material, from: "materials")
    }

    /// Active services or materials: name, unit and unit price.
    private func priced(_ kind: ItemType, from table: String) async throws -> [OrderFormModel.CatalogOption] {
        try await sql.select().columns("id", "name", "unit", "price").from(table)
            .where("is_active", .equal, true).orderBy("name").all()
            .map { row in
                OrderFormModel.CatalogOption(
                    kind: kind, id: String(try row.decode(column: "id", as: Int.self)),
                    name: try row.decode(column: "name", as: String.self),
                    unit: Self.unitLabel(try row.decode(column: "unit", as: String.self)),
                    price: try row.decode(column: "price", as: Int64?.self))
            }
    }

    func catalogOptions() async throws -> [OrderFormModel.CatalogOption] {
        var options: [OrderFormModel.CatalogOption] = []
        for row in try await sql.select().columns("id", "code", "name", "hourly_rate", "daily_rate").from("equipment")
            .where("status", .notEqual, "inactive").orderBy("name").all()
        {
            options.append(
                OrderFormModel.CatalogOption(
                    kind: .equipment, id: String(try row.decode(column: "id", as: Int.self)),
                    name: try row.decode(column: "name", as: String.self),
                    code: try row.decode(column: "code", as: String.self),
                    unit: "ч", price: try row.decode(column: "hourly_rate", as: Int64.self),
                    dailyRate: try row.decode(column: "daily_rate", as: Int64?.self)))
        }
        options += try await priced(.service, from: "services")
        options += try await priced(.material, from: "materials")
        for row in try await sql.select().columns("id", "name", "price").from("attachments")
            .where("status", .notEqual, "inactive").orderBy("name").all()
        {
            options.append(
                OrderFormModel.CatalogOption(
                    kind: .attachment, id: String(try row.decode(column: "id", as: Int.self)),
                    name: try row.decode(column: "name", as: String.self), unit: "шт",
                    price: try row.decode(column: "price", as: Int64.self)))
        }
        return options
    }
}
