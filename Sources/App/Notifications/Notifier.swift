import Domain
import Fluent
import Foundation
import SQLKit
import Vapor
import WebUI

/// Turns business events into messages for the right people: every recipient gets an in-app copy
/// (so nobody without Telegram or push misses it), plus a delivery per outside channel that is set
/// up and allowed by their preferences. Callers call it after their transaction has committed; it
/// never throws, because a notification problem must not undo or fail the business operation.
struct Notifier {
    let app: Application
    let logger: Logger

    init(app: Application, logger: Logger? = nil) {
        self.app = app
        self.logger = logger ?? app.logger
    }

    struct Message: Sendable {
        var event: NotificationEvent
        var title: String
        var body: String
        var url: String?
        var data: [String: String]
    }

    /// An order as the order events describe it.
    struct OrderFacts: Sendable {
        var id: String
        var number: String
        var address: String
        var startAt: Date
        var managerID: Int?
        var operatorIDs: [Int]
    }

    // MARK: - Events

    /// Operators added to or removed from an order; the person who did it is not told.
    func orderAssignmentsChanged(_ order: OrderFacts, before: [Int], after: [Int], actorID: Int?) async {
        let added = Set(after).subtracting(before).filter { $0 != actorID }
        let removed = Set(before).subtracting(after).filter { $0 != actorID }
        let start = RussianFormat.dateTime(order.startAt, in: app.config.timeZone)
        var data = ["order_id": order.id, "number": order.number, "type": "order"]
        if !added.isEmpty {
            data["action"] = "assigned"
            await send(
                Message(
                    event: .orderAssigned, title: "Вы назначены на заказ #\(order.number)",
                    body: "Адрес: \(order.address)\nНачало: \(start)", url: Paths.order(order.id), data: data),
                to: added.sorted())
        }
        if !removed.isEmpty {
            data["action"] = "unassigned"
            await send(
                Message(
                    event: .orderUnassigned, title: "Вы сняты с заказа #\(order.number)",
                    body: "Адрес: \(order.address)\nНачало: \(start)", url: Paths.order(order.id), data: data),
                to: removed.sorted())
        }
    }

    /// A status change (completion and cancellation are events of their own) for every assigned
    /// operator and the manager, except the person who made it.
    func orderStatusChanged(
        _ order: OrderFacts, from: OrderStatus, to: OrderStatus, comment: String, actorID: Int?
    ) async {
        let event: NotificationEvent =
            switch to {
            case .completed: .orderCompleted
            case .cancelled: .orderCancelled
            default: .statusChanged
            }
        var body = "Статус заказа изменён: \(Self.label(from)) → \(Self.label(to))."
        if !comment.isEmpty { body += "\nКомментарий: \(comment)" }
        let recipients = (order.operatorIDs + [order.managerID].compactMap { $0 }).filter { $0 != actorID }
        await send(
            Message(
                event: event, title: "Заказ #\(order.number) \(Self.label(to))", body: body, url: Paths.order(order.id),
                data: [
                    "order_id": order.id, "number": order.number, "type": "order", "from_status": from.rawValue,
                    "to_status": to.rawValue,
                ]),
            to: recipients)
    }

    /// A salary record was approved or paid: its operator is told.
    func salaryStatusChanged(
        userID: Int, orderID: String?, orderNumber: String?, amountKopecks: Int64, status: SalaryStatus
    ) async {
        guard status != .pending else { return }
        let event: NotificationEvent = status == .paid ? .salaryPaid : .salaryApproved
        let what = orderNumber.map { "Заказ #\($0): " } ?? ""
        var data = ["type": "salary", "status": status.rawValue, "amount": Scaled.text(amountKopecks, scale: 2)]
        if let orderID { data["order_id"] = orderID }
        await send(
            Message(
                event: event, title: status == .paid ? "Зарплата выплачена" : "Зарплата утверждена",
                body: what + RussianFormat.money(amountKopecks), url: nil, data: data),
            to: [userID])
    }

    /// One line of the daily debt digest.
    struct DebtLine: Sendable {
        var clientName: String
        var outstandingKopecks: Int64
        /// Days since the oldest unpaid order was completed.
        var oldestDays: Int
    }

    /// The daily debt digest for every active admin (built by the finance jobs).
    func debtDigest(_ lines: [DebtLine], asOf day: Date) async {
        let total = lines.reduce(Int64(0)) { $0 + $1.outstandingKopecks }
        let sorted = lines.sorted { $0.outstandingKopecks > $1.outstandingKopecks }
        var body = sorted.prefix(10).map {
            let age = RussianFormat.counted($0.oldestDays, "день", "дня", "дней")
            return "\($0.clientName) — \(RussianFormat.money($0.outstandingKopecks)) (\(age))"
        }
        if sorted.count > 10 {
            body.append("и ещё \(RussianFormat.counted(sorted.count - 10, "клиент", "клиента", "клиентов"))")
        }
        if sorted.isEmpty { body = ["Долгов нет."] }
        let admins: [Int]
        do {
            admins = try await User.query(on: app.db).filter(\.$roleValue == Role.admin.rawValue).filter(
                \.$isActive == true
            )
            .all().compactMap(\.id)
        } catch {
            logger.error("debt digest recipients not loaded", metadata: ["error": "\(error)"])
            return
        }
        await send(
            Message(
                event: .debtDigest,
                title: "Долги клиентов на \(RussianFormat.date(day, in: app.config.timeZone)): "
                    + RussianFormat.money(total),
                body: body.joined(separator: "\n"), url: nil,
                data: ["type": "debt_digest", "total": Scaled.text(total, scale: 2), "clients": String(lines.count)]),
            to: admins)
    }

