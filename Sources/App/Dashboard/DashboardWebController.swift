import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// «Главная» (`/`): KPIs over all of the caller's orders (not a first page of them), today's and the next
/// week's orders, and orders created on each of the last 7 calendar days (company time).
struct DashboardWebController {
    @Sendable func show(req: Request) async throws -> Response {
        let caller = try req.caller
        let timeZone = req.application.config.timeZone
        let sql = try req.db.sql()
        let scope = Self.scope(for: caller)
        let todayStart = Self.startOfDay(Date(), timeZone: timeZone)
        let tomorrow = Self.startOfDay(todayStart.addingTimeInterval(30 * 3600), timeZone: timeZone)
        let weekAhead = Self.startOfDay(tomorrow.addingTimeInterval(7 * 86_400 + 6 * 3600), timeZone: timeZone)
        let open = [OrderStatus.created, .approved, .inProgress].map(\.rawValue)

        let data = try OrderPageData(request: req)
        let todayIDs = try await ids(
            sql, scope: scope, from: todayStart, to: tomorrow,
            statuses: OrderStatus.allCases.filter { $0 != .cancelled && $0 != .draft }.map(\.rawValue))
        let upcomingIDs = try await ids(sql, scope: scope, from: tomorrow, to: weekAhead, statuses: open)
        var stats: DashboardModel.Stats?
        if caller.role != .operator {
            stats = try await Self.stats(sql, showRevenue: caller.role == .admin || caller.role == .accountant)
        }
        let model = DashboardModel(
            context: req.pageContext(), stats: stats, today: try await data.summaries(todayIDs),
            upcoming: try await data.summaries(upcomingIDs),
            lastWeek: try await Self.lastWeek(sql, scope: scope, today: todayStart, timeZone: timeZone))
        return WebReply.page(DashboardPage(model: model), on: req)
    }

    /// Operators see only orders they are assigned to.
    static func scope(for caller: Caller) -> (any SQLExpression)? {
        guard caller.role == .operator else { return nil }
        return SQLRaw("id IN (SELECT order_id FROM order_operators WHERE user_id = \(caller.id))")
    }

    /// Midnight (company time) of the day that contains `date`.
    static func startOfDay(_ date: Date, timeZone: TimeZone) -> Date {
        ISOTime.startOfDay(ISOTime.day(of: date, in: timeZone), in: timeZone) ?? date
    }

    private func ids(
        _ sql: any SQLDatabase, scope: (any SQLExpression)?, from: Date, to: Date, statuses: [String]
    ) async throws -> [String] {
        var select = sql.select().column("id").from("orders")
            .where("start_at", .greaterThanOrEqual, from).where("start_at", .lessThan, to)
            .where(SQLColumn("status"), .in, SQLBind.group(statuses))
        if let scope { select = select.where(scope) }
        return try await select.orderBy("start_at").limit(20).all().map { try $0.decode(column: "id", as: String.self) }
    }

    static func stats(_ sql: any SQLDatabase, showRevenue: Bool) async throws -> DashboardModel.Stats {
        let rows = try await sql.raw(
            "SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(total_amount), 0) AS BIGINT) AS total FROM orders GROUP BY status"
        ).all()
        var counts: [String: Int] = [:]
        var revenue: Int64 = 0
        for row in rows {
            let status = try row.decode(column: "status", as: String.self)
            counts[status] = try row.decode(column: "n", as: Int.self)
            if status == OrderStatus.completed.rawValue { revenue = try row.decode(column: "total", as: Int64.self) }
        }
        return DashboardModel.Stats(
            newOrders: (counts["CREATED"] ?? 0) + (counts["APPROVED"] ?? 0), inProgress: counts["IN_PROGRESS"] ?? 0,
            completed: counts["COMPLETED"] ?? 0, revenue: showRevenue ? revenue : nil)
    }

    /// Orders created on each of the last 7 calendar days, oldest first (days without orders count 0).
    static func lastWeek(
        _ sql: any SQLDatabase, scope: (any SQLExpression)?, today: Date, timeZone: TimeZone
    ) async throws -> [DashboardModel.DayCount] {
        var days: [Date] = [today]
        for _ in 0..<6 {
            guard let last = days.first else { break }
            days.insert(startOfDay(last.addingTimeInterval(-18 * 3600), timeZone: timeZone), at: 0)
        }
        guard let first = days.first else { return [] }
        var select = sql.select().column("created_at").from("orders").where("created_at", .greaterThanOrEqual, first)
        if let scope { select = select.where(scope) }
        var counts: [String: Int] = [:]
        for row in try await select.all() {
            counts[ISOTime.day(of: try row.decode(column: "created_at", as: Date.self), in: timeZone), default: 0] += 1
        }
        return days.map { DashboardModel.DayCount(day: $0, count: counts[ISOTime.day(of: $0, in: timeZone)] ?? 0) }
    }
}
