import Domain
import Foundation
import SQLKit

/// The finance reports (docs/domain-rules.md#reports), aggregated by the database with GROUP BY / SUM in SQL that
/// runs unchanged on SQLite and PostgreSQL. Every sum is cast to BIGINT so both drivers return integers
/// (kopecks, or hundredths for hours).
///
/// One rule for which records count in a period, everywhere (see `ReportPeriod`): completed orders whose work
/// started in the period, with their lines, expenses and salaries; expenses and salaries without an order (or of
/// a cancelled order) by their own date.
struct ReportQueries {
    let sql: any SQLDatabase
    let period: ReportPeriod

    // MARK: - Summary

    struct GroupTotals: Sendable {
        var amount: Int64 = 0
        /// Σ `quantity`, hundredths (mixed units: m³, pieces, hours).
        var quantity: Int64 = 0
        var hours: Int64 = 0
        var shifts: Int64 = 0
        var bookedHours: Int64 = 0
    }

    struct Summary: Sendable {
        var ordersCount = 0
        /// Σ `orders.total_amount`.
        var revenue: Int64 = 0
        var groups: [RevenueGroup: GroupTotals] = [:]
        var expenses: [ExpenseCategory: Int64] = [:]
        var salaries: Int64 = 0

        func group(_ group: RevenueGroup) -> GroupTotals { groups[group] ?? GroupTotals() }
        /// What the order totals hold beyond their lines: late-delivery reductions, and the manager's estimate
        /// on orders completed without lines. With it the breakdown adds up to `revenue` exactly.
        var otherRevenue: Int64 { revenue - RevenueGroup.allCases.reduce(0) { $0 + group($1).amount } }
        var expensesTotal: Int64 { expenses.values.reduce(0, +) }
        func expenses(_ category: ExpenseCategory) -> Int64 { expenses[category] ?? 0 }
        /// Revenue − expenses − salaries.
        var margin: Int64 { revenue - expensesTotal - salaries }
    }

    func summary() async throws -> Summary {
        var summary = Summary()
        var orders: SQLQueryString = """
            SELECT COUNT(*) AS orders_count, CAST(COALESCE(SUM(o.total_amount), 0) AS BIGINT) AS revenue
            FROM orders o WHERE 
            """
        orders += period.completedOrder("o")
        if let row = try await sql.raw(orders).first(decoding: OrdersRow.self) {
            summary.ordersCount = row.orders_count
            summary.revenue = row.revenue
        }

        var lines: SQLQueryString = """
            SELECT li.revenue_group AS revenue_group,
                   CAST(COALESCE(SUM(li.line_total), 0) AS BIGINT) AS amount,
                   CAST(COALESCE(SUM(li.quantity), 0) AS BIGINT) AS quantity,
                   CAST(COALESCE(SUM(li.hours), 0) AS BIGINT) AS hours,
                   CAST(COALESCE(SUM(li.shifts), 0) AS BIGINT) AS shifts,
                   CAST(COALESCE(SUM(li.booked_hours), 0) AS BIGINT) AS booked_hours
            FROM order_items li JOIN orders o ON o.id = li.order_id
            WHERE 
            """
        lines += period.completedOrder("o")
        lines += " GROUP BY li.revenue_group"
        for row in try await sql.raw(lines).all(decoding: GroupRow.self) {
            guard let group = RevenueGroup(rawValue: row.revenue_group) else { continue }
            summary.groups[group] = GroupTotals(
                amount: row.amount, quantity: row.quantity, hours: row.hours, shifts: row.shifts,
                bookedHours: row.booked_hours)
        }

        var expenses: SQLQueryString =
            "SELECT e.category AS category, CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) AS amount FROM ("
        expenses += period.countedRecords(.expenses, columns: "r.category AS category, r.amount AS amount")
        expenses += ") e GROUP BY e.category"
        for row in try await sql.raw(expenses).all(decoding: CategoryRow.self) {
            summary.expenses[ExpenseCategory(rawValue: row.category) ?? .other, default: 0] += row.amount
        }

        var salaries: SQLQueryString = "SELECT CAST(COALESCE(SUM(s.amount), 0) AS BIGINT) AS amount FROM ("
        salaries += period.countedRecords(.salaryRecords, columns: "r.amount AS amount")
        salaries += ") s"
        summary.salaries = try await sql.raw(salaries).first(decoding: AmountRow.self)?.amount ?? 0
        return summary
    }

    private struct OrdersRow: Decodable {
        var orders_count: Int
        var revenue: Int64
    }

    private struct GroupRow: Decodable {
        var revenue_group: String
        var amount: Int64
        var quantity: Int64
        var hours: Int64
        var shifts: Int64
        var booked_hours: Int64
    }

