import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/payments/` and `/api/v1/orders/{id}/payments/` for admins, managers and accountants: the JSON edge
/// of `PaymentService`.
struct PaymentsAPIController {
    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.payments
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let count = try await service.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let payments = try await service.payments(
            filter, ordering: req.queryValues["ordering"], limit: page.size, offset: page.offset)
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
        let service = try req.payments
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        let payments = try await service.payments(ofOrder: uuid)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter(capacity: 8 * 1024)
        writer.beginArray()
        for payment in payments { PaymentStore.write(payment, timeZone: timeZone, into: &writer) }
        writer.endArray()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let service = try req.payments
        let id = try req.intParameter()
        return Self.response(try await service.payment(id), req: req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let service = try req.payments
        var json = JSONInput(try req.jsonObject(), timeZone: req.application.config.timeZone)
        let input = PaymentInput(&json, full: true)
        let payment = try await service.create(input, problems: json.errors)
        return Self.response(payment, req: req, status: .created)
    }

    @Sendable func update(req: Request) async throws -> Response {
        let service = try req.payments
        let id = try req.intParameter()
        var json = JSONInput(try req.jsonObject(), timeZone: req.application.config.timeZone)
        let input = PaymentInput(&json, full: req.method == .PUT)
        let payment = try await service.update(id, with: input, problems: json.errors)
        return Self.response(payment, req: req)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let service = try req.payments
        let id = try req.intParameter()
        try await service.delete(id)
        return Response(status: .noContent)
    }

    private static func response(
        _ payment: PaymentStore.Payment, req: Request, status: HTTPResponseStatus = .ok
    ) -> Response {
        var writer = JSONWriter()
        PaymentStore.write(payment, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer, status: status)
    }

    private static func filter(_ req: Request) throws -> PaymentService.Filter {
        var errors: [String: [String]] = [:]
        var orderID: String?
        var clientID: Int?
        var status: PaymentStatus?
        var method: PaymentMethod?
        var isPrepayment: Bool?
        if let raw: String = req.queryValues["order"] ?? req.queryValues["order_id"], !raw.isEmpty {
            if let uuid = UUID(uuidString: raw) {
                orderID = uuid.uuidString.lowercased()
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        if let raw: String = req.queryValues["client"] ?? req.queryValues["client_id"], !raw.isEmpty {
            if let id = Int(raw) {
                clientID = id
            } else {
                errors["client", default: []].append(FieldMessage.integer)
            }
        }
        if let raw: String = req.queryValues["status"], !raw.isEmpty {
            if let value = PaymentStatus(rawValue: raw.lowercased()) {
                status = value
            } else {
                errors["status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if let raw: String = req.queryValues["method"], !raw.isEmpty {
            if let value = PaymentMethod(rawValue: raw.lowercased()) {
                method = value
            } else {
                errors["method", default: []].append(FieldMessage.choice(raw))
            }
        }
        if let raw: String = req.queryValues["is_prepayment"], !raw.isEmpty {
            if let flag = QueryFlag.parse(raw) {
                isPrepayment = flag
            } else {
                errors["is_prepayment", default: []].append(FieldMessage.boolean)
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        return PaymentService.Filter(
            orderID: orderID, clientID: clientID, status: status, method: method, isPrepayment: isPrepayment,
            period: try ReportPeriod(request: req))
    }
}

extension PaymentInput {
    /// Reads the API's payment fields; `full` (create, `PUT`) requires the order and the amount. Field errors
    /// stay in `json`, to be reported with the rules' ones.
    init(_ json: inout JSONInput, full: Bool) {
        self.init()
        orderField = json.has("order") ? "order" : "order_id"
        order = Patch(json.string(orderField, required: full, maxLength: 64, allowBlank: false))
        invoiceField = json.has("invoice") ? "invoice" : "invoice_id"
        if json.has(invoiceField) {
            if json.isNull(invoiceField) {
                invoiceID = .set(nil)
            } else if let id = json.int(invoiceField, minimum: 1) {
                invoiceID = .set(id)
            }
        }
        method = Patch(json.choice("method", as: PaymentMethod.self))
        status = Patch(json.choice("status", as: PaymentStatus.self))
        amount = Patch(json.kopecks("amount", required: full, nullable: false))
        currency = Patch(json.string("currency", maxLength: 8, allowBlank: false))
        transactionID = Patch(json.string("transaction_id", maxLength: 120, nullable: true))
        isPrepayment = Patch(json.bool("is_prepayment"))
        if json.has("paid_at") { paidAt = .set(json.dateTime("paid_at")) }
        comment = Patch(json.string("comment", maxLength: 10_000, nullable: true))
        metadata = Patch(json.object("metadata").map { JSONValue.object($0).jsonText })
    }
}
