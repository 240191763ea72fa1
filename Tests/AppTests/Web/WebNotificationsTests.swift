import Crypto
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Web: notification settings, Telegram linking, Web Push subscription and the inbox")
struct WebNotificationsTests {
    @Test func operatorTurnsSwitchesOffAndTheAPISeesTheSameRows() async throws {
        try await TestApp.run { t in
            let (web, _, token) = try await WebClient.signedIn(t, .operator)
            let profile = try await web.get("/profile")
            #expect(profile.contains("href=\"/profile/notifications\""))
            // setup: everything is on by default
            let page = try await web.get("/profile/notifications")
            #expect(page.status == .ok)
            #expect(page.body.utf8.count < 60 * 1024)
            #expect(page.contains("name=\"salary_paid.telegram\" value=\"true\" id=\"f-salary-paid-telegram\" checked"))
            #expect(page.contains(">Назначение на заказ</legend>"))
            #expect(!page.contains("debt_digest"), "operators get no debt digest")
            // MUT: every box but «Зарплата выплачена» stays ticked
            var fields: [(String, String)] = []
            for event in NotificationEvent.received(by: .operator) where event != .salaryPaid {
                for channel in DeliveryChannel.allCases {
                    fields.append(("\(event.rawValue).\(channel.rawValue)", "true"))
                }
            }
            fields.append(("salary_paid.push", "true"))
            let saved = try await web.post("/profile/notifications", fields)
            // validate
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/profile/notifications")
            let api = try await t.send(.GET, "/api/v1/notifications/preferences/", token: token)
            #expect(api["events"]?["salary_paid"]?["telegram"] == .bool(false))
            #expect(api["events"]?["salary_paid"]?["push"] == .bool(true))
            #expect(api["events"]?["order_assigned"]?["telegram"] == .bool(true))
            let reloaded = try await web.get("/profile/notifications")
            #expect(reloaded.contains("Настройки сохранены"))
            #expect(
                reloaded.contains("name=\"salary_paid.telegram\" value=\"true\" id=\"f-salary-paid-telegram\" class"))
            #expect(reloaded.contains("name=\"salary_paid.push\" value=\"true\" id=\"f-salary-paid-push\" checked"))
            // Saving again with nothing ticked turns every shown switch off, and nothing else.
            #expect(try await web.post("/profile/notifications", []).status == .seeOther)
            let off = try await t.send(.GET, "/api/v1/notifications/preferences/", token: token)
            #expect(off["events"]?["order_assigned"]?["push"] == .bool(false))
            #expect(off["events"]?["debt_digest"]?["push"] == .bool(true))
        }
    }

    @Test func savingNeedsTheCSRFTokenAndASignedInUser() async throws {
        try await TestApp.run { t in
            let (web, user, _) = try await WebClient.signedIn(t, .manager)
            try await web.get("/profile/notifications")
            let forged = try await web.post("/profile/notifications", [("_csrf", "forged")])
            #expect(forged.status == .forbidden)
            #expect(try await NotificationPreference.query(on: t.db).filter(\.$userID == (user.id ?? 0)).count() == 0)
            let stranger = WebClient(t)
            let denied = try await stranger.get("/profile/notifications")
            #expect(denied.status == .seeOther)
            #expect(denied.location == "/login?next=%2Fprofile%2Fnotifications")
        }
    }

    @Test func telegramIsLinkedWithAOneTimeCodeAndUnlinked() async throws {
        let telegram = TelegramSettings(
            botToken: "123456:TEST-token", apiBase: "http://127.0.0.1:9", webhookSecret: "hook-secret",
            botUsername: "ringo_test_bot")
        try await TestApp.run(adjust: { $0.telegram = telegram }) { t in
            let (web, user, _) = try await WebClient.signedIn(t, .operator)
            var page = try await web.get("/profile/notifications")
            #expect(page.contains(">Получить код привязки</button>"))
            let made = try await web.post("/profile/notifications/telegram/link", [])
            #expect(made.status == .seeOther)
            let code = try #require(
                try await TelegramLinkCode.query(on: t.db).filter(\.$userID == (user.id ?? 0)).first()?.id)
            page = try await web.get("/profile/notifications")
            #expect(page.contains("<code>/start \(code)</code>"))
            #expect(page.contains("href=\"https://t.me/ringo_test_bot?start=\(code)\""))
            // The bot receives the code (the API's webhook), and the page shows the linked chat.
            let reply = try await TelegramLinking(app: t.app, logger: t.app.logger).handle(
                text: "/start \(code)", chatID: "5551")
            #expect(reply?.hasPrefix("Готово") == true)
            page = try await web.get("/profile/notifications")
            #expect(page.contains(">Отвязать Telegram</button>"))
            let unlinked = try await web.post("/profile/notifications/telegram/unlink", [])
            #expect(unlinked.status == .seeOther)
            #expect(try await User.find(user.id, on: t.db)?.telegramChatID == nil)
        }
    }

    @Test func withoutABotTheCodeIsRefusedInRussian() async throws {
        try await TestApp.run { t in
            let (web, _, _) = try await WebClient.signedIn(t, .operator)
            #expect(try await web.get("/profile/notifications").contains("Telegram-бот не настроен на сервере."))
            let refused = try await web.post("/profile/notifications/telegram/link", [])
            #expect(refused.status == .seeOther)
            #expect(try await web.get("/profile/notifications").contains("Telegram-бот не настроен на сервере."))
            #expect(try await TelegramLinkCode.query(on: t.db).count() == 0)
        }
    }

    @Test func browserSubscriptionIsStoredThroughTheAPIHandler() async throws {
        let vapid = P256.Signing.PrivateKey()
        let settings = WebPushSettings(
            publicKey: Base64URL.encode(vapid.publicKey.x963Representation),
            privateKey: Base64URL.encode(vapid.rawRepresentation), subject: "mailto:admin@example.ru")
        try await TestApp.run(adjust: { $0.webPush = settings }) { t in
            t.app.pushEndpointGuard = PushEndpointGuard(
                resolver: FakeHostResolver(["push.example.net": ["93.184.215.14"]]))
            let (web, user, _) = try await WebClient.signedIn(t, .operator)
            let page = try await web.get("/profile/notifications")
            #expect(page.contains("data-push-key=\"\(settings.publicKey)\""))
            #expect(page.contains("Ни одно устройство не подписано."))
            let subscription = JSONValue.object([
                "subscription": .object([
                    "endpoint": .string("https://push.example.net/web-1"),
                    "keys": .object([
                        "p256dh": .string(WebPushCryptoTests.receiverPublic),
                        "auth": .string(WebPushCryptoTests.authSecret),
                    ]),
                ])
            ]).jsonText
            let json = ["Content-Type": "application/json", "Accept": "application/json"]
            let noToken = try await web.send(.POST, "/profile/notifications/push", body: subscription, headers: json)
            #expect(noToken.status == .forbidden)
            var headers = json
            headers["X-CSRF-Token"] = web.csrf
            let stored = try await web.send(.POST, "/profile/notifications/push", body: subscription, headers: headers)
            #expect(stored.status == .created)
            let rows = try await DeviceToken.query(on: t.db).filter(\.$userID == (user.id ?? 0)).all()
            #expect(rows.map(\.platform) == ["web"])
            #expect(try await web.get("/profile/notifications").contains("Подписано устройств: 1."))
            let removed = try await web.send(
                .POST, "/profile/notifications/push/remove", body: "{\"endpoint\": \"https://push.example.net/web-1\"}",
                headers: headers)
            #expect(removed.status == .noContent)
            #expect(try await DeviceToken.query(on: t.db).count() == 0)
        }
    }

    @Test func inboxListsOwnMessagesAndMarksThemRead() async throws {
        try await TestApp.run { t in
            let (web, user, token) = try await WebClient.signedIn(t, .operator)
            let (other, _) = try await t.user(.operator)
            let userID = try #require(user.id)
            try await InboxNotification(
                userID: userID, eventType: "order_assigned", title: "Вы назначены на заказ #000042",
                body: "Адрес: <b>ул. Садовая</b>", data: "{\"order_id\": \"abc-1\"}", createdAt: Date()
            ).create(on: t.db)
            try await InboxNotification(
                userID: try #require(other.id), eventType: "salary_paid", title: "Чужое уведомление", body: "",
                data: "{}",
                createdAt: Date()
            ).create(on: t.db)
            let inbox = try await web.get("/notifications")
            #expect(inbox.status == .ok)
            #expect(inbox.contains("Вы назначены на заказ #000042"))
            #expect(inbox.contains("Адрес: &lt;b&gt;ул. Садовая&lt;/b&gt;"))
            #expect(inbox.contains("href=\"/orders/abc-1\""))
            #expect(inbox.contains(">Новое</span>"))
            #expect(!inbox.contains("Чужое уведомление"))
            let read = try await web.post("/notifications/read-all", [])
            #expect(read.status == .seeOther)
            let count = try await t.send(.GET, "/api/v1/notifications/unread-count/", token: token)
            #expect(count["count"] == .number(0))
            #expect(!(try await web.get("/notifications")).contains(">Новое</span>"))
        }
    }
}
