import Domain
import Foundation
import SQLKit

/// Reads and writes `payments` with plain SQL (`p` is the payment, `o` its order).
struct PaymentStore {
    let sql: any SQLDatabase

    struct Payment {
        var id: Int
        var orderID: String
        var orderNumber: String
        var clientID: Int?
        var clientName: String?
        var invoiceID: Int?
        var method: PaymentMethod
        var status: PaymentStatus
        var amount: Int64
        var currency: String
        var transactionID: String
        var isPrepayment: Bool
        var paidAt: Date?
        var comment: String
        var metadata: String
        var createdByID: Int?
        var createdAt: Date
        var updatedAt: Date
        /// Who recorded it («Имя Фамилия»), "" when unknown.
        var createdByName = ""
        /// The invoice of the payment's order (whether or not the payment names it).
        var orderInvoiceID: Int?
        var orderInvoiceNumber: String?

        var auditFields: [String: JSONValue] {
            [
                "order_id": .string(orderID), "order_number": .string(orderNumber),
                "invoice_id": invoiceID.map { .number(Decimal($0)) } ?? .null,
                "method": .string(method.rawValue), "status": .string(status.rawValue),
                "amount": .string(FinanceJSON.money(amount)), "currency": .string(currency),
                "transaction_id": .string(transactionID), "is_prepayment": .bool(isPrepayment),
                "paid_at": paidAt.map { .string(ISOTime.format($0, in: .gmt)) } ?? .null, "comment": .string(comment),
            ]
        }
    }

    struct Values {
        var orderID: String
        var invoiceID: Int?
        var method: PaymentMethod
        var status: PaymentStatus
        var amount: Int64
        var currency: String
        var transactionID: String
        var isPrepayment: Bool
        var paidAt: Date?
        var comment: String
        var metadata: String
    }

    /// - Parameter joinsOrder: the filter reads the order (`o.`); every payment has one, so without it the count
    ///   skips the join.
    func count(_ filter: SQLQueryString, joinsOrder: Bool = true) async throws -> Int {
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM payments p "
        if joinsOrder { query += "JOIN orders o ON o.id = p.order_id " }
        query += "WHERE "
        query += filter
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The client of an order (nil when the order has none or does not exist).
    func clientOfOrder(_ id: String) async throws -> Int? {
        try await sql.select().column("client_id").from("orders").where("id", .equal, id).first()?
            .decode(column: "client_id", as: Int?.self)
    }

    /// What the orders received beyond what they bill (their invoice's amount, or the order's total before
    /// one is issued): the advance each holds, by order id; orders without an excess are left out.
    func excess(ofOrders ids: [String]) async throws -> [String: Int64] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw(
            """
            SELECT o.id, CAST(COALESCE(iv.amount, o.total_amount, 0) AS BIGINT) AS billed,
                   CAST(COALESCE((SELECT SUM(p.amount) FROM payments p
                                  WHERE p.order_id = o.id AND p.status = \(bind: "success")), 0) AS BIGINT) AS paid
            FROM orders o LEFT JOIN invoices iv ON iv.order_id = o.id
            WHERE o.id IN (\(binds: ids))
            """
        ).all(decoding: ExcessRow.self)
        var result: [String: Int64] = [:]
        for row in rows where row.paid > row.billed { result[row.id] = row.paid - row.billed }
        return result
    }

    private struct ExcessRow: Decodable {
        var id: String
        var billed: Int64
        var paid: Int64
    }

    func orderExists(_ id: String) async throws -> Bool {
        try await sql.select().column("id").from("orders").where("id", .equal, id).first() != nil
    }

    /// The order an invoice belongs to; `nil` when there is no such invoice.
    func orderOfInvoice(_ id: Int) async throws -> String? {
        try await sql.select().column("order_id").from("invoices").where("id", .equal, id).first()?
            .decode(column: "order_id", as: String.self)
    }

    /// Records a payment entered by `userID`; returns its id.
    func insert(_ values: Values, createdBy userID: Int) async throws -> Int {
        let now = Date()
        let row = try await sql.insert(into: "payments")
            .columns(
                "order_id", "invoice_id", "method", "status", "amount", "currency", "transaction_id",
                "is_prepayment", "paid_at", "comment", "metadata", "created_by_id", "created_at", "updated_at"
            )
            .values(
                SQLBind(values.orderID), SQLBind(values.invoiceID), SQLBind(values.method.rawValue),
                SQLBind(values.status.rawValue), SQLBind(values.amount), SQLBind(values.currency),
                SQLBind(values.transactionID), SQLBind(values.isPrepayment), SQLBind(values.paidAt),
                SQLBind(values.comment), SQLBind(values.metadata), SQLBind(userID), SQLBind(now), SQLBind(now)
            )
            .returning("id").first()
        return try row?.decode(column: "id", as: Int.self) ?? 0
    }

