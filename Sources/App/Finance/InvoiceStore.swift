import Domain
import Foundation
import SQLKit

/// Reads and numbers `invoices`.
struct InvoiceStore {
    let sql: any SQLDatabase

    struct Invoice {
        var id: Int
        var orderID: String
        var orderNumber: String
        var clientID: Int?
        var clientName: String?
        var number: String
        var paymentStatus: PaymentStatus
        var amount: Int64
        var paid: Int64
        var currency: String
        var issuedAt: Date
        var dueDate: String?
        var pdfURL: String
        var metadata: String
        var createdAt: Date
        var updatedAt: Date
    }

    /// The month's next number. The caller holds the numbering lock (see `InvoicesAPIController`).
    func nextNumber(now: Date, timeZone: TimeZone) async throws -> String {
        let day = ISOTime.day(of: now, in: timeZone)
        guard let parts = ISOTime.parseDay(day) else {
            throw APIError(status: .internalServerError, detail: "Внутренняя ошибка сервера.")
        }
        let sequence = try await nextSequence(year: parts.year)
        return InvoiceNumber.make(year: parts.year, month: parts.month, sequence: sequence)
    }

    /// The year's next place in `document_numbers` (kind `invoice`). The year's first issue starts after the highest
    /// number already stored for it (invoices issued before the sequence existed, or imported), so numbers never
    /// repeat; the upsert's row lock queues concurrent issuers until their transactions end.
    private func nextSequence(year: Int) async throws -> Int {
        let kind = "invoice"
        let known = try await sql.select().column("last").from("document_numbers")
            .where("kind", .equal, kind).where("year", .equal, year).first()
        var floor = 0
        if known == nil {
            let numbers = try await sql.select().column("number").from("invoices")
                .where("number", .like, InvoiceNumber.yearPrefix(year) + "%").all(decoding: NumberRow.self)
            floor = numbers.compactMap { InvoiceNumber.sequence(of: $0.number, year: year) }.max() ?? 0
        }
        let row = try await sql.raw(
            """
            INSERT INTO document_numbers (kind, year, last) VALUES (\(bind: kind), \(bind: year), \(bind: floor + 1))
            ON CONFLICT (kind, year) DO UPDATE SET last = document_numbers.last + 1
            RETURNING last
            """
        ).first(decoding: LastRow.self)
        return row?.last ?? floor + 1
    }

    private struct NumberRow: Decodable { var number: String }
    private struct LastRow: Decodable { var last: Int }

    /// The invoice is `success` once successful payments cover its amount, otherwise `pending`.
    func syncStatus(orderID: String) async throws {
        try await sql.raw(
            """
            UPDATE invoices SET payment_status = CASE
                WHEN amount > 0 AND (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
                                     WHERE p.order_id = \(bind: orderID) AND p.status = \(bind: "success")) >= amount
                THEN \(bind: "success") ELSE \(bind: "pending") END
            WHERE order_id = \(bind: orderID)
            """
        ).run()
    }

    /// - Parameter joinsOrder: the filter reads the order (`o.`); every invoice has one, so without it the count
    ///   skips the join (a count over 100,000 invoices stays an index-only scan).
    func count(_ filter: SQLQueryString, joinsOrder: Bool = true) async throws -> Int {
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM invoices i "
        if joinsOrder { query += "JOIN orders o ON o.id = i.order_id " }
        query += "WHERE "
        query += filter
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func load(
        _ filter: SQLQueryString, order: SQLQueryString = "i.issued_at DESC, i.id DESC", limit: Int, offset: Int
    ) async throws -> [Invoice] {
        var query: SQLQueryString = """
            SELECT i.id, i.order_id, o.number AS order_number, o.client_id, c.name AS client_name, i.number,
                   i.payment_status, i.amount, i.currency, i.issued_at, i.due_date, i.pdf_url, i.metadata,
                   i.created_at, i.updated_at,
                   CAST(COALESCE((SELECT SUM(p.amount) FROM payments p
                                  WHERE p.order_id = i.order_id AND p.status = \(bind: "success")), 0)
                        AS BIGINT) AS paid
            FROM invoices i
            JOIN orders o ON o.id = i.order_id
            LEFT JOIN clients c ON c.id = o.client_id
            WHERE 
            """
        query += filter
        query += " ORDER BY "
        query += order
        query += " LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await sql.raw(query).all(decoding: Row.self).map(\.invoice)
    }

    /// One row of `load`'s query.
    private struct Row: Decodable {
        var id: Int
        var order_id: String
        var order_number: String
        var client_id: Int?
        var client_name: String?
        var number: String
        var payment_status: String
        var amount: Int64
        var paid: Int64
        var currency: String
        var issued_at: Date
        var due_date: String?
        var pdf_url: String
        var metadata: String
        var created_at: Date
        var updated_at: Date

        var invoice: Invoice {
            Invoice(
                id: id, orderID: order_id, orderNumber: order_number, clientID: client_id, clientName: client_name,
                number: number, paymentStatus: PaymentStatus(rawValue: payment_status) ?? .pending, amount: amount,
                paid: paid, currency: currency, issuedAt: issued_at, dueDate: due_date, pdfURL: pdf_url,
                metadata: metadata, createdAt: created_at, updatedAt: updated_at)
        }
    }

    func write(_ invoice: Invoice, timeZone: TimeZone, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", invoice.id)
        writer.field("order", invoice.orderID)
        writer.field("order_number", invoice.orderNumber)
        writer.field("client_id", invoice.clientID)
        writer.field("client_name", invoice.clientName)
        writer.field("number", invoice.number)
        writer.field("payment_status", invoice.paymentStatus.rawValue)
        writer.field("payment_status_display", invoice.paymentStatus.title)
        writer.field("amount", FinanceJSON.money(invoice.amount))
        writer.field("paid", FinanceJSON.money(invoice.paid))
        writer.field("due", FinanceJSON.money(max(invoice.amount - invoice.paid, 0)))
        writer.field("currency", invoice.currency)
        writer.field("issued_at", ISOTime.format(invoice.issuedAt, in: timeZone))
        writer.field("due_date", invoice.dueDate)
        writer.field("pdf_url", invoice.pdfURL)
        writer.rawField("metadata", invoice.metadata, fallback: "{}")
        writer.field("created_at", ISOTime.format(invoice.createdAt, in: timeZone))
        writer.field("updated_at", ISOTime.format(invoice.updatedAt, in: timeZone))
        writer.endObject()
    }
}
