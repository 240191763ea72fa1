import Foundation
import Vapor

/// `/api/v1/notifications/`: the caller's in-app inbox and its «read» marks.
struct NotificationInboxAPIController {
    /// `GET /notifications/?unread=true` (or the original's `is_read=false`): newest first, paginated.
    @Sendable func list(req: Request) async throws -> Page<NotificationResponse> {
        let service = try req.notifications
        let page = try PageRequest(request: req)
        let unread = try Self.unreadFilter(req)
        let count = try await service.messageCount(unread: unread)
        try PageLinks.checkInRange(page, count: count)
        let rows = try await service.messages(unread: unread, offset: page.offset, limit: page.size)
        let links = PageLinks.links(for: req, page: page, count: count)
        let zone = req.application.config.timeZone
        return Page(
            count: count, next: links.next, previous: links.previous,
            results: rows.map { NotificationResponse($0, timeZone: zone) })
    }

    private static func unreadFilter(_ req: Request) throws -> Bool? {
        let isRead = req.queryValues["is_read"].map { $0 == "false" ? "true" : "false" }
        guard let text: String = req.queryValues["unread"] ?? isRead else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw FieldErrors("unread", FieldMessage.boolean)
        }
    }

    @Sendable func unreadCount(req: Request) async throws -> [String: Int] {
        let count = try await req.notifications.unreadCount()
        return ["count": count, "unread_count": count]
    }

    @Sendable func markRead(req: Request) async throws -> NotificationResponse {
        let service = try req.notifications
        let id = try req.intParameter()
        let row = try await service.markRead(id)
        return NotificationResponse(row, timeZone: req.application.config.timeZone)
    }

    @Sendable func markAllRead(req: Request) async throws -> [String: Int] {
        ["updated": try await req.notifications.markAllRead()]
    }
}
