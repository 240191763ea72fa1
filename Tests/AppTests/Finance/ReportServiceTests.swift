import Domain
import Foundation
import Testing

@testable import App

/// `ReportService` without HTTP (docs/domain-rules.md#reports).
@Suite("Finance: report rules (service)")
struct ReportServiceTests {
    static func january2001(_ t: TestApp) -> ReportPeriod {
        let zone = t.app.config.timeZone
        return ReportPeriod(
            rawFrom: "2001-01-01", rawTo: "2001-01-31", start: ISOTime.startOfDay("2001-01-01", in: zone),
            end: ISOTime.startOfDay("2001-02-01", in: zone), timeZone: zone)
    }

    @Test func aPeriodWithoutWorkIsAllZeros() async throws {
        try await TestApp.run { t in
            // setup: a machine, so the equipment report has a row
            let (admin, _) = try await t.user(.admin)
            try await t.equipment(name: "JCB 3CX", hourlyRate: 200_000, dailyRate: 1_500_000)
            let service = ReportService(context: try t.services(as: admin))
            let period = Self.january2001(t)
            // MUT
            let summary = try await service.summary(period)
            let equipment = try await service.equipment(.init(period: period, hoursPerDay: 8))
            let employees = try await service.employees(period)
            // validate
            #expect(summary.ordersCount == 0)
            #expect(summary.revenue == 0)
            #expect(summary.expensesTotal == 0)
            #expect(summary.salaries == 0)
            #expect(summary.margin == 0)
            #expect(equipment.rows.contains { $0.name == "JCB 3CX" })
            #expect(equipment.rows.allSatisfy { $0.gross == 0 && $0.ordersCount == 0 && $0.operatorPay == 0 })
            #expect(equipment.availableHours == 31 * 8 * 100)
            #expect(employees.isEmpty)
        }
    }

    @Test func managersDoNotSeeReports() async throws {
        try await TestApp.run { t in
            let (manager, _) = try await t.user(.manager)
            let service = ReportService(context: try t.services(as: manager))
            await #expect(throws: ReportError.forbidden) { try await service.summary(Self.january2001(t)) }
        }
    }
}
