import Foundation

/// «Настройки уведомлений»: GET `Paths.notificationSettings()`.
///
/// The switches form posts `_csrf` and one checkbox per shown event and channel, named `<event>.<channel>`
/// (`salary_paid.telegram`) with the value `true`; an unticked box is not posted and means «off».
/// Telegram: POST `_csrf` to `Paths.telegramLink()` (a new one-time code) or `Paths.telegramUnlink()`.
/// Web Push: app.js posts the browser's subscription as JSON to `Paths.pushSubscribe()` / `Paths.pushUnsubscribe()`
/// with the `X-CSRF-Token` header.
public struct NotificationSettingsModel: Sendable {
    public struct Event: Sendable {
        /// `order_assigned`, `salary_paid`…
        public var key: String
        public var title: String
        public var note: String
        /// Channel key (`telegram`, `push`, `email`) → on.
        public var switches: [String: Bool]

        public init(key: String, title: String, note: String, switches: [String: Bool]) {
            self.key = key
            self.title = title
            self.note = note
            self.switches = switches
        }
    }

    public struct Channel: Sendable {
        public var key: String
        public var title: String

        public init(key: String, title: String) {
            self.key = key
            self.title = title
        }
    }

    public enum Telegram: Sendable {
        /// No bot configured on the server.
        case unavailable
        /// Configured, this user has no chat yet; `code` while a one-time code is pending.
        case notLinked(code: TelegramCode?)
        case linked
    }

    public struct TelegramCode: Sendable {
        public var code: String
        public var expiresAt: Date
        /// `https://t.me/<bot>?start=<code>` when the bot's name is known.
        public var botURL: String?
        /// What the user sends to the bot.
        public var command: String { "/start " + code }

        public init(code: String, expiresAt: Date, botURL: String? = nil) {
            self.code = code
            self.expiresAt = expiresAt
            self.botURL = botURL
        }
    }

    public struct Push: Sendable {
        /// The VAPID public key (base64url); `nil` when Web Push is not configured.
        public var publicKey: String?
        /// Browsers of this user subscribed to push.
        public var devices: Int

        public init(publicKey: String?, devices: Int = 0) {
            self.publicKey = publicKey
            self.devices = devices
        }
    }

    public enum Email: Sendable, Equatable {
        /// No SMTP server configured.
        case unavailable
        /// Configured, but the user's profile has no e-mail.
        case noAddress
        /// Letters go to this address (the user's own, from his profile).
        case ready(address: String)
    }

    public var context: PageContext
    /// The outside channels, in column order (the in-app inbox always gets a copy and has no switch).
    public var channels: [Channel]
    public var events: [Event]
    public var telegram: Telegram
    public var push: Push
    public var email: Email
    public var unreadCount: Int

    public init(
        context: PageContext, channels: [Channel], events: [Event], telegram: Telegram, push: Push,
        email: Email = .unavailable, unreadCount: Int = 0
    ) {
        self.context = context
        self.channels = channels
        self.events = events
        self.telegram = telegram
        self.push = push
        self.email = email
        self.unreadCount = unreadCount
    }

    /// The posted checkbox name of one switch.
    public static func fieldName(event: String, channel: String) -> String { event + "." + channel }
}

/// «Уведомления»: the in-app inbox, GET `Paths.inbox()`; «Отметить все прочитанными» posts `_csrf` to
/// `Paths.inboxReadAll()`.
public struct InboxModel: Sendable {
    public struct Message: Sendable {
        public var id: String
        public var title: String
        public var body: String
        /// «Изменение статуса заказа».
        public var eventTitle: String
        public var createdAt: Date
        public var isRead: Bool
        /// A page to open (`/orders/{id}`), when the message is about one.
        public var link: String?

        public init(
            id: String, title: String, body: String, eventTitle: String, createdAt: Date, isRead: Bool,
            link: String? = nil
        ) {
            self.id = id
            self.title = title
            self.body = body
            self.eventTitle = eventTitle
            self.createdAt = createdAt
            self.isRead = isRead
            self.link = link
        }
    }

    public var context: PageContext
    public var messages: [Message]
    public var unreadCount: Int
    public var page: Int
    public var totalPages: Int

    public init(context: PageContext, messages: [Message], unreadCount: Int, page: Int = 1, totalPages: Int = 1) {
        self.context = context
        self.messages = messages
        self.unreadCount = unreadCount
        self.page = page
        self.totalPages = totalPages
    }
}
