import Domain
import Foundation
import SQLKit
import Vapor

/// `/api/v1/reports/summary|equipment|employees/` (docs/domain-rules.md#reports), for admins and accountants.
/// `?from=&to=` (inclusive days in the company zone, by the work's start) and `?export=csv|xlsx`.
struct ReportsAPIController {
    static let forbidden = "Доступ к отчетам разрешен только администраторам и бухгалтерам"

    @Sendable func summary(req: Request) async throws -> Response {
        let service = try req.reports
        let period = try ReportPeriod(request: req)
        if let export = try ExportRequest.parse(req) {
            return try await ReportExports.summary(req, export: export, period: period)
        }
        let summary = try await service.summary(period)
        var writer = JSONWriter()
        SummaryReportFormat.write(summary, period: period, into: &writer)
        return FinanceJSON.response(writer)
    }

    @Sendable func equipment(req: Request) async throws -> Response {
        let service = try req.reports
        let period = try ReportPeriod(request: req)
        let export = try ExportRequest.parse(req)
        let filter = try ReportService.Filter(period: period, hoursPerDayIn: req)
        if let export { return try await ReportExports.equipment(req, export: export, filter: filter) }
        let report = try await service.equipment(filter)
        var writer = JSONWriter(capacity: 16 * 1024)
        writer.beginArray()
        for row in report.rows {
            EquipmentReportFormat.write(row, availableHours: report.availableHours, into: &writer)
        }
        writer.endArray()
        return FinanceJSON.response(writer)
    }

    @Sendable func employees(req: Request) async throws -> Response {
        let service = try req.reports
        let period = try ReportPeriod(request: req)
        if let export = try ExportRequest.parse(req) {
            return try await ReportExports.employees(req, export: export, period: period)
        }
        let rows = try await service.employees(period)
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
}

extension ReportService.Filter {
    /// `?hours_per_day=` (1…24) of the equipment report.
    init(period: ReportPeriod, hoursPerDayIn req: Request) throws {
        self.init(period: period)
        guard let raw: String = req.queryValues["hours_per_day"], !raw.isEmpty else { return }
        guard let value = Int(raw), (1...24).contains(value) else {
            throw FieldErrors("hours_per_day", "Укажите целое число часов от 1 до 24.")
        }
        hoursPerDay = value
    }
}

/// `?export=csv|xlsx` of the reports: the same file from the API and from the pages (whose download links
/// work with the session cookie). Every export is recorded in the audit trail.
enum ReportExports {
    static func summary(_ req: Request, export: ExportRequest, period: ReportPeriod) async throws -> Response {
        let service = try req.reports
        let summary = try await service.summary(period)
        try await service.recordExport("summary", format: export.format, period: period)
        return try await TableExport.respond(
            req, export: export, filename: "summary-report", sheetName: "Общий отчёт",
            headers: ["Показатель", "Значение", "Подробности"]
        ) { table in
            for row in SummaryReportFormat.rows(summary) { try table.write(row) }
        }
    }

    static func equipment(
        _ req: Request, export: ExportRequest, filter: ReportService.Filter
    ) async throws
        -> Response
    {
        let service = try req.reports
        let report = try await service.equipment(filter)
        try await service.recordExport("equipment", format: export.format, period: filter.period)
        return try await TableExport.respond(
            req, export: export, filename: "equipment-report", sheetName: "Техника",
            headers: EquipmentReportFormat.headers
        ) { table in
            for row in report.rows {
                try table.write(EquipmentReportFormat.cells(row, availableHours: report.availableHours))
            }
        }
    }

    static func employees(_ req: Request, export: ExportRequest, period: ReportPeriod) async throws -> Response {
        let service = try req.reports
        let rows = try await service.employees(period)
        try await service.recordExport("employees", format: export.format, period: period)
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
