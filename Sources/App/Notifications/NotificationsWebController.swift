import Domain
import Foundation
import Vapor
import WebUI

/// `/profile/notifications` (docs/ui.md#notification-settings) and the in-app inbox `/notifications`. Reads and
/// writes through `NotificationService`, the same rules as `/api/v1/notifications/…`.
struct NotificationsWebController {
    static let inboxPageSize = 30

    // MARK: - Settings

    @Sendable func settings(req: Request) async throws -> Response {
        let user = try req.caller
        let service = try req.notifications
        let preferences = try await service.preferences()
        let state = preferences.channels
        let events = NotificationEvent.received(by: user.role).map { event in
            var values: [String: Bool] = [:]
            for channel in DeliveryChannel.allCases {
                values[channel.rawValue] = preferences.isOn(event, channel)
            }
            return NotificationSettingsModel.Event(
                key: event.rawValue, title: event.title, note: event.note, switches: values)
        }
        let telegram: NotificationSettingsModel.Telegram
        if !state.telegramConfigured {
            telegram = .unavailable
        } else if state.telegramLinked {
            telegram = .linked
        } else {
            let code = try await service.pendingTelegramCode()
            telegram = .notLinked(
                code: code.map {
                    NotificationSettingsModel.TelegramCode(code: $0.code, expiresAt: $0.expiresAt, botURL: $0.botURL)
                })
        }
        let email: NotificationSettingsModel.Email =
            if !state.emailConfigured {
                .unavailable
            } else if let address = state.emailAddress {
                .ready(address: address)
            } else {
                .noAddress
            }
        let model = NotificationSettingsModel(
            context: req.pageContext(),
            channels: DeliveryChannel.allCases.map { .init(key: $0.rawValue, title: Self.channelTitle($0)) },
            events: events, telegram: telegram,
            push: .init(publicKey: state.pushPublicKey, devices: state.pushDevices), email: email,
            unreadCount: try await service.unreadCount())
        return WebReply.page(NotificationSettingsPage(model: model), on: req)
    }

    static func channelTitle(_ channel: DeliveryChannel) -> String {
        switch channel {
        case .telegram: "Telegram"
        case .push: "Push"
        case .email: "E-mail"
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
        try await req.notifications.savePreferences(changes)
        return WebReply.redirect(
            to: Paths.notificationSettings(), flash: Flash(.success, "Настройки сохранены"), on: req)
    }

    @Sendable func linkTelegram(req: Request) async throws -> Response {
        let service = try req.notifications
        do {
            _ = try await service.newTelegramCode()
        } catch NotificationError.telegramNotConfigured {
            return WebReply.redirect(
                to: Paths.notificationSettings(), flash: Flash(.error, "Telegram-бот не настроен на сервере."), on: req)
        }
        return WebReply.redirect(
            to: Paths.notificationSettings(),
            flash: Flash(.info, "Код создан: отправьте его боту в течение 15 минут."), on: req)
    }

    @Sendable func unlinkTelegram(req: Request) async throws -> Response {
        try await req.notifications.unlinkTelegram()
        return WebReply.redirect(to: Paths.notificationSettings(), flash: Flash(.success, "Telegram отвязан"), on: req)
    }

    // MARK: - Inbox

    @Sendable func inbox(req: Request) async throws -> Response {
        let service = try req.notifications
        let count = try await service.messageCount()
        let totalPages = max(1, (count + Self.inboxPageSize - 1) / Self.inboxPageSize)
        let page = min(max(1, (try? req.query.get(Int.self, at: "page")) ?? 1), totalPages)
        let rows = try await service.messages(offset: (page - 1) * Self.inboxPageSize, limit: Self.inboxPageSize)
        let messages = rows.map { row in
            let data = JSONValue.parse(row.data)?.objectValue ?? [:]
            let link = data["order_id"]?.stringValue.map(Paths.order)
            return InboxModel.Message(
                id: String(row.id ?? 0), title: row.title, body: row.body,
                eventTitle: NotificationEvent(rawValue: row.eventType)?.title ?? row.eventType,
                createdAt: row.createdAt,
                isRead: row.readAt != nil, link: link)
        }
        let model = InboxModel(
            context: req.pageContext(), messages: messages, unreadCount: try await service.unreadCount(),
            page: page, totalPages: totalPages)
        return WebReply.page(InboxPage(model: model), on: req)
    }

    @Sendable func readAll(req: Request) async throws -> Response {
        try await req.notifications.markAllRead()
        return WebReply.redirect(to: Paths.inbox(), flash: Flash(.success, "Все уведомления прочитаны"), on: req)
    }

    // MARK: - Push subscriptions (JSON from app.js, answered as the API answers)

    /// The browser's `PushSubscription`: the same body and answers as
    /// `POST /api/v1/notifications/webpush/subscriptions/`.
    @Sendable func subscribePush(req: Request) async throws -> Response {
        let service = try req.notifications
        let input = try WebPushInput(json: try req.jsonObject(), userAgent: req.headers.first(name: .userAgent))
        let (row, created) = try await service.subscribeWebPush(input)
        return try await DeviceTokenResponse(row, timeZone: req.application.config.timeZone)
            .encodeResponse(status: created ? .created : .ok, for: req)
    }

    @Sendable func unsubscribePush(req: Request) async throws -> Response {
        let service = try req.notifications
        try await service.unsubscribeWebPush(endpoint: try WebPushInput.endpoint(in: try req.jsonObject()))
        return Response(status: .noContent)
    }
}
