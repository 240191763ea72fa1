import Crypto
import Domain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor

@testable import App

/// Telegram and Web Push through their real HTTP clients against local fake services, and the
/// retry loop's bookkeeping.
@Suite("Notification channels: Telegram and Web Push against local fakes, retries")
struct NotificationChannelTests {
    static func telegramSettings(_ server: FakeHTTPServer) -> TelegramSettings {
        TelegramSettings(
            botToken: "123456:TEST-token", apiBase: server.baseURL, webhookSecret: "hook-secret",
            botUsername: "ringo_test_bot")
    }

    static let ok: FakeHTTPServer.Responder = { _, _ in (.ok, #"{"ok":true,"result":{}}"#) }

    @Test func linkingByCodeThenMessagesArriveInTheChat() async throws {
        try await FakeHTTPServer.with(Self.ok) { fake in
            try await TestApp.run(adjust: { $0.telegram = Self.telegramSettings(fake) }) { t in
                let (_, managerToken) = try await t.user(.manager)
                let (driver, driverToken) = try await t.user(.operator)
                let driverID = try #require(driver.id)

                let link = try await t.send(.POST, "/api/v1/notifications/telegram/link/", token: driverToken)
                #expect(link.status == .created)
                let code = try #require(link.string("code"))
                #expect(code.count == 8)
                #expect(link.string("bot_url") == "https://t.me/ringo_test_bot?start=\(code)")

                let update: [String: Any] = [
                    "update_id": 1,
                    "message": [
                        "message_id": 5, "text": "/start \(code)", "chat": ["id": 777_000_111, "type": "private"],
                    ],
                ]
                let forged = try await t.send(
                    .POST, "/api/v1/notifications/telegram/webhook/", json: update,
                    headers: ["X-Telegram-Bot-Api-Secret-Token": "wrong"])
                #expect(forged.status == .forbidden)
                #expect(try await User.find(driverID, on: t.db)?.telegramChatID == nil)
                let hook = try await t.send(
                    .POST, "/api/v1/notifications/telegram/webhook/", json: update,
                    headers: ["X-Telegram-Bot-Api-Secret-Token": "hook-secret"])
                #expect(hook.status == .ok)
                #expect(try await User.find(driverID, on: t.db)?.telegramChatID == "777000111")
                #expect(
                    try await t.send(.GET, "/api/v1/notifications/telegram/", token: driverToken)["linked"]?.boolValue
                        == true)
                // A used code does not link again.
                let reuse: [String: Any] = ["update_id": 2, "message": ["text": code, "chat": ["id": 999]]]
                _ = try await t.send(
                    .POST, "/api/v1/notifications/telegram/webhook/", json: reuse,
                    headers: ["X-Telegram-Bot-Api-Secret-Token": "hook-secret"])
                #expect(try await User.find(driverID, on: t.db)?.telegramChatID == "777000111")

                let replies = fake.requests
                #expect(replies.count == 2)
                #expect(replies.allSatisfy { $0.path == "/bot123456:TEST-token/sendMessage" })
                #expect(replies.first?.json?["chat_id"]?.stringValue == "777000111")
                #expect(replies.first?.json?["text"]?.stringValue?.hasPrefix("Готово") == true)
                #expect(replies.last?.json?["text"]?.stringValue?.contains("не найден") == true)

                let created = try await t.createOrder(
                    token: managerToken, ["operator_ids": [driverID], "address": "ул. <Садовая> & Ко"])
                await t.deliveriesFinished()
                let sent = try #require(fake.requests.last?.json)
                #expect(sent["chat_id"]?.stringValue == "777000111")
                #expect(sent["parse_mode"]?.stringValue == "HTML")
                let text = try #require(sent["text"]?.stringValue)
                #expect(text.hasPrefix("<b>Вы назначены на заказ #\(created.string("number") ?? "")</b>"))
                #expect(text.contains("ул. &lt;Садовая&gt; &amp; Ко"))
                let attempts = try await t.deliveries(of: driverID, channel: "telegram")
                #expect(attempts.count == 1)
                #expect(attempts.first?.status == "sent")

                // Unlinking stops Telegram; the inbox copy still arrives.
                #expect(
                    try await t.send(.DELETE, "/api/v1/notifications/telegram/link/", token: driverToken).status
                        == .noContent)
                let before = fake.requests.count
                _ = try await t.send(
                    .PATCH, "/api/v1/orders/\(try #require(created.string("id")))/status/", token: managerToken,
                    json: ["status": "CANCELLED"])
                await t.deliveriesFinished()
                #expect(fake.requests.count == before)
                #expect(try await t.inbox(of: driverID).last?.eventType == "order_cancelled")
            }
        }
    }

