import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// E-mail as a notification channel (docs/email.md#notifications), against the aiosmtpd sink of the mail tests.
@Suite("Notification channels: e-mail through a real SMTP server")
struct NotificationEmailTests {
    static func mail(port: Int) -> MailSettings {
        MailSettings(
            host: "127.0.0.1", port: port, from: "Ринго Учёт <robot@ringo.example.ru>", security: .none, timeout: 5)
    }

    /// A manager and an operator with an e-mail; the manager's order assigns the operator.
    private func order(
        _ t: TestApp, email: String = "driver@example.ru"
    ) async throws -> (driverID: Int, driverToken: String, managerToken: String, id: String, number: String) {
        let (_, managerToken) = try await t.user(.manager)
        let (driver, driverToken) = try await t.user(.operator)
        driver.email = email
        try await driver.save(on: t.db)
        let driverID = try #require(driver.id)
        let created = try await t.createOrder(token: managerToken, ["operator_ids": [driverID]])
        #expect(created.status == .created)
        await t.deliveriesFinished()
        return (
            driverID, driverToken, managerToken, try #require(created.string("id")),
            try #require(created.string("number"))
        )
    }

    private func emailAttempts(
        _ t: TestApp, of userID: Int
    ) async throws -> [(event: String, target: String, status: String)] {
        try await t.db.sql().select().columns("event_type", "target", "status").from("notification_deliveries")
            .where("user_id", .equal, userID).where("channel", .equal, "email").orderBy("id").all().map {
                (
                    try $0.decode(column: "event_type", as: String.self),
                    try $0.decode(column: "target", as: String.self), try $0.decode(column: "status", as: String.self)
                )
            }
    }

