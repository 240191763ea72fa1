import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/reports…`: the finance reports (`ReportService`) as pages; `?export=csv|xlsx` answers the same file as the
/// API (`ReportExports`), so the page's download links work with the session cookie.
struct ReportsWebController {
    @Sendable func index(req: Request) async throws -> Response {
        WebReply.page(ReportsIndexPage(model: ReportsIndexModel(context: req.pageContext())), on: req)
    }

    private static func bounds(_ req: Request) -> (from: String, to: String) {
        (OrdersWebController.day(req.queryValues["from"]), OrdersWebController.day(req.queryValues["to"]))
    }

    /// The export a page's download link asks for (`?export=`), with its period; nil for the page itself.
    private static func export(_ req: Request) throws -> (ExportRequest, ReportPeriod)? {
        guard (req.queryValues["export"] ?? "").isEmpty == false else { return nil }
        let period = try ReportPeriod(request: req)
        guard let export = try ExportRequest.parse(req) else { return nil }
        return (export, period)
    }

    @Sendable func summary(req: Request) async throws -> Response {
        if case let (export, period)? = try Self.export(req) {
            return try await ReportExports.summary(req, export: export, period: period)
        }
        let (from, to) = Self.bounds(req)
        let summary = try await req.reports.summary(try ReportPeriod(request: req))
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
        if case let (export, period)? = try Self.export(req) {
            let filter = try ReportService.Filter(period: period, hoursPerDayIn: req)
            return try await ReportExports.equipment(req, export: export, filter: filter)
        }
        let (from, to) = Self.bounds(req)
        let machines = try await req.reports.machines(try ReportPeriod(request: req))
        let rows = machines.filter { $0.ordersCount > 0 || $0.expenses > 0 }.map { machine in
            EquipmentReportModel.Row(
                name: machine.name, code: machine.code, hours: Double(machine.bookedHours) / 100,
                revenue: machine.netOfRunningCosts, expenses: machine.expenses, fuel: machine.fuel,
                repair: machine.repair)
        }
        let model = EquipmentReportModel(context: req.pageContext(), from: from, to: to, rows: rows)
        return WebReply.page(EquipmentReportPage(model: model), on: req)
    }

    @Sendable func employees(req: Request) async throws -> Response {
        if case let (export, period)? = try Self.export(req) {
            return try await ReportExports.employees(req, export: export, period: period)
        }
        let (from, to) = Self.bounds(req)
        let people = try await req.reports.employees(try ReportPeriod(request: req))
        let rows = people.map { person in
            EmployeesReportModel.Row(
                name: person.fullName, assignments: person.assignments, hours: Double(person.hours) / 100,
                amount: person.total)
        }
        let model = EmployeesReportModel(context: req.pageContext(), from: from, to: to, rows: rows)
        return WebReply.page(EmployeesReportPage(model: model), on: req)
    }
}
