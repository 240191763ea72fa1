import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The rules of the caller's notifications, for the API (`/api/v1/notifications/…`) and the web pages alike:
/// the in-app inbox, devices and Web Push subscriptions, the channel subscriptions of the original API,
/// per-event switches and Telegram linking. Everything is scoped to the caller; another user's rows are
/// "not found".
struct NotificationService {
    let context: ServiceContext

    private var userID: Int { context.caller.id }
    private var db: any Database { context.db }
    private var settings: NotificationSettings { NotificationSettings(db: context.db, app: context.app) }
    private var inbox: NotificationInbox { NotificationInbox(db: context.db, app: context.app) }

    private func serialized<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await context.writes.run { try await work() }
    }

    // MARK: - Inbox

    /// `unread` keeps only unread (`true`) or only read (`false`) messages.
    func messageCount(unread: Bool? = nil) async throws -> Int {
        try await inbox.count(of: userID, unread: unread)
    }

    /// Newest first.
    func messages(unread: Bool? = nil, offset: Int, limit: Int) async throws -> [InboxNotification] {
        try await inbox.messages(of: userID, unread: unread, offset: offset, limit: limit)
    }

    func unreadCount() async throws -> Int {
        try await inbox.unreadCount(of: userID)
    }

    /// Marks one of the caller's messages read (once: a read message keeps its first read time).
    func markRead(_ id: Int) async throws -> InboxNotification {
        guard
            let row = try await InboxNotification.query(on: db).filter(\.$id == id).filter(\.$userID == userID)
                .first()
        else { throw NotificationError.notFound }
        if row.readAt == nil {
            row.readAt = context.now()
            let db = self.db
            try await serialized { try await row.save(on: db) }
        }
        return row
    }

    /// Returns how many messages were unread.
    @discardableResult
    func markAllRead() async throws -> Int {
        try await inbox.markAllRead(of: userID)
    }

    // MARK: - Devices (Web Push subscriptions are `web` devices)

    /// Each subscription is an address the server posts to on the user's behalf: a few browsers per person.
    static let webSubscriptionLimit = 10
    static let webSubscriptionLimitMessage =
        "Не больше \(webSubscriptionLimit) подписок Web Push на пользователя. "
        + "Удалите старые в «Профиль» → «Уведомления»."

    func deviceCount() async throws -> Int {
        try await DeviceToken.query(on: db).filter(\.$userID == userID).count()
    }

    /// Most recently active first.
    func devices(offset: Int, limit: Int) async throws -> [DeviceToken] {
        try await DeviceToken.query(on: db).filter(\.$userID == userID)
            .sort(\.$lastActiveAt, .descending).sort(\.$id, .descending).range(offset..<(offset + limit)).all()
    }

    func device(_ id: Int) async throws -> DeviceToken {
        guard let row = try await DeviceToken.query(on: db).filter(\.$id == id).filter(\.$userID == userID).first()
        else { throw NotificationError.notFound }
        return row
    }

    /// Registers a device, or moves a known token to the caller with the new platform, version and info.
    /// - Parameter problems: field errors already found in the input; reported together with the rules' ones.
    /// - Returns: the row and whether it is new.
    func registerDevice(
        _ input: DeviceTokenInput, problems: [String: [String]] = [:]
    ) async throws -> (DeviceToken, Bool) {
        var problems = problems
        if let endpoint = input.webEndpoint, let problem = await endpointProblem(endpoint) {
            problems["device_info", default: []].append(problem)
        }
        if !problems.isEmpty { throw NotificationError.invalid(problems) }
        guard case .set(let token) = input.token, case .set(let platform) = input.platform else {
            throw NotificationError.invalid(["token": [FieldMessage.required]])
        }
        return try await upsertDevice(
            token: token, platform: platform, appVersion: input.appVersion.newValue,
            deviceInfo: input.deviceInfo.newValue, limitField: "token")
    }

    /// Changes a device of the caller's (see `device(_:)`); a `web` device must keep a valid subscription.
    func updateDevice(
        _ row: DeviceToken, with input: DeviceTokenInput, problems: [String: [String]] = [:]
    )
        async throws -> DeviceToken
    {
        var problems = problems
        func fail(_ field: String, _ message: String) { problems[field, default: []].append(message) }
        if let endpoint = input.webEndpoint, let problem = await endpointProblem(endpoint) {
            fail("device_info", problem)
        }
        if input.platform.newValue == .web, row.platform != DevicePlatform.web.rawValue,
            try await webSubscriptionCount(otherThan: row.token) >= Self.webSubscriptionLimit
        {
            fail("platform", Self.webSubscriptionLimitMessage)
        }
        if let token = input.token.newValue, token != row.token,
            try await DeviceToken.query(on: db).filter(\.$token == token).filter(\.$id != (row.id ?? 0)).first() != nil
        {
            fail("token", "Устройство с таким токеном уже зарегистрировано.")
        }
        if !problems.isEmpty { throw NotificationError.invalid(problems) }
        input.token.apply(to: &row.token)
        if let platform = input.platform.newValue { row.platform = platform.rawValue }
        input.appVersion.apply(to: &row.appVersion)
        if let info = input.deviceInfo.newValue { row.deviceInfo = JSONValue.object(info).jsonText }
        row.lastActiveAt = context.now()
        let db = self.db
        try await serialized { try await row.save(on: db) }
        return row
    }

    func deleteDevice(_ id: Int) async throws {
        let row = try await device(id)
        let db = self.db
        try await serialized { try await row.delete(on: db) }
    }

    /// The server's VAPID key that browsers subscribe with.
    func vapidPublicKey() throws -> String {
        guard let settings = context.config.webPush else { throw NotificationError.webPushNotConfigured }
        return settings.publicKey
    }

    /// Stores the browser's subscription as a `web` device of the caller.
    func subscribeWebPush(_ input: WebPushInput) async throws -> (DeviceToken, Bool) {
        if let problem = await endpointProblem(input.subscription.endpoint) {
            throw NotificationError.invalid(["endpoint": [problem]])
        }
        var info: [String: JSONValue] = ["subscription": input.subscription.json]
        if let agent = input.userAgent { info["user_agent"] = .string(String(agent.prefix(300))) }
        return try await upsertDevice(
            token: input.subscription.endpoint, platform: .web, appVersion: input.appVersion, deviceInfo: info,
            limitField: "endpoint")
    }

    func unsubscribeWebPush(endpoint: String) async throws {
        let (db, userID) = (self.db, self.userID)
        try await serialized {
            try await DeviceToken.query(on: db).filter(\.$userID == userID).filter(\.$token == endpoint).delete()
        }
    }

    /// The user's message when the server will not post to this endpoint (https to public addresses only,
    /// see `PushEndpointGuard`); nil when it may.
    func endpointProblem(_ endpoint: String) async -> String? {
        await Self.endpointProblem(endpoint, app: context.app)
    }

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

    /// The subscription in `device_info.subscription`, or `device_info` itself, with the token as
    /// the endpoint when the subscription names none.
    static func subscription(in info: [String: JSONValue], token: String) -> WebPushSubscription? {
        var object = info["subscription"]?.objectValue ?? info
        if object["endpoint"] == nil, token.hasPrefix("http") { object["endpoint"] = .string(token) }
        return WebPushSubscription(json: object)
    }

    /// The Web Push subscription stored with a `web` device token.
    static func webSubscription(of token: DeviceToken) -> WebPushSubscription? {
        guard token.platform == DevicePlatform.web.rawValue else { return nil }
        return subscription(in: JSONValue.parse(token.deviceInfo)?.objectValue ?? [:], token: token.token)
    }

    private func webSubscriptionCount(otherThan token: String, on db: (any Database)? = nil) async throws -> Int {
        try await DeviceToken.query(on: db ?? self.db).filter(\.$userID == userID)
            .filter(\.$platform == DevicePlatform.web.rawValue).filter(\.$token != token).count()
    }

    /// - Parameter limitField: where a refusal over the subscription limit is reported.
    private func upsertDevice(
        token: String, platform: DevicePlatform, appVersion: String?, deviceInfo: [String: JSONValue]?,
        limitField: String
    ) async throws -> (DeviceToken, Bool) {
        let (db, userID, now) = (self.db, self.userID, context.now())
        return try await serialized {
            let existing = try await DeviceToken.query(on: db).filter(\.$token == token).first()
            let alreadyCounted =
                existing.map { $0.userID == userID && $0.platform == DevicePlatform.web.rawValue } ?? false
            if platform == .web, !alreadyCounted,
                try await webSubscriptionCount(otherThan: token, on: db) >= Self.webSubscriptionLimit
            {
                throw NotificationError.invalid([limitField: [Self.webSubscriptionLimitMessage]])
            }
            if let existing {
                existing.userID = userID
                existing.platform = platform.rawValue
                if let appVersion { existing.appVersion = appVersion }
                if let deviceInfo { existing.deviceInfo = JSONValue.object(deviceInfo).jsonText }
                existing.lastActiveAt = now
                try await existing.save(on: db)
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
            try await row.create(on: db)
            return (row, true)
        }
    }

    // MARK: - Channel subscriptions (original API)

    func subscriptionCount() async throws -> Int {
        try await NotificationSubscription.query(on: db).filter(\.$userID == userID).count()
    }

    /// Most recently changed first.
    func subscriptions(offset: Int, limit: Int) async throws -> [NotificationSubscription] {
        try await NotificationSubscription.query(on: db).filter(\.$userID == userID)
            .sort(\.$updatedAt, .descending).sort(\.$id, .descending).range(offset..<(offset + limit)).all()
    }

    func subscription(_ id: Int) async throws -> NotificationSubscription {
        guard
            let row = try await NotificationSubscription.query(on: db).filter(\.$id == id)
                .filter(\.$userID == userID).first()
        else { throw NotificationError.notFound }
        return row
    }

    /// A new subscription of the caller's: enabled, no endpoint and no preferences unless given.
    func createSubscription(_ input: SubscriptionInput) async throws -> NotificationSubscription {
        let row = NotificationSubscription()
        row.userID = userID
        row.endpoint = ""
        row.enabled = true
        row.preferences = "{}"
        try await save(row, applying: input)
        return row
    }

    /// Changes a subscription of the caller's (see `subscription(_:)`).
    func updateSubscription(_ row: NotificationSubscription, with input: SubscriptionInput) async throws {
        try await save(row, applying: input)
    }

    func deleteSubscription(_ id: Int) async throws {
        let row = try await subscription(id)
        let db = self.db
        try await serialized { try await row.delete(on: db) }
    }

    /// One subscription per user, channel and endpoint.
    private func save(_ row: NotificationSubscription, applying input: SubscriptionInput) async throws {
        if let channel = input.channel.newValue { row.channel = channel.rawValue }
        input.endpoint.apply(to: &row.endpoint)
        input.enabled.apply(to: &row.enabled)
        if let preferences = input.preferences.newValue { row.preferences = JSONValue.object(preferences).jsonText }
        var duplicate = NotificationSubscription.query(on: db).filter(\.$userID == row.userID)
            .filter(\.$channel == row.channel).filter(\.$endpoint == row.endpoint)
        if let id = row.id { duplicate = duplicate.filter(\.$id != id) }
        if try await duplicate.first() != nil {
            let message = "Подписка на этот канал с таким адресом уже существует."
            throw NotificationError.invalid(["non_field_errors": [message]])
        }
        let now = context.now()
        if row.id == nil { row.createdAt = now }
        row.updatedAt = now
        let db = self.db
        try await serialized { try await row.save(on: db) }
    }

    // MARK: - Preferences

    /// The five switches of the original `preferences/preferences/` endpoint.
    static let legacyKeys = ["order_created", "status_changed", "payment_received", "invoice_ready", "kassa_full"]

    /// Which of our events a legacy switch also governs.
    static func events(forLegacyKey key: String) -> [String] {
        key == "status_changed"
            ? [NotificationEvent.statusChanged, .orderCompleted, .orderCancelled].map(\.rawValue) : [key]
    }

    /// Every event × outside channel switch of the caller (unset switches are on), and the channels' state.
    func preferences() async throws -> NotificationPreferences {
        let stored = try await settings.switches(of: userID)
        var switches: [NotificationEvent: [DeliveryChannel: Bool]] = [:]
        for event in NotificationEvent.allCases {
            for channel in DeliveryChannel.allCases {
                switches[event, default: [:]][channel] =
                    stored[NotificationSettings.key(event.rawValue, channel.rawValue)] ?? true
            }
        }
        return NotificationPreferences(switches: switches, channels: try await settings.channels(of: userID))
    }

    func savePreferences(_ changes: [NotificationSettings.Change]) async throws {
        try await settings.save(changes, for: userID)
    }

    /// The original's five booleans: a switch is on when every outside channel of its event is on.
    func legacyPreferences() async throws -> [String: Bool] {
        let stored = try await settings.switches(of: userID)
        var result: [String: Bool] = [:]
        for key in Self.legacyKeys {
            result[key] = DeliveryChannel.allCases.allSatisfy {
                stored[NotificationSettings.key(key, $0.rawValue)] ?? true
            }
        }
        return result
    }

    /// Sets each legacy switch for every outside channel of the events it governs.
    func saveLegacyPreferences(_ values: [String: Bool]) async throws {
        var changes: [NotificationSettings.Change] = []
        for (key, enabled) in values {
            for event in Self.events(forLegacyKey: key) {
                for channel in DeliveryChannel.allCases {
                    changes.append(.init(event: event, channel: channel.rawValue, enabled: enabled))
                }
            }
        }
        try await settings.save(changes, for: userID)
    }

    /// One delivery attempt, as `notification_deliveries` stores it.
    struct DeliveryRow: Decodable, Sendable {
        var id: Int
        var notification_id: Int?
        var event_type: String
        var channel: String
        var attempt: Int
        var status: String
        var error: String
        var is_final: Bool
        var created_at: Date
    }

    /// The caller's last `limit` delivery attempts, newest first.
    func deliveries(limit: Int = 50) async throws -> [DeliveryRow] {
        try await db.sql().raw(
            """
            SELECT id, notification_id, event_type, channel, attempt, status, error, is_final, created_at
            FROM notification_deliveries WHERE user_id = \(bind: userID)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """
        ).all(decoding: DeliveryRow.self)
    }

    // MARK: - Telegram

    func channelState() async throws -> NotificationSettings.ChannelState {
        try await settings.channels(of: userID)
    }

    /// A new one-time code (15 minutes) the user sends to the bot as `/start CODE`; earlier codes stop working.
    func newTelegramCode() async throws -> NotificationSettings.TelegramCode {
        try await settings.newTelegramCode(for: userID)
    }

    /// The last code while it is unused and not expired.
    func pendingTelegramCode() async throws -> NotificationSettings.TelegramCode? {
        try await settings.pendingTelegramCode(of: userID)
    }

    func unlinkTelegram() async throws {
        try await settings.unlinkTelegram(userID)
    }
}

/// The caller's switches and what their outside channels can do.
struct NotificationPreferences: Sendable {
    var switches: [NotificationEvent: [DeliveryChannel: Bool]]
    var channels: NotificationSettings.ChannelState

    func isOn(_ event: NotificationEvent, _ channel: DeliveryChannel) -> Bool { switches[event]?[channel] ?? true }
}

/// What the notification rules refuse; the API answers today's JSON (`apiError`), the web a flash message.
enum NotificationError: APIMappedError, Sendable, Equatable {
    /// Not the caller's, or no such row.
    case notFound
    /// Field errors, as the API reports them (`{"field": ["message"]}`).
    case invalid([String: [String]])
    case webPushNotConfigured
    case telegramNotConfigured

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .invalid(let fields): FieldErrors(fields)
        case .webPushNotConfigured: APIError.notFound("Web Push не настроен.")
        case .telegramNotConfigured: APIError.badRequest("Telegram-бот не настроен.")
        }
    }
}

extension Request {
    var notifications: NotificationService {
        get throws { NotificationService(context: try services) }
    }
}
