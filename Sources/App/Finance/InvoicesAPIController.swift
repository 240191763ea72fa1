import Domain
import Foundation
import SQLKit
import Vapor

/// Invoices: one per order, numbered `INV-YYYYMM-NNNN` without gaps or duplicates under concurrency.
/// `POST /orders/{id}/generate_invoice/` issues (or refreshes) the order's invoice; `GET /invoices/` lists them.
struct InvoicesAPIController {
    /// Creates the order's invoice (201) or refreshes the amount of the existing one (200):
    /// `{"invoice_id": 7, "number": "INV-202503-0007"}`.
    @Sendable func generate(req: Request) async throws -> Response {
        let issued = try await req.invoices.issue(orderID: req.parameters.get("id") ?? "")
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("invoice_id", issued.id)
        writer.field("number", issued.number)
        writer.endObject()
        return FinanceJSON.response(writer, status: issued.created ? .created : .ok)
    }

    /// `GET /invoices/?order=&client=&payment_status=&from=&to=&page=`, newest first.
    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.invoices
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let count = try await service.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        let store = InvoiceStore(sql: try req.db.sql())
        var writer = JSONWriter(capacity: 16 * 1024)
        writer.beginPage(count: count, links: links)
        for invoice in try await service.invoices(filter, limit: page.size, offset: page.offset) {
            store.write(invoice, timeZone: timeZone, into: &writer)
        }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    private static func filter(_ req: Request) throws -> InvoiceService.Filter {
        var errors: [String: [String]] = [:]
        var orderID: String?
        var clientID: Int?
        var paymentStatus: PaymentStatus?
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
        if let raw: String = req.queryValues["payment_status"] ?? req.queryValues["status"], !raw.isEmpty {
            if let status = PaymentStatus(rawValue: raw.lowercased()) {
                paymentStatus = status
            } else {
                errors["payment_status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        return InvoiceService.Filter(
            orderID: orderID, clientID: clientID, paymentStatus: paymentStatus, period: try ReportPeriod(request: req))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let service = try req.invoices
        let invoice = try await service.invoice(try req.intParameter())
        var writer = JSONWriter()
        InvoiceStore(sql: try req.db.sql()).write(invoice, timeZone: req.application.config.timeZone, into: &writer)
        return FinanceJSON.response(writer)
    }
}
