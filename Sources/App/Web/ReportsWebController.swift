import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/reports…`: simple sums over completed orders (by start date, company time) until the Finance issue brings
/// the real report queries and the CSV/XLSX export.
struct ReportsWebController {
    @Sendable func index(req: Request) async throws -> Response {
        WebReply.page(ReportsIndexPage(model: ReportsIndexModel(context: req.pageContext())), on: req)
    }

    struct Period {
        var from: String
        var to: String
        var lower: Date?
        var upper: Date?
    }

    static func period(_ req: Request) -> Period {
        let timeZone = req.application.config.timeZone
        let from = OrdersWebController.day(req.query[String.self, at: "from"])
        let to = OrdersWebController.day(req.query[String.self, at: "to"])
        let lower = from.isEmpty ? nil : ISOTime.startOfDay(from, in: timeZone)
        let upper = to.isEmpty
            ? nil
            : ISOTime.startOfDay(to, in: timeZone).map {
                DashboardWebController.startOfDay($0.addingTimeInterval(30 * 3600), timeZone: timeZone)
            }
        return Period(from: from, to: to, lower: lower, upper: upper)
    }

    /// `o.status = 'COMPLETED'` and the period on `o.start_at`.
    static func completedOrders(_ period: Period) -> [any SQLExpression] {
        var filters: [any SQLExpression] = [
            SQLBinaryExpression(SQLColumn("status", table: "o"), .equal, SQLBind(OrderStatus.completed.rawValue))
        ]
        if let lower = period.lower {
            filters.append(SQLBinaryExpression(SQLColumn("start_at", table: "o"), .greaterThanOrEqual, SQLBind(lower)))
        }
        if let upper = period.upper {
            filters.append(SQLBinaryExpression(SQLColumn("start_at", table: "o"), .lessThan, SQLBind(upper)))
        }
        return filters
    }

    /// `SUM` of a BIGINT column as BIGINT (PostgreSQL's `SUM` answers NUMERIC), 0 when there are no rows.
    /// `column` is a literal `table.column` of this file, never user input.
    static func sum(_ column: String) -> any SQLExpression {
        SQLRaw("CAST(COALESCE(SUM(\(column)), 0) AS BIGINT)")
    }

    private static func orders() -> any SQLExpression { SQLAlias(SQLIdentifier("orders"), as: SQLIdentifier("o")) }

    @Sendable func summary(req: Request) async throws -> Response {
        let period = Self.period(req)
        let sql = try req.db.sql()
        let filters = Self.completedOrders(period)
        var totals = sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(Self.sum("o.total_amount"), as: "revenue")
            .from(Self.orders())
        for filter in filters { totals = totals.where(filter) }
        let row = try await totals.first()
        let count = try row?.decode(column: "n", as: Int.self) ?? 0
        let revenue = try row?.decode(column: "revenue", as: Int64.self) ?? 0

        var expenses = sql.select()
            .column(SQLColumn("category", table: "x"))
            .column(Self.sum("x.amount"), as: "amount")
            .from(SQLAlias(SQLIdentifier("expenses"), as: SQLIdentifier("x")))
            .join(Self.orders(), on: SQLRaw("o.id = x.order_id"))
            .groupBy(SQLColumn("category", table: "x"))
        for filter in filters { expenses = expenses.where(filter) }
        var byCategory: [String: Int64] = [:]
        for row in try await expenses.all() {
            byCategory[try row.decode(column: "category", as: String.self)] = try row.decode(column: "amount", as: Int64.self)
        }
        var salaries = sql.select()
            .column(Self.sum("s.amount"), as: "amount")
            .from(SQLAlias(SQLIdentifier("salary_records"), as: SQLIdentifier("s")))
            .join(Self.orders(), on: SQLRaw("o.id = s.order_id"))
        for filter in filters { salaries = salaries.where(filter) }
        let salaryTotal = try await salaries.first()?.decode(column: "amount", as: Int64.self) ?? 0

        let model = SummaryReportModel(
            context: req.pageContext(), from: period.from, to: period.to, revenue: revenue,
            expenses: byCategory.values.reduce(0, +), fuel: byCategory[ExpenseCategory.fuel.rawValue] ?? 0,
            repair: byCategory[ExpenseCategory.repair.rawValue] ?? 0, salaries: salaryTotal, ordersCount: count)
        return WebReply.page(SummaryReportPage(model: model), on: req)
    }

    @Sendable func equipment(req: Request) async throws -> Response {
        let period = Self.period(req)
        let sql = try req.db.sql()
        let filters = Self.completedOrders(period)
        var lines = sql.select()
            .column(SQLColumn("ref_id", table: "i"))
            .column(Self.sum("i.quantity"), as: "quantity")
            .from(SQLAlias(SQLIdentifier("order_items"), as: SQLIdentifier("i")))
            .join(Self.orders(), on: SQLRaw("o.id = i.order_id"))
            .where(SQLColumn("item_type", table: "i"), .equal, SQLBind(ItemType.equipment.rawValue))
            .groupBy(SQLColumn("ref_id", table: "i"))
        for filter in filters { lines = lines.where(filter) }
        var hours: [Int: Int64] = [:]
        for row in try await lines.all() {
            guard let id = try row.decode(column: "ref_id", as: Int?.self) else { continue }
            hours[id] = try row.decode(column: "quantity", as: Int64.self)
        }
        var costs = sql.select()
            .column(SQLColumn("equipment_id", table: "x")).column(SQLColumn("category", table: "x"))
            .column(Self.sum("x.amount"), as: "amount")
            .from(SQLAlias(SQLIdentifier("expenses"), as: SQLIdentifier("x")))
            .join(Self.orders(), on: SQLRaw("o.id = x.order_id"))
            .groupBy(SQLColumn("equipment_id", table: "x")).groupBy(SQLColumn("category", table: "x"))
        for filter in filters { costs = costs.where(filter) }
        var expenses: [Int: [String: Int64]] = [:]
        for row in try await costs.all() {
            guard let id = try row.decode(column: "equipment_id", as: Int?.self) else { continue }
            expenses[id, default: [:]][try row.decode(column: "category", as: String.self)] = try row.decode(column: "amount", as: Int64.self)
        }
        let ids = Array(Set(hours.keys).union(expenses.keys))
        var rows: [EquipmentReportModel.Row] = []
        if !ids.isEmpty {
            for row in try await sql.select().columns("id", "code", "name").from("equipment").where("id", .in, ids)
                .orderBy("name").all()
            {
                let id = try row.decode(column: "id", as: Int.self)
                let spent = expenses[id] ?? [:]
                rows.append(
                    EquipmentReportModel.Row(
                        name: try row.decode(column: "name", as: String.self), code: try row.decode(column: "code", as: String.self),
                        hours: Double(hours[id] ?? 0) / 100, revenue: 0, expenses: spent.values.reduce(0, +),
                        fuel: spent[ExpenseCategory.fuel.rawValue] ?? 0, repair: spent[ExpenseCategory.repair.rawValue] ?? 0))
            }
        }
        let model = EquipmentReportModel(context: req.pageContext(), from: period.from, to: period.to, rows: rows)
        return WebReply.page(EquipmentReportPage(model: model), on: req)
    }

    @Sendable func employees(req: Request) async throws -> Response {
        let period = Self.period(req)
        let sql = try req.db.sql()
        var select = sql.select()
            .column(SQLColumn("user_id", table: "s"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(Self.sum("s.hours_worked"), as: "hours")
            .column(Self.sum("s.amount"), as: "amount")
            .from(SQLAlias(SQLIdentifier("salary_records"), as: SQLIdentifier("s")))
            .join(Self.orders(), on: SQLRaw("o.id = s.order_id"))
            .groupBy(SQLColumn("user_id", table: "s"))
        for filter in Self.completedOrders(period) { select = select.where(filter) }
        var totals: [Int: (count: Int, hours: Int64, amount: Int64)] = [:]
        for row in try await select.all() {
            totals[try row.decode(column: "user_id", as: Int.self)] = (
                try row.decode(column: "n", as: Int.self), try row.decode(column: "hours", as: Int64.self),
                try row.decode(column: "amount", as: Int64.self)
            )
        }
        var rows: [EmployeesReportModel.Row] = []
        if !totals.isEmpty {
            for row in try await sql.select().columns("id", "first_name", "last_name", "phone").from("users")
                .where("id", .in, Array(totals.keys)).orderBy("first_name").orderBy("last_name").all()
            {
                let id = try row.decode(column: "id", as: Int.self)
                guard let total = totals[id] else { continue }
                rows.append(
                    EmployeesReportModel.Row(
                        name: OrderPageData.fullName(
                            try row.decode(column: "first_name", as: String.self),
                            try row.decode(column: "last_name", as: String.self),
                            phone: try row.decode(column: "phone", as: String.self)),
                        assignments: total.count, hours: Double(total.hours) / 100, amount: total.amount))
            }
        }
        let model = EmployeesReportModel(context: req.pageContext(), from: period.from, to: period.to, rows: rows)
        return WebReply.page(EmployeesReportPage(model: model), on: req)
    }
}
