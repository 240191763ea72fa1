import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/expenses/`: fuel, repair, rent and other costs, linked to an order and/or a machine; for admins,
/// managers and accountants. Completion books the fuel and repair of each machine (one row per machine and
/// kind); everything else is entered here.
struct ExpensesAPIController {
    struct Expense {
        var id: Int
        var orderID: String?
        var orderNumber: String?
        var equipmentID: Int?
        var equipmentName: String?
        var reportedByID: Int?
        var reportedByName: String?
        var category: ExpenseCategory
        var amount: Int64
        var date: String
        var comment: String
        var attachmentURL: String
        var bookedAtCompletion: Bool
        var createdAt: Date
        var updatedAt: Date

        var auditFields: [String: JSONValue] {
            [
                "order_id": orderID.map(JSONValue.string) ?? .null,
                "equipment_id": equipmentID.map { .number(Decimal($0)) } ?? .null,
                "category": .string(category.rawValue), "amount": .string(FinanceJSON.money(amount)),
                "date": .string(date), "comment": .string(comment), "attachment_url": .string(attachmentURL),
            ]
        }
    }

    static let orderingFields: [String: String] = [
        "date": "e.date", "amount": "e.amount", "category": "e.category", "created_at": "e.created_at", "id": "e.id",
    ]

    /// `GET /expenses/?category=&order=&equipment=&reported_by=&date_from=&date_to=&search=&ordering=&page=`.
    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let sql = try req.db.sql()
        var countQuery: SQLQueryString = "SELECT COUNT(*) AS n FROM expenses e WHERE "
        countQuery += filter
        let count = try await sql.raw(countQuery).first()?.decode(column: "n", as: Int.self) ?? 0
        try PageLinks.checkInRange(page, count: count)
        var order: SQLQueryString = ""
        for (column, descending) in OrderingParser.parse(
            req.query["ordering"], allowed: Self.orderingFields, fallback: ["-e.date", "-e.id"])
        {
            order += "\(unsafeRaw: column) \(unsafeRaw: descending ? "DESC" : "ASC"), "
        }
        order += "e.id DESC"
        let expenses = try await Self.load(filter, order: order, limit: page.size, offset: page.offset, sql: sql)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginObject()
        writer.field("count", count)
        writer.field("next", links.next)
        writer.field("previous", links.previous)
        writer.key("results")
        writer.beginArray()
        for expense in expenses { Self.write(expense, timeZone: timeZone, into: &writer) }
        writer.endArray()
        writer.endObject()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let expense = try await Self.find(try req.intParameter(), sql: try req.db.sql())
        var writer = JSONWriter()
        Self.write(expense, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let caller = try req.caller
        let body = try req.jsonObject()
        let id = try await req.application.writeSerializer.run {
            try await req.db.transaction { db in
                let sql = try db.sql()
                let values = try await Self.parse(body, current: nil, full: true, req: req, sql: sql)
                let now = Date()
                let row = try await sql.insert(into: "expenses")
                    .columns("order_id", "equipment_id", "reported_by_id", "category", "amount", "date", "comment",
                        "attachment_url", "created_at", "updated_at")
                    .values(
                        SQLBind(values.orderID), SQLBind(values.equipmentID), SQLBind(caller.id),
                        SQLBind(values.category.rawValue), SQLBind(values.amount), SQLBind(values.date),
                        SQLBind(values.comment), SQLBind(values.attachmentURL), SQLBind(now), SQLBind(now))
                    .returning("id").first()
                let id = try row?.decode(column: "id", as: Int.self) ?? 0
                let created = try await Self.find(id, sql: sql)
                try await AuditRecorder(request: req, db: db).record(
                    .create, entity: "expense", id: String(id), changes: AuditRecorder.created(created.auditFields))
                return id
            }
        }
        let expense = try await Self.find(id, sql: try req.db.sql())
        var writer = JSONWriter()
        Self.write(expense, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer, status: .created)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try req.intParameter()
        let body = try req.jsonObject()
        let full = req.method == .PUT
        try await req.application.writeSerializer.run {
            try await req.db.transaction { db in
                let sql = try db.sql()
                let current = try await Self.find(id, sql: sql)
                let values = try await Self.parse(body, current: current, full: full, req: req, sql: sql)
                try await sql.update("expenses")
                    .set("order_id", to: SQLBind(values.orderID)).set("equipment_id", to: SQLBind(values.equipmentID))
                    .set("category", to: SQLBind(values.category.rawValue)).set("amount", to: SQLBind(values.amount))
                    .set("date", to: SQLBind(values.date)).set("comment", to: SQLBind(values.comment))
                    .set("attachment_url", to: SQLBind(values.attachmentURL)).set("updated_at", to: SQLBind(Date()))
                    .where("id", .equal, id).run()
                let updated = try await Self.find(id, sql: sql)
                let changes = AuditRecorder.diff(before: current.auditFields, after: updated.auditFields)
                if !changes.isEmpty {
                    try await AuditRecorder(request: req, db: db).record(.update, entity: "expense", id: String(id), changes: changes)
                }
            }
        }
        return try await show(req: req)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let id = try req.intParameter()
        try await req.application.writeSerializer.run {
            try await req.db.transaction { db in
                let sql = try db.sql()
                let current = try await Self.find(id, sql: sql)
                try await sql.delete(from: "expenses").where("id", .equal, id).run()
                try await AuditRecorder(request: req, db: db).record(
                    .delete, entity: "expense", id: String(id),
                    changes: AuditRecorder.diff(before: current.auditFields, after: [:]))
            }
        }
        return Response(status: .noContent)
    }

    // MARK: - Input

    private struct Values {
        var orderID: String?
        var equipmentID: Int?
        var category: ExpenseCategory
        var amount: Int64
        var date: String
        var comment: String
        var attachmentURL: String
    }

    private static func parse(
        _ body: [String: JSONValue], current: Expense?, full: Bool, req: Request, sql: any SQLDatabase
    ) async throws -> Values {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let timeZone = req.application.config.timeZone
        var values = Values(
            orderID: current?.orderID, equipmentID: current?.equipmentID, category: current?.category ?? .other,
            amount: current?.amount ?? 0, date: current?.date ?? ISOTime.day(of: Date(), in: timeZone),
            comment: current?.comment ?? "", attachmentURL: current?.attachmentURL ?? "")
        let orderKey = input.has("order") ? "order" : "order_id"
        if input.has(orderKey) {
            if input.isNull(orderKey) {
                values.orderID = nil
            } else if let raw = input.string(orderKey, maxLength: 64) {
                if let uuid = UUID(uuidString: raw),
                    try await sql.select().column("id").from("orders").where("id", .equal, uuid.uuidString.lowercased())
                        .first() != nil
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
                if try await sql.select().column("id").from("equipment").where("id", .equal, id).first() != nil {
                    values.equipmentID = id
                } else {
                    input.fail(equipmentKey, FieldMessage.missingObject(String(id)))
                }
            }
        }
        if let category = input.choice("category", as: ExpenseCategory.self) { values.category = category }
        if let amount = input.kopecks("amount", required: full || current == nil, nullable: false) {
            if amount <= 0 { input.fail("amount", "Сумма расхода должна быть больше нуля.") } else { values.amount = amount }
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
        if let raw: String = req.query["category"], !raw.isEmpty {
            let values = raw.split(separator: ",").map { $0.lowercased() }
            for value in values where ExpenseCategory(rawValue: value) == nil {
                errors["category", default: []].append(FieldMessage.choice(value))
            }
            filter += " AND e.category IN (\(binds: values))"
        }
        if let raw: String = req.query["order"] ?? req.query["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                filter += " AND e.order_id = \(bind: uuid.uuidString.lowercased())"
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        for (key, column) in [("equipment", "equipment_id"), ("reported_by", "reported_by_id")] {
            guard let raw: String = req.query[key] ?? req.query[key + "_id"], !raw.isEmpty else { continue }
            if let id = Int(raw) {
                filter += " AND \(SQLColumn(column, table: "e")) = \(bind: id)"
            } else {
                errors[key, default: []].append(FieldMessage.integer)
            }
        }
        for (key, isEnd) in [("date_from", false), ("date_to", true), ("from", false), ("to", true)] {
            guard let raw: String = req.query[key], !raw.isEmpty else { continue }
            guard ISOTime.parseDay(raw) != nil else {
                errors[key, default: []].append(FieldMessage.date)
                continue
            }
            filter += isEnd ? " AND e.date <= \(bind: raw)" : " AND e.date >= \(bind: raw)"
        }
        if let search: String = req.query["search"], !search.isEmpty {
            for term in search.split(whereSeparator: \.isWhitespace).prefix(8) {
                filter += " AND e.comment LIKE \(bind: "%" + SearchFilter.escapeLike(String(term)) + "%")"
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        return filter
    }

    // MARK: - Reading

    static func find(_ id: Int, sql: any SQLDatabase) async throws -> Expense {
        guard let expense = try await load("e.id = \(bind: id)", order: "e.id", limit: 1, offset: 0, sql: sql).first
        else { throw APIError.notFound() }
        return expense
    }

    private static func load(
        _ filter: SQLQueryString, order: SQLQueryString, limit: Int, offset: Int, sql: any SQLDatabase
    ) async throws -> [Expense] {
        var query: SQLQueryString = """
            SELECT e.id, e.order_id, o.number AS order_number, e.equipment_id, eq.name AS equipment_name,
                   e.reported_by_id, u.first_name AS reporter_first_name, u.last_name AS reporter_last_name,
                   e.category, e.amount, e.date, e.comment, e.attachment_url, e.source_key, e.created_at, e.updated_at
            FROM expenses e
            LEFT JOIN orders o ON o.id = e.order_id
            LEFT JOIN equipment eq ON eq.id = e.equipment_id
            LEFT JOIN users u ON u.id = e.reported_by_id
            WHERE 
            """
        query += filter
        query += " ORDER BY "
        query += order
        query += " LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await sql.raw(query).all().map { row in
            let first = try row.decode(column: "reporter_first_name", as: String?.self)
            let last = try row.decode(column: "reporter_last_name", as: String?.self)
            return Expense(
                id: try row.decode(column: "id", as: Int.self),
                orderID: try row.decode(column: "order_id", as: String?.self),
                orderNumber: try row.decode(column: "order_number", as: String?.self),
                equipmentID: try row.decode(column: "equipment_id", as: Int?.self),
                equipmentName: try row.decode(column: "equipment_name", as: String?.self),
                reportedByID: try row.decode(column: "reported_by_id", as: Int?.self),
                reportedByName: first.map { "\($0) \(last ?? "")".trimmingCharacters(in: .whitespaces) },
                category: ExpenseCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .other,
                amount: try row.decode(column: "amount", as: Int64.self),
                date: try row.decode(column: "date", as: String.self),
                comment: try row.decode(column: "comment", as: String.self),
                attachmentURL: try row.decode(column: "attachment_url", as: String.self),
                bookedAtCompletion: try row.decode(column: "source_key", as: String?.self) != nil,
                createdAt: try row.decode(column: "created_at", as: Date.self),
                updatedAt: try row.decode(column: "updated_at", as: Date.self))
        }
    }

    static func write(_ expense: Expense, timeZone: TimeZone, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", expense.id)
        writer.field("order", expense.orderID)
        writer.field("order_number", expense.orderNumber)
        writer.field("equipment", expense.equipmentID)
        writer.field("equipment_name", expense.equipmentName)
        writer.field("reported_by", expense.reportedByID)
        writer.field("reported_by_name", expense.reportedByName)
        writer.field("category", expense.category.rawValue)
        writer.field("category_display", expense.category.title)
        writer.field("amount", FinanceJSON.money(expense.amount))
        writer.field("date", expense.date)
        writer.field("comment", expense.comment)
        writer.field("attachment_url", expense.attachmentURL)
        writer.field("booked_at_completion", expense.bookedAtCompletion)
        writer.field("created_at", ISOTime.format(expense.createdAt, in: timeZone))
        writer.field("updated_at", ISOTime.format(expense.updatedAt, in: timeZone))
        writer.endObject()
    }
}
