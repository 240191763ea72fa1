import Foundation
import Vapor

/// `/api/v1/notifications/device-tokens/` and `…/webpush/…`: the caller's phones and browsers that receive push
/// (a browser's Web Push subscription is stored as a `web` device).
struct NotificationDevicesAPIController {
    @Sendable func list(req: Request) async throws -> Page<DeviceTokenResponse> {
        let service = try req.notifications
        let page = try PageRequest(request: req)
        let count = try await service.deviceCount()
        try PageLinks.checkInRange(page, count: count)
        let rows = try await service.devices(offset: page.offset, limit: page.size)
        let links = PageLinks.links(for: req, page: page, count: count)
        let zone = req.application.config.timeZone
        return Page(
            count: count, next: links.next, previous: links.previous,
            results: rows.map { DeviceTokenResponse($0, timeZone: zone) })
    }

    /// Upsert by token: a known token moves to the caller.
    @Sendable func register(req: Request) async throws -> Response {
        let service = try req.notifications
        var json = try JSONInput(request: req)
        let input = DeviceTokenInput(&json, required: true)
        let (row, created) = try await service.registerDevice(input, problems: json.errors)
        return try await DeviceTokenResponse(row, timeZone: req.application.config.timeZone)
            .encodeResponse(status: created ? .created : .ok, for: req)
    }

    @Sendable func show(req: Request) async throws -> DeviceTokenResponse {
        let service = try req.notifications
        let id = try req.intParameter()
        let row = try await service.device(id)
        return DeviceTokenResponse(row, timeZone: req.application.config.timeZone)
    }

    /// `PUT` needs every field, `PATCH` only the changed ones.
    @Sendable func update(req: Request) async throws -> DeviceTokenResponse {
        let service = try req.notifications
        let id = try req.intParameter()
        let row = try await service.device(id)
        var json = try JSONInput(request: req)
        let input = DeviceTokenInput(
            &json, required: req.method == .PUT, currentToken: row.token,
            currentPlatform: DevicePlatform(rawValue: row.platform))
        let updated = try await service.updateDevice(row, with: input, problems: json.errors)
        return DeviceTokenResponse(updated, timeZone: req.application.config.timeZone)
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let service = try req.notifications
        let id = try req.intParameter()
        try await service.deleteDevice(id)
        return Response(status: .noContent)
    }

    // MARK: - Web Push

    @Sendable func vapidPublicKey(req: Request) async throws -> [String: String] {
        let service = try req.notifications
        return ["public_key": try service.vapidPublicKey()]
    }

    /// `POST /notifications/webpush/subscriptions/` with the browser's `PushSubscription` JSON; the settings
    /// page's script posts the same body to `/profile/notifications/push`.
    @Sendable func subscribeWebPush(req: Request) async throws -> Response {
        let service = try req.notifications
        let input = try WebPushInput(json: try req.jsonObject(), userAgent: req.headers.first(name: .userAgent))
        let (row, created) = try await service.subscribeWebPush(input)
        return try await DeviceTokenResponse(row, timeZone: req.application.config.timeZone)
            .encodeResponse(status: created ? .created : .ok, for: req)
    }

    @Sendable func unsubscribeWebPush(req: Request) async throws -> Response {
        let service = try req.notifications
        let endpoint = try WebPushInput.endpoint(in: try req.jsonObject())
        try await service.unsubscribeWebPush(endpoint: endpoint)
        return Response(status: .noContent)
    }
}
