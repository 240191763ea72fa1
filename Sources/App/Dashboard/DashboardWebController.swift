import Domain
import Foundation
import Vapor
import WebUI

/// «Главная» (`/`): the figures of `DashboardService`, with the orders shown as `OrderPageData` summaries.
struct DashboardWebController {
    @Sendable func show(req: Request) async throws -> Response {
        let service = try req.dashboard
        let data = try OrderPageData(context: try req.services)
        let (todayIDs, upcomingIDs) = try await service.agenda()
        let stats = try await service.stats()
        let model = DashboardModel(
            context: req.pageContext(), stats: stats, today: try await data.summaries(todayIDs),
            upcoming: try await data.summaries(upcomingIDs), lastWeek: try await service.lastWeek())
        return WebReply.page(DashboardPage(model: model), on: req)
    }
}
