import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/payments/` and `/api/v1/orders/{id}/payments/`: money received per order (several partial payments
/// and prepayments per order), for admins, managers and accountants. Only `success` payments reduce a client's
/// balance; each change re-derives the order's invoice status (paid in full → `success`).
struct PaymentsAPIController {
    static let orderingFields: [String: String] = [
        "paid_at": "COALESCE(p.paid_at, p.created_at)", "amount": "p.amount", "created_at": "p.created_at",
        "status": "p.status", "id": "p.id",
    ]

    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let sql = try req.db.sql()
        let store = PaymentStore(sql: sql)
        let count = try await store.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let order = OrderingParser.orderBy(
            req.queryValues["ordering"], allowed: Self.orderingFields, fallback: ["-COALESCE(p.paid_at, p.created_at)"], then: "p.id DESC")
        let payments = try await store.load(filter, order: order, limit: page.size, offset: page.offset)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginPage(count: count, links: links)
        for payment in payments { PaymentStore.write(payment, timeZone: timeZone, into: &writer) }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    /// `GET /orders/{id}/payments/`: the order's payments, newest first (a plain array).
    @Sendable func ofOrder(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        let orderID = uuid.uuidString.lowercased()
        let sql = try req.db.sql()
        guard try await PaymentStore(sql: sql).orderExists(orderID) else {
            throw APIError.notFound()
        }
        let payments = try await PaymentStore(sql: sql).load(
            "p.order_id = \(bind: orderID)", order: "COALESCE(p.paid_at, p.created_at) DESC, p.id DESC", limit: 1000,
            offset: 0)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 8 * 1024)
        writer.beginArray()
        for payment in payments { PaymentStore.write(payment, timeZone: timeZone, into: &writer) }
        writer.endArray()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let payment = try await PaymentStore(sql: try req.db.sql()).find(try req.intParameter())
        var writer = JSONWriter()
        PaymentStore.write(payment, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let caller = try req.caller
        let body = try req.jsonObject()
        let payment = try await req.application.writeSerializer.transaction(on: req.db) { db in
            let sql = try db.sql()
            let values = try await Self.parse(body, current: nil, full: true, req: req, sql: sql)
            let id = try await PaymentStore(sql: sql).insert(values, createdBy: caller.id)
            try await InvoiceStore(sql: sql).syncStatus(orderID: values.orderID)
            let created = try await PaymentStore(sql: sql).find(id)
            try await AuditRecorder(request: req, db: db).record(
                .payment, entity: "payment", id: String(id), changes: AuditRecorder.created(created.auditFields))
            return created
        }
        var writer = JSONWriter()
        PaymentStore.write(payment, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer, status: .created)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try req.intParameter()
        let body = try req.jsonObject()
        let full = req.method == .PUT
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let sql = try db.sql()
            let current = try await PaymentStore(sql: sql).find(id)
            let values = try await Self.parse(body, current: current, full: full, req: req, sql: sql)
            try await PaymentStore(sql: sql).update(id, with: values)
            let invoices = InvoiceStore(sql: sql)
            try await invoices.syncStatus(orderID: values.orderID)
            if values.orderID != current.orderID { try await invoices.syncStatus(orderID: current.orderID) }
            let updated = try await PaymentStore(sql: sql).find(id)
            let changes = AuditRecorder.diff(before: current.auditFields, after: updated.auditFields)
            if !changes.isEmpty {
                try await AuditRecorder(request: req, db: db).record(
                    .payment, entity: "payment", id: String(id), changes: changes)
            }
        }
        return try await show(req: req)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let id = try req.intParameter()
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let sql = try db.sql()
            let current = try await PaymentStore(sql: sql).find(id)
            try await PaymentStore(sql: sql).delete(id)
            try await InvoiceStore(sql: sql).syncStatus(orderID: current.orderID)
            try await AuditRecorder(request: req, db: db).record(
                .delete, entity: "payment", id: String(id),
                changes: AuditRecorder.diff(before: current.auditFields, after: [:]))
        }
        return Response(status: .noContent)
    }

    // MARK: - Input

    private static func parse(
        _ body: [String: JSONValue], current: PaymentStore.Payment?, full: Bool, req: Request, sql: any SQLDatabase
    ) async throws -> PaymentStore.Values {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        var values = PaymentStore.Values(
            orderID: current?.orderID ?? "", invoiceID: current?.invoiceID, method: current?.method ?? .bankTransfer,
            status: current?.status ?? .pending, amount: current?.amount ?? 0, currency: current?.currency ?? "RUB",
            transactionID: current?.transactionID ?? "", isPrepayment: current?.isPrepayment ?? false,
            paidAt: current?.paidAt, comment: current?.comment ?? "", metadata: current?.metadata ?? "{}")
        let orderKey = input.has("order") ? "order" : "order_id"
        if let raw = input.string(orderKey, required: full, maxLength: 64, allowBlank: false) {
            if let uuid = UUID(uuidString: raw),
                try await PaymentStore(sql: sql).orderExists(uuid.uuidString.lowercased())
            {
                values.orderID = uuid.uuidString.lowercased()
            } else {
                input.fail(orderKey, FieldMessage.missingObject(raw))
            }
        }
        let invoiceKey = input.has("invoice") ? "invoice" : "invoice_id"
        if input.has(invoiceKey) {
            if input.isNull(invoiceKey) {
                values.invoiceID = nil
            } else if let id = input.int(invoiceKey, minimum: 1) {
                values.invoiceID = id
            }
        }
        if let method = input.choice("method", as: PaymentMethod.self) { values.method = method }
        if let status = input.choice("status", as: PaymentStatus.self) { values.status = status }
        if let amount = input.kopecks("amount", required: full, nullable: false) {
            if amount <= 0 {
                input.fail("amount", "Сумма платежа должна быть больше нуля.")
            } else {
                values.amount = amount
            }
        }
        if let currency = input.string("currency", maxLength: 8, allowBlank: false) {
            values.currency = currency.uppercased()
        }
        if let transaction = input.string("transaction_id", maxLength: 120, nullable: true) {
            values.transactionID = transaction
        }
        if let flag = input.bool("is_prepayment") { values.isPrepayment = flag }
        if input.has("paid_at") { values.paidAt = input.dateTime("paid_at") }
        if let comment = input.string("comment", maxLength: 10_000, nullable: true) { values.comment = comment }
        if let metadata = input.object("metadata") { values.metadata = JSONValue.object(metadata).jsonText }
        if let invoiceID = values.invoiceID, !values.orderID.isEmpty, input.errors[invoiceKey] == nil {
            let invoiceOrder = try await PaymentStore(sql: sql).orderOfInvoice(invoiceID)
            if invoiceOrder == nil {
                input.fail(invoiceKey, FieldMessage.missingObject(String(invoiceID)))
            } else if invoiceOrder != values.orderID {
                input.fail(invoiceKey, "Счёт относится к другой заявке.")
            }
        }
        try input.validate()
        if values.status == .success, values.paidAt == nil { values.paidAt = Date() }
        return values
    }

    private static func filter(_ req: Request) throws -> SQLQueryString {
        var errors: [String: [String]] = [:]
        var filter: SQLQueryString = "1 = 1"
        if let raw: String = req.queryValues["order"] ?? req.queryValues["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                filter += " AND p.order_id = \(bind: uuid.uuidString.lowercased())"
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
        if let raw: String = req.queryValues["status"], !raw.isEmpty {
            if let status = PaymentStatus(rawValue: raw.lowercased()) {
                filter += " AND p.status = \(bind: status.rawValue)"
            } else {
                errors["status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if let raw: String = req.queryValues["method"], !raw.isEmpty {
            if let method = PaymentMethod(rawValue: raw.lowercased()) {
                filter += " AND p.method = \(bind: method.rawValue)"
            } else {
                errors["method", default: []].append(FieldMessage.choice(raw))
            }
        }
        if let raw: String = req.queryValues["is_prepayment"], !raw.isEmpty {
            if let flag = QueryFlag.parse(raw) {
                filter += " AND p.is_prepayment = \(bind: flag)"
            } else {
                errors["is_prepayment", default: []].append(FieldMessage.boolean)
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        let period = try ReportPeriod(request: req)
        filter += period.startBounds("p.paid_at")
        return filter
    }

}
