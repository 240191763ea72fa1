import Domain
import Foundation
import SQLKit

/// Reads and writes `expenses` with plain SQL (`e` is the expense, joined with its order, machine and reporter).
struct ExpenseStore {
    let sql: any SQLDatabase

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
        /// The receipt's photo in the file storage (`ExpenseService.attachReceipt`), and its content type.
        var receiptKey: String? = nil
        var receiptType: String? = nil

        var auditFields: [String: JSONValue] {
            [
                "order_id": orderID.map(JSONValue.string) ?? .null,
                "equipment_id": equipmentID.map { .number(Decimal($0)) } ?? .null,
                "category": .string(category.rawValue), "amount": .string(FinanceJSON.money(amount)),
                "date": .string(date), "comment": .string(comment), "attachment_url": .string(attachmentURL),
                "receipt": receiptKey.map(JSONValue.string) ?? .null,
            ]
        }
    }

    struct Values {
        var orderID: String?
        var equipmentID: Int?
        var category: ExpenseCategory
        var amount: Int64
        var date: String
        var comment: String
        var attachmentURL: String
    }

    func count(_ filter: SQLQueryString) async throws -> Int {
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM expenses e WHERE "
        query += filter
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func totalsByCategory(_ filter: SQLQueryString) async throws -> [ExpenseCategory: Int64] {
        var query: SQLQueryString =
            "SELECT e.category AS category, CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) AS amount FROM expenses e WHERE "
        query += filter
        query += " GROUP BY e.category"
        var totals: [ExpenseCategory: Int64] = [:]
        for row in try await sql.raw(query).all(decoding: CategoryTotal.self) {
            totals[ExpenseCategory(rawValue: row.category) ?? .other, default: 0] += row.amount
        }
        return totals
    }

    private struct CategoryTotal: Decodable {
        var category: String
        var amount: Int64
    }

    /// A machine to pick or filter by.
    struct Machine: Decodable {
        var id: Int
        var code: String?
        var name: String
    }

    func machines() async throws -> [Machine] {
        try await sql.raw("SELECT id, code, name FROM equipment ORDER BY name, id").all(decoding: Machine.self)
    }

    func orderExists(_ id: String) async throws -> Bool {
        try await sql.select().column("id").from("orders").where("id", .equal, id).first() != nil
    }

    func equipmentExists(_ id: Int) async throws -> Bool {
        try await sql.select().column("id").from("equipment").where("id", .equal, id).first() != nil
    }

    /// Adds an expense reported by `userID`; returns its id.
    func insert(_ values: Values, reportedBy userID: Int) async throws -> Int {
        let now = Date()
        let row = try await sql.insert(into: "expenses")
            .columns(
                "order_id", "equipment_id", "reported_by_id", "category", "amount", "date", "comment",
                "attachment_url", "created_at", "updated_at"
            )
            .values(
                SQLBind(values.orderID), SQLBind(values.equipmentID), SQLBind(userID),
                SQLBind(values.category.rawValue), SQLBind(values.amount), SQLBind(values.date),
                SQLBind(values.comment), SQLBind(values.attachmentURL), SQLBind(now), SQLBind(now)
            )
            .returning("id").first()
        return try row?.decode(column: "id", as: Int.self) ?? 0
    }

    func update(_ id: Int, with values: Values) async throws {
        try await sql.update("expenses")
            .set("order_id", to: SQLBind(values.orderID)).set("equipment_id", to: SQLBind(values.equipmentID))
            .set("category", to: SQLBind(values.category.rawValue)).set("amount", to: SQLBind(values.amount))
            .set("date", to: SQLBind(values.date)).set("comment", to: SQLBind(values.comment))
            .set("attachment_url", to: SQLBind(values.attachmentURL)).set("updated_at", to: SQLBind(Date()))
            .where("id", .equal, id).run()
    }

    func setReceipt(_ id: Int, key: String?, contentType: String?) async throws {
        try await sql.update("expenses").set("receipt_key", to: SQLBind(key))
            .set("receipt_type", to: SQLBind(contentType)).set("updated_at", to: SQLBind(Date()))
            .where("id", .equal, id).run()
    }

    func delete(_ id: Int) async throws {
        try await sql.delete(from: "expenses").where("id", .equal, id).run()
    }

    func find(_ id: Int) async throws -> Expense {
        guard let expense = try await load("e.id = \(bind: id)", order: "e.id", limit: 1, offset: 0).first
        else { throw APIError.notFound() }
        return expense
    }

    func load(_ filter: SQLQueryString, order: SQLQueryString, limit: Int, offset: Int) async throws -> [Expense] {
        var query: SQLQueryString = """
            SELECT e.id, e.order_id, o.number AS order_number, e.equipment_id, eq.name AS equipment_name,
                   e.reported_by_id, u.first_name AS reporter_first_name, u.last_name AS reporter_last_name,
                   e.category, e.amount, e.date, e.comment, e.attachment_url, e.source_key, e.created_at, e.updated_at,
                   e.receipt_key, e.receipt_type
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
        return try await sql.raw(query).all(decoding: Row.self).map(\.expense)
    }

    /// One row of `load`'s query.
    private struct Row: Decodable {
        var id: Int
        var order_id: String?
        var order_number: String?
        var equipment_id: Int?
        var equipment_name: String?
        var reported_by_id: Int?
        var reporter_first_name: String?
        var reporter_last_name: String?
        var category: String
        var amount: Int64
        var date: String
        var comment: String
        var attachment_url: String
        var source_key: String?
        var created_at: Date
        var updated_at: Date
        var receipt_key: String?
        var receipt_type: String?

        var expense: Expense {
            Expense(
                id: id, orderID: order_id, orderNumber: order_number, equipmentID: equipment_id,
                equipmentName: equipment_name, reportedByID: reported_by_id,
                reportedByName: reporter_first_name.map {
                    "\($0) \(reporter_last_name ?? "")".trimmingCharacters(in: .whitespaces)
                },
                category: ExpenseCategory(rawValue: category) ?? .other, amount: amount, date: date, comment: comment,
                attachmentURL: attachment_url, bookedAtCompletion: source_key != nil, createdAt: created_at,
                updatedAt: updated_at, receiptKey: receipt_key, receiptType: receipt_type)
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
        writer.field("receipt_url", expense.receiptKey == nil ? nil : "/api/v1/expenses/\(expense.id)/receipt/")
        writer.field("booked_at_completion", expense.bookedAtCompletion)
        writer.field("created_at", ISOTime.format(expense.createdAt, in: timeZone))
        writer.field("updated_at", ISOTime.format(expense.updatedAt, in: timeZone))
        writer.endObject()
    }
}