    private struct CategoryRow: Decodable {
        var category: String
        var amount: Int64
    }

    private struct AmountRow: Decodable {
        var amount: Int64
    }

    // MARK: - Equipment

    struct MachineRow: Decodable, Sendable {
        var equipmentID: Int
        var name: String
        var code: String
        var status: String
        var ordersCount: Int
        /// Σ line totals of the machine's lines.
        var gross: Int64
        var hours: Int64
        var shifts: Int64
        var bookedHours: Int64
        var fuel: Int64
        var repair: Int64
        var otherExpenses: Int64
        /// The operators' pay of the machine's orders, shared between an order's machines by booked hours.
        var operatorPay: Int64

        var expenses: Int64 { fuel + repair + otherExpenses }
        /// Gross − fuel − repair: the original's `revenue` of the equipment report.
        var netOfRunningCosts: Int64 { gross - fuel - repair }
        /// Gross − fuel − repair − operator pay.
        var margin: Int64 { gross - fuel - repair - operatorPay }

        enum CodingKeys: String, CodingKey {
            case equipmentID = "equipment_id", name, code, status, ordersCount = "orders_count", gross, hours, shifts
            case bookedHours = "booked_hours", fuel, repair, otherExpenses = "other_expenses"
            case operatorPay = "operator_pay"
        }
    }

    /// Every machine that is not retired or that had work or expenses in the period, by id.
    ///
    /// One pass over the period's machine lines: the window functions give each line its order's booked hours
    /// and line count (for sharing the operators' pay) and mark a machine's first line in an order (for
    /// `orders_count`), so no source is aggregated twice and nothing is multiplied by a join. On PostgreSQL the
    /// lines, the completed orders and the salary sums come from covering indexes in order id order
    /// (`AddReportIndexes`) and are merge-joined. The item type is written as a literal so that both databases
    /// can use the partial index of machine lines.
    func equipment() async throws -> [MachineRow] {
        var query: SQLQueryString = """
            SELECT eq.id AS equipment_id, eq.name AS name, eq.code AS code, eq.status AS status,
                   COALESCE(l.orders_count, 0) AS orders_count,
                   CAST(COALESCE(l.gross, 0) AS BIGINT) AS gross,
                   CAST(COALESCE(l.hours, 0) AS BIGINT) AS hours,
                   CAST(COALESCE(l.shifts, 0) AS BIGINT) AS shifts,
                   CAST(COALESCE(l.booked_hours, 0) AS BIGINT) AS booked_hours,
                   CAST(COALESCE(x.fuel, 0) AS BIGINT) AS fuel,
                   CAST(COALESCE(x.repair, 0) AS BIGINT) AS repair,
                   CAST(COALESCE(x.other, 0) AS BIGINT) AS other_expenses,
                   CAST(COALESCE(l.operator_pay, 0) AS BIGINT) AS operator_pay
            FROM equipment eq
            LEFT JOIN (
                SELECT w.equipment_id AS equipment_id, SUM(w.first_of_machine) AS orders_count,
                       CAST(SUM(w.line_total) AS BIGINT) AS gross, CAST(SUM(w.hours) AS BIGINT) AS hours,
                       CAST(SUM(w.shifts) AS BIGINT) AS shifts, CAST(SUM(w.booked_hours) AS BIGINT) AS booked_hours,
                       CAST(SUM(CASE WHEN w.order_booked_hours > 0
                                     THEN (sp.pay * w.booked_hours) / w.order_booked_hours
                                     ELSE sp.pay / w.order_lines END) AS BIGINT) AS operator_pay
                FROM (
                    SELECT li.ref_id AS equipment_id, li.order_id AS order_id, li.line_total AS line_total,
                           li.hours AS hours, li.shifts AS shifts, li.booked_hours AS booked_hours,
                           CAST(SUM(li.booked_hours) OVER (PARTITION BY li.order_id) AS BIGINT) AS order_booked_hours,
                           COUNT(*) OVER (PARTITION BY li.order_id) AS order_lines,
                           CASE WHEN ROW_NUMBER() OVER (PARTITION BY li.order_id, li.ref_id) = 1 THEN 1 ELSE 0 END
                               AS first_of_machine
                    FROM order_items li JOIN orders o ON o.id = li.order_id
                    WHERE li.item_type = 'equipment' AND li.ref_id IS NOT NULL AND 
            """
        query += period.completedOrder("o")
        query += """
                ) w
                LEFT JOIN (SELECT s.order_id AS order_id, CAST(SUM(s.amount) AS BIGINT) AS pay
                           FROM salary_records s JOIN orders o ON o.id = s.order_id WHERE 
            """
        query += period.completedOrder("o")
        query += """
                 GROUP BY s.order_id) sp
                  ON sp.order_id = w.order_id
                GROUP BY w.equipment_id
            ) l ON l.equipment_id = eq.id
            LEFT JOIN (
                SELECT e.equipment_id AS equipment_id,
                       CAST(SUM(CASE WHEN e.category = \(bind: "fuel") THEN e.amount ELSE 0 END) AS BIGINT) AS fuel,
                       CAST(SUM(CASE WHEN e.category = \(bind: "repair") THEN e.amount ELSE 0 END) AS BIGINT) AS repair,
                       CAST(SUM(CASE WHEN e.category IN (\(bind: "fuel"), \(bind: "repair")) THEN 0 ELSE e.amount END)
                            AS BIGINT) AS other
                FROM (
            """
        query += period.countedRecords(
            .expenses, columns: "r.equipment_id AS equipment_id, r.category AS category, r.amount AS amount")
        query += """
                ) e WHERE e.equipment_id IS NOT NULL
                GROUP BY e.equipment_id
            ) x ON x.equipment_id = eq.id
            WHERE eq.status <> \(bind: "inactive") OR l.equipment_id IS NOT NULL OR x.equipment_id IS NOT NULL
            ORDER BY eq.id
            """
        return try await sql.raw(query).all(decoding: MachineRow.self)
    }

