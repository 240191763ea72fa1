import Foundation
import Vapor

/// `/api/v1/notifications/subscriptions/`: the channel subscriptions of the original API.
struct NotificationSubscriptionsAPIController {
    @Sendable func list(req: Request) async throws -> Page<SubscriptionResponse> {
        let service = try req.notifications
        let page = try PageRequest(request: req)
        let count = try await service.subscriptionCount()
        try PageLinks.checkInRange(page, count: count)
        let rows = try await service.subscriptions(offset: page.offset, limit: page.size)
        let links = PageLinks.links(for: req, page: page, count: count)
        let zone = req.application.config.timeZone
        return Page(
            count: count, next: links.next, previous: links.previous,
            results: rows.map { SubscriptionResponse($0, timeZone: zone) })
    }

    @Sendable func create(req: Request) async throws -> Response {
        let service = try req.notifications
        var json = try JSONInput(request: req)
        let input = SubscriptionInput(&json, required: true)
        try json.validate()
        let row = try await service.createSubscription(input)
        return try await SubscriptionResponse(row, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func show(req: Request) async throws -> SubscriptionResponse {
        let service = try req.notifications
        let id = try req.intParameter()
        let row = try await service.subscription(id)
        return SubscriptionResponse(row, timeZone: req.application.config.timeZone)
    }

    @Sendable func update(req: Request) async throws -> SubscriptionResponse {
        let service = try req.notifications
        let id = try req.intParameter()
        let row = try await service.subscription(id)
        var json = try JSONInput(request: req)
        let input = SubscriptionInput(&json, required: req.method == .PUT)
        try json.validate()
        try await service.updateSubscription(row, with: input)
        return SubscriptionResponse(row, timeZone: req.application.config.timeZone)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let service = try req.notifications
        let id = try req.intParameter()
        try await service.deleteSubscription(id)
        return Response(status: .noContent)
    }
}
