import Domain
import Foundation
import SQLKit

/// The owner's figures of «Главная» (docs/ui.md#audit-log) for admins and accountants: every figure is a report's
/// (`ReportService`, the same rules and periods as `/reports/…`) or the clients' debt by the client ledger's rule.
extension DashboardService {
    /// One period's figures.
    struct PeriodFigures: Sendable {
        var period: ReportPeriod
        var revenue: Int64
        /// Revenue − expenses − salaries (the summary report's margin).
        var margin: Int64
        /// What clients owed at the period's end (now, for a period that has not ended).
        var debt: Int64
        /// Σ booked hours of the machines in the equipment report, hundredths.
        var bookedHours: Int64
        /// The hours those machines could have worked (machines × days × the report's working day), hundredths.
        var availableHours: Int64
        var machines: [ReportQueries.MachineRow]
    }

    struct OwnerFigures: Sendable {
        var period: DashboardPeriod
        var current: PeriodFigures
        var previous: PeriodFigures
        /// The period's Monday-to-Sunday weeks (the first and last cut to the period) with their revenue.
        var weeks: [(first: String, last: String, revenue: Int64)]
        /// The period's top 5 machines by margin (the equipment report's margin).
        var topMachines: [ReportQueries.MachineRow]
    }

    /// The figures of `period` and of the period before it; refused (`ReportError.forbidden`) to roles that do
    /// not read reports.
    func owner(_ period: DashboardPeriod) async throws -> OwnerFigures {
        let current = try await figures(from: period.from, to: period.to)
        let previous = try await figures(from: period.previousFrom, to: period.previousTo)
        let weeks = Self.weeks(from: period.from, to: period.to)
        let bounds =
            weeks.compactMap { ISOTime.startOfDay($0.first, in: context.timeZone) }
            + [current.period.end].compactMap { $0 }
        let amounts = try await DashboardQueries(sql: try context.db.sql()).weeklyRevenue(
            current.period, bounds: bounds)
        let top = current.machines.filter { $0.ordersCount > 0 || $0.expenses > 0 }
            .sorted { ($0.margin, $1.name) > ($1.margin, $0.name) }
        return OwnerFigures(
            period: period, current: current, previous: previous,
            weeks: weeks.enumerated().map { index, week in
                (week.first, week.last, index < amounts.count ? amounts[index] : 0)
            },
            topMachines: Array(top.prefix(5)))
    }

    /// A report period read exactly as `/reports/…?from=&to=` reads it.
    func reportPeriod(from: String, to: String) throws -> ReportPeriod {
        var errors: [String: [String]] = [:]
        let start = try DayBound.parse(from, key: "from", end: false, timeZone: context.timeZone, errors: &errors)
        let end = try DayBound.parse(to, key: "to", end: true, timeZone: context.timeZone, errors: &errors)
        return ReportPeriod(rawFrom: from, rawTo: to, start: start, end: end, timeZone: context.timeZone)
    }

    private func figures(from: String, to: String) async throws -> PeriodFigures {
        let period = try reportPeriod(from: from, to: to)
        let reports = ReportService(context: context)
        let summary = try await reports.summary(period)
        let equipment = try await reports.equipment(ReportService.Filter(period: period))
        let asOf = period.end.flatMap { $0 > context.now() ? nil : $0 }
        let debt = try await DashboardQueries(sql: try context.db.sql()).totalDebt(asOf: asOf)
        return PeriodFigures(
            period: period, revenue: summary.revenue, margin: summary.margin, debt: debt,
            bookedHours: equipment.rows.reduce(0) { $0 + $1.bookedHours },
            availableHours: equipment.availableHours * Int64(equipment.rows.count), machines: equipment.rows)
    }

    /// Monday-to-Sunday weeks covering `from`…`to`, the first and last cut to the period.
    static func weeks(from: String, to: String) -> [(first: String, last: String)] {
        guard let start = DashboardPeriod.dayNumber(from), let end = DashboardPeriod.dayNumber(to), start <= end
        else { return [] }
        var weeks: [(first: String, last: String)] = []
        var day = start
        while day <= end {
            // Day 0 of the civil calendar (1970-01-01) was a Thursday: Monday is 4 days before it.
            let weekday = ((day + 3) % 7 + 7) % 7
            let last = min(day + (6 - weekday), end)
            weeks.append((DashboardPeriod.text(day), DashboardPeriod.text(last)))
            day = last + 1
        }
        return weeks
    }
}
