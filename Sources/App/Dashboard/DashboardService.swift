import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// The figures of «Главная»: KPIs over all of the caller's orders (not a first page of them), today's and the
/// next week's orders, and orders created on each of the last 7 calendar days (company time). Operators see
/// only the orders they are assigned to, and no KPIs; only admins and accountants see revenue.
struct DashboardService {
    let context: ServiceContext

    private var sql: any SQLDatabase {
        get throws { try context.db.sql() }
    }

    /// Operators see only orders they are assigned to.
    private var scope: (any SQLExpression)? {
        guard context.caller.role == .operator else { return nil }
        return SQLRaw("id IN (SELECT order_id FROM order_operators WHERE user_id = \(context.caller.id))")
    }

    /// Midnight (company time) of the day that contains `date`.
    func startOfDay(_ date: Date) -> Date {
        ISOTime.startOfDay(ISOTime.day(of: date, in: context.timeZone), in: context.timeZone) ?? date
    }

    /// Today's orders (any status but draft and cancelled) and the next 7 days' open ones, 20 each by start.
    func agenda() async throws -> (today: [String], upcoming: [String]) {
        let todayStart = startOfDay(context.now())
        let tomorrow = startOfDay(todayStart.addingTimeInterval(30 * 3600))
        let weekAhead = startOfDay(tomorrow.addingTimeInterval(7 * 86_400 + 6 * 3600))
        let open = [OrderStatus.created, .approved, .inProgress].map(\.rawValue)
        let today = try await ids(
            from: todayStart, to: tomorrow,
            statuses: OrderStatus.allCases.filter { $0 != .cancelled && $0 != .draft }.map(\.rawValue))
        return (today, try await ids(from: tomorrow, to: weekAhead, statuses: open))
    }

    private struct IDRow: Decodable { var id: String }

    private func ids(from: Date, to: Date, statuses: [String]) async throws -> [String] {
        var select = try sql.select().column("id").from("orders")
            .where("start_at", .greaterThanOrEqual, from).where("start_at", .lessThan, to)
            .where(SQLColumn("status"), .in, SQLBind.group(statuses))
        if let scope { select = select.where(scope) }
        return try await select.orderBy("start_at").limit(20).all(decoding: IDRow.self).map(\.id)
    }

    private struct StatusRow: Decodable {
        var status: String
        var n: Int
        var total: Int64
    }

    /// Order counts by stage over all orders; nil for operators.
    func stats() async throws -> DashboardModel.Stats? {
        let role = context.caller.role
        guard role != .operator else { return nil }
        let rows = try await sql.raw(
            """
            SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(total_amount), 0) AS BIGINT) AS total
            FROM orders GROUP BY status
            """
        ).all(decoding: StatusRow.self)
        var counts: [String: Int] = [:]
        var revenue: Int64 = 0
        for row in rows {
            counts[row.status] = row.n
            if row.status == OrderStatus.completed.rawValue { revenue = row.total }
        }
        return DashboardModel.Stats(
            newOrders: (counts["CREATED"] ?? 0) + (counts["APPROVED"] ?? 0), inProgress: counts["IN_PROGRESS"] ?? 0,
            completed: counts["COMPLETED"] ?? 0, revenue: role == .admin || role == .accountant ? revenue : nil)
    }

    private struct CreatedRow: Decodable { var created_at: Date }

    /// Orders created on each of the last 7 calendar days, oldest first (days without orders count 0).
    func lastWeek() async throws -> [DashboardModel.DayCount] {
        let timeZone = context.timeZone
        var days: [Date] = [startOfDay(context.now())]
        for _ in 0..<6 {
            guard let last = days.first else { break }
            days.insert(startOfDay(last.addingTimeInterval(-18 * 3600)), at: 0)
        }
        guard let first = days.first else { return [] }
        var select = try sql.select().column("created_at").from("orders")
            .where("created_at", .greaterThanOrEqual, first)
        if let scope { select = select.where(scope) }
        var counts: [String: Int] = [:]
        for row in try await select.all(decoding: CreatedRow.self) {
            counts[ISOTime.day(of: row.created_at, in: timeZone), default: 0] += 1
        }
        return days.map { DashboardModel.DayCount(day: $0, count: counts[ISOTime.day(of: $0, in: timeZone)] ?? 0) }
    }
}

extension Request {
    var dashboard: DashboardService {
        get throws { DashboardService(context: try services) }
    }
}
