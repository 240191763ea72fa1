import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/notifications/…`, always scoped to the caller: the in-app inbox, device tokens and push
/// subscriptions, channel subscriptions of the original API, per-event preferences, the delivery log,
/// and Telegram linking.
struct NotificationsAPIController {
    // MARK: - DTOs

    struct NotificationResponse: Content {
        var id: Int
        var event_type: String
        var event_display: String
        var title: String
        var body: String
        var data: JSONValue
        var is_read: Bool
        var read_at: String?
        var created_at: String

        init(_ row: InboxNotification, timeZone: TimeZone) {
            id = row.id ?? 0
            event_type = row.eventType
            event_display = NotificationEvent(rawValue: row.eventType)?.title ?? row.eventType
            title = row.title
            body = row.body
            data = JSONValue.parse(row.data) ?? .object([:])
            is_read = row.readAt != nil
            read_at = row.readAt.map { ISOTime.format($0, in: timeZone) }
            created_at = ISOTime.format(row.createdAt, in: timeZone)
        }
    }

    struct DeviceTokenResponse: Content {
        var id: Int
        var token: String
        var platform: String
        var app_version: String
        var device_info: JSONValue
        var last_active_at: String
        var created_at: String

        init(_ row: DeviceToken, timeZone: TimeZone) {
            id = row.id ?? 0
            token = row.token
            platform = row.platform
            app_version = row.appVersion
            device_info = JSONValue.parse(row.deviceInfo) ?? .object([:])
            last_active_at = ISOTime.format(row.lastActiveAt, in: timeZone)
            created_at = ISOTime.format(row.createdAt, in: timeZone)
        }
    }

    struct SubscriptionResponse: Content {
        var id: Int
        var channel: String
        var endpoint: String
        var enabled: Bool
        var preferences: JSONValue
        var created_at: String
        var updated_at: String

        init(_ row: NotificationSubscription, timeZone: TimeZone) {
            id = row.id ?? 0
            channel = row.channel
            endpoint = row.endpoint
            enabled = row.enabled
            preferences = JSONValue.parse(row.preferences) ?? .object([:])
            created_at = ISOTime.format(row.createdAt, in: timeZone)
            updated_at = ISOTime.format(row.updatedAt, in: timeZone)
        }
    }

    enum Platform: String, CaseIterable { case ios, android, web }
    enum SubscriptionChannel: String, CaseIterable { case push, email, telegram, sms }

    /// The five switches of the original `preferences/preferences/` endpoint.
    static let legacyKeys = ["order_created", "status_changed", "payment_received", "invoice_ready", "kassa_full"]

    /// Which of our events a legacy switch also governs.
    static func events(forLegacyKey key: String) -> [String] {
        key == "status_changed"
            ? [NotificationEvent.statusChanged, .orderCompleted, .orderCancelled].map(\.rawValue) : [key]
    }

    private func caller(_ req: Request) throws -> Caller { try req.caller }
    private func timeZone(_ req: Request) -> TimeZone { req.application.config.timeZone }

    private func serialized<T: Sendable>(_ req: Request, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await req.application.writeSerializer.run { try await work() }
    }

    // MARK: - Inbox

    /// `GET /notifications/?unread=true`: the caller's messages, newest first, paginated.
    @Sendable func list(req: Request) async throws -> Page<NotificationResponse> {
        let userID = try caller(req).id
        let page = try PageRequest(request: req)
        var unread: Bool?
        if let text: String = req.queryValues["unread"] ?? req.queryValues["is_read"].map({ $0 == "false" ? "true" : "false" }) {
            switch text.lowercased() {
            case "true", "1": unread = true
            case "false", "0": unread = false
            default: throw FieldErrors("unread", FieldMessage.boolean)
            }
        }
        let inbox = NotificationInbox(request: req)
        let count = try await inbox.count(of: userID, unread: unread)
        try PageLinks.checkInRange(page, count: count)
        let rows = try await inbox.messages(of: userID, unread: unread, offset: page.offset, limit: page.size)
        let links = PageLinks.links(for: req, page: page, count: count)
        let zone = timeZone(req)
        return Page(count: count, next: links.next, previous: links.previous, results: rows.map { NotificationResponse($0, timeZone: zone) })
    }

    @Sendable func unreadCount(req: Request) async throws -> [String: Int] {
        let count = try await NotificationInbox(request: req).unreadCount(of: try caller(req).id)
        return ["count": count, "unread_count": count]
    }

    @Sendable func markRead(req: Request) async throws -> NotificationResponse {
        let userID = try caller(req).id
        let id = try req.intParameter()
        guard let row = try await InboxNotification.query(on: req.db).filter(\.$id == id).filter(\.$userID == userID).first()
        else { throw APIError.notFound() }
        if row.readAt == nil {
            row.readAt = Date()
            try await serialized(req) { try await row.save(on: req.db) }
        }
        return NotificationResponse(row, timeZone: timeZone(req))
    }

    @Sendable func markAllRead(req: Request) async throws -> [String: Int] {
        ["updated": try await NotificationInbox(request: req).markAllRead(of: try caller(req).id)]
    }

    // MARK: - Device tokens (and Web Push subscriptions, stored as `web` tokens)

    @Sendable func listDeviceTokens(req: Request) async throws -> Page<DeviceTokenResponse> {
        let userID = try caller(req).id
        let page = try PageRequest(request: req)
        let query = DeviceToken.query(on: req.db).filter(\.$userID == userID)
        let count = try await query.count()
        try PageLinks.checkInRange(page, count: count)
        let rows = try await query.sort(\.$lastActiveAt, .descending).sort(\.$id, .descending)
            .range(page.offset..<(page.offset + page.size)).all()
        let links = PageLinks.links(for: req, page: page, count: count)
        let zone = timeZone(req)
        return Page(count: count, next: links.next, previous: links.previous, results: rows.map { DeviceTokenResponse($0, timeZone: zone) })
    }

    /// Upsert by token: a known token moves to the caller with the new platform, version and device info.
    @Sendable func registerDeviceToken(req: Request) async throws -> Response {
        let userID = try caller(req).id
        var input = try JSONInput(request: req)
        let fields = readDeviceToken(&input, required: true)
        await checkWebEndpoint(fields, input: &input, app: req.application)
        try input.validate()
        guard let token = fields.token, let platform = fields.platform else { throw FieldErrors("token", FieldMessage.required) }
        let (row, created) = try await upsertToken(
            req, userID: userID, token: token, platform: platform, appVersion: fields.appVersion, deviceInfo: fields.deviceInfo,
            field: "token")
        return try await DeviceTokenResponse(row, timeZone: timeZone(req)).encodeResponse(status: created ? .created : .ok, for: req)
    }

    @Sendable func showDeviceToken(req: Request) async throws -> DeviceTokenResponse {
        DeviceTokenResponse(try await ownToken(req), timeZone: timeZone(req))
    }

    @Sendable func updateDeviceToken(req: Request) async throws -> DeviceTokenResponse {
        let row = try await ownToken(req)
        var input = try JSONInput(request: req)
        let fields = readDeviceToken(
            &input, required: req.method == .PUT,
            currentToken: row.token, currentPlatform: Platform(rawValue: row.platform))
        await checkWebEndpoint(fields, input: &input, app: req.application)
        if fields.platform == .web, row.platform != Platform.web.rawValue,
            try await webSubscriptionCount(of: try caller(req).id, otherThan: row.token, on: req.db) >= Self.webSubscriptionLimit
        {
            input.fail("platform", Self.webSubscriptionLimitMessage)
        }
        if let token = fields.token, token != row.token,
            try await DeviceToken.query(on: req.db).filter(\.$token == token).filter(\.$id != (row.id ?? 0)).first() != nil
        {
            input.fail("token", "Устройство с таким токеном уже зарегистрировано.")
        }
        try input.validate()
        if let value = fields.token { row.token = value }
        if let value = fields.platform { row.platform = value.rawValue }
        if let value = fields.appVersion { row.appVersion = value }
        if let value = fields.deviceInfo { row.deviceInfo = JSONValue.object(value).jsonText }
        row.lastActiveAt = Date()
        try await serialized(req) { try await row.save(on: req.db) }
        return DeviceTokenResponse(row, timeZone: timeZone(req))
    }

    @Sendable func deleteDeviceToken(req: Request) async throws -> Response {
        let row = try await ownToken(req)
        try await serialized(req) { try await row.delete(on: req.db) }
        return Response(status: .noContent)
    }

    private func ownToken(_ req: Request) async throws -> DeviceToken {
        let userID = try caller(req).id
        guard let row = try await DeviceToken.query(on: req.db).filter(\.$id == (try req.intParameter()))
            .filter(\.$userID == userID).first()
        else { throw APIError.notFound() }
        return row
    }

    private struct DeviceTokenFields {
        var token: String?
        var platform: Platform?
        var appVersion: String?
        var deviceInfo: [String: JSONValue]?
        /// The Web Push endpoint to check before saving, for `web` devices.
        var webEndpoint: String?
    }

    /// The endpoint must be https and resolve only to public addresses (see `PushEndpointGuard`).
    private func checkWebEndpoint(_ fields: DeviceTokenFields, input: inout JSONInput, app: Application) async {
        guard let endpoint = fields.webEndpoint else { return }
        if let problem = await Self.endpointProblem(endpoint, app: app) { input.fail("device_info", problem) }
    }

    private func readDeviceToken(
        _ input: inout JSONInput, required: Bool, currentToken: String? = nil,
        currentPlatform: Platform? = nil
    ) -> DeviceTokenFields {
        var fields = DeviceTokenFields()
        fields.token = input.string("token", required: required, maxLength: 2048, allowBlank: false)
        fields.platform = input.choice("platform", as: Platform.self, required: required)
        fields.appVersion = input.string("app_version", maxLength: 20)
        fields.deviceInfo = input.object("device_info")
        let platform = fields.platform ?? currentPlatform
        if platform == .web, fields.platform != nil || fields.deviceInfo != nil || fields.token != nil {
            let info = fields.deviceInfo ?? [:]
            let token = fields.token ?? currentToken ?? ""
            if let subscription = Self.subscription(in: info, token: token) {
                fields.webEndpoint = subscription.endpoint
            } else if input.errors["token"] == nil {
                input.fail(
                    "device_info",
                    "Для платформы web нужна подписка Web Push: {\"subscription\": {\"endpoint\", \"keys\": {\"p256dh\", \"auth\"}}}.")
            }
        }
        return fields
    }

    /// The subscription in `device_info.subscription`, or `device_info` itself, with the token as
    /// the endpoint when the subscription names none.
    static func subscription(in info: [String: JSONValue], token: String) -> WebPushSubscription? {
        var object = info["subscription"]?.objectValue ?? info
        if object["endpoint"] == nil, token.hasPrefix("http") { object["endpoint"] = .string(token) }
        return WebPushSubscription(json: object)
    }

    /// The Web Push subscription stored with a `web` device token.
    static func webSubscription(of token: DeviceToken) -> WebPushSubscription? {
        guard token.platform == Platform.web.rawValue else { return nil }
        return subscription(in: JSONValue.parse(token.deviceInfo)?.objectValue ?? [:], token: token.token)
    }

    /// The user's message when the server will not post to this endpoint; nil when it may.
    static func endpointProblem(_ endpoint: String, app: Application) async -> String? {
        do {
            try await app.pushEndpointGuard.check(endpoint)
            return nil
        } catch let refusal as PushEndpointGuard.Refusal {
            app.logger.notice("push subscription refused", metadata: ["reason": "\(refusal)"])
            return refusal.message
        } catch {
            return PushEndpointGuard.Refusal.malformed.message
        }
    }

    /// Each subscription is an address the server posts to on the user's behalf: a few browsers per person.
    static let webSubscriptionLimit = 10
    static let webSubscriptionLimitMessage =
        "Не больше \(webSubscriptionLimit) подписок Web Push на пользователя. Удалите старые в «Профиль» → «Уведомления»."

    private func webSubscriptionCount(of userID: Int, otherThan token: String, on db: any Database) async throws -> Int {
        try await DeviceToken.query(on: db).filter(\.$userID == userID)
            .filter(\.$platform == Platform.web.rawValue).filter(\.$token != token).count()
    }

    /// - Parameter field: where a refusal over the subscription limit is reported.
    private func upsertToken(
        _ req: Request, userID: Int, token: String, platform: Platform, appVersion: String?, deviceInfo: [String: JSONValue]?,
        field: String
    ) async throws -> (DeviceToken, Bool) {
        try await serialized(req) {
            let now = Date()
            let existing = try await DeviceToken.query(on: req.db).filter(\.$token == token).first()
            let alreadyCounted = existing.map { $0.userID == userID && $0.platform == Platform.web.rawValue } ?? false
            if platform == .web, !alreadyCounted,
                try await webSubscriptionCount(of: userID, otherThan: token, on: req.db) >= Self.webSubscriptionLimit
            {
                throw FieldErrors(field, Self.webSubscriptionLimitMessage)
            }
            if let existing {
                existing.userID = userID
                existing.platform = platform.rawValue
                if let appVersion { existing.appVersion = appVersion }
                if let deviceInfo { existing.deviceInfo = JSONValue.object(deviceInfo).jsonText }
                existing.lastActiveAt = now
                try await existing.save(on: req.db)
                return (existing, false)
            }
            let row = DeviceToken()
            row.userID = userID
            row.token = token
            row.platform = platform.rawValue
            row.appVersion = appVersion ?? ""
            row.deviceInfo = JSONValue.object(deviceInfo ?? [:]).jsonText
            row.lastActiveAt = now
            row.createdAt = now
            try await row.create(on: req.db)
            return (row, true)
        }
    }

    // MARK: - Web Push

    @Sendable func vapidPublicKey(req: Request) async throws -> [String: String] {
        guard let settings = req.application.config.webPush else { throw APIError.notFound("Web Push не настроен.") }
        return ["public_key": settings.publicKey]
    }

    /// `POST /notifications/webpush/subscriptions/` with the browser's `PushSubscription` JSON.
    @Sendable func subscribeWebPush(req: Request) async throws -> Response {
        let userID = try caller(req).id
        let body = try req.jsonObject()
        let source = body["subscription"]?.objectValue ?? body
        guard let subscription = WebPushSubscription(json: source) else {
            throw FieldErrors("subscription", "Нужна подписка Web Push: {\"endpoint\", \"keys\": {\"p256dh\", \"auth\"}}.")
        }
        if let problem = await Self.endpointProblem(subscription.endpoint, app: req.application) {
            throw FieldErrors("endpoint", problem)
        }
        var info: [String: JSONValue] = ["subscription": subscription.json]
        if let agent = req.headers.first(name: .userAgent) { info["user_agent"] = .string(String(agent.prefix(300))) }
        let appVersion = body["app_version"]?.stringValue.map { String($0.prefix(20)) }
        let (row, created) = try await upsertToken(
            req, userID: userID, token: subscription.endpoint, platform: .web, appVersion: appVersion, deviceInfo: info,
            field: "endpoint")
        return try await DeviceTokenResponse(row, timeZone: timeZone(req)).encodeResponse(status: created ? .created : .ok, for: req)
    }

    @Sendable func unsubscribeWebPush(req: Request) async throws -> Response {
        let userID = try caller(req).id
        let body = try req.jsonObject()
        guard let endpoint = body["endpoint"]?.stringValue ?? body["subscription"]?.objectValue?["endpoint"]?.stringValue else {
            throw FieldErrors("endpoint", FieldMessage.required)
        }
        try await serialized(req) {
            try await DeviceToken.query(on: req.db).filter(\.$userID == userID).filter(\.$token == endpoint).delete()
        }
        return Response(status: .noContent)
    }

    // MARK: - Channel subscriptions (original API)

    @Sendable func listSubscriptions(req: Request) async throws -> Page<SubscriptionResponse> {
        let userID = try caller(req).id
        let page = try PageRequest(request: req)
        let query = NotificationSubscription.query(on: req.db).filter(\.$userID == userID)
        let count = try await query.count()
        try PageLinks.checkInRange(page, count: count)
        let rows = try await query.sort(\.$updatedAt, .descending).sort(\.$id, .descending)
            .range(page.offset..<(page.offset + page.size)).all()
        let links = PageLinks.links(for: req, page: page, count: count)
        let zone = timeZone(req)
        return Page(count: count, next: links.next, previous: links.previous, results: rows.map { SubscriptionResponse($0, timeZone: zone) })
    }

    @Sendable func createSubscription(req: Request) async throws -> Response {
        let row = NotificationSubscription()
        row.userID = try caller(req).id
        row.endpoint = ""
        row.enabled = true
        row.preferences = "{}"
        try await applySubscription(req, to: row, required: true)
        return try await SubscriptionResponse(row, timeZone: timeZone(req)).encodeResponse(status: .created, for: req)
    }

    @Sendable func showSubscription(req: Request) async throws -> SubscriptionResponse {
        SubscriptionResponse(try await ownSubscription(req), timeZone: timeZone(req))
    }

    @Sendable func updateSubscription(req: Request) async throws -> SubscriptionResponse {
        let row = try await ownSubscription(req)
        try await applySubscription(req, to: row, required: req.method == .PUT)
        return SubscriptionResponse(row, timeZone: timeZone(req))
    }

    @Sendable func deleteSubscription(req: Request) async throws -> Response {
        let row = try await ownSubscription(req)
        try await serialized(req) { try await row.delete(on: req.db) }
        return Response(status: .noContent)
    }

    private func ownSubscription(_ req: Request) async throws -> NotificationSubscription {
        let userID = try caller(req).id
        guard let row = try await NotificationSubscription.query(on: req.db).filter(\.$id == (try req.intParameter()))
            .filter(\.$userID == userID).first()
        else { throw APIError.notFound() }
        return row
    }

    private func applySubscription(_ req: Request, to row: NotificationSubscription, required: Bool) async throws {
        var input = try JSONInput(request: req)
        let channel = input.choice("channel", as: SubscriptionChannel.self, required: required)
        let endpoint = input.string("endpoint", maxLength: 255)
        let enabled = input.bool("enabled")
        let preferences = input.object("preferences")
        try input.validate()
        if let channel { row.channel = channel.rawValue }
        if let endpoint { row.endpoint = endpoint }
        if let enabled { row.enabled = enabled }
        if let preferences { row.preferences = JSONValue.object(preferences).jsonText }
        var duplicate = NotificationSubscription.query(on: req.db).filter(\.$userID == row.userID)
            .filter(\.$channel == row.channel).filter(\.$endpoint == row.endpoint)
        if let id = row.id { duplicate = duplicate.filter(\.$id != id) }
        if try await duplicate.first() != nil {
            throw FieldErrors("non_field_errors", "Подписка на этот канал с таким адресом уже существует.")
        }
        let now = Date()
        if row.id == nil { row.createdAt = now }
        row.updatedAt = now
        try await serialized(req) { try await row.save(on: req.db) }
    }

    // MARK: - Preferences

    /// `GET /notifications/preferences/`: every event × outside channel, and which channels are set up.
    @Sendable func preferences(req: Request) async throws -> Response {
        try await preferencesResponse(req)
    }

    /// `PUT/PATCH /notifications/preferences/` with `{"events": {"order_assigned": {"telegram": false}}}`
    /// (or the inner object alone).
    @Sendable func updatePreferences(req: Request) async throws -> Response {
        let userID = try caller(req).id
        let body = try req.jsonObject()
        let events = body["events"]?.objectValue ?? body
        var changes: [(String, String, Bool)] = []
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
                changes.append((eventKey, channelKey, enabled))
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        try await savePreferences(req, userID: userID, changes: changes)
        return try await preferencesResponse(req)
    }

    private func savePreferences(_ req: Request, userID: Int, changes: [(String, String, Bool)]) async throws {
        try await NotificationSettings(request: req).save(
            changes.map { NotificationSettings.Change(event: $0.0, channel: $0.1, enabled: $0.2) }, for: userID)
    }

    private func switches(_ req: Request, userID: Int) async throws -> [String: Bool] {
        try await NotificationSettings(request: req).switches(of: userID)
    }

    private func preferencesResponse(_ req: Request) async throws -> Response {
        let userID = try caller(req).id
        let stored = try await switches(req, userID: userID)
        var events: [String: JSONValue] = [:]
        var titles: [String: JSONValue] = [:]
        for event in NotificationEvent.allCases {
            var channels: [String: JSONValue] = ["in_app": .bool(true)]
            for channel in DeliveryChannel.allCases {
                channels[channel.rawValue] = .bool(stored["\(event.rawValue):\(channel.rawValue)"] ?? true)
            }
            events[event.rawValue] = .object(channels)
            titles[event.rawValue] = .string(event.title)
        }
        let state = try await NotificationSettings(request: req).channels(of: userID)
        let body: [String: JSONValue] = [
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
            ]),
        ]
        let response = Response(status: .ok, body: .init(string: JSONValue.object(body).jsonText))
        response.headers.contentType = .json
        return response
    }

    /// `GET /notifications/preferences/preferences/`: the original's five booleans.
    @Sendable func legacyPreferences(req: Request) async throws -> [String: Bool] {
        let stored = try await switches(req, userID: try caller(req).id)
        var result: [String: Bool] = [:]
        for key in Self.legacyKeys {
            result[key] = DeliveryChannel.allCases.allSatisfy { stored["\(key):\($0.rawValue)"] ?? true }
        }
        return result
    }

    /// `POST /notifications/preferences/preferences/`: sets each switch for every outside channel.
    @Sendable func saveLegacyPreferences(req: Request) async throws -> [String: Bool] {
        let userID = try caller(req).id
        var input = try JSONInput(request: req)
        var values: [String: Bool] = [:]
        for key in Self.legacyKeys { values[key] = input.bool(key) ?? true }
        try input.validate()
        var changes: [(String, String, Bool)] = []
        for (key, enabled) in values {
            for event in Self.events(forLegacyKey: key) {
                for channel in DeliveryChannel.allCases { changes.append((event, channel.rawValue, enabled)) }
            }
        }
        try await savePreferences(req, userID: userID, changes: changes)
        return values
    }

    /// `GET /notifications/preferences/logs/`: the caller's last 50 delivery attempts.
    @Sendable func logs(req: Request) async throws -> Response {
        let userID = try caller(req).id
        let zone = timeZone(req)
        let rows = try await (try req.db.sql()).select()
            .columns("id", "notification_id", "event_type", "channel", "attempt", "status", "error", "is_final", "created_at")
            .from("notification_deliveries").where("user_id", .equal, userID)
            .orderBy("created_at", .descending).orderBy("id", .descending).limit(50).all()
        var writer = JSONWriter()
        writer.beginArray()
        for row in rows {
            let status = try row.decode(column: "status", as: String.self)
            let createdAt = try row.decode(column: "created_at", as: Date.self)
            writer.beginObject()
            writer.field("id", try row.decode(column: "id", as: Int.self))
            writer.field("notification", try row.decode(column: "notification_id", as: Int?.self))
            writer.field("channel", try row.decode(column: "channel", as: String.self))
            writer.field("event_type", try row.decode(column: "event_type", as: String.self))
            writer.field("status", status)
            writer.field("attempt", try row.decode(column: "attempt", as: Int.self))
            writer.field("is_final", try row.decode(column: "is_final", as: Bool.self))
            writer.field("sent_at", status == "sent" ? ISOTime.format(createdAt, in: zone) : nil)
            writer.field("error_message", try row.decode(column: "error", as: String.self))
            writer.field("created_at", ISOTime.format(createdAt, in: zone))
            writer.endObject()
        }
        writer.endArray()
        let response = Response(status: .ok, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }

    // MARK: - Telegram

    @Sendable func telegramStatus(req: Request) async throws -> Response {
        let user = try await User.find(try caller(req).id, on: req.db)
        let config = req.application.config.telegram
        let body: [String: JSONValue] = [
            "configured": .bool(config != nil), "linked": .bool(user?.telegramChatID?.isEmpty == false),
            "bot_username": config?.botUsername.map(JSONValue.string) ?? .null,
        ]
        let response = Response(status: .ok, body: .init(string: JSONValue.object(body).jsonText))
        response.headers.contentType = .json
        return response
    }

    /// A one-time code (15 minutes) the user sends to the bot as `/start CODE`.
    @Sendable func createTelegramLink(req: Request) async throws -> Response {
        let code = try await NotificationSettings(request: req).newTelegramCode(for: try caller(req).id)
        let body: [String: JSONValue] = [
            "code": .string(code.code), "command": .string(code.command),
            "expires_at": .string(ISOTime.format(code.expiresAt, in: timeZone(req))),
            "bot_url": code.botURL.map(JSONValue.string) ?? .null,
        ]
        let response = Response(status: .created, body: .init(string: JSONValue.object(body).jsonText))
        response.headers.contentType = .json
        return response
    }

    @Sendable func unlinkTelegram(req: Request) async throws -> Response {
        try await NotificationSettings(request: req).unlinkTelegram(try caller(req).id)
        return Response(status: .noContent)
    }

    /// `POST /api/v1/notifications/telegram/webhook/`: updates from Telegram (no user; the secret
    /// header proves the sender). Always 200 for well-formed calls, or Telegram keeps re-sending.
    @Sendable func telegramWebhook(req: Request) async throws -> [String: Bool] {
        guard let settings = req.application.config.telegram else { throw APIError.notFound() }
        let given = req.headers.first(name: "X-Telegram-Bot-Api-Secret-Token") ?? ""
        guard TelegramLinking.constantTimeEquals(given, settings.webhookSecret) else { throw APIError.forbidden() }
        let update = try req.jsonObject()
        guard let message = update["message"]?.objectValue, let text = message["text"]?.stringValue,
            let chat = message["chat"]?.objectValue, let chatValue = chat["id"]
        else { return ["ok": true] }
        let chatID: String
        switch chatValue {
        case .number(let number): chatID = DecimalText.format(number, scale: 0)
        case .string(let string): chatID = string
        default: return ["ok": true]
        }
        let reply = try await TelegramLinking(app: req.application, logger: req.logger).handle(text: text, chatID: chatID)
        if let reply, let sender = req.application.telegramSender {
            do {
                try await sender.sendMessage(chatID: chatID, text: TelegramText.escape(reply))
            } catch {
                req.logger.warning("telegram reply not sent", metadata: ["error": "\(error)"])
            }
        }
        return ["ok": true]
    }
}

/// Links a Telegram chat to a user with a one-time code.
struct TelegramLinking {
    let app: Application
    let logger: Logger

    static let codeLifetime: TimeInterval = 15 * 60
    private static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Handles a chat message; returns the bot's answer, if any.
    func handle(text: String, chatID: String) async throws -> String? {
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        if first == "/stop" {
            try await app.writeSerializer.run {
                try await User.query(on: app.db).filter(\.$telegramChatID == chatID).set(\.$telegramChatID, to: nil).update()
            }
            return "Уведомления в этот чат отключены."
        }
        let candidate = (first.hasPrefix("/start") ? words.dropFirst().first : first)?.uppercased()
        guard let candidate, !candidate.isEmpty else {
            return "Чтобы получать уведомления, получите код в профиле Ринго Учёт и отправьте его сюда."
        }
        let now = Date()
        let linked: Bool = try await app.writeSerializer.transaction(on: app.db) { db in
            guard let code = try await TelegramLinkCode.query(on: db).filter(\.$id == candidate).first(),
                code.usedAt == nil, code.expiresAt > now
            else { return false }
            code.usedAt = now
            try await code.save(on: db)
            try await User.query(on: db).filter(\.$telegramChatID == chatID).set(\.$telegramChatID, to: nil).update()
            try await User.query(on: db).filter(\.$id == code.userID).set(\.$telegramChatID, to: chatID).update()
            logger.info("telegram chat linked", metadata: ["user_id": "\(code.userID)"])
            return true
        }
        return linked
            ? "Готово: уведомления Ринго Учёт будут приходить в этот чат. Отключить: /stop"
            : "Код не найден или устарел. Получите новый код в профиле Ринго Учёт."
    }
}
