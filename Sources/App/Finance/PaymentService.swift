import Domain
import Foundation
import SQLKit
import Vapor

/// Money received per order (several partial payments and prepayments per order). Only `success` payments
/// reduce a client's balance; every change re-derives the order's invoice status (paid in full → `success`)
/// and is written to the audit trail.
struct PaymentService {
    let context: ServiceContext

    /// Which payments a list shows.
    struct Filter: Sendable {
        var orderID: String?
        var clientID: Int?
        var status: PaymentStatus?
        var method: PaymentMethod?
        var isPrepayment: Bool?
        /// By when the money came in.
        var period: ReportPeriod
    }

    static let orderingFields: [String: String] = [
        "paid_at": "COALESCE(p.paid_at, p.created_at)", "amount": "p.amount", "created_at": "p.created_at",
        "status": "p.status", "id": "p.id", "method": "p.method", "client": "c.name",
    ]

    private func condition(_ filter: Filter) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        if let id = filter.orderID { condition += " AND p.order_id = \(bind: id)" }
        if let id = filter.clientID { condition += " AND o.client_id = \(bind: id)" }
        if let status = filter.status { condition += " AND p.status = \(bind: status.rawValue)" }
        if let method = filter.method { condition += " AND p.method = \(bind: method.rawValue)" }
        if let flag = filter.isPrepayment { condition += " AND p.is_prepayment = \(bind: flag)" }
        condition += filter.period.startBounds("p.paid_at")
        return condition
    }

    private var store: PaymentStore {
        get throws { PaymentStore(sql: try context.db.sql()) }
    }

    func count(_ filter: Filter) async throws -> Int {
        try await store.count(condition(filter), joinsOrder: filter.clientID != nil)
    }

    /// - Parameter ordering: `?ordering=` as given (`-amount,paid_at`); newest payment first by default.
    func payments(_ filter: Filter, ordering: String?, limit: Int, offset: Int) async throws -> [PaymentStore.Payment] {
        let order = OrderingParser.orderBy(
            ordering, allowed: Self.orderingFields, fallback: ["-COALESCE(p.paid_at, p.created_at)"],
            then: "p.id DESC")
        return try await store.load(condition(filter), order: order, limit: limit, offset: offset)
    }

    /// The order's payments, newest first.
    func payments(ofOrder orderID: UUID) async throws -> [PaymentStore.Payment] {
        let id = orderID.uuidString.lowercased()
        let store = try self.store
        guard try await store.orderExists(id) else { throw PaymentError.notFound }
        return try await store.load(
            "p.order_id = \(bind: id)", order: "COALESCE(p.paid_at, p.created_at) DESC, p.id DESC", limit: 1000,
            offset: 0)
    }

    func payment(_ id: Int) async throws -> PaymentStore.Payment {
        try await store.find(id)
    }

    /// The advance each order holds: what its successful payments bring beyond its invoice (or its total before
    /// one is issued). Overpayment is accepted, never refused; the client's ledger shows it as a credit.
    func excess(ofOrders ids: [String]) async throws -> [String: Int64] {
        try await store.excess(ofOrders: Array(Set(ids)))
    }

    /// The client's orders a payment may be entered for (not cancelled), newest first: id and number.
    func orderChoices(clientID: Int, limit: Int = 200) async throws -> [(id: String, number: String)] {
        let rows = try await store.sql.select().columns("id", "number").from("orders")
            .where("client_id", .equal, clientID).where("status", .notEqual, OrderStatus.cancelled.rawValue)
            .orderBy("created_at", .descending).limit(limit).all()
        return try rows.map {
            (id: try $0.decode(column: "id", as: String.self), number: try $0.decode(column: "number", as: String.self))
        }
    }

    /// Records a payment entered by the caller.
    /// - Parameter problems: field errors the edge already found in the input, reported with the rules' ones.
    func create(_ input: PaymentInput, problems: [String: [String]] = [:]) async throws -> PaymentStore.Payment {
        let context = self.context
        return try await context.writes.transaction(on: context.db) { db in
            let store = PaymentStore(sql: try db.sql())
            let values = try await Self.resolve(
                input, current: nil, problems: problems, store: store, now: context.now())
            let id = try await store.insert(values, createdBy: context.caller.id)
            try await InvoiceStore(sql: store.sql).syncStatus(orderID: values.orderID)
            let created = try await store.find(id)
            try await context.audit(on: db).record(
                .payment, entity: "payment", id: String(id), changes: AuditRecorder.created(created.auditFields))
            return created
        }
    }

    /// Changes a payment; the invoices of its old and new order are both brought up to date.
    func update(
        _ id: Int, with input: PaymentInput, problems: [String: [String]] = [:]
    ) async throws
        -> PaymentStore.Payment
    {
        let context = self.context
        try await context.writes.transaction(on: context.db) { db in
            let store = PaymentStore(sql: try db.sql())
            let current = try await store.find(id)
            let values = try await Self.resolve(
                input, current: current, problems: problems, store: store, now: context.now())
            try await store.update(id, with: values)
            let invoices = InvoiceStore(sql: store.sql)
            try await invoices.syncStatus(orderID: values.orderID)
            if values.orderID != current.orderID { try await invoices.syncStatus(orderID: current.orderID) }
            let updated = try await store.find(id)
            let changes = AuditRecorder.diff(before: current.auditFields, after: updated.auditFields)
            if !changes.isEmpty {
                try await context.audit(on: db).record(.payment, entity: "payment", id: String(id), changes: changes)
            }
        }
        return try await payment(id)
    }

    func delete(_ id: Int) async throws {
        let context = self.context
        try await context.writes.transaction(on: context.db) { db in
            let store = PaymentStore(sql: try db.sql())
            let current = try await store.find(id)
            try await store.delete(id)
            try await InvoiceStore(sql: store.sql).syncStatus(orderID: current.orderID)
            try await context.audit(on: db).record(
                .delete, entity: "payment", id: String(id),
                changes: AuditRecorder.diff(before: current.auditFields, after: [:]))
        }
    }

    /// The stored values after `input`: the order must exist, the invoice must be the order's, the amount
    /// positive and within `MoneyLimits.recordAmount`; a successful payment without a date is paid now.
    private static func resolve(
        _ input: PaymentInput, current: PaymentStore.Payment?, problems: [String: [String]], store: PaymentStore,
        now: Date
    ) async throws -> PaymentStore.Values {
        var problems = problems
        func fail(_ field: String, _ message: String) {
            // A field the edge could not read keeps only the edge's message.
            guard problems[field] == nil else { return }
            problems[field] = [message]
        }
        var values = PaymentStore.Values(
            orderID: current?.orderID ?? "", invoiceID: current?.invoiceID, method: current?.method ?? .bankTransfer,
            status: current?.status ?? .pending, amount: current?.amount ?? 0, currency: current?.currency ?? "RUB",
            transactionID: current?.transactionID ?? "", isPrepayment: current?.isPrepayment ?? false,
            paidAt: current?.paidAt, comment: current?.comment ?? "", metadata: current?.metadata ?? "{}")
        if case .set(let raw) = input.order {
            if let uuid = UUID(uuidString: raw), try await store.orderExists(uuid.uuidString.lowercased()) {
                values.orderID = uuid.uuidString.lowercased()
            } else {
                fail(input.orderField, FieldMessage.missingObject(raw))
            }
        }
        input.invoiceID.apply(to: &values.invoiceID)
        input.method.apply(to: &values.method)
        input.status.apply(to: &values.status)
        if case .set(let amount) = input.amount {
            if amount <= 0 {
                fail("amount", "Сумма платежа должна быть больше нуля.")
            } else if amount > MoneyLimits.recordAmount.kopecks {
                fail("amount", MoneyLimits.recordAmountMessage)
            } else {
                values.amount = amount
            }
        }
        if case .set(let currency) = input.currency { values.currency = currency.uppercased() }
        input.transactionID.apply(to: &values.transactionID)
        input.isPrepayment.apply(to: &values.isPrepayment)
        input.paidAt.apply(to: &values.paidAt)
        input.comment.apply(to: &values.comment)
        input.metadata.apply(to: &values.metadata)
        if let clientID = input.clientID, !values.orderID.isEmpty, problems[input.orderField] == nil,
            try await store.clientOfOrder(values.orderID) != clientID
        {
            fail(input.orderField, "Заявка относится к другому клиенту.")
        }
        if let invoiceID = values.invoiceID, !values.orderID.isEmpty, problems[input.invoiceField] == nil {
            let invoiceOrder = try await store.orderOfInvoice(invoiceID)
            if invoiceOrder == nil {
                fail(input.invoiceField, FieldMessage.missingObject(String(invoiceID)))
            } else if invoiceOrder != values.orderID {
                fail(input.invoiceField, "Счёт относится к другой заявке.")
            }
        }
        if !problems.isEmpty { throw PaymentError.invalid(problems) }
        if values.status == .success, values.paidAt == nil { values.paidAt = now }
        return values
    }
}

