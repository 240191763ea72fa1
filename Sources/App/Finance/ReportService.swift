import Domain
import Foundation
import SQLKit
import Vapor

/// The finance reports (docs/domain-rules.md#reports) for the API and the pages: admins and accountants only
/// (managers do not see profit, docs/original-bugs.md). The figures come from `ReportQueries`.
struct ReportService {
    let context: ServiceContext

    /// Which period a report covers, and the working day utilisation is measured against.
    struct Filter: Sendable {
        var period: ReportPeriod
        /// Hours a machine can work per calendar day: one shift (the pricing's 8 h day) unless asked otherwise.
        var hoursPerDay = 8
    }

    static func mayRead(_ role: Role) -> Bool { role == .admin || role == .accountant }

    private func queries(_ period: ReportPeriod) throws -> ReportQueries {
        guard Self.mayRead(context.caller.role) else { throw ReportError.forbidden }
        return ReportQueries(sql: try context.db.sql(), period: period)
    }

    func summary(_ period: ReportPeriod) async throws -> ReportQueries.Summary {
        try await queries(period).summary()
    }

    /// Every machine that is not retired or that had work or expenses in the period.
    func machines(_ period: ReportPeriod) async throws -> [ReportQueries.MachineRow] {
        try await queries(period).equipment()
    }

    /// The machines and the hours each could have worked in the period.
    struct EquipmentReport: Sendable {
        var rows: [ReportQueries.MachineRow]
        /// Hundredths of an hour.
        var availableHours: Int64
    }

    func equipment(_ filter: Filter) async throws -> EquipmentReport {
        let queries = try queries(filter.period)
        let rows = try await queries.equipment()
        let days = try await queries.periodDays(timeZone: context.timeZone)
        return EquipmentReport(rows: rows, availableHours: Int64(days * filter.hoursPerDay * 100))
    }

    func employees(_ period: ReportPeriod) async throws -> [ReportQueries.EmployeeRow] {
        try await queries(period).employees()
    }

    /// Exports are in the audit trail: who took which figures out of the system.
    func recordExport(_ report: String, format: ExportRequest.Format, period: ReportPeriod) async throws {
        try await context.audit().record(
            .export, entity: "report", id: report,
            changes: [
                "format": .string(format.rawValue), "from": period.rawFrom.map(JSONValue.string) ?? .null,
                "to": period.rawTo.map(JSONValue.string) ?? .null,
            ])
    }
}

enum ReportError: APIMappedError, Sendable, Equatable {
    case forbidden

    var apiError: any Error {
        switch self {
        case .forbidden: APIError.forbidden(ReportsAPIController.forbidden)
        }
    }
}

extension Request {
    var reports: ReportService {
        get throws { ReportService(context: try services) }
    }
}
