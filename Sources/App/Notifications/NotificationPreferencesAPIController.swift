import Domain
import Foundation
import Vapor

/// `/api/v1/notifications/preferences/…`: the caller's per-event switches, the original API's five booleans
/// and the delivery log.
struct NotificationPreferencesAPIController {
    /// `GET /notifications/preferences/`: every event × outside channel, and which channels are set up.
    @Sendable func show(req: Request) async throws -> Response {
        Self.response(try await req.notifications.preferences())
    }

    /// `PUT/PATCH /notifications/preferences/` with `{"events": {"order_assigned": {"telegram": false}}}`
    /// (or the inner object alone).
    @Sendable func update(req: Request) async throws -> Response {
        let service = try req.notifications
        let changes = try Self.changes(in: try req.jsonObject())
        try await service.savePreferences(changes)
        return Self.response(try await service.preferences())
    }

    private static func changes(in body: [String: JSONValue]) throws -> [NotificationSettings.Change] {
        let events = body["events"]?.objectValue ?? body
        var changes: [NotificationSettings.Change] = []
        var errors: [String: [String]] = [:]
        for (eventKey, value) in events {
            guard NotificationEvent(rawValue: eventKey) != nil else {
                errors[eventKey, default: []].append("Неизвестное событие.")
                continue
            }
            guard let channels = value.objectValue else {
                errors[eventKey, default: []].append(FieldMessage.object)
                continue
            }
            for (channelKey, flag) in channels {
                guard DeliveryChannel(rawValue: channelKey) != nil else {
                    errors[eventKey, default: []].append("Неизвестный канал «\(channelKey)».")
                    continue
                }
                guard case .bool(let enabled) = flag else {
                    errors[eventKey, default: []].append("\(channelKey): \(FieldMessage.boolean)")
                    continue
                }
                changes.append(.init(event: eventKey, channel: channelKey, enabled: enabled))
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        return changes
    }

    private static func response(_ preferences: NotificationPreferences) -> Response {
        var events: [String: JSONValue] = [:]
        var titles: [String: JSONValue] = [:]
        for event in NotificationEvent.allCases {
            var channels: [String: JSONValue] = ["in_app": .bool(true)]
            for channel in DeliveryChannel.allCases {
                channels[channel.rawValue] = .bool(preferences.isOn(event, channel))
            }
            events[event.rawValue] = .object(channels)
            titles[event.rawValue] = .string(event.title)
        }
        let state = preferences.channels
        return .notificationJSON([
            "events": .object(events),
            "event_titles": .object(titles),
            "channels": .object([
                "in_app": .object(["available": .bool(true), "ready": .bool(true)]),
                "telegram": .object([
                    "available": .bool(state.telegramConfigured),
                    "ready": .bool(state.telegramConfigured && state.telegramLinked),
                    "linked": .bool(state.telegramLinked),
                ]),
                "push": .object([
                    "available": .bool(state.pushConfigured),
                    "ready": .bool(state.pushConfigured && state.pushDevices > 0),
                    "devices": .number(Decimal(state.pushDevices)),
                ]),
                "email": .object([
                    "available": .bool(state.emailConfigured),
                    "ready": .bool(state.emailConfigured && state.emailAddress != nil),
                    "address": .string(state.emailAddress ?? ""),
                ]),
            ]),
        ])
    }

    /// `GET /notifications/preferences/preferences/`: the original's five booleans.
    @Sendable func legacy(req: Request) async throws -> [String: Bool] {
        try await req.notifications.legacyPreferences()
    }

    /// `POST /notifications/preferences/preferences/`: a missing switch counts as on.
    @Sendable func saveLegacy(req: Request) async throws -> [String: Bool] {
        let service = try req.notifications
        var input = try JSONInput(request: req)
        var values: [String: Bool] = [:]
        for key in NotificationService.legacyKeys { values[key] = input.bool(key) ?? true }
        try input.validate()
        try await service.saveLegacyPreferences(values)
        return values
    }

    /// `GET /notifications/preferences/logs/`: the caller's last 50 delivery attempts.
    @Sendable func logs(req: Request) async throws -> Response {
        let rows = try await req.notifications.deliveries(limit: 50)
        let zone = req.application.config.timeZone
        var writer = JSONWriter()
        writer.beginArray()
        for row in rows {
            writer.beginObject()
            writer.field("id", row.id)
            writer.field("notification", row.notification_id)
            writer.field("channel", row.channel)
            writer.field("event_type", row.event_type)
            writer.field("status", row.status)
            writer.field("attempt", row.attempt)
            writer.field("is_final", row.is_final)
            writer.field("sent_at", row.status == "sent" ? ISOTime.format(row.created_at, in: zone) : nil)
            writer.field("error_message", row.error)
            writer.field("created_at", ISOTime.format(row.created_at, in: zone))
            writer.endObject()
        }
        writer.endArray()
        let response = Response(status: .ok, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }
}
