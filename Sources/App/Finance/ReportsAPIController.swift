import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/reports/summary|equipment|employees/` (docs/domain-rules.md#reports), for admins and accountants.
/// `?from=&to=` (inclusive days in the company zone, by the work's start) and `?export=csv|xlsx`.
struct ReportsAPIController {
    static let forbidden = "Доступ к отчетам разрешен только администраторам и бухгалтерам"

    /// Hours a machine can work per calendar day, for utilisation: one shift (the pricing's 8 h day).
    static let defaultHoursPerDay = 8

    @Sendable func summary(req: Request) async throws -> Response {
        let period = try ReportPeriod(request: req)
        let export = try ExportRequest.parse(req)
        let summary = try await ReportQueries(sql: try req.db.sql(), period: period).summary()
        if let export {
            try await recordExport(req, report: "summary", export: export, period: period)
            return try await TableExport.respond(
                req, export: export, filename: "summary-report", sheetName: "Общий отчёт",
                headers: ["Показатель", "Значение", "Подробности"]
            ) { table in
                for row in SummaryReportFormat.rows(summary) { try table.write(row) }
            }
        }
        var writer = JSONWriter()
        SummaryReportFormat.write(summary, period: period, into: &writer)
        return FinanceJSON.response(writer)
    }

    @Sendable func equipment(req: Request) async throws -> Response {
        let period = try ReportPeriod(request: req)
        let export = try ExportRequest.parse(req)
        var errors: [String: [String]] = [:]
        var hoursPerDay = Self.defaultHoursPerDay
        if let raw: String = req.queryValues["hours_per_day"], !raw.isEmpty {
            if let value = Int(raw), (1...24).contains(value) {
                hoursPerDay = value
            } else {
                errors["hours_per_day", default: []].append("Укажите целое число часов от 1 до 24.")
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        let queries = ReportQueries(sql: try req.db.sql(), period: period)
        let rows = try await queries.equipment()
        let available = Int64(
            try await queries.periodDays(timeZone: req.application.config.timeZone) * hoursPerDay * 100)
        if let export {
            try await recordExport(req, report: "equipment", export: export, period: period)
            return try await TableExport.respond(
                req, export: export, filename: "equipment-report", sheetName: "Техника",
                headers: EquipmentReportFormat.headers
            ) { table in
                for row in rows { try table.write(EquipmentReportFormat.cells(row, availableHours: available)) }
            }
        }
        var writer = JSONWriter(capacity: 16 * 1024)
        writer.beginArray()
        for row in rows { EquipmentReportFormat.write(row, availableHours: available, into: &writer) }
        writer.endArray()
        return FinanceJSON.response(writer)
    }

    @Sendable func employees(req: Request) async throws -> Response {
        let period = try ReportPeriod(request: req)
        let export = try ExportRequest.parse(req)
        let rows = try await ReportQueries(sql: try req.db.sql(), period: period).employees()
        if let export {
            try await recordExport(req, report: "employees", export: export, period: period)
            return try await TableExport.respond(
                req, export: export, filename: "employees-report", sheetName: "Сотрудники",
                headers: ["ID", "Сотрудник", "Начислено", "Часы", "Заявок", "Ожидает", "Одобрено", "Выплачено"]
            ) { table in
                for row in rows {
                    try table.write([
                        .integer(row.userID), .text(row.fullName), .money(row.total), .hundredths(row.hours),
                        .integer(row.assignments), .money(row.pending), .money(row.approved), .money(row.paid),
                    ])
                }
            }
        }
        var writer = JSONWriter(capacity: 8 * 1024)
        writer.beginArray()
        for row in rows {
            writer.beginObject()
            writer.field("user_id", row.userID)
            writer.field("full_name", row.fullName)
            writer.field("total_amount", FinanceJSON.money(row.total))
            writer.field("total_hours", FinanceJSON.hundredths(row.hours))
            writer.field("assignments", row.assignments)
            writer.field("pending_amount", FinanceJSON.money(row.pending))
            writer.field("approved_amount", FinanceJSON.money(row.approved))
            writer.field("paid_amount", FinanceJSON.money(row.paid))
            writer.endObject()
        }
        writer.endArray()
        return FinanceJSON.response(writer)
    }

    private func recordExport(_ req: Request, report: String, export: ExportRequest, period: ReportPeriod) async throws
    {
        try await AuditRecorder(request: req).record(
            .export, entity: "report", id: report,
            changes: [
                "format": .string(export.format.rawValue), "from": period.rawFrom.map(JSONValue.string) ?? .null,
                "to": period.rawTo.map(JSONValue.string) ?? .null,
            ])
    }
}

/// The summary report as JSON (the original's keys plus the fixes) and as export rows.
enum SummaryReportFormat {
    static func write(_ summary: ReportQueries.Summary, period: ReportPeriod, into writer: inout JSONWriter) {
        let services = summary.group(.services)
        let equipment = summary.group(.equipment)
        let attachments = summary.group(.attachments)
        writer.beginObject()
        writer.field("revenue", FinanceJSON.money(summary.revenue))
        writer.field("revenue_from_services", FinanceJSON.money(services.amount))
        writer.key("revenue_from_services_details")
        writer.beginObject()
        writer.field("total_amount", FinanceJSON.money(services.amount))
        writer.field("total_quantity", FinanceJSON.hundredths(services.quantity))
        writer.field("average_price_per_unit", average(services.amount, per: services.quantity))
        writer.endObject()
        writer.field("revenue_from_equipment", FinanceJSON.money(equipment.amount))
        writer.key("revenue_from_equipment_details")
        writer.beginObject()
        writer.field("total_amount", FinanceJSON.money(equipment.amount))
        writer.field("total_hours", FinanceJSON.hundredths(equipment.hours))
        writer.field("total_shifts", FinanceJSON.hundredths(equipment.shifts))
        writer.field("booked_hours", FinanceJSON.hundredths(equipment.bookedHours))
        writer.field("average_price_per_hour", average(equipment.amount, per: equipment.bookedHours))
        writer.endObject()
        writer.field("revenue_from_attachments", FinanceJSON.money(attachments.amount))
        writer.field("revenue_other", FinanceJSON.money(summary.otherRevenue))
        writer.key("revenue_breakdown")
        writer.beginArray()
        for (key, title, amount) in breakdown(summary) {
            writer.beginObject()
            writer.field("group", key)
            writer.field("title", title)
            writer.field("amount", FinanceJSON.money(amount))
            writer.endObject()
        }
        writer.endArray()
        writer.field("expenses", FinanceJSON.money(summary.expensesTotal))
        writer.field("expenses_fuel", FinanceJSON.money(summary.expenses(.fuel)))
        writer.field("expenses_repair", FinanceJSON.money(summary.expenses(.repair)))
        writer.field("expenses_rent", FinanceJSON.money(summary.expenses(.rent)))
        writer.field("expenses_other", FinanceJSON.money(summary.expenses(.other)))
        writer.field("salaries", FinanceJSON.money(summary.salaries))
        writer.field("margin", FinanceJSON.money(summary.margin))
        writer.field("orders_count", summary.ordersCount)
        writer.key("period")
        period.write(into: &writer)
        writer.field("date_basis", "start_dt")
        writer.endObject()
    }

    /// The revenue parts, which add up to `revenue`.
    static func breakdown(_ summary: ReportQueries.Summary) -> [(String, String, Int64)] {
        RevenueGroup.allCases.map { ($0.rawValue, $0.title, summary.group($0).amount) }
            + [("other", "Прочее (корректировки заявок)", summary.otherRevenue)]
    }

    /// `amount / quantity` (both scaled by 100) in roubles, half-up to the kopeck; `"0.00"` for no quantity.
    static func average(_ kopecks: Int64, per hundredths: Int64) -> String {
        guard hundredths > 0 else { return "0.00" }
        return Money(rounding: Decimal(kopecks) / Decimal(hundredths)).plainString
    }

    static func rows(_ summary: ReportQueries.Summary) -> [[ExportCell]] {
        let services = summary.group(.services)
        let equipment = summary.group(.equipment)
        func row(_ title: String, _ kopecks: Int64, _ details: String = "") -> [ExportCell] {
            [.text(title), .money(kopecks), details.isEmpty ? .empty : .text(details)]
        }
        return [
            row("Выручка", summary.revenue),
            row(
                "Выручка: услуги и материалы", services.amount,
                "Количество: \(FinanceJSON.hundredths(services.quantity)), средняя цена за единицу: "
                    + average(services.amount, per: services.quantity)),
            row(
                "Выручка: техника", equipment.amount,
                "Часы: \(FinanceJSON.hundredths(equipment.hours)), смены: \(FinanceJSON.hundredths(equipment.shifts)), "
                    + "часы занятости: \(FinanceJSON.hundredths(equipment.bookedHours)), средняя цена за час: "
                    + average(equipment.amount, per: equipment.bookedHours)),
            row("Выручка: навесное оборудование", summary.group(.attachments).amount),
            row("Выручка: прочее (корректировки заявок)", summary.otherRevenue),
            row("Расходы", summary.expensesTotal),
            row("Расходы: топливо", summary.expenses(.fuel)),
            row("Расходы: ремонт", summary.expenses(.repair)),
            row("Расходы: аренда техники", summary.expenses(.rent)),
            row("Расходы: прочее", summary.expenses(.other)),
            row("Зарплаты", summary.salaries),
            row("Маржа", summary.margin),
            [.text("Заявок"), .integer(summary.ordersCount), .empty],
        ]
    }
}

/// One machine of the equipment report.
enum EquipmentReportFormat {
    static let headers = [
        "ID", "Техника", "Код", "Статус", "Часы", "Смены", "Часы занятости", "Доступно часов", "Загрузка, %",
        "Заявок", "Выручка", "Выручка без топлива и ремонта", "Расходы", "Топливо", "Ремонт", "Прочие расходы",
        "Оплата операторов", "Маржа",
    ]

    /// Booked ÷ available hours in percent, two decimals; `nil` when nothing is available.
    static func utilisation(booked: Int64, available: Int64) -> String? {
        guard available > 0 else { return nil }
        return Money(rounding: Decimal(booked) * 100 / Decimal(available)).plainString
    }

    static func write(_ row: ReportQueries.MachineRow, availableHours: Int64, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("equipment_id", row.equipmentID)
        writer.field("equipment_name", row.name)
        writer.field("code", row.code)
        writer.field("status", row.status)
        writer.field("orders_count", row.ordersCount)
        writer.field("total_hours", FinanceJSON.hundredths(row.hours))
        writer.field("total_shifts", FinanceJSON.hundredths(row.shifts))
        writer.field("booked_hours", FinanceJSON.hundredths(row.bookedHours))
        writer.field("available_hours", FinanceJSON.hundredths(availableHours))
        writer.field("utilisation", utilisation(booked: row.bookedHours, available: availableHours))
        writer.field("gross", FinanceJSON.money(row.gross))
        writer.field("revenue", FinanceJSON.money(row.netOfRunningCosts))
        writer.field("expenses", FinanceJSON.money(row.expenses))
        writer.field("fuel_expenses", FinanceJSON.money(row.fuel))
        writer.field("repair_expenses", FinanceJSON.money(row.repair))
        writer.field("other_expenses", FinanceJSON.money(row.otherExpenses))
        writer.field("operator_pay", FinanceJSON.money(row.operatorPay))
        writer.field("margin", FinanceJSON.money(row.margin))
        writer.endObject()
    }

    static func cells(_ row: ReportQueries.MachineRow, availableHours: Int64) -> [ExportCell] {
        [
            .integer(row.equipmentID), .text(row.name), .text(row.code), .text(row.status), .hundredths(row.hours),
            .hundredths(row.shifts), .hundredths(row.bookedHours), .hundredths(availableHours),
            utilisation(booked: row.bookedHours, available: availableHours).map(ExportCell.number) ?? .empty,
            .integer(row.ordersCount), .money(row.gross), .money(row.netOfRunningCosts), .money(row.expenses),
            .money(row.fuel), .money(row.repair), .money(row.otherExpenses), .money(row.operatorPay),
            .money(row.margin),
        ]
    }
}
