import Domain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

/// Records Telegram messages instead of sending them.
final class RecordingTelegram: TelegramSending {
    private let sent = NIOLockedValueBox<[(chatID: String, text: String)]>([])
    var messages: [(chatID: String, text: String)] { sent.withLockedValue { $0 } }
    func sendMessage(chatID: String, text: String) async throws { sent.withLockedValue { $0.append((chatID, text)) } }
}

@Suite("Notifications: each event reaches the right people")
struct NotificationEventTests {
    private func events(_ t: TestApp, _ userID: Int?) async throws -> [String] {
        try await t.inbox(of: try #require(userID)).map(\.eventType)
    }

    @Test func assignmentStatusAndCompletionGoToOperatorsAndManagerWithTheRightStatuses() async throws {
        try await TestApp.run { t in
            let (manager, managerToken) = try await t.user(.manager)
            let (a, aToken) = try await t.user(.operator)
            let (b, bToken) = try await t.user(.operator)
            let (c, _) = try await t.user(.operator)
            let (admin, _) = try await t.user(.admin)
            let ids = [a.id, b.id, c.id].compactMap { $0 }
            let created = try await t.createOrder(token: managerToken, ["operator_ids": [ids[0], ids[1]]])
            let id = try #require(created.string("id"))
            let number = try #require(created.string("number"))

            #expect(try await events(t, a.id) == ["order_assigned"])
            #expect(try await events(t, b.id) == ["order_assigned"])
            #expect(try await events(t, c.id).isEmpty)
            #expect(try await events(t, manager.id).isEmpty)
            let assigned = try #require(try await t.inbox(of: ids[0]).first)
            #expect(assigned.title == "Вы назначены на заказ #\(number)")
            #expect(assigned.body.contains("ст. Елизаветинская"))
            #expect(assigned.body.contains("01.12.2025 09:00"))

            // A swaps for C: A is told they are off, C that they are on, B nothing.
            let edit = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/", token: managerToken, json: ["operator_ids": [ids[1], ids[2]]])
            #expect(edit.status == .ok)
            #expect(try await events(t, a.id) == ["order_assigned", "order_unassigned"])
            #expect(try await events(t, b.id) == ["order_assigned"])
            #expect(try await events(t, c.id) == ["order_assigned"])

            // B accepts and starts: C and the manager hear of it, B (who acted) does not, nor A (no longer on it).
            #expect(
                try await t.send(.PATCH, "/api/v1/orders/\(id)/status/", token: bToken, json: ["status": "APPROVED"])
                    .status == .ok)
            #expect(
                try await t.send(
                    .PATCH, "/api/v1/orders/\(id)/status/", token: bToken,
                    json: ["status": "IN_PROGRESS", "comment": "Выехал <сейчас>"]
                ).status == .ok)
            #expect(try await events(t, manager.id) == ["status_changed", "status_changed"])
            #expect(try await events(t, c.id) == ["order_assigned", "status_changed", "status_changed"])
            #expect(try await events(t, b.id) == ["order_assigned"])
            #expect(try await events(t, a.id) == ["order_assigned", "order_unassigned"])
            let managerID = try #require(manager.id)
            let started = try #require(try await t.inbox(of: managerID).last)
            #expect(started.title == "Заказ #\(number) в работе")
            #expect(started.body.contains("утверждён → в работе"))
            #expect(started.body.contains("Выехал <сейчас>"))
            let data = JSONValue.parse(started.data)
            #expect(data?["from_status"]?.stringValue == "APPROVED")
            #expect(data?["to_status"]?.stringValue == "IN_PROGRESS")
            #expect(data?["order_id"]?.stringValue == id)

            // Completion names the new status, not the old one.
            let done = try await t.send(
                .POST, "/api/v1/orders/\(id)/complete/", token: bToken, json: ["end_dt": "2025-12-01T18:00:00+03:00"])
            #expect(done.status == .ok)
            let completed = try #require(try await t.inbox(of: managerID).last)
            #expect(completed.eventType == "order_completed")
            #expect(completed.title == "Заказ #\(number) выполнен")
            #expect(JSONValue.parse(completed.data)?["from_status"]?.stringValue == "IN_PROGRESS")
            #expect(JSONValue.parse(completed.data)?["to_status"]?.stringValue == "COMPLETED")
            #expect(try await events(t, c.id).last == "order_completed")
            #expect(try await events(t, admin.id).isEmpty)
            _ = aToken
        }
    }

    @Test func cancellationReachesEveryAssignedOperatorButNotTheInactiveOrTheActor() async throws {
        try await TestApp.run { t in
            let (_, managerToken) = try await t.user(.manager)
            let (admin, adminToken) = try await t.user(.admin)
            let (a, _) = try await t.user(.operator)
            let (b, _) = try await t.user(.operator)
            let aID = try #require(a.id)
            let bID = try #require(b.id)
            let id = try #require(
                try await t.createOrder(token: managerToken, ["operator_ids": [aID, bID]]).string("id"))
            b.isActive = false
            try await b.save(on: t.db)
            let cancel = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: adminToken,
                json: ["status": "CANCELLED", "comment": "Клиент отказался"])
            #expect(cancel.status == .ok)
            #expect(try await events(t, aID) == ["order_assigned", "order_cancelled"])
            #expect(try await events(t, bID) == ["order_assigned"])
            #expect(try await events(t, admin.id).isEmpty)
            let row = try #require(try await t.inbox(of: aID).last)
            #expect(row.title.hasSuffix("отменён"))
            #expect(JSONValue.parse(row.data)?["from_status"]?.stringValue == "CREATED")
            // The manager of the order (its creator) is told too.
            let managerRows = try await InboxNotification.query(on: t.db).filter(\.$eventType == "order_cancelled")
                .count()
            #expect(managerRows == 2)
        }
    }

    @Test func salaryAndDebtDigestEvents() async throws {
        try await TestApp.run { t in
            let (driver, _) = try await t.user(.operator)
            let (admin, _) = try await t.user(.admin)
            let (otherAdmin, _) = try await t.user(.admin)
            let (manager, _) = try await t.user(.manager)
            let driverID = try #require(driver.id)
            let notifier = Notifier(app: t.app)
            await notifier.salaryStatusChanged(
                userID: driverID, orderID: nil, orderNumber: "000042", amountKopecks: 350_000, status: .approved)
            await notifier.salaryStatusChanged(
                userID: driverID, orderID: nil, orderNumber: "000042", amountKopecks: 350_000, status: .paid)
            await notifier.salaryStatusChanged(
                userID: driverID, orderID: nil, orderNumber: "000042", amountKopecks: 350_000, status: .pending)
            let rows = try await t.inbox(of: driverID)
            #expect(rows.map(\.eventType) == ["salary_approved", "salary_paid"])
            #expect(rows.first?.body == "Заказ #000042: 3\u{202F}500,00\u{00A0}₽")

            await notifier.debtDigest(
                [
                    .init(clientName: "ООО Ромашка", outstandingKopecks: 1_000_000, oldestDays: 45),
                    .init(clientName: "ИП Петров", outstandingKopecks: 250_000, oldestDays: 3),
                ],
                asOf: Date(timeIntervalSince1970: 1_764_547_200))
            for id in [admin.id, otherAdmin.id].compactMap({ $0 }) {
                let digest = try #require(try await t.inbox(of: id).first)
                #expect(digest.eventType == "debt_digest")
                #expect(digest.title.contains("12\u{202F}500,00"))
                #expect(digest.body.hasPrefix("ООО Ромашка"))
                #expect(digest.body.contains("45\u{00A0}дней"))
            }
            #expect(try await events(t, manager.id).isEmpty)
            #expect(try await events(t, driverID).count == 2)
        }
    }

    @Test func aUserWithoutChannelsGetsTheInAppCopyAndItIsLogged() async throws {
        try await TestApp.run { t in
            let telegram = RecordingTelegram()
            t.app.telegramSender = telegram
            let (_, managerToken) = try await t.user(.manager)
            let (plain, plainToken) = try await t.user(.operator)
            let (linked, _) = try await t.user(.operator)
            linked.telegramChatID = "5001"
            try await linked.save(on: t.db)
            let plainID = try #require(plain.id)
            let linkedID = try #require(linked.id)
            _ = try await t.createOrder(token: managerToken, ["operator_ids": [plainID, linkedID]])
            await t.deliveriesFinished()
            #expect(try await t.deliveries(of: plainID).map(\.channel) == ["in_app"])
            #expect(try await t.deliveries(of: linkedID).map(\.channel).sorted() == ["in_app", "telegram"])
            #expect(telegram.messages.map(\.chatID) == ["5001"])
            let logs = try await t.send(.GET, "/api/v1/notifications/preferences/logs/", token: plainToken)
            #expect(logs.array.count == 1)
            #expect(logs.array.first?["channel"]?.stringValue == "in_app")
            #expect(logs.array.first?["status"]?.stringValue == "sent")
        }
    }
}
