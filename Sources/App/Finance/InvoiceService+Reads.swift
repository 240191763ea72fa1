import Domain
import Foundation
import SQLKit

extension InvoiceService {
    /// Which invoices a list shows.
    struct Filter: Sendable {
        var orderID: String?
        var clientID: Int?
        var paymentStatus: PaymentStatus?
        /// By when the invoice was issued.
        var period: ReportPeriod
    }

    private func condition(_ filter: Filter) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        if let id = filter.orderID { condition += " AND i.order_id = \(bind: id)" }
        if let id = filter.clientID { condition += " AND o.client_id = \(bind: id)" }
        if let status = filter.paymentStatus { condition += " AND i.payment_status = \(bind: status.rawValue)" }
        condition += filter.period.startBounds("i.issued_at")
        return condition
    }

    func count(_ filter: Filter) async throws -> Int {
        try await InvoiceStore(sql: try db.sql()).count(condition(filter))
    }

    /// Newest first.
    func invoices(_ filter: Filter, limit: Int, offset: Int) async throws -> [InvoiceStore.Invoice] {
        try await InvoiceStore(sql: try db.sql()).load(condition(filter), limit: limit, offset: offset)
    }

    func invoice(_ id: Int) async throws -> InvoiceStore.Invoice {
        let store = InvoiceStore(sql: try db.sql())
        guard let invoice = try await store.load("i.id = \(bind: id)", limit: 1, offset: 0).first else {
            throw APIError.notFound()
        }
        return invoice
    }
}