    @Test func transientFailuresAreRetriedAndEveryAttemptIsRecorded() async throws {
        // 500, 429, then success; a chat the bot may not write to fails for good at once.
        let responder: FakeHTTPServer.Responder = { request, _ in
            let chat = request.json?["chat_id"]?.stringValue
            if chat == "blocked" {
                return (.forbidden, #"{"ok":false,"description":"Forbidden: bot was blocked by the user"}"#)
            }
            if chat == "down" { return (.badGateway, #"{"ok":false,"description":"Bad Gateway"}"#) }
            return (.ok, #"{"ok":true}"#)
        }
        let counter = NIOLockedValueBox<Int>(0)
        let flaky: FakeHTTPServer.Responder = { request, index in
            if request.json?["chat_id"]?.stringValue == "flaky" {
                let n = counter.withLockedValue { value in
                    value += 1
                    return value
                }
                if n == 1 { return (.internalServerError, #"{"ok":false,"description":"Internal"}"#) }
                if n == 2 {
                    return (.tooManyRequests, #"{"ok":false,"description":"Too Many Requests: retry after 1"}"#)
                }
                return (.ok, #"{"ok":true}"#)
            }
            return responder(request, index)
        }
        try await FakeHTTPServer.with(flaky) { fake in
            try await TestApp.run(adjust: { $0.telegram = Self.telegramSettings(fake) }) { t in
                var users: [String: Int] = [:]
                for chat in ["flaky", "blocked", "down"] {
                    let (user, _) = try await t.user(.operator)
                    user.telegramChatID = chat
                    try await user.save(on: t.db)
                    let id = try #require(user.id)
                    users[chat] = id
                }
                await Notifier(app: t.app).send(
                    .init(event: .salaryPaid, title: "Зарплата выплачена", body: "1 ₽", url: nil, data: [:]),
                    to: Array(users.values))
                await t.deliveriesFinished()

                let flakyAttempts = try await t.deliveries(of: try #require(users["flaky"]), channel: "telegram")
                #expect(flakyAttempts.map(\.status) == ["failed", "failed", "sent"])
                #expect(flakyAttempts.map(\.attempt) == [1, 2, 3])
                #expect(flakyAttempts.map(\.isFinal) == [false, false, true])
                #expect(flakyAttempts.first?.error.contains("Internal") == true)

                let blocked = try await t.deliveries(of: try #require(users["blocked"]), channel: "telegram")
                #expect(blocked.count == 1)
                #expect(blocked.first?.isFinal == true)
                #expect(blocked.first?.error.contains("blocked") == true)

                // Three attempts (the test limit), then it gives up; the inbox copy is there regardless.
                let down = try await t.deliveries(of: try #require(users["down"]), channel: "telegram")
                #expect(down.map(\.status) == ["failed", "failed", "failed"])
                #expect(down.map(\.isFinal) == [false, false, true])
                #expect(try await t.inbox(of: try #require(users["down"])).count == 1)
                #expect(fake.requests.filter { $0.json?["chat_id"]?.stringValue == "down" }.count == 3)
            }
        }
    }

    @Test func webPushIsEncryptedSignedAndExpiredSubscriptionsAreDropped() async throws {
        let vapidKey = P256.Signing.PrivateKey()
        let settings = WebPushSettings(
            publicKey: Base64URL.encode(vapidKey.publicKey.x963Representation),
            privateKey: Base64URL.encode(vapidKey.rawRepresentation), subject: "mailto:admin@example.ru")
        let responder: FakeHTTPServer.Responder = { request, _ in
            request.path.hasSuffix("/gone") ? (.gone, "") : (.created, "")
        }
        try await FakeHTTPServer.with(responder) { fake in
            try await TestApp.run(adjust: { $0.webPush = settings }) { t in
                t.app.pushEndpointGuard = PushEndpointGuard(resolver: FakeHostResolver([:]), allowsLoopback: true)
                let (_, managerToken) = try await t.user(.manager)
                let (driver, driverToken) = try await t.user(.operator)
                let driverID = try #require(driver.id)
                let browser = P256.KeyAgreement.PrivateKey()
                let auth = WebPushCrypto.randomBytes(16)
                let keys: [String: Any] = [
                    "p256dh": Base64URL.encode(browser.publicKey.x963Representation), "auth": Base64URL.encode(auth),
                ]

                let key = try await t.send(.GET, "/api/v1/notifications/webpush/public-key/", token: driverToken)
                #expect(key.string("public_key") == settings.publicKey)
                let live = try await t.send(
                    .POST, "/api/v1/notifications/webpush/subscriptions/", token: driverToken,
                    json: [
                        "endpoint": fake.baseURL + "/push/live", "keys": keys,
                    ])
                #expect(live.status == .created)
                let gone = try await t.send(
                    .POST, "/api/v1/notifications/webpush/subscriptions/", token: driverToken,
                    json: [
                        "endpoint": fake.baseURL + "/push/gone", "keys": keys,
                    ])
                #expect(gone.status == .created)
                #expect(
                    try await t.send(.GET, "/api/v1/notifications/preferences/", token: driverToken)["channels"]?[
                        "push"]?["devices"]?.intValue == 2)

                let created = try await t.createOrder(token: managerToken, ["operator_ids": [driverID]])
                await t.deliveriesFinished()

                let pushed = try #require(fake.requests.first { $0.path == "/push/live" })
                #expect(pushed.headers.first(name: "Content-Encoding") == "aes128gcm")
                #expect(pushed.headers.first(name: "TTL") == "86400")
                let authorization = try #require(pushed.headers.first(name: "Authorization"))
                #expect(authorization.hasSuffix(", k=\(settings.publicKey)"))
                let jwt = String(authorization.dropFirst("vapid t=".count).prefix { $0 != "," })
                let parts = jwt.split(separator: ".").map(String.init)
                try #require(parts.count == 3)
                let claims = JSONValue.parse(String(decoding: try #require(Base64URL.decode(parts[1])), as: UTF8.self))
                #expect(claims?["aud"]?.stringValue == fake.baseURL)
                let signature = try P256.Signing.ECDSASignature(
                    rawRepresentation: try #require(Base64URL.decode(parts[2])))
                #expect(vapidKey.publicKey.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8)))

                let plain = try PushDecryption.decrypt(pushed.body, receiver: browser, authSecret: auth)
                let message = JSONValue.parse(String(decoding: plain, as: UTF8.self))
                #expect(message?["title"]?.stringValue == "Вы назначены на заказ #\(created.string("number") ?? "")")
                #expect(message?["event"]?.stringValue == "order_assigned")
                #expect(message?["url"]?.stringValue == "/orders/\(created.string("id") ?? "")")

                // 410 Gone: recorded once as final, and the dead subscription is removed.
                let attempts = try await t.deliveries(of: driverID, channel: "push")
                #expect(attempts.map(\.status).sorted() == ["failed", "sent"])
                let allFinal = attempts.allSatisfy { $0.isFinal }
                #expect(allFinal)
                #expect(fake.requests.filter { $0.path == "/push/gone" }.count == 1)
                let remaining = try await DeviceToken.query(on: t.db).filter(\.$userID == driverID).all()
                #expect(remaining.map(\.token) == [fake.baseURL + "/push/live"])

                // Turning push off for an event stops it.
                _ = try await t.send(
                    .PATCH, "/api/v1/notifications/preferences/", token: driverToken,
                    json: ["order_cancelled": ["push": false]])
                let before = fake.requests.count
                _ = try await t.send(
                    .PATCH, "/api/v1/orders/\(try #require(created.string("id")))/status/", token: managerToken,
                    json: ["status": "CANCELLED"])
                await t.deliveriesFinished()
                #expect(fake.requests.count == before)
                #expect(
                    try await t.send(
                        .DELETE, "/api/v1/notifications/webpush/subscriptions/", token: driverToken,
                        json: ["endpoint": fake.baseURL + "/push/live"]
                    ).status == .noContent)
                #expect(try await DeviceToken.query(on: t.db).filter(\.$userID == driverID).count() == 0)
            }
        }
    }
}
