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
        let (id, number, created) = try await req.application.writeSerializer.transaction(on: req.db) {
            db -> (Int, String, Bool) in
            let sql = try db.sql()
            guard
                let order = try await sql.select().columns("status", "total_amount").from("orders")
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
                try await sql.update("invoices").set("amount", to: SQLBind(total)).set(
                    "updated_at", to: SQLBind(now)
                )
                .where("id", .equal, id).run()
                try await store.syncStatus(orderID: orderID)
                return (id, try existing.decode(column: "number", as: String.self), false)
            }
            let number = try await store.nextNumber(now: now, timeZone: timeZone)
            let row = try await sql.insert(into: "invoices")
                .columns(
                    "order_id", "number", "payment_status", "amount", "currency", "issued_at", "pdf_url",
                    "metadata", "created_by_id", "created_at", "updated_at"
                )
                .values(
                    SQLBind(orderID), SQLBind(number), SQLBind(PaymentStatus.pending.rawValue), SQLBind(total),
                    SQLBind("RUB"), SQLBind(now), SQLBind(""), SQLBind("{}"), SQLBind(caller.id), SQLBind(now),
                    SQLBind(now)
                )
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
        if let raw: String = req.queryValues["order"] ?? req.queryValues["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                filter += " AND i.order_id = \(bind: uuid.uuidString.lowercased())"
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        if let raw: String = req.queryValues["client"] ?? req.queryValues["client_id"], !raw.isEmpty {
            if let id = Int(raw) {
                filter += " AND o.client_id = \(bind: id)"
            } else {
                errors["client", default: []].append(FieldMessage.integer)
            }
        }
        if let raw: String = req.queryValues["payment_status"] ?? req.queryValues["status"], !raw.isEmpty {
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
        writer.beginPage(count: count, links: links)
        for invoice in try await store.load(filter, limit: page.size, offset: page.offset) {
            store.write(invoice, timeZone: timeZone, into: &writer)
        }
        writer.endPage()
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
