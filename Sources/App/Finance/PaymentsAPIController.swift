import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/payments/` and `/api/v1/orders/{id}/payments/`: money received per order (several partial payments
/// and prepayments per order), for admins, managers and accountants. Only `success` payments reduce a client's
/// balance; each change re-derives the order's invoice status (paid in full → `success`).
struct PaymentsAPIController {
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

        var auditFields: [String: JSONValue] {
            [
                "order_id": .string(orderID), "invoice_id": invoiceID.map { .number(Decimal($0)) } ?? .null,
                "method": .string(method.rawValue), "status": .string(status.rawValue),
                "amount": .string(FinanceJSON.money(amount)), "currency": .string(currency),
                "transaction_id": .string(transactionID), "is_prepayment": .bool(isPrepayment),
                "paid_at": paidAt.map { .string($0.timeIntervalSince1970.description) } ?? .null,
            ]
        }
    }

    static let orderingFields: [String: String] = [
        "paid_at": "COALESCE(p.paid_at, p.created_at)", "amount": "p.amount", "created_at": "p.created_at",
        "status": "p.status", "id": "p.id",
    ]

    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let sql = try req.db.sql()
        var countQuery: SQLQueryString = "SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE "
        countQuery += filter
        let count = try await sql.raw(countQuery).first()?.decode(column: "n", as: Int.self) ?? 0
        try PageLinks.checkInRange(page, count: count)
        var order: SQLQueryString = ""
        for (column, descending) in OrderingParser.parse(
            req.query["ordering"], allowed: Self.orderingFields, fallback: ["-COALESCE(p.paid_at, p.created_at)"])
        {
            order += "\(unsafeRaw: column) \(unsafeRaw: descending ? "DESC" : "ASC"), "
        }
        order += "p.id DESC"
        let payments = try await Self.load(filter, order: order, limit: page.size, offset: page.offset, sql: sql)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginObject()
        writer.field("count", count)
        writer.field("next", links.next)
        writer.field("previous", links.previous)
        writer.key("results")
        writer.beginArray()
        for payment in payments { Self.write(payment, timeZone: timeZone, into: &writer) }
        writer.endArray()
        writer.endObject()
        return FinanceJSON.response(writer)
    }

    /// `GET /orders/{id}/payments/`: the order's payments, newest first (a plain array).
    @Sendable func ofOrder(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        let orderID = uuid.uuidString.lowercased()
        let sql = try req.db.sql()
        guard try await sql.select().column("id").from("orders").where("id", .equal, orderID).first() != nil else {
            throw APIError.notFound()
        }
        let payments = try await Self.load(
            "p.order_id = \(bind: orderID)", order: "COALESCE(p.paid_at, p.created_at) DESC, p.id DESC", limit: 1000,
            offset: 0, sql: sql)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 8 * 1024)
        writer.beginArray()
        for payment in payments { Self.write(payment, timeZone: timeZone, into: &writer) }
        writer.endArray()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let payment = try await Self.find(try req.intParameter(), sql: try req.db.sql())
        var writer = JSONWriter()
        Self.write(payment, timeZone: req.application.config.timeZone, into: &writer)
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
                let row = try await sql.insert(into: "payments")
                    .columns("order_id", "invoice_id", "method", "status", "amount", "currency", "transaction_id",
                        "is_prepayment", "paid_at", "comment", "metadata", "created_by_id", "created_at", "updated_at")
                    .values(
                        SQLBind(values.orderID), SQLBind(values.invoiceID), SQLBind(values.method.rawValue),
                        SQLBind(values.status.rawValue), SQLBind(values.amount), SQLBind(values.currency),
                        SQLBind(values.transactionID), SQLBind(values.isPrepayment), SQLBind(values.paidAt),
                        SQLBind(values.comment), SQLBind(values.metadata), SQLBind(caller.id), SQLBind(now),
                        SQLBind(now))
                    .returning("id").first()
                let id = try row?.decode(column: "id", as: Int.self) ?? 0
                try await InvoiceStore(sql: sql).syncStatus(orderID: values.orderID)
                let created = try await Self.find(id, sql: sql)
                try await AuditRecorder(request: req, db: db).record(
                    .payment, entity: "payment", id: String(id), changes: AuditRecorder.created(created.auditFields))
                return id
            }
        }
        let payment = try await Self.find(id, sql: try req.db.sql())
        var writer = JSONWriter()
        Self.write(payment, timeZone: req.application.config.timeZone, into: &writer)
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
                try await sql.update("payments")
                    .set("order_id", to: SQLBind(values.orderID)).set("invoice_id", to: SQLBind(values.invoiceID))
                    .set("method", to: SQLBind(values.method.rawValue)).set("status", to: SQLBind(values.status.rawValue))
                    .set("amount", to: SQLBind(values.amount)).set("currency", to: SQLBind(values.currency))
                    .set("transaction_id", to: SQLBind(values.transactionID))
                    .set("is_prepayment", to: SQLBind(values.isPrepayment)).set("paid_at", to: SQLBind(values.paidAt))
                    .set("comment", to: SQLBind(values.comment)).set("metadata", to: SQLBind(values.metadata))
                    .set("updated_at", to: SQLBind(Date()))
                    .where("id", .equal, id).run()
                let invoices = InvoiceStore(sql: sql)
                try await invoices.syncStatus(orderID: values.orderID)
                if values.orderID != current.orderID { try await invoices.syncStatus(orderID: current.orderID) }
                let updated = try await Self.find(id, sql: sql)
                let changes = AuditRecorder.diff(before: current.auditFields, after: updated.auditFields)
                if !changes.isEmpty {
                    try await AuditRecorder(request: req, db: db).record(.payment, entity: "payment", id: String(id), changes: changes)
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
                try await sql.delete(from: "payments").where("id", .equal, id).run()
                try await InvoiceStore(sql: sql).syncStatus(orderID: current.orderID)
                try await AuditRecorder(request: req, db: db).record(
                    .delete, entity: "payment", id: String(id),
                    changes: AuditRecorder.diff(before: current.auditFields, after: [:]))
            }
        }
        return Response(status: .noContent)
    }

    // MARK: - Input

    private struct Values {
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

    private static func parse(
        _ body: [String: JSONValue], current: Payment?, full: Bool, req: Request, sql: any SQLDatabase
    ) async throws -> Values {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        var values = Values(
            orderID: current?.orderID ?? "", invoiceID: current?.invoiceID, method: current?.method ?? .bankTransfer,
            status: current?.status ?? .pending, amount: current?.amount ?? 0, currency: current?.currency ?? "RUB",
            transactionID: current?.transactionID ?? "", isPrepayment: current?.isPrepayment ?? false,
            paidAt: current?.paidAt, comment: current?.comment ?? "", metadata: current?.metadata ?? "{}")
        let orderKey = input.has("order") ? "order" : "order_id"
        if let raw = input.string(orderKey, required: full, maxLength: 64, allowBlank: false) {
            if let uuid = UUID(uuidString: raw),
                try await sql.select().column("id").from("orders").where("id", .equal, uuid.uuidString.lowercased())
                    .first() != nil
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
            if amount <= 0 { input.fail("amount", "Сумма платежа должна быть больше нуля.") } else { values.amount = amount }
        }
        if let currency = input.string("currency", maxLength: 8, allowBlank: false) { values.currency = currency.uppercased() }
        if let transaction = input.string("transaction_id", maxLength: 120, nullable: true) { values.transactionID = transaction }
        if let flag = input.bool("is_prepayment") { values.isPrepayment = flag }
        if input.has("paid_at") { values.paidAt = input.dateTime("paid_at") }
        if let comment = input.string("comment", maxLength: 10_000, nullable: true) { values.comment = comment }
        if let metadata = input.object("metadata") { values.metadata = JSONValue.object(metadata).jsonText }
        if let invoiceID = values.invoiceID, !values.orderID.isEmpty, input.errors[invoiceKey] == nil {
            let row = try await sql.select().column("order_id").from("invoices").where("id", .equal, invoiceID).first()
            if row == nil {
                input.fail(invoiceKey, FieldMessage.missingObject(String(invoiceID)))
            } else if try row?.decode(column: "order_id", as: String.self) != values.orderID {
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
        if let raw: String = req.query["order"] ?? req.query["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                filter += " AND p.order_id = \(bind: uuid.uuidString.lowercased())"
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        if let raw: String = req.query["client"] ?? req.query["client_id"], !raw.isEmpty {
            if let id = Int(raw) { filter += " AND o.client_id = \(bind: id)" } else { errors["client", default: []].append(FieldMessage.integer) }
        }
        if let raw: String = req.query["status"], !raw.isEmpty {
            if let status = PaymentStatus(rawValue: raw.lowercased()) {
                filter += " AND p.status = \(bind: status.rawValue)"
            } else {
                errors["status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if let raw: String = req.query["method"], !raw.isEmpty {
            if let method = PaymentMethod(rawValue: raw.lowercased()) {
                filter += " AND p.method = \(bind: method.rawValue)"
            } else {
                errors["method", default: []].append(FieldMessage.choice(raw))
            }
        }
        if let raw: String = req.query["is_prepayment"], !raw.isEmpty {
            if let flag = QueryFlag.parse(raw) { filter += " AND p.is_prepayment = \(bind: flag)" } else { errors["is_prepayment", default: []].append(FieldMessage.boolean) }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        let period = try ReportPeriod(request: req)
        filter += period.startBounds("p.paid_at")
        return filter
    }

    // MARK: - Reading

    static func find(_ id: Int, sql: any SQLDatabase) async throws -> Payment {
        guard let payment = try await load("p.id = \(bind: id)", order: "p.id", limit: 1, offset: 0, sql: sql).first
        else { throw APIError.notFound() }
        return payment
    }

    private static func load(
        _ filter: SQLQueryString, order: SQLQueryString, limit: Int, offset: Int, sql: any SQLDatabase
    ) async throws -> [Payment] {
        var query: SQLQueryString = """
            SELECT p.id, p.order_id, o.number AS order_number, o.client_id, c.name AS client_name, p.invoice_id,
                   p.method, p.status, p.amount, p.currency, p.transaction_id, p.is_prepayment, p.paid_at, p.comment,
                   p.metadata, p.created_by_id, p.created_at, p.updated_at
            FROM payments p
            JOIN orders o ON o.id = p.order_id
            LEFT JOIN clients c ON c.id = o.client_id
            WHERE 
            """
        query += filter
        query += " ORDER BY "
        query += order
        query += " LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await sql.raw(query).all().map { row in
            Payment(
                id: try row.decode(column: "id", as: Int.self),
                orderID: try row.decode(column: "order_id", as: String.self),
                orderNumber: try row.decode(column: "order_number", as: String.self),
                clientID: try row.decode(column: "client_id", as: Int?.self),
                clientName: try row.decode(column: "client_name", as: String?.self),
                invoiceID: try row.decode(column: "invoice_id", as: Int?.self),
                method: PaymentMethod(rawValue: try row.decode(column: "method", as: String.self)) ?? .other,
                status: PaymentStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                amount: try row.decode(column: "amount", as: Int64.self),
                currency: try row.decode(column: "currency", as: String.self),
                transactionID: try row.decode(column: "transaction_id", as: String.self),
                isPrepayment: try row.decode(column: "is_prepayment", as: Bool.self),
                paidAt: try row.decode(column: "paid_at", as: Date?.self),
                comment: try row.decode(column: "comment", as: String.self),
                metadata: try row.decode(column: "metadata", as: String.self),
                createdByID: try row.decode(column: "created_by_id", as: Int?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                updatedAt: try row.decode(column: "updated_at", as: Date.self))
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
