import Domain
import Foundation
import SQLKit
import Vapor

/// Fuel, repair, rent and other costs, linked to an order and/or a machine. Completion books the fuel and
/// repair of each machine (see `OrderService`); everything else is entered here. Every change is audited.
struct ExpenseService {
    let context: ServiceContext

    /// Which expenses a list shows; day bounds are inclusive `YYYY-MM-DD`.
    struct Filter: Sendable {
        var categories: [String]?
        var orderID: String?
        var equipmentID: Int?
        var reportedByID: Int?
        var firstDays: [String] = []
        var lastDays: [String] = []
        /// Every term must occur in the comment.
        var searchTerms: [String] = []
    }

    static let orderingFields: [String: String] = [
        "date": "e.date", "amount": "e.amount", "category": "e.category", "created_at": "e.created_at", "id": "e.id",
    ]

    private func condition(_ filter: Filter) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        if let categories = filter.categories { condition += " AND e.category IN (\(binds: categories))" }
        if let id = filter.orderID { condition += " AND e.order_id = \(bind: id)" }
        if let id = filter.equipmentID { condition += " AND e.equipment_id = \(bind: id)" }
        if let id = filter.reportedByID { condition += " AND e.reported_by_id = \(bind: id)" }
        for day in filter.firstDays { condition += " AND e.date >= \(bind: day)" }
        for day in filter.lastDays { condition += " AND e.date <= \(bind: day)" }
        for term in filter.searchTerms {
            condition += " AND e.comment LIKE \(bind: "%" + SearchFilter.escapeLike(term) + "%")"
        }
        return condition
    }

    private var store: ExpenseStore {
        get throws { ExpenseStore(sql: try context.db.sql()) }
    }

    func count(_ filter: Filter) async throws -> Int {
        try await store.count(condition(filter))
    }

    /// - Parameter ordering: `?ordering=` as given; the latest day first by default.
    func expenses(_ filter: Filter, ordering: String?, limit: Int, offset: Int) async throws -> [ExpenseStore.Expense] {
        let order = OrderingParser.orderBy(
            ordering, allowed: Self.orderingFields, fallback: ["-e.date", "-e.id"], then: "e.id DESC")
        return try await store.load(condition(filter), order: order, limit: limit, offset: offset)
    }

    func expense(_ id: Int) async throws -> ExpenseStore.Expense {
        try await store.find(id)
    }

    /// The sums of the filtered expenses by category.
    func totalsByCategory(_ filter: Filter) async throws -> [ExpenseCategory: Int64] {
        try await store.totalsByCategory(condition(filter))
    }

    /// Every machine of the catalogue, inactive ones too (an old expense may name one), by name.
    func machines() async throws -> [ExpenseStore.Machine] {
        try await store.machines()
    }

    /// Records an expense reported by the caller.
    /// - Parameter problems: field errors the edge already found in the input, reported with the rules' ones.
    func create(_ input: ExpenseInput, problems: [String: [String]] = [:]) async throws -> ExpenseStore.Expense {
        let context = self.context
        return try await context.writes.transaction(on: context.db) { db in
            let store = ExpenseStore(sql: try db.sql())
            let values = try await Self.resolve(input, current: nil, problems: problems, store: store, context: context)
            let id = try await store.insert(values, reportedBy: context.caller.id)
            let created = try await store.find(id)
            try await context.audit(on: db).record(
                .create, entity: "expense", id: String(id), changes: AuditRecorder.created(created.auditFields))
            return created
        }
    }

    func update(
        _ id: Int, with input: ExpenseInput, problems: [String: [String]] = [:]
    ) async throws
        -> ExpenseStore.Expense
    {
        let context = self.context
        try await context.writes.transaction(on: context.db) { db in
            let store = ExpenseStore(sql: try db.sql())
            let current = try await store.find(id)
            let values = try await Self.resolve(
                input, current: current, problems: problems, store: store, context: context)
            try await store.update(id, with: values)
            let updated = try await store.find(id)
            let changes = AuditRecorder.diff(before: current.auditFields, after: updated.auditFields)
            if !changes.isEmpty {
                try await context.audit(on: db).record(.update, entity: "expense", id: String(id), changes: changes)
            }
        }
        return try await expense(id)
    }

    /// Deletes the expense, and its receipt's photo after the row.
    func delete(_ id: Int) async throws {
        let context = self.context
        let receipt: String? = try await context.writes.transaction(on: context.db) { db in
            let store = ExpenseStore(sql: try db.sql())
            let current = try await store.find(id)
            try await store.delete(id)
            try await context.audit(on: db).record(
                .delete, entity: "expense", id: String(id),
                changes: AuditRecorder.diff(before: current.auditFields, after: [:]))
            return current.receiptKey
        }
        if let receipt { await Self.removeFile(receipt, context: context) }
    }

    /// The stored values after `input`: the order and the machine must exist, the amount must be positive and
    /// within `MoneyLimits.recordAmount`; a new expense without a day is dated today (company time).
    private static func resolve(
        _ input: ExpenseInput, current: ExpenseStore.Expense?, problems: [String: [String]], store: ExpenseStore,
        context: ServiceContext
    ) async throws -> ExpenseStore.Values {
        var problems = problems
        func fail(_ field: String, _ message: String) {
            // A field the edge could not read keeps only the edge's message.
            guard problems[field] == nil else { return }
            problems[field] = [message]
        }
        var values = ExpenseStore.Values(
            orderID: current?.orderID, equipmentID: current?.equipmentID, category: current?.category ?? .other,
            amount: current?.amount ?? 0, date: current?.date ?? ISOTime.day(of: context.now(), in: context.timeZone),
            comment: current?.comment ?? "", attachmentURL: current?.attachmentURL ?? "")
        switch input.order {
        case .keep: break
        case .set(nil): values.orderID = nil
        case .set(let raw?):
            if let uuid = UUID(uuidString: raw), try await store.orderExists(uuid.uuidString.lowercased()) {
                values.orderID = uuid.uuidString.lowercased()
            } else {
                fail(input.orderField, FieldMessage.missingObject(raw))
            }
        }
        switch input.equipmentID {
        case .keep: break
        case .set(nil): values.equipmentID = nil
        case .set(let id?):
            if try await store.equipmentExists(id) {
                values.equipmentID = id
            } else {
                fail(input.equipmentField, FieldMessage.missingObject(String(id)))
            }
        }
        input.category.apply(to: &values.category)
        if case .set(let amount) = input.amount {
            if amount <= 0 {
                fail("amount", "Сумма расхода должна быть больше нуля.")
            } else if amount > MoneyLimits.recordAmount.kopecks {
                fail("amount", MoneyLimits.recordAmountMessage)
            } else {
                values.amount = amount
            }
        }
        input.date.apply(to: &values.date)
        input.comment.apply(to: &values.comment)
        input.attachmentURL.apply(to: &values.attachmentURL)
        if !problems.isEmpty { throw ExpenseError.invalid(problems) }
        return values
    }
}

/// An expense to record, or the changes to one (`.keep` leaves the stored value, `.set(nil)` unlinks).
struct ExpenseInput: Sendable {
    /// The order id as given; an unknown order is a field error.
    var order: Patch<String?> = .keep
    var equipmentID: Patch<Int?> = .keep
    var category: Patch<ExpenseCategory> = .keep
    /// Kopecks.
    var amount: Patch<Int64> = .keep
    /// `YYYY-MM-DD`.
    var date: Patch<String> = .keep
    var comment: Patch<String> = .keep
    var attachmentURL: Patch<String> = .keep
    /// The names the caller used for the order and the machine (`order` or `order_id`, …), for field errors.
    var orderField = "order"
    var equipmentField = "equipment"
}

/// What the expense rules refuse.
enum ExpenseError: APIMappedError, Sendable, Equatable {
    /// Field errors, as the API reports them.
    case invalid([String: [String]])

    var apiError: any Error {
        switch self {
        case .invalid(let fields): FieldErrors(fields)
        }
    }
}

extension Request {
    var expenses: ExpenseService {
        get throws { ExpenseService(context: try services) }
    }
}