    func update(_ id: Int, with values: Values) async throws {
        try await sql.update("payments")
            .set("order_id", to: SQLBind(values.orderID)).set("invoice_id", to: SQLBind(values.invoiceID))
            .set("method", to: SQLBind(values.method.rawValue)).set("status", to: SQLBind(values.status.rawValue))
            .set("amount", to: SQLBind(values.amount)).set("currency", to: SQLBind(values.currency))
            .set("transaction_id", to: SQLBind(values.transactionID))
            .set("is_prepayment", to: SQLBind(values.isPrepayment)).set("paid_at", to: SQLBind(values.paidAt))
            .set("comment", to: SQLBind(values.comment)).set("metadata", to: SQLBind(values.metadata))
            .set("updated_at", to: SQLBind(Date()))
            .where("id", .equal, id).run()
    }

    func delete(_ id: Int) async throws {
        try await sql.delete(from: "payments").where("id", .equal, id).run()
    }

    func find(_ id: Int) async throws -> Payment {
        guard let payment = try await load("p.id = \(bind: id)", order: "p.id", limit: 1, offset: 0).first
        else { throw APIError.notFound() }
        return payment
    }

    func load(_ filter: SQLQueryString, order: SQLQueryString, limit: Int, offset: Int) async throws -> [Payment] {
        var query: SQLQueryString = """
            SELECT p.id, p.order_id, o.number AS order_number, o.client_id, c.name AS client_name, p.invoice_id,
                   p.method, p.status, p.amount, p.currency, p.transaction_id, p.is_prepayment, p.paid_at, p.comment,
                   p.metadata, p.created_by_id, p.created_at, p.updated_at, u.first_name AS created_by_first,
                   u.last_name AS created_by_last, iv.id AS order_invoice_id, iv.number AS order_invoice_number
            FROM payments p
            JOIN orders o ON o.id = p.order_id
            LEFT JOIN clients c ON c.id = o.client_id
            LEFT JOIN users u ON u.id = p.created_by_id
            LEFT JOIN invoices iv ON iv.order_id = p.order_id
            WHERE 
            """
        query += filter
        query += " ORDER BY "
        query += order
        query += " LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await sql.raw(query).all(decoding: Row.self).map(\.payment)
    }

    /// One row of `load`'s query.
    private struct Row: Decodable {
        var id: Int
        var order_id: String
        var order_number: String
        var client_id: Int?
        var client_name: String?
        var invoice_id: Int?
        var method: String
        var status: String
        var amount: Int64
        var currency: String
        var transaction_id: String
        var is_prepayment: Bool
        var paid_at: Date?
        var comment: String
        var metadata: String
        var created_by_id: Int?
        var created_at: Date
        var updated_at: Date
        var created_by_first: String?
        var created_by_last: String?
        var order_invoice_id: Int?
        var order_invoice_number: String?

        var payment: Payment {
            Payment(
                id: id, orderID: order_id, orderNumber: order_number, clientID: client_id, clientName: client_name,
                invoiceID: invoice_id, method: PaymentMethod(rawValue: method) ?? .other,
                status: PaymentStatus(rawValue: status) ?? .pending, amount: amount, currency: currency,
                transactionID: transaction_id, isPrepayment: is_prepayment, paidAt: paid_at, comment: comment,
                metadata: metadata, createdByID: created_by_id, createdAt: created_at, updatedAt: updated_at,
                createdByName: [created_by_first ?? "", created_by_last ?? ""].filter { !$0.isEmpty }
                    .joined(separator: " "),
                orderInvoiceID: order_invoice_id, orderInvoiceNumber: order_invoice_number)
        }
    }

    static func write(_ payment: Payment, timeZone: TimeZone, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", payment.id)
        writer.field("order", payment.orderID)
        writer.field("order_number", payment.orderNumber)
        writer.field("client_id", payment.clientID)
        writer.field("client_name", payment.clientName)
        writer.field("invoice", payment.invoiceID)
        writer.field("method", payment.method.rawValue)
        writer.field("method_display", payment.method.title)
        writer.field("status", payment.status.rawValue)
        writer.field("status_display", payment.status.title)
        writer.field("amount", FinanceJSON.money(payment.amount))
        writer.field("currency", payment.currency)
        writer.field("transaction_id", payment.transactionID)
        writer.field("is_prepayment", payment.isPrepayment)
        writer.field("paid_at", payment.paidAt.map { ISOTime.format($0, in: timeZone) })
        writer.field("comment", payment.comment)
        writer.rawField("metadata", payment.metadata, fallback: "{}")
        writer.field("created_by", payment.createdByID)
        writer.field("created_at", ISOTime.format(payment.createdAt, in: timeZone))
        writer.field("updated_at", ISOTime.format(payment.updatedAt, in: timeZone))
        writer.endObject()
    }
}