    /// The calendar days the period covers. Open bounds are closed by the first and last completed order
    /// of the period; `0` when there is nothing to measure against.
    func periodDays(timeZone: TimeZone) async throws -> Int {
        var first = period.firstDay
        var last = period.lastDay
        if first == nil || last == nil {
            var query: SQLQueryString =
                "SELECT MIN(o.start_at) AS first_start, MAX(o.start_at) AS last_start FROM orders o WHERE "
            query += period.completedOrder("o")
            if let row = try await sql.raw(query).first(decoding: StartsRow.self) {
                first = first ?? row.first_start.map { ISOTime.day(of: $0, in: timeZone) }
                last = last ?? row.last_start.map { ISOTime.day(of: $0, in: timeZone) }
            }
        }
        guard let first, let last, let from = ISOTime.parseDay(first), let to = ISOTime.parseDay(last) else { return 0 }
        let days =
            ISOTime.daysFromCivil(year: to.year, month: to.month, day: to.day)
            - ISOTime.daysFromCivil(year: from.year, month: from.month, day: from.day) + 1
        return max(Int(days), 0)
    }

    private struct StartsRow: Decodable {
        var first_start: Date?
        var last_start: Date?
    }

    // MARK: - Employees

    struct EmployeeRow: Decodable, Sendable {
        var userID: Int
        var firstName: String
        var lastName: String
        var phone: String
        var total: Int64
        var hours: Int64
        var assignments: Int
        var pending: Int64
        var approved: Int64
        var paid: Int64

        var fullName: String {
            let name = "\(firstName) \(lastName)".trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? phone : name
        }

        enum CodingKeys: String, CodingKey {
            case userID = "user_id", firstName = "first_name", lastName = "last_name", phone, total, hours
            case assignments, pending, approved, paid
        }
    }

    /// Pay per person in the period (any status, split by status), largest first.
    func employees() async throws -> [EmployeeRow] {
        var query: SQLQueryString = """
            SELECT s.user_id AS user_id, u.first_name AS first_name, u.last_name AS last_name, u.phone AS phone,
                   CAST(SUM(s.amount) AS BIGINT) AS total, CAST(SUM(s.hours_worked) AS BIGINT) AS hours,
                   COUNT(*) AS assignments,
                   CAST(SUM(CASE WHEN s.status = \(bind: "pending") THEN s.amount ELSE 0 END) AS BIGINT) AS pending,
                   CAST(SUM(CASE WHEN s.status = \(bind: "approved") THEN s.amount ELSE 0 END) AS BIGINT) AS approved,
                   CAST(SUM(CASE WHEN s.status = \(bind: "paid") THEN s.amount ELSE 0 END) AS BIGINT) AS paid
            FROM (
            """
        query += period.countedRecords(
            .salaryRecords,
            columns: "r.user_id AS user_id, r.amount AS amount, r.hours_worked AS hours_worked, r.status AS status")
        query += """
            ) s
            JOIN users u ON u.id = s.user_id
            GROUP BY s.user_id, u.first_name, u.last_name, u.phone ORDER BY total DESC, user_id
            """
        return try await sql.raw(query).all(decoding: EmployeeRow.self)
    }
}
