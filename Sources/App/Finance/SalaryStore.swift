import Domain
import Foundation
import SQLKit

/// Reads and changes `salary_records` with plain SQL.
///
/// Queries select from a derived table `s` that adds `work_date`: the start of the record's order (the one
/// date rule of the reports), or when the record was booked if it has no order.
struct SalaryStore {
    let sql: any SQLDatabase
    let timeZone: TimeZone

    struct Record {
        var id: Int
        var userID: Int
        var userName: String
        var orderID: String?
        var orderNumber: String?
        var orderAddress: String?
        var hoursWorked: Int64
        var rateType: String
        var rateValue: Int64
        var amount: Int64
        var status: SalaryStatus
        var paidAt: Date?
        var notes: String
        var workDate: Date
        var createdAt: Date
        var updatedAt: Date
    }

    struct AssignedOrder {
        var id: String
        var number: String
        var clientName: String?
        var address: String
        var status: OrderStatus
        var totalAmount: Int64
        var startAt: Date
        var endAt: Date?
        var salaryAmount: Int64?
        var salaryStatus: String?
        var salaryCreatedAt: Date?
    }

    private static let source: SQLQueryString = """
        (SELECT r.*, COALESCE(o.start_at, r.created_at) AS work_date, o.number AS order_number,
                o.address AS order_address, u.first_name AS user_first_name, u.last_name AS user_last_name,
                u.phone AS user_phone
         FROM salary_records r
         LEFT JOIN orders o ON o.id = r.order_id
         JOIN users u ON u.id = r.user_id) s
        """

    /// `source` without the names: what counts and sums need (the same `s` columns the filters use), so
    /// PostgreSQL skips the joins a filter does not ask for.
    private static let figures: SQLQueryString = """
        (SELECT r.id, r.user_id, r.order_id, r.status, r.amount, r.created_at,
                COALESCE(o.start_at, r.created_at) AS work_date
         FROM salary_records r
         LEFT JOIN orders o ON o.id = r.order_id) s
        """