/// A payment to record, or the changes to one (`.keep` leaves the stored value).
struct PaymentInput: Sendable {
    /// The order id as given; an unknown order is a field error.
    var order: Patch<String> = .keep
    var invoiceID: Patch<Int?> = .keep
    var method: Patch<PaymentMethod> = .keep
    var status: Patch<PaymentStatus> = .keep
    /// Kopecks.
    var amount: Patch<Int64> = .keep
    var currency: Patch<String> = .keep
    var transactionID: Patch<String> = .keep
    var isPrepayment: Patch<Bool> = .keep
    var paidAt: Patch<Date?> = .keep
    var comment: Patch<String> = .keep
    /// A JSON object, as text.
    var metadata: Patch<String> = .keep
    /// The names the caller used for the order and the invoice (`order` or `order_id`, …), for field errors.
    var orderField = "order"
    var invoiceField = "invoice"
    /// The client the payment is entered for (the web form's choice); the order must be theirs.
    var clientID: Int?
}

/// What the payment rules refuse.
enum PaymentError: APIMappedError, Sendable, Equatable {
    case notFound
    /// Field errors, as the API reports them.
    case invalid([String: [String]])

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .invalid(let fields): FieldErrors(fields)
        }
    }
}

extension Request {
    var payments: PaymentService {
        get throws { PaymentService(context: try services) }
    }
}
