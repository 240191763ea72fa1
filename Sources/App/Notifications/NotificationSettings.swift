import Fluent
import Foundation
import Vapor

/// A user's notification settings: the per-event × channel switches, which outside channels are set up,
/// and Telegram linking. Used by `NotificationService`, so the API and the web settings page read and write the
/// same rows the same way.
struct NotificationSettings {
    let db: any Database
    let app: Application

    /// One switch to store: may `event` go to the user through `channel`?
    struct Change: Sendable, Equatable {
        var event: String
        var channel: String
        var enabled: Bool
    }

    /// What the user's outside channels can do right now.
    struct ChannelState: Sendable {
        var telegramConfigured: Bool
        var telegramLinked: Bool
        var telegramBot: String?
        var pushConfigured: Bool
        var pushPublicKey: String?
        var pushDevices: Int
        /// SMTP is set up (`SMTP_HOST`).
        var emailConfigured: Bool
        /// The user's address from his profile, nil when it is empty or unusable.
        var emailAddress: String?
    }

    /// A one-time Telegram code: the user sends `/start CODE` to the bot.
    struct TelegramCode: Sendable {
        var code: String
        var expiresAt: Date
        var botURL: String?
        var command: String { "/start " + code }
    }

    // MARK: - Switches

    /// Stored switches as `"event:channel" → enabled`; a missing key means on.
    func switches(of userID: Int) async throws -> [String: Bool] {
        var result: [String: Bool] = [:]
        for row in try await NotificationPreference.query(on: db).filter(\.$userID == userID).all() {
            result[Self.key(row.eventType, row.channel)] = row.enabled
        }
        return result
    }

    static func key(_ event: String, _ channel: String) -> String { event + ":" + channel }

    /// Upserts the switches in one transaction (writes are serialized, as every write of the app).
    func save(_ changes: [Change], for userID: Int) async throws {
        guard !changes.isEmpty else { return }
        let db = self.db
        try await app.writeSerializer.transaction(on: db) { db in
            for change in changes {
                if let row = try await NotificationPreference.query(on: db).filter(\.$userID == userID)
                    .filter(\.$eventType == change.event).filter(\.$channel == change.channel).first()
                {
                    guard row.enabled != change.enabled else { continue }
                    row.enabled = change.enabled
                    try await row.save(on: db)
                } else {
                    try await NotificationPreference(
                        userID: userID, eventType: change.event, channel: change.channel, enabled: change.enabled
                    ).create(on: db)
                }
            }
        }
    }

    // MARK: - Channels

    func channels(of userID: Int) async throws -> ChannelState {
        let config = app.config
        let user = try await User.find(userID, on: db)
        let webDevices = try await DeviceToken.query(on: db).filter(\.$userID == userID).filter(\.$platform == "web")
            .count()
        return ChannelState(
            telegramConfigured: config.telegram != nil, telegramLinked: user?.telegramChatID?.isEmpty == false,
            telegramBot: config.telegram?.botUsername, pushConfigured: config.webPush != nil,
            pushPublicKey: config.webPush?.publicKey, pushDevices: webDevices, emailConfigured: config.mail != nil,
            emailAddress: user.flatMap(Notifier.mailAddress(of:)))
    }

    // MARK: - Telegram

    /// A new one-time code (15 minutes); earlier unused codes of the user stop working.
    func newTelegramCode(for userID: Int) async throws -> TelegramCode {
        guard let settings = app.config.telegram else { throw NotificationError.telegramNotConfigured }
        let code = TelegramLinking.newCode()
        let now = Date()
        let expiresAt = now.addingTimeInterval(TelegramLinking.codeLifetime)
        let db = self.db
        try await app.writeSerializer.transaction(on: db) { db in
            try await TelegramLinkCode.query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil).delete()
            let row = TelegramLinkCode()
            row.id = code
            row.userID = userID
            row.expiresAt = expiresAt
            row.createdAt = now
            try await row.create(on: db)
        }
        return TelegramCode(code: code, expiresAt: expiresAt, botURL: Self.botURL(settings.botUsername, code: code))
    }

    /// The code the user got last, while it is unused and not expired (the settings page shows it again).
    func pendingTelegramCode(of userID: Int) async throws -> TelegramCode? {
        guard let settings = app.config.telegram else { return nil }
        guard
            let row = try await TelegramLinkCode.query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil)
                .filter(\.$expiresAt > Date()).sort(\.$createdAt, .descending).first(), let code = row.id
        else { return nil }
        return TelegramCode(code: code, expiresAt: row.expiresAt, botURL: Self.botURL(settings.botUsername, code: code))
    }

    func unlinkTelegram(_ userID: Int) async throws {
        let db = self.db
        try await app.writeSerializer.run {
            try await User.query(on: db).filter(\.$id == userID).set(\.$telegramChatID, to: nil).update()
        }
    }

    static func botURL(_ username: String?, code: String) -> String? {
        username.map { "https://t.me/\($0)?start=\(code)" }
    }
}

/// A user's in-app inbox: counts, pages and «read» marks, for the API and the web inbox alike.
struct NotificationInbox {
    let db: any Database
    let app: Application

    func unreadCount(of userID: Int) async throws -> Int {
        try await count(of: userID, unread: true)
    }

    /// `unread` keeps only unread (`true`) or only read (`false`) messages.
    private func query(of userID: Int, unread: Bool?) -> QueryBuilder<InboxNotification> {
        let query = InboxNotification.query(on: db).filter(\.$userID == userID)
        switch unread {
        case true?: return query.filter(\.$readAt == nil)
        case false?: return query.filter(\.$readAt != nil)
        case nil: return query
        }
    }

    func count(of userID: Int, unread: Bool? = nil) async throws -> Int {
        try await query(of: userID, unread: unread).count()
    }

    /// Newest first.
    func messages(of userID: Int, unread: Bool? = nil, offset: Int, limit: Int) async throws -> [InboxNotification] {
        try await query(of: userID, unread: unread).sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .range(offset..<(offset + limit)).all()
    }

    /// Marks every unread message read; returns how many were unread.
    @discardableResult
    func markAllRead(of userID: Int) async throws -> Int {
        let unread = try await unreadCount(of: userID)
        let db = self.db
        try await app.writeSerializer.run {
            try await InboxNotification.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil)
                .set(\.$readAt, to: Date()).update()
        }
        return unread
    }
}
