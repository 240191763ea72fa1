import Domain
import Foundation
import Vapor
import WebUI

/// `/profile/notifications` (docs/ui.md#notification-settings) and the in-app inbox `/notifications`. Reads and
/// writes through `NotificationSettings` and `NotificationInbox`, the same code as `/api/v1/notifications/…`; the push
/// subscription posts go straight to the API controller's handlers.
struct NotificationsWebController {
    static let inboxPageSize = 30

    // MARK: - Settings

    @Sendable func settings(req: Request) async throws -> Response {
        let user = try req.caller
        let settings = NotificationSettings(request: req)
        let switches = try await settings.switches(of: user.id)
        let state = try await settings.channels(of: user.id)
        let events = NotificationEvent.received(by: user.role).map { event in
            var values: [String: Bool] = [:]
            for channel in DeliveryChannel.allCases {
                values[channel.rawValue] = switches[NotificationSettings.key(event.rawValue, channel.rawValue)] ?? true
            }
            return NotificationSettingsModel.Event(key: event.rawValue, title: event.title, note: event.note, switches: values)
        }
        let telegram: NotificationSettingsModel.Telegram
        if !state.telegramConfigured {
            telegram = .unavailable
        } else if state.telegramLinked {
            telegram = .linked
        } else {
            let code = try await settings.pendingTelegramCode(of: user.id)
            telegram = .notLinked(code: code.map {
                NotificationSettingsModel.TelegramCode(code: $0.code, expiresAt: $0.expiresAt, botURL: $0.botURL)
            })
        }
        let model = NotificationSettingsModel(
            context: req.pageContext(),
            channels: DeliveryChannel.allCases.map { .init(key: $0.rawValue, title: Self.channelTitle($0)) },
            events: events, telegram: telegram,
            push: .init(publicKey: state.pushPublicKey, devices: state.pushDevices),
            unreadCount: try await NotificationInbox(request: req).unreadCount(of: user.id))
        return WebReply.page(NotificationSettingsPage(model: model), on: req)
    }

    static func channelTitle(_ channel: DeliveryChannel) -> String {
        switch channel {
        case .telegram: "Telegram"
        case .push: "Push"
        }
    }

    /// Every shown switch is set: a ticked box (`<event>.<channel>=true`) is on, an absent one off.
    @Sendable func save(req: Request) async throws -> Response {
        let user = try req.caller
        let form = try await WebForm(request: req)
        var changes: [NotificationSettings.Change] = []
        for event in NotificationEvent.received(by: user.role) {
            for channel in DeliveryChannel.allCases {
                let name = NotificationSettingsModel.fieldName(event: event.rawValue, channel: channel.rawValue)
                changes.append(.init(event: event.rawValue, channel: channel.rawValue, enabled: form.has(name)))
            }
        }
        try await NotificationSettings(request: req).save(changes, for: user.id)
        return WebReply.redirect(to: Paths.notificationSettings(), flash: Flash(.success, "Настройки сохранены"), on: req)
    }

    @Sendable func linkTelegram(req: Request) async throws -> Response {
        let settings = NotificationSettings(request: req)
        guard (try await settings.channels(of: try req.caller.id)).telegramConfigured else {
            return WebReply.redirect(
                to: Paths.notificationSettings(), flash: Flash(.error, "Telegram-бот не настроен на сервере."), on: req)
        }
        _ = try await settings.newTelegramCode(for: try req.caller.id)
        return WebReply.redirect(
            to: Paths.notificationSettings(), flash: Flash(.info, "Код создан: отправьте его боту в течение 15 минут."), on: req)
    }

    @Sendable func unlinkTelegram(req: Request) async throws -> Response {
        try await NotificationSettings(request: req).unlinkTelegram(try req.caller.id)
        return WebReply.redirect(to: Paths.notificationSettings(), flash: Flash(.success, "Telegram отвязан"), on: req)
    }

    // MARK: - Inbox

    @Sendable func inbox(req: Request) async throws -> Response {
        let userID = try req.caller.id
        let inbox = NotificationInbox(request: req)
        let count = try await inbox.count(of: userID)
        let totalPages = max(1, (count + Self.inboxPageSize - 1) / Self.inboxPageSize)
        let page = min(max(1, (try? req.query.get(Int.self, at: "page")) ?? 1), totalPages)
        let rows = try await inbox.messages(of: userID, offset: (page - 1) * Self.inboxPageSize, limit: Self.inboxPageSize)
        let messages = rows.map { row in
            let data = JSONValue.parse(row.data)?.objectValue ?? [:]
            let link = data["order_id"]?.stringValue.map(Paths.order)
            return InboxModel.Message(
                id: String(row.id ?? 0), title: row.title, body: row.body,
                eventTitle: NotificationEvent(rawValue: row.eventType)?.title ?? row.eventType, createdAt: row.createdAt,
                isRead: row.readAt != nil, link: link)
        }
        let model = InboxModel(
            context: req.pageContext(), messages: messages, unreadCount: try await inbox.unreadCount(of: userID),
            page: page, totalPages: totalPages)
        return WebReply.page(InboxPage(model: model), on: req)
    }

    @Sendable func readAll(req: Request) async throws -> Response {
        try await NotificationInbox(request: req).markAllRead(of: try req.caller.id)
        return WebReply.redirect(to: Paths.inbox(), flash: Flash(.success, "Все уведомления прочитаны"), on: req)
    }
}
