import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/expenses/`: fuel, repair, rent and other costs, linked to an order and/or a machine; for admins,
/// managers and accountants. Completion books the fuel and repair of each machine (one row per machine and
/// kind); everything else is entered here.
struct ExpensesAPIController {
    static let orderingFields: [String: String] = [
        "date": "e.date", "amount": "e.amount", "category": "e.category", "created_at": "e.created_at", "id": "e.id",
    ]

    /// `GET /expenses/?category=&order=&equipment=&reported_by=&date_from=&date_to=&search=&ordering=&page=`.
    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let sql = try req.db.sql()
        let store = ExpenseStore(sql: sql)
        let count = try await store.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let order = OrderingParser.orderBy(
            req.queryValues["ordering"], allowed: Self.orderingFields, fallback: ["-e.date", "-e.id"], then: "e.id DESC")
        let expenses = try await store.load(filter, order: order, limit: page.size, offset: page.offset)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginPage(count: count, links: links)
        for expense in expenses { ExpenseStore.write(expense, timeZone: timeZone, into: &writer) }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let expense = try await ExpenseStore(sql: try req.db.sql()).find(try req.intParameter())
        var writer = JSONWriter()
        ExpenseStore.write(expense, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let caller = try req.caller
        let body = try req.jsonObject()
        let expense = try await req.application.writeSerializer.transaction(on: req.db) { db in
            let sql = try db.sql()
            let values = try await Self.parse(body, current: nil, full: true, req: req, sql: sql)
            let id = try await ExpenseStore(sql: sql).insert(values, reportedBy: caller.id)
            let created = try await ExpenseStore(sql: sql).find(id)
            try await AuditRecorder(request: req, db: db).record(
                .create, entity: "expense", id: String(id), changes: AuditRecorder.created(created.auditFields))
            return created
        }
        var writer = JSONWriter()
        ExpenseStore.write(expense, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer, status: .created)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try req.intParameter()
        let body = try req.jsonObject()
        let full = req.method == .PUT
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let sql = try db.sql()
            let current = try await ExpenseStore(sql: sql).find(id)
            let values = try await Self.parse(body, current: current, full: full, req: req, sql: sql)
            try await ExpenseStore(sql: sql).update(id, with: values)
            let updated = try await ExpenseStore(sql: sql).find(id)
            let changes = AuditRecorder.diff(before: current.auditFields, after: updated.auditFields)
            if !changes.isEmpty {
                try await AuditRecorder(request: req, db: db).record(
                    .update, entity: "expense", id: String(id), changes: changes)
            }
        }
        return try await show(req: req)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let id = try req.intParameter()
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let sql = try db.sql()
            let current = try await ExpenseStore(sql: sql).find(id)
            try await ExpenseStore(sql: sql).delete(id)
            try await AuditRecorder(request: req, db: db).record(
                .delete, entity: "expense", id: String(id),
                changes: AuditRecorder.diff(before: current.auditFields, after: [:]))
        }
        return Response(status: .noContent)
    }

    // MARK: - Input

    private static func parse(
        _ body: [String: JSONValue], current: ExpenseStore.Expense?, full: Bool, req: Request, sql: any SQLDatabase
    ) async throws -> ExpenseStore.Values {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let timeZone = req.application.config.timeZone
        var values = ExpenseStore.Values(
            orderID: current?.orderID, equipmentID: current?.equipmentID, category: current?.category ?? .other,
            amount: current?.amount ?? 0, date: current?.date ?? ISOTime.day(of: Date(), in: timeZone),
            comment: current?.comment ?? "", attachmentURL: current?.attachmentURL ?? "")
        let orderKey = input.has("order") ? "order" : "order_id"
        if input.has(orderKey) {
            if input.isNull(orderKey) {
                values.orderID = nil
            } else if let raw = input.string(orderKey, maxLength: 64) {
                if let uuid = UUID(uuidString: raw),
                    try await ExpenseStore(sql: sql).orderExists(uuid.uuidString.lowercased())
                {
                    values.orderID = uuid.uuidString.lowercased()
                } else {
                    input.fail(orderKey, FieldMessage.missingObject(raw))
                }
            }
        }
        let equipmentKey = input.has("equipment") ? "equipment" : "equipment_id"
        if input.has(equipmentKey) {
            if input.isNull(equipmentKey) {
                values.equipmentID = nil
            } else if let id = input.int(equipmentKey, minimum: 1) {
                if try await ExpenseStore(sql: sql).equipmentExists(id) {
                    values.equipmentID = id
                } else {
                    input.fail(equipmentKey, FieldMessage.missingObject(String(id)))
                }
            }
        }
        if let category = input.choice("category", as: ExpenseCategory.self) { values.category = category }
        if let amount = input.kopecks("amount", required: full || current == nil, nullable: false) {
            if amount <= 0 {
                input.fail("amount", "Сумма расхода должна быть больше нуля.")
            } else {
                values.amount = amount
            }
        }
        if let date = input.day("date", required: full && current != nil) { values.date = date }
        if let comment = input.string("comment", maxLength: 10_000, nullable: true) { values.comment = comment }
        if let url = input.url("attachment_url") { values.attachmentURL = url }
        try input.validate()
        return values
    }

    private static func filter(_ req: Request) throws -> SQLQueryString {
        var errors: [String: [String]] = [:]
        var filter: SQLQueryString = "1 = 1"
        if let raw: String = req.queryValues["category"], !raw.isEmpty {
            let values = raw.split(separator: ",").map { $0.lowercased() }
            for value in values where ExpenseCategory(rawValue: value) == nil {
                errors["category", default: []].append(FieldMessage.choice(value))
            }
            filter += " AND e.category IN (\(binds: values))"
        }
        if let raw: String = req.queryValues["order"] ?? req.queryValues["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                filter += " AND e.order_id = \(bind: uuid.uuidString.lowercased())"
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        for (key, column) in [("equipment", "equipment_id"), ("reported_by", "reported_by_id")] {
            guard let raw: String = req.queryValues[key] ?? req.queryValues[key + "_id"], !raw.isEmpty else { continue }
            if let id = Int(raw) {
                filter += " AND \(SQLColumn(column, table: "e")) = \(bind: id)"
            } else {
                errors[key, default: []].append(FieldMessage.integer)
            }
        }
        for (key, isEnd) in [("date_from", false), ("date_to", true), ("from", false), ("to", true)] {
            guard let raw: String = req.queryValues[key], !raw.isEmpty else { continue }
            guard ISOTime.parseDay(raw) != nil else {
                errors[key, default: []].append(FieldMessage.date)
                continue
            }
            filter += isEnd ? " AND e.date <= \(bind: raw)" : " AND e.date >= \(bind: raw)"
        }
        if let search: String = req.queryValues["search"], !search.isEmpty {
            for term in search.split(whereSeparator: \.isWhitespace).prefix(8) {
                filter += " AND e.comment LIKE \(bind: "%" + SearchFilter.escapeLike(String(term)) + "%")"
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        return filter
    }

}
