import Domain
import Fluent
import Foundation

/// What happened; each event has its own preferences.
enum NotificationEvent: String, CaseIterable, Codable, Sendable {
    case orderAssigned = "order_assigned"
    case orderUnassigned = "order_unassigned"
    case statusChanged = "status_changed"
    case orderCompleted = "order_completed"
    case orderCancelled = "order_cancelled"
    case salaryApproved = "salary_approved"
    case salaryPaid = "salary_paid"
    case debtDigest = "debt_digest"

    var title: String {
        switch self {
        case .orderAssigned: "Назначение на заказ"
        case .orderUnassigned: "Снятие с заказа"
        case .statusChanged: "Изменение статуса заказа"
        case .orderCompleted: "Заказ выполнен"
        case .orderCancelled: "Заказ отменён"
        case .salaryApproved: "Зарплата утверждена"
        case .salaryPaid: "Зарплата выплачена"
        case .debtDigest: "Ежедневная сводка долгов"
        }
    }

    /// One line under the title on the settings page.
    var note: String {
        switch self {
        case .orderAssigned: "Когда вас назначают на заявку."
        case .orderUnassigned: "Когда вас снимают с заявки."
        case .statusChanged: "Уведомления о смене статуса заявок."
        case .orderCompleted: "Когда заявка завершена."
        case .orderCancelled: "Когда заявка отменена."
        case .salaryApproved: "Начисление за заявку утверждено."
        case .salaryPaid: "Уведомления о выплате зарплаты."
        case .debtDigest: "Каждое утро: клиенты с неоплаченными заявками."
        }
    }

    /// The events `Notifier` sends to this role: operators hear about their assignments and pay, managers
    /// about their orders' statuses, admins also get the debt digest.
    static func received(by role: Role) -> [NotificationEvent] {
        switch role {
        case .operator:
            [
                .orderAssigned, .orderUnassigned, .statusChanged, .orderCompleted, .orderCancelled, .salaryApproved,
                .salaryPaid,
            ]
        case .admin: [.statusChanged, .orderCompleted, .orderCancelled, .debtDigest]
        case .manager, .accountant: [.statusChanged, .orderCompleted, .orderCancelled]
        }
    }
}

/// Channels outside the app. The in-app inbox always gets a copy, so it has no switch.
enum DeliveryChannel: String, CaseIterable, Codable, Sendable {
    case telegram
    case push
    case email

    var title: String {
        switch self {
        case .telegram: "Telegram"
        case .push: "Push-уведомление"
        case .email: "E-mail"
        }
    }
}

/// One message in a user's in-app inbox (table `notifications`).
final class InboxNotification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    @Field(key: "event_type") var eventType: String
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "data") var data: String
    @OptionalField(key: "read_at") var readAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(userID: Int, eventType: String, title: String, body: String, data: String, createdAt: Date) {
        self.userID = userID
        self.eventType = eventType
        self.title = title
        self.body = body
        self.data = data
        self.createdAt = createdAt
    }
}

/// A phone or browser that can receive push (`ios`, `android` or `web`; web rows carry the Web Push
/// subscription in `device_info`).
final class DeviceToken: Model, @unchecked Sendable {
    static let schema = "device_tokens"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @OptionalField(key: "user_id") var userID: Int?
    @Field(key: "token") var token: String
    @Field(key: "platform") var platform: String
    @Field(key: "app_version") var appVersion: String
    @Field(key: "device_info") var deviceInfo: String
    @Field(key: "last_active_at") var lastActiveAt: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// `NotificationSubscription` of the original API: a channel address of a user.
final class NotificationSubscription: Model, @unchecked Sendable {
    static let schema = "notification_subscriptions"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    @Field(key: "channel") var channel: String
    @Field(key: "endpoint") var endpoint: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "preferences") var preferences: String
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// One switch: may `event` be sent to this user through `channel`? No row means yes.
final class NotificationPreference: Model, @unchecked Sendable {
    static let schema = "notification_preferences"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "user_id") var userID: Int
    @Field(key: "event_type") var eventType: String
    @Field(key: "channel") var channel: String
    @Field(key: "enabled") var enabled: Bool

    init() {}

    init(userID: Int, eventType: String, channel: String, enabled: Bool) {
        self.userID = userID
        self.eventType = eventType
        self.channel = channel
        self.enabled = enabled
    }
}

/// A one-time code a user sends to the bot to link their Telegram chat.
final class TelegramLinkCode: Model, @unchecked Sendable {
    static let schema = "telegram_link_codes"

    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "user_id") var userID: Int
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
