import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/reports…`: the finance report queries (`ReportQueries`) as pages; `?export=csv|xlsx` answers the same
/// file as the API, so the page's download links work with the session cookie.
struct ReportsWebController {
    private let api = ReportsAPIController()

    @Sendable func index(req: Request) async throws -> Response {
        WebReply.page(ReportsIndexPage(model: ReportsIndexModel(context: req.pageContext())), on: req)
    }

    private static func bounds(_ req: Request) -> (from: String, to: String) {
        (OrdersWebController.day(req.queryValues["from"]), OrdersWebController.day(req.queryValues["to"]))
    }

    private static func wantsExport(_ req: Request) -> Bool {
        (req.queryValues["export"] ?? "").isEmpty == false
    }

    @Sendable func summary(req: Request) async throws -> Response {
        if Self.wantsExport(req) { return try await api.summary(req: req) }
        let (from, to) = Self.bounds(req)
        let summary = try await ReportQueries(sql: try req.db.sql(), period: try ReportPeriod(request: req)).summary()
        let equipment = summary.group(.equipment)
        let model = SummaryReportModel(
            context: req.pageContext(), from: from, to: to, revenue: summary.revenue, expenses: summary.expensesTotal,
            fuel: summary.expenses[.fuel] ?? 0, repair: summary.expenses[.repair] ?? 0, salaries: summary.salaries,
            ordersCount: summary.ordersCount, servicesRevenue: summary.group(.services).amount,
            equipmentRevenue: equipment.amount, equipmentHours: Double(equipment.hours) / 100,
            equipmentShifts: Int(equipment.shifts / 100))
        return WebReply.page(SummaryReportPage(model: model), on: req)
    }

    @Sendable func equipment(req: Request) async throws -> Response {
        if Self.wantsExport(req) { return try await api.equipment(req: req) }
        let (from, to) = Self.bounds(req)
        let machines = try await ReportQueries(sql: try req.db.sql(), period: try ReportPeriod(request: req)).equipment()
        let rows = machines.filter { $0.ordersCount > 0 || $0.expenses > 0 }.map { machine in
            EquipmentReportModel.Row(
                name: machine.name, code: machine.code, hours: Double(machine.bookedHours) / 100,
                revenue: machine.netOfRunningCosts, expenses: machine.expenses, fuel: machine.fuel, repair: machine.repair)
        }
        let model = EquipmentReportModel(context: req.pageContext(), from: from, to: to, rows: rows)
        return WebReply.page(EquipmentReportPage(model: model), on: req)
    }

    @Sendable func employees(req: Request) async throws -> Response {
        if Self.wantsExport(req) { return try await api.employees(req: req) }
        let (from, to) = Self.bounds(req)
        let people = try await ReportQueries(sql: try req.db.sql(), period: try ReportPeriod(request: req)).employees()
        let rows = people.map { person in
            EmployeesReportModel.Row(
                name: person.fullName, assignments: person.assignments, hours: Double(person.hours) / 100,
                amount: person.total)
        }
        let model = EmployeesReportModel(context: req.pageContext(), from: from, to: to, rows: rows)
        return WebReply.page(EmployeesReportPage(model: model), on: req)
    }
}
