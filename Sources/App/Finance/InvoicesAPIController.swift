import Domain
import Foundation
import SQLKit
import Vapor

/// Invoices: one per order, numbered `INV-YYYYMM-NNNN` without gaps or duplicates under concurrency.
/// `POST /orders/{id}/generate_invoice/` issues (or refreshes) the order's invoice; `GET /invoices/` lists them.
struct InvoicesAPIController {
    /// Numbering takes this PostgreSQL advisory lock for the rest of its transaction; on SQLite the
    /// application's write serializer already runs one writer at a time.
    static let numberingLockKey: Int64 = 727_274_003

    /// Creates the order's invoice (201) or refreshes the amount of the existing one (200):
    /// `{"invoice_id": 7, "number": "INV-202503-0007"}`.
    @Sendable func generate(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        let orderID = uuid.uuidString.lowercased()
        let caller = try req.caller
        let timeZone = req.application.config.timeZone
        let (id, number, created) = try await req.application.writeSerializer.run {
            try await req.db.transaction { db -> (Int, String, Bool) in
                let sql = try db.sql()
                guard let order = try await sql.select().columns("status", "total_amount").from("orders")
                    .where("id", .equal, orderID).first()
                else { throw APIError.notFound() }
                let status = try order.decode(column: "status", as: String.self)
                if status == OrderStatus.cancelled.rawValue {
                    throw APIError.badRequest("Нельзя выставить счёт по отменённой заявке.")
                }
                let total = try order.decode(column: "total_amount", as: Int64.self)
                if sql.dialect.name == "postgresql" {
                    _ = try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.numberingLockKey))").all()
                }
                let store = InvoiceStore(sql: sql)
                let now = Date()
                if let existing = try await sql.select().columns("id", "number").from("invoices")
                    .where("order_id", .equal, orderID).first()
                {
                    let id = try existing.decode(column: "id", as: Int.self)
                    try await sql.update("invoices").set("amount", to: SQLBind(total)).set("updated_at", to: SQLBind(now))
                        .where("id", .equal, id).run()
                    try await store.syncStatus(orderID: orderID)
                    return (id, try existing.decode(column: "number", as: String.self), false)
                }
                let number = try await store.nextNumber(now: now, timeZone: timeZone)
                let row = try await sql.insert(into: "invoices")
                    .columns("order_id", "number", "payment_status", "amount", "currency", "issued_at", "pdf_url",
                        "metadata", "created_by_id", "created_at", "updated_at")
                    .values(
                        SQLBind(orderID), SQLBind(number), SQLBind(PaymentStatus.pending.rawValue), SQLBind(total),
                        SQLBind("RUB"), SQLBind(now), SQLBind(""), SQLBind("{}"), SQLBind(caller.id), SQLBind(now),
                        SQLBind(now))
                    .returning("id").first()
                let id = try row?.decode(column: "id", as: Int.self) ?? 0
                try await store.syncStatus(orderID: orderID)
                try await AuditRecorder(request: req, db: db).record(
                    .create, entity: "invoice", id: String(id),
                    changes: AuditRecorder.created([
                        "order_id": .string(orderID), "number": .string(number),
                        "amount": .string(FinanceJSON.money(total)),
                    ]))
                return (id, number, true)
            }
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("invoice_id", id)
        writer.field("number", number)
        writer.endObject()
        return FinanceJSON.response(writer, status: created ? .created : .ok)
    }

    /// `GET /invoices/?order=&client=&payment_status=&from=&to=&page=`, newest first.
    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        var errors: [String: [String]] = [:]
        var filter: SQLQueryString = "1 = 1"
        if let raw: String = req.query["order"] ?? req.query["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                filter += " AND i.order_id = \(bind: uuid.uuidString.lowercased())"
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        if let raw: String = req.query["client"] ?? req.query["client_id"], !raw.isEmpty {
            if let id = Int(raw) { filter += " AND o.client_id = \(bind: id)" } else { errors["client", default: []].append(FieldMessage.integer) }
        }
        if let raw: String = req.query["payment_status"] ?? req.query["status"], !raw.isEmpty {
            if let status = PaymentStatus(rawValue: raw.lowercased()) {
                filter += " AND i.payment_status = \(bind: status.rawValue)"
            } else {
                errors["payment_status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        filter += try ReportPeriod(request: req).startBounds("i.issued_at")
        let store = InvoiceStore(sql: try req.db.sql())
        let count = try await store.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 16 * 1024)
        writer.beginObject()
        writer.field("count", count)
        writer.field("next", links.next)
        writer.field("previous", links.previous)
        writer.key("results")
        writer.beginArray()
        for invoice in try await store.load(filter, limit: page.size, offset: page.offset) {
            store.write(invoice, timeZone: timeZone, into: &writer)
        }
        writer.endArray()
        writer.endObject()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let store = InvoiceStore(sql: try req.db.sql())
        guard let invoice = try await store.load("i.id = \(bind: try req.intParameter())", limit: 1, offset: 0).first
        else { throw APIError.notFound() }
        var writer = JSONWriter()
        store.write(invoice, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer)
    }
}

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
        guard let parts = ISOTime.parseDay(day) else { throw APIError(status: .internalServerError, detail: "Внутренняя ошибка сервера.") }
        let prefix = InvoiceNumber.prefix(year: parts.year, month: parts.month)
        let last = try await sql.raw(
            """
            SELECT number FROM invoices WHERE number LIKE \(bind: prefix + "%")
            ORDER BY LENGTH(number) DESC, number DESC LIMIT 1
            """
        ).first()?.decode(column: "number", as: String.self)
        return InvoiceNumber.next(after: last, prefix: prefix)
    }

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

    func count(_ filter: SQLQueryString) async throws -> Int {
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM invoices i JOIN orders o ON o.id = i.order_id WHERE "
        query += filter
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func load(_ filter: SQLQueryString, limit: Int, offset: Int) async throws -> [Invoice] {
        var query: SQLQueryString = """
            SELECT i.id, i.order_id, o.number AS order_number, o.client_id, c.name AS client_name, i.number,
                   i.payment_status, i.amount, i.currency, i.issued_at, i.due_date, i.pdf_url, i.metadata,
                   i.created_at, i.updated_at,
                   CAST(COALESCE((SELECT SUM(p.amount) FROM payments p
                                  WHERE p.order_id = i.order_id AND p.status = \(bind: "success")), 0) AS BIGINT) AS paid
            FROM invoices i
            JOIN orders o ON o.id = i.order_id
            LEFT JOIN clients c ON c.id = o.client_id
            WHERE 
            """
        query += filter
        query += " ORDER BY i.issued_at DESC, i.id DESC LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await sql.raw(query).all().map { row in
            Invoice(
                id: try row.decode(column: "id", as: Int.self),
                orderID: try row.decode(column: "order_id", as: String.self),
                orderNumber: try row.decode(column: "order_number", as: String.self),
                clientID: try row.decode(column: "client_id", as: Int?.self),
                clientName: try row.decode(column: "client_name", as: String?.self),
                number: try row.decode(column: "number", as: String.self),
                paymentStatus: PaymentStatus(rawValue: try row.decode(column: "payment_status", as: String.self)) ?? .pending,
                amount: try row.decode(column: "amount", as: Int64.self),
                paid: try row.decode(column: "paid", as: Int64.self),
                currency: try row.decode(column: "currency", as: String.self),
                issuedAt: try row.decode(column: "issued_at", as: Date.self),
                dueDate: try row.decode(column: "due_date", as: String?.self),
                pdfURL: try row.decode(column: "pdf_url", as: String.self),
                metadata: try row.decode(column: "metadata", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                updatedAt: try row.decode(column: "updated_at", as: Date.self))
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
