import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Operator pay records: the payout workflow `pending → approved → paid` (admins and accountants) and an
/// operator's own pay. An operator only ever sees his own records: another operator's record is "not found".
struct SalaryService {
    let context: ServiceContext

    private var store: SalaryStore {
        get throws { SalaryStore(sql: try context.db.sql(), timeZone: context.timeZone) }
    }

    /// Which records a list shows; an operator's list is always his own.
    struct Filter: Sendable {
        var userID: Int?
        var orderID: String?
        var status: SalaryStatus?
        var period: ReportPeriod
    }

    private func condition(_ filter: Filter) -> SQLQueryString {
        var condition: SQLQueryString = "1 = 1"
        if context.caller.role == .operator {
            condition += " AND s.user_id = \(bind: context.caller.id)"
        }
        if let id = filter.userID { condition += " AND s.user_id = \(bind: id)" }
        if let id = filter.orderID { condition += " AND s.order_id = \(bind: id)" }
        if let status = filter.status { condition += " AND s.status = \(bind: status.rawValue)" }
        condition += filter.period.startBounds("s.work_date")
        return condition
    }

    func count(_ filter: Filter) async throws -> Int {
        try await store.count(condition(filter))
    }

    /// Newest first.
    func records(_ filter: Filter, limit: Int, offset: Int) async throws -> [SalaryStore.Record] {
        try await store.records(condition(filter), limit: limit, offset: offset)
    }

    /// Each operator's sums by status over the filtered records, by name.
    func totalsByOperator(_ filter: Filter) async throws -> [SalaryStore.OperatorTotals] {
        try await store.totalsByOperator(condition(filter))
    }

    func record(_ id: Int) async throws -> SalaryStore.Record {
        guard let record = try await store.record(id), mayRead(record) else { throw SalaryError.notFound }
        return record
    }

    private func mayRead(_ record: SalaryStore.Record) -> Bool {
        context.caller.role != .operator || record.userID == context.caller.id
    }

    /// One step of the payout workflow (`SalaryStatus.checkTransition`); a paid record is final and gets
    /// `paid_at`. The operator hears about it after the commit.
    func changeStatus(_ id: Int, to target: SalaryStatus) async throws -> SalaryStore.Record {
        let context = self.context
        let now = context.now()
        let record = try await context.writes.transaction(on: context.db) { db in
            let store = SalaryStore(sql: try db.sql(), timeZone: context.timeZone)
            guard let record = try await store.record(id) else { throw SalaryError.notFound }
            if case .rejected(let reason, _) = record.status.checkTransition(to: target) {
                throw SalaryError.transitionRefused(reason)
            }
            let changed = try await store.changeStatus(
                id, from: record.status, to: target, paidAt: target == .paid ? now : nil, now: now)
            guard changed else { throw SalaryError.changedMeanwhile }
            try await context.audit(on: db).record(
                target == .paid ? .payment : .statusChange, entity: "salary_record", id: String(id),
                changes: [
                    "status": .object(["from": .string(record.status.rawValue), "to": .string(target.rawValue)]),
                    "amount": .string(FinanceJSON.money(record.amount)),
                    "user_id": .number(Decimal(record.userID)),
                ])
            return record
        }
        await context.notifier.salaryStatusChanged(
            userID: record.userID, orderID: record.orderID, orderNumber: record.orderNumber,
            amountKopecks: record.amount, status: target)
        return try await self.record(id)
    }

    // MARK: - The caller's own pay

    /// The caller's pay in a period: totals by status, the records and every order he is assigned to.
    struct Overview: Sendable {
        var totals: [SalaryStatus: Int64]
        var records: [SalaryStore.Record]
        var orders: [SalaryStore.AssignedOrder]
        var total: Int64 { totals.values.reduce(0, +) }
    }

    func overview(of period: ReportPeriod) async throws -> Overview {
        let store = try self.store
        var filter: SQLQueryString = "s.user_id = \(bind: context.caller.id)"
        filter += period.startBounds("s.work_date")
        return Overview(
            totals: try await store.totalsByStatus(filter),
            records: try await store.records(filter, limit: 10_000, offset: 0),
            orders: try await store.assignedOrders(of: context.caller.id, period: period))
    }

    /// One of the caller's records for «Мои зарплаты».
    struct OwnRecord: Decodable, Sendable {
        var order_id: String?
        var amount: Int64
        var status: String
        var created_at: Date
        var number: String?
        var start_at: Date?
        var address: String?
        var client_name: String?

        /// The order's start, or when the record was booked if it has no order.
        var date: Date { start_at ?? created_at }
    }

    /// The caller's records whose date (see `OwnRecord.date`) falls on `firstDay`…`lastDay` (company days,
    /// both inclusive, either may be empty for an open bound), newest first.
    func ownRecords(firstDay: String, lastDay: String) async throws -> [OwnRecord] {
        let timeZone = context.timeZone
        let rows = try await context.db.sql().raw(
            """
            SELECT s.order_id, s.amount, s.status, s.created_at, o.number, o.start_at, o.address, c.name AS client_name
            FROM salary_records s
            LEFT JOIN orders o ON o.id = s.order_id
            LEFT JOIN clients c ON c.id = o.client_id
            WHERE s.user_id = \(bind: context.caller.id)
            """
        ).all(decoding: OwnRecord.self)
        let lower = firstDay.isEmpty ? nil : ISOTime.startOfDay(firstDay, in: timeZone)
        let upper =
            lastDay.isEmpty
            ? nil
            : ISOTime.startOfDay(lastDay, in: timeZone).map {
                Self.startOfDay($0.addingTimeInterval(30 * 3600), timeZone: timeZone)
            }
        return rows.filter { row in
            if let lower, row.date < lower { return false }
            if let upper, row.date >= upper { return false }
            return true
        }.sorted { $0.date > $1.date }
    }

    /// Midnight (company time) of the day that contains `date`.
    private static func startOfDay(_ date: Date, timeZone: TimeZone) -> Date {
        ISOTime.startOfDay(ISOTime.day(of: date, in: timeZone), in: timeZone) ?? date
    }
}

/// What the salary rules refuse.
enum SalaryError: APIMappedError, Sendable, Equatable {
    /// No such record, or another operator's.
    case notFound
    /// The workflow does not allow this step (the reason is the user's message).
    case transitionRefused(String)
    /// Someone changed the record between reading and writing it.
    case changedMeanwhile

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .transitionRefused(let reason): FieldErrors("status", reason)
        case .changedMeanwhile:
            APIError.conflict("Запись зарплаты изменилась одновременно с вашим запросом. Обновите страницу.")
        }
    }
}

extension Request {
    var salaries: SalaryService {
        get throws { SalaryService(context: try services) }
    }
}
