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
        /// The web list's status (`InvoiceState`); overdue is judged against `today` (`YYYY-MM-DD`).
        var state: InvoiceState? = nil
        var today = ""
    }

    /// The web list's sortable columns (`?sort=field` / `?sort=-field`).
    static let orderingFields: [String: String] = [
        "issued_at": "i.issued_at", "number": "i.number", "amount": "i.amount", "due_date": "i.due_date",
        "client": "c.name",
    ]

    private func condition(_ filter: Filter) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        if let id = filter.orderID { condition += " AND i.order_id = \(bind: id)" }
        if let id = filter.clientID { condition += " AND o.client_id = \(bind: id)" }
        if let status = filter.paymentStatus { condition += " AND i.payment_status = \(bind: status.rawValue)" }
        condition += filter.period.startBounds("i.issued_at")
        if let state = filter.state { condition += Self.condition(state, today: filter.today) }
        return condition
    }

    /// The SQL twin of `InvoiceState.of`: paid = the stored `success`; overdue = not paid and the due day before
    /// today; partial / issued = not paid, not overdue, with or without a successful payment.
    private static func condition(_ state: InvoiceState, today: String) -> SQLQueryString {
        let overdue: SQLQueryString =
            "(i.due_date IS NOT NULL AND LENGTH(i.due_date) >= 10 AND SUBSTR(i.due_date, 1, 10) < \(bind: today))"
        // Payment amounts are always positive (PaymentService), so any successful payment means «partly paid»; the
        // test stays on the (order_id, status) index.
        let anyPaid: SQLQueryString =
            "EXISTS (SELECT 1 FROM payments pp WHERE pp.order_id = i.order_id AND pp.status = \(bind: "success"))"
        var condition: SQLQueryString = " AND "
        switch state {
        case .paid:
            condition += "i.payment_status = \(bind: PaymentStatus.success.rawValue)"
            return condition
        case .overdue:
            condition += "i.payment_status <> \(bind: PaymentStatus.success.rawValue) AND "
            condition += overdue
            return condition
        case .partial, .issued:
            condition += "i.payment_status <> \(bind: PaymentStatus.success.rawValue) AND NOT "
            condition += overdue
            condition += state == .partial ? " AND " : " AND NOT "
            condition += anyPaid
            return condition
        }
    }

    func count(_ filter: Filter) async throws -> Int {
        try await InvoiceStore(sql: try db.sql()).count(condition(filter), joinsOrder: filter.clientID != nil)
    }

    /// Newest first, or by `ordering` (`-amount`, a key of `orderingFields`).
    func invoices(
        _ filter: Filter, ordering: String? = nil, limit: Int, offset: Int
    ) async throws -> [InvoiceStore.Invoice] {
        let order = OrderingParser.orderBy(
            ordering, allowed: Self.orderingFields, fallback: ["-i.issued_at"], then: "i.id DESC")
        return try await InvoiceStore(sql: try db.sql()).load(
            condition(filter), order: order, limit: limit, offset: offset)
    }

    func invoice(_ id: Int) async throws -> InvoiceStore.Invoice {
        let store = InvoiceStore(sql: try db.sql())
        guard let invoice = try await store.load("i.id = \(bind: id)", limit: 1, offset: 0).first else {
            throw APIError.notFound()
        }
        return invoice
    }
}