    @Test(.enabled(if: SMTPSink.enabled, SMTPSink.skipReason))
    func aStatusChangeArrivesAsALetter() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        try await TestApp.run(adjust: { $0.mail = Self.mail(port: sink.port) }) { t in
            let o = try await order(t)
            let approved = try await t.send(
                .PATCH, "/api/v1/orders/\(o.id)/status/", token: o.managerToken, json: ["status": "APPROVED"])
            #expect(approved.status == .ok)
            await t.deliveriesFinished()

            let messages = try sink.messages()
            try #require(messages.count == 2, "the assignment and the status change")
            #expect(try sink.envelope(of: messages[0])["rcpt_tos"] as? [String] == ["driver@example.ru"])
            let assigned = try sink.parsed(messages[0])
            #expect(assigned["subject"] as? String == "Вы назначены на заказ #\(o.number)")

            let letter = try sink.parsed(messages[1])
            #expect(try sink.envelope(of: messages[1])["rcpt_tos"] as? [String] == ["driver@example.ru"])
            #expect(try sink.envelope(of: messages[1])["mail_from"] as? String == "robot@ringo.example.ru")
            #expect(letter["subject"] as? String == "Заказ #\(o.number) утверждён")
            #expect(letter["from_name"] as? String == "Ринго Учёт")
            #expect(letter["content_type"] as? String == "text/plain")
            #expect(letter["defects"] as? Int == 0)
            #expect((letter["attachments"] as? [Any])?.isEmpty == true)
            let text = try #require(letter["text"] as? String)
            #expect(text.contains("Статус заказа изменён: создан → утверждён."), "\(text)")
            #expect(text.contains("Открыть: http://") && text.contains("/orders/\(o.id)"), "\(text)")
            #expect(text.contains("/profile/notifications"))

            let attempts = try await emailAttempts(t, of: o.driverID)
            #expect(attempts.map(\.event) == ["order_assigned", "status_changed"])
            #expect(attempts.allSatisfy { $0.status == "sent" && $0.target == "driver@example.ru" })
            // The in-app copy still arrives, and the delivery log shows the letter to the user himself.
            #expect(try await t.inbox(of: o.driverID).map(\.eventType) == ["order_assigned", "status_changed"])
            let log = try await t.send(.GET, "/api/v1/notifications/preferences/logs/", token: o.driverToken)
            #expect(log.array.filter { $0["channel"]?.stringValue == "email" }.count == 2)
        }
    }

    @Test(.enabled(if: SMTPSink.enabled, SMTPSink.skipReason))
    func aSwitchedOffEventSendsNoLetter() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        try await TestApp.run(adjust: { $0.mail = Self.mail(port: sink.port) }) { t in
            let o = try await order(t)
            #expect(try sink.messages().count == 1)
            let saved = try await t.send(
                .PATCH, "/api/v1/notifications/preferences/", token: o.driverToken,
                json: ["events": ["status_changed": ["email": false]]])
            #expect(saved.status == .ok)
            #expect(saved["events"]?["status_changed"]?["email"]?.boolValue == false)
            #expect(saved["events"]?["order_cancelled"]?["email"]?.boolValue == true)
            #expect(saved["channels"]?["email"]?["ready"]?.boolValue == true)
            #expect(saved["channels"]?["email"]?["address"]?.stringValue == "driver@example.ru")

            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(o.id)/status/", token: o.managerToken, json: ["status": "APPROVED"])
            await t.deliveriesFinished()
            #expect(try sink.messages().count == 1)
            #expect(try await emailAttempts(t, of: o.driverID).map(\.event) == ["order_assigned"])
            #expect(try await t.inbox(of: o.driverID).last?.eventType == "status_changed")

            // Another event of the same order still comes by e-mail.
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(o.id)/status/", token: o.managerToken, json: ["status": "CANCELLED"])
            await t.deliveriesFinished()
            let messages = try sink.messages()
            try #require(messages.count == 2)
            #expect(try sink.parsed(messages[1])["subject"] as? String == "Заказ #\(o.number) отменён")
        }
    }

    @Test func withoutSMTPNoLetterIsPlanned() async throws {
        try await TestApp.run { t in
            let o = try await order(t)
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(o.id)/status/", token: o.managerToken, json: ["status": "APPROVED"])
            await t.deliveriesFinished()
            #expect(try await emailAttempts(t, of: o.driverID).isEmpty)
            #expect(try await t.inbox(of: o.driverID).map(\.eventType) == ["order_assigned", "status_changed"])
            let preferences = try await t.send(.GET, "/api/v1/notifications/preferences/", token: o.driverToken)
            #expect(preferences["events"]?["status_changed"]?["email"]?.boolValue == true)
            #expect(preferences["channels"]?["email"]?["available"]?.boolValue == false)
            #expect(preferences["channels"]?["email"]?["ready"]?.boolValue == false)
        }
    }

    @Test func noAddressNoLetter() async throws {
        // SMTP on (nothing listens: a planned letter would be recorded as a failed attempt), no address.
        try await TestApp.run(adjust: { $0.mail = Self.mail(port: 9) }) { t in
            let o = try await order(t, email: "")
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(o.id)/status/", token: o.managerToken, json: ["status": "APPROVED"])
            await t.deliveriesFinished()
            #expect(try await emailAttempts(t, of: o.driverID).isEmpty)
            let preferences = try await t.send(.GET, "/api/v1/notifications/preferences/", token: o.driverToken)
            #expect(preferences["channels"]?["email"]?["available"]?.boolValue == true)
            #expect(preferences["channels"]?["email"]?["ready"]?.boolValue == false)
        }
    }

    @Test func anUnreachableServerIsRetriedThenGivenUp() async throws {
        try await TestApp.run(adjust: { $0.mail = Self.mail(port: 9) }) { t in
            let (user, _) = try await t.user(.operator)
            user.email = "driver@example.ru"
            try await user.save(on: t.db)
            let id = try #require(user.id)
            await Notifier(app: t.app).send(
                .init(event: .salaryPaid, title: "Зарплата выплачена", body: "1 ₽", url: nil, data: [:]), to: [id])
            await t.deliveriesFinished()
            let attempts = try await t.deliveries(of: id, channel: "email")
            #expect(attempts.count == t.app.config.notificationRetry.maxAttempts)
            #expect(attempts.count > 1)
            #expect(attempts.allSatisfy { $0.status == "failed" && $0.error.contains("SMTP: cannot connect") })
            #expect(attempts.map(\.isFinal).last == true)
            #expect(attempts.dropLast().allSatisfy { !$0.isFinal })
        }
    }

    @Test func theSettingsPageShowsTheSwitchAndTheChannelState() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .operator)
            let page = try await web.get("/profile/notifications")
            #expect(page.contains("name=\"order_assigned.email\" value=\"true\" id=\"f-order-assigned-email\" checked"))
            #expect(page.contains("Почта не настроена"))
        }
        try await TestApp.run(adjust: { $0.mail = Self.mail(port: 9) }) { t in
            let (web, user, token) = try await WebClient.signedIn(t, .operator)
            var page = try await web.get("/profile/notifications")
            #expect(page.contains("Укажите e-mail в профиле"))
            #expect(!page.contains("Почта не настроена"))
            user.email = "me@example.ru"
            try await user.save(on: t.db)
            page = try await web.get("/profile/notifications")
            #expect(page.contains("Письма приходят на me@example.ru."))
            // Saving the form without the e-mail box switches the channel off for every shown event.
            var fields: [(String, String)] = []
            for event in NotificationEvent.received(by: .operator) {
                fields.append(("\(event.rawValue).telegram", "true"))
                fields.append(("\(event.rawValue).push", "true"))
            }
            #expect(try await web.post("/profile/notifications", fields).status == .seeOther)
            let api = try await t.send(.GET, "/api/v1/notifications/preferences/", token: token)
            #expect(api["events"]?["order_assigned"]?["email"] == .bool(false))
            #expect(api["events"]?["order_assigned"]?["telegram"] == .bool(true))
            page = try await web.get("/profile/notifications")
            #expect(page.contains("name=\"order_assigned.email\" value=\"true\" id=\"f-order-assigned-email\" class"))
        }
    }
}