    func count(_ filter: SQLQueryString) async throws -> Int {
        var query: SQLQueryString = "SELECT COUNT(*) AS n FROM "
        query += Self.figures
        query += " WHERE "
        query += filter
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func records(_ filter: SQLQueryString, limit: Int, offset: Int) async throws -> [Record] {
        var query: SQLQueryString = """
            SELECT s.id, s.user_id, s.order_id, s.hours_worked, s.rate_type, s.rate_value, s.amount, s.status,
                   s.paid_at, s.notes, s.work_date, s.created_at, s.updated_at, s.order_number, s.order_address,
                   s.user_first_name, s.user_last_name, s.user_phone
            FROM 
            """
        query += Self.source
        query += " WHERE "
        query += filter
        query += " ORDER BY s.created_at DESC, s.id DESC LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await sql.raw(query).all(decoding: RecordRow.self).map(\.record)
    }

    func record(_ id: Int) async throws -> Record? {
        try await records("s.id = \(bind: id)", limit: 1, offset: 0).first
    }

    func totalsByStatus(_ filter: SQLQueryString) async throws -> [SalaryStatus: Int64] {
        var query: SQLQueryString =
            "SELECT s.status AS status, CAST(COALESCE(SUM(s.amount), 0) AS BIGINT) AS amount FROM "
        query += Self.source
        query += " WHERE "
        query += filter
        query += " GROUP BY s.status"
        var totals: [SalaryStatus: Int64] = [:]
        for row in try await sql.raw(query).all(decoding: StatusTotal.self) {
            guard let status = SalaryStatus(rawValue: row.status) else { continue }
            totals[status, default: 0] += row.amount
        }
        return totals
    }

    struct OperatorTotals {
        var userID: Int
        var name: String
        var totals: [SalaryStatus: Int64]
    }

    func totalsByOperator(_ filter: SQLQueryString) async throws -> [OperatorTotals] {
        // Sums first, names after: the users are joined to a few rows, not to every record.
        var query: SQLQueryString = """
            SELECT t.user_id, u.first_name AS user_first_name, u.last_name AS user_last_name, u.phone AS user_phone,
                   t.status, t.amount
            FROM (SELECT s.user_id, s.status, CAST(COALESCE(SUM(s.amount), 0) AS BIGINT) AS amount FROM 
            """
        query += Self.figures
        query += " WHERE "
        query += filter
        query += " GROUP BY s.user_id, s.status) t JOIN users u ON u.id = t.user_id"
        var byUser: [Int: OperatorTotals] = [:]
        for row in try await sql.raw(query).all(decoding: OperatorStatusTotal.self) {
            let name = "\(row.user_first_name) \(row.user_last_name)".trimmingCharacters(in: .whitespaces)
            var entry =
                byUser[row.user_id]
                ?? OperatorTotals(
                    userID: row.user_id, name: name.isEmpty ? row.user_phone : name, totals: [:])
            entry.totals[SalaryStatus(rawValue: row.status) ?? .pending, default: 0] += row.amount
            byUser[row.user_id] = entry
        }
        return byUser.values.sorted { ($0.name, $0.userID) < ($1.name, $1.userID) }
    }

    private struct OperatorStatusTotal: Decodable {
        var user_id: Int
        var user_first_name: String
        var user_last_name: String
        var user_phone: String
        var status: String
        var amount: Int64
    }

    private struct StatusTotal: Decodable {
        var status: String
        var amount: Int64
    }

    /// Moves a record from `from` to `to` only if nobody changed it meanwhile; false when it had changed.
    func changeStatus(_ id: Int, from: SalaryStatus, to: SalaryStatus, paidAt: Date?, now: Date) async throws -> Bool {
        let rows = try await sql.raw(
            """
            UPDATE salary_records
            SET status = \(bind: to.rawValue), paid_at = \(bind: paidAt), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND status = \(bind: from.rawValue) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    /// Every order the operator is assigned to (newest work first), with their pay record if there is one.
    func assignedOrders(of userID: Int, period: ReportPeriod) async throws -> [AssignedOrder] {
        var query: SQLQueryString = """
            SELECT o.id, o.number, o.address, o.status, o.total_amount, o.start_at, o.end_at, c.name AS client_name,
                   r.amount AS salary_amount, r.status AS salary_status, r.created_at AS salary_created_at
            FROM order_operators oo
            JOIN orders o ON o.id = oo.order_id
            LEFT JOIN clients c ON c.id = o.client_id
            LEFT JOIN salary_records r ON r.order_id = o.id AND r.user_id = oo.user_id
            WHERE oo.user_id = \(bind: userID)
            """
        query += period.startBounds("o.start_at")
        query += " ORDER BY o.start_at DESC, o.id"
        return try await sql.raw(query).all(decoding: AssignedRow.self).map(\.order)
    }

    /// One row of `assignedOrders`' query.
    private struct AssignedRow: Decodable {
        var id: String
        var number: String
        var address: String
        var status: String
        var total_amount: Int64
        var start_at: Date
        var end_at: Date?
        var client_name: String?
        var salary_amount: Int64?
        var salary_status: String?
        var salary_created_at: Date?

        var order: AssignedOrder {
            AssignedOrder(
                id: id, number: number, clientName: client_name, address: address,
                status: OrderStatus(rawValue: status) ?? .created, totalAmount: total_amount, startAt: start_at,
                endAt: end_at, salaryAmount: salary_amount, salaryStatus: salary_status,
                salaryCreatedAt: salary_created_at)
        }
    }

    /// One row of `records`' query.
    private struct RecordRow: Decodable {
        var id: Int
        var user_id: Int
        var order_id: String?
        var hours_worked: Int64
        var rate_type: String
        var rate_value: Int64
        var amount: Int64
        var status: String
        var paid_at: Date?
        var notes: String
        var work_date: Date
        var created_at: Date
        var updated_at: Date
        var order_number: String?
        var order_address: String?
        var user_first_name: String
        var user_last_name: String
        var user_phone: String

        var record: Record {
            let name = "\(user_first_name) \(user_last_name)".trimmingCharacters(in: .whitespaces)
            return Record(
                id: id, userID: user_id, userName: name.isEmpty ? user_phone : name, orderID: order_id,
                orderNumber: order_number, orderAddress: order_address, hoursWorked: hours_worked, rateType: rate_type,
                rateValue: rate_value, amount: amount, status: SalaryStatus(rawValue: status) ?? .pending,
                paidAt: paid_at, notes: notes, workDate: work_date, createdAt: created_at, updatedAt: updated_at)
        }
    }
}

/// Salary records and assigned orders as the API writes them.
struct SalaryJSON {
    let timeZone: TimeZone

    private func time(_ date: Date?) -> String? { date.map { ISOTime.format($0, in: timeZone) } }

    /// The record JSON (docs/api-contract.md#resources); `brief` leaves out who it belongs to (the operator's
    /// own view).
    func write(_ record: SalaryStore.Record, into writer: inout JSONWriter, brief: Bool = false) {
        writer.beginObject()
        writer.field("id", record.id)
        if !brief {
            writer.field("user_id", record.userID)
            writer.key("user")
            writer.beginObject()
            writer.field("id", record.userID)
            writer.field("full_name", record.userName)
            writer.endObject()
        }
        writer.field("order_id", record.orderID)
        writer.field("order_number", record.orderNumber)
        writer.field("address", record.orderAddress)
        writer.field("amount", FinanceJSON.money(record.amount))
        writer.field("hours_worked", FinanceJSON.hundredths(record.hoursWorked))
        writer.field("status", record.status.rawValue)
        writer.field("status_display", record.status.apiTitle)
        writer.field("rate_type", record.rateType)
        writer.field("rate_type_display", SalaryRateType(rawValue: record.rateType)?.title ?? record.rateType)
        writer.field("rate_value", FinanceJSON.money(record.rateValue))
        writer.field("notes", record.notes)
        writer.field("work_date", time(record.workDate))
        writer.field("created_at", time(record.createdAt))
        writer.field("updated_at", time(record.updatedAt))
        writer.field("paid_at", time(record.paidAt))
        writer.endObject()
    }

    func write(_ order: SalaryStore.AssignedOrder, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", order.id)
        writer.field("number", order.number)
        writer.field("client_name", order.clientName ?? "")
        writer.field("address", order.address)
        writer.field("status", order.status.rawValue)
        writer.field("status_display", order.status.title)
        writer.field("total_amount", FinanceJSON.money(order.totalAmount))
        writer.key("salary")
        if let amount = order.salaryAmount {
            writer.beginObject()
            writer.field("amount", FinanceJSON.money(amount))
            writer.field("status", order.salaryStatus)
            writer.field("created_at", time(order.salaryCreatedAt))
            writer.endObject()
        } else {
            writer.null()
        }
        writer.field("start_dt", time(order.startAt))
        writer.field("end_dt", time(order.endAt))
        writer.endObject()
    }
}
