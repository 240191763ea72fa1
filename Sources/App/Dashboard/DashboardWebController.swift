import Domain
import Foundation
import Vapor
import WebUI

/// «Главная» (`/`): the figures of `DashboardService`, with the orders shown as `OrderPageData` summaries; for
/// the roles that read the reports, the owner's figures of a period (`?period=month|quarter|year|custom&from=&to=`).
struct DashboardWebController {
    @Sendable func show(req: Request) async throws -> Response {
        let service = try req.dashboard
        let data = try OrderPageData(context: try req.services)
        let (todayIDs, upcomingIDs) = try await service.agenda()
        let stats = try await service.stats()
        var owner: DashboardModel.Owner?
        if ReportService.mayRead(try req.caller.role) {
            var errors: [String: String] = [:]
            let period = DashboardPeriod.make(
                period: req.queryValues["period"], from: req.queryValues["from"], to: req.queryValues["to"],
                today: ISOTime.day(of: service.context.now(), in: service.context.timeZone), errors: &errors)
            owner = Self.owner(try await service.owner(period), errors: errors)
        }
        let model = DashboardModel(
            context: req.pageContext(), stats: stats, today: try await data.summaries(todayIDs),
            upcoming: try await data.summaries(upcomingIDs), lastWeek: try await service.lastWeek(), owner: owner)
        return WebReply.page(DashboardPage(model: model), on: req)
    }

    static func owner(_ figures: DashboardService.OwnerFigures, errors: [String: String]) -> DashboardModel.Owner {
        let (current, previous) = (figures.current, figures.previous)
        func utilisation(_ figures: DashboardService.PeriodFigures) -> Double? {
            figures.availableHours > 0 ? Double(figures.bookedHours) * 100 / Double(figures.availableHours) : nil
        }
        return DashboardModel.Owner(
            kind: DashboardModel.Owner.PeriodKind(rawValue: figures.period.kind.rawValue) ?? .month,
            from: figures.period.from, to: figures.period.to, previousFrom: figures.period.previousFrom,
            previousTo: figures.period.previousTo,
            revenue: .init(current: current.revenue, previous: previous.revenue),
            margin: .init(current: current.margin, previous: previous.margin),
            debt: .init(current: current.debt, previous: previous.debt), utilisation: utilisation(current),
            previousUtilisation: utilisation(previous),
            topMachines: figures.topMachines.map { machine in
                DashboardModel.Owner.Machine(
                    name: machine.name, code: machine.code, margin: machine.margin,
                    hours: Double(machine.bookedHours) / 100)
            },
            weeks: figures.weeks.map { DashboardModel.Owner.Week(first: $0.first, last: $0.last, revenue: $0.revenue) },
            errors: errors)
    }
}