    /// Lower-case status words used in messages («Заказ #000042 в работе»).
    static func label(_ status: OrderStatus) -> String {
        switch status {
        case .draft: "черновик"
        case .created: "создан"
        case .approved: "утверждён"
        case .inProgress: "в работе"
        case .completed: "выполнен"
        case .cancelled: "отменён"
        }
    }

    // MARK: - Delivery

    /// Stores an inbox copy for each active recipient (duplicates once) and hands the outside
    /// deliveries to the dispatcher. Returns the inbox ids.
    @discardableResult
    func send(_ message: Message, to userIDs: [Int]) async -> [Int] {
        let ids = Array(Set(userIDs)).sorted()
        guard !ids.isEmpty else { return [] }
        do {
            let plan = try await plan(message, for: ids)
            let created = try await store(message, for: plan.map(\.userID))
            for recipient in plan {
                guard let notificationID = created[recipient.userID] else { continue }
                for var delivery in recipient.deliveries {
                    delivery.notificationID = notificationID
                    await app.notificationDispatcher.enqueue(delivery)
                }
            }
            logger.info(
                "notification sent",
                metadata: [
                    "event": "\(message.event.rawValue)", "recipients": "\(created.count)",
                ])
            return created.values.sorted()
        } catch {
            logger.error(
                "notification not sent", metadata: ["event": "\(message.event.rawValue)", "error": "\(error)"])
            return []
        }
    }

    private struct Recipient {
        var userID: Int
        var deliveries: [NotificationDelivery]
    }

    /// Which channels each active recipient gets: set up (Telegram linked, a push subscription, an e-mail
    /// address while SMTP is configured) and not switched off for this event.
    private func plan(_ message: Message, for ids: [Int]) async throws -> [Recipient] {
        let users = try await User.query(on: app.db).filter(\.$id ~~ ids).filter(\.$isActive == true).all()
        let switches = try await NotificationPreference.query(on: app.db)
            .filter(\.$userID ~~ ids).filter(\.$eventType == message.event.rawValue).all()
        var disabled: Set<String> = []
        for row in switches where !row.enabled { disabled.insert("\(row.userID):\(row.channel)") }
        var pushTokens: [Int: [Int]] = [:]
        if app.webPushSender != nil {
            for token in try await DeviceToken.query(on: app.db).filter(\.$userID ~~ ids).filter(\.$platform == "web")
                .all()
            {
                if let userID = token.userID, let id = token.id { pushTokens[userID, default: []].append(id) }
            }
        }
        return users.compactMap { user in
            guard let userID = user.id else { return nil }
            func allowed(_ channel: DeliveryChannel) -> Bool { !disabled.contains("\(userID):\(channel.rawValue)") }
            let base = NotificationDelivery(
                notificationID: 0, userID: userID, event: message.event, channel: .telegram, chatID: nil,
                deviceTokenID: nil, email: nil,
                title: message.title, body: message.body, url: message.url, data: message.data)
            var deliveries: [NotificationDelivery] = []
            if app.telegramSender != nil, let chatID = user.telegramChatID, !chatID.isEmpty, allowed(.telegram) {
                var delivery = base
                delivery.chatID = chatID
                deliveries.append(delivery)
            }
            if allowed(.push) {
                for tokenID in pushTokens[userID] ?? [] {
                    var delivery = base
                    delivery.channel = .push
                    delivery.deviceTokenID = tokenID
                    deliveries.append(delivery)
                }
            }
            if app.config.mail != nil, let email = Self.mailAddress(of: user), allowed(.email) {
                var delivery = base
                delivery.channel = .email
                delivery.email = email
                deliveries.append(delivery)
            }
            return Recipient(userID: userID, deliveries: deliveries)
        }
    }

    /// The user's e-mail when it is one an SMTP server would take, else nil.
    static func mailAddress(of user: User) -> String? {
        let email = user.email.trimmingCharacters(in: .whitespaces)
        return MailAddress.isValid(email) ? email : nil
    }

    /// Inbox rows and their `in_app` delivery records, in one transaction.
    private func store(_ message: Message, for userIDs: [Int]) async throws -> [Int: Int] {
        let data = JSONValue.object(
            message.data.mapValues(JSONValue.string).merging(
                message.url.map { ["url": JSONValue.string($0)] } ?? [:], uniquingKeysWith: { first, _ in first })
        ).jsonText
        let now = Date()
        return try await app.writeSerializer.transaction(on: app.db) { db in
            var created: [Int: Int] = [:]
            for userID in userIDs {
                let row = InboxNotification(
                    userID: userID, eventType: message.event.rawValue, title: message.title, body: message.body,
                    data: data, createdAt: now)
                try await row.create(on: db)
                guard let id = row.id else { continue }
                created[userID] = id
                try await (try db.sql()).insert(into: "notification_deliveries")
                    .columns(
                        "notification_id", "user_id", "event_type", "channel", "target", "attempt", "status", "error",
                        "is_final", "created_at"
                    )
                    .values(
                        SQLBind(id), SQLBind(userID), SQLBind(message.event.rawValue), SQLBind("in_app"), SQLBind(""),
                        SQLBind(1), SQLBind("sent"), SQLBind(""), SQLBind(true), SQLBind(now)
                    )
                    .run()
            }
            return created
        }
    }
}
