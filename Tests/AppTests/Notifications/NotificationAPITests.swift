import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Notifications API: inbox, preferences, devices, subscriptions")
struct NotificationAPITests {
    @Test func inboxIsOwnOnlyWithUnreadCountAndMarkRead() async throws {
        try await TestApp.run { t in
            let (me, myToken) = try await t.user(.operator)
            let (other, otherToken) = try await t.user(.operator)
            let myID = try #require(me.id)
            let otherID = try #require(other.id)
            let notifier = Notifier(app: t.app)
            for amount in [100, 200, 300] as [Int64] {
                await notifier.salaryStatusChanged(
                    userID: myID, orderID: nil, orderNumber: nil, amountKopecks: amount * 100, status: .approved)
            }
            await notifier.salaryStatusChanged(
                userID: otherID, orderID: nil, orderNumber: nil, amountKopecks: 1, status: .paid)

            let list = try await t.send(.GET, "/api/v1/notifications/", token: myToken)
            #expect(list.status == .ok)
            #expect(list["count"]?.intValue == 3)
            #expect(list.results.count == 3)
            #expect(list.results.first?["body"]?.stringValue?.contains("300") == true)
            #expect(list.results.allSatisfy { $0["is_read"]?.boolValue == false })
            #expect(list.results.first?["event_display"]?.stringValue == "Зарплата утверждена")
            #expect(
                try await t.send(.GET, "/api/v1/notifications/unread-count/", token: myToken)["count"]?.intValue == 3)

            let firstID = try #require(list.results.last?["id"]?.intValue)
            let read = try await t.send(.POST, "/api/v1/notifications/\(firstID)/read/", token: myToken)
            #expect(read.status == .ok)
            #expect(read["is_read"]?.boolValue == true)
            #expect(
                try await t.send(.POST, "/api/v1/notifications/\(firstID)/read/", token: otherToken).status == .notFound
            )
            #expect(
                try await t.send(.GET, "/api/v1/notifications/unread-count/", token: myToken)["count"]?.intValue == 2)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/?unread=true", token: myToken)["count"]?.intValue == 2)
            #expect(try await t.send(.GET, "/api/v1/notifications/?unread=maybe", token: myToken).status == .badRequest)
            let all = try await t.send(.POST, "/api/v1/notifications/read-all/", token: myToken)
            #expect(all["updated"]?.intValue == 2)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/unread-count/", token: myToken)["count"]?.intValue == 0)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/unread-count/", token: otherToken)["count"]?.intValue == 1
            )
            #expect(try await t.send(.GET, "/api/v1/notifications/", token: nil).status == .unauthorized)
        }
    }

    @Test func preferencesPerEventAndChannelAreRespected() async throws {
        try await TestApp.run { t in
            let telegram = RecordingTelegram()
            t.app.telegramSender = telegram
            let (_, managerToken) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            driver.telegramChatID = "42"
            try await driver.save(on: t.db)
            let driverID = try #require(driver.id)

            let initial = try await t.send(.GET, "/api/v1/notifications/preferences/", token: driverToken)
            #expect(initial["events"]?["order_assigned"]?["telegram"]?.boolValue == true)
            #expect(initial["channels"]?["telegram"]?["linked"]?.boolValue == true)
            let bad = try await t.send(
                .PATCH, "/api/v1/notifications/preferences/", token: driverToken,
                json: [
                    "events": ["rocket_launch": ["telegram": false], "order_assigned": ["fax": true, "push": "no"]]
                ])
            #expect(bad.status == .badRequest)
            #expect(bad["rocket_launch"] != nil && bad["order_assigned"]?.arrayValue.count == 2)
            let saved = try await t.send(
                .PATCH, "/api/v1/notifications/preferences/", token: driverToken,
                json: [
                    "events": ["order_assigned": ["telegram": false]]
                ])
            #expect(saved.status == .ok)
            #expect(saved["events"]?["order_assigned"]?["telegram"]?.boolValue == false)
            #expect(saved["events"]?["order_assigned"]?["push"]?.boolValue == true)
            #expect(saved["events"]?["order_cancelled"]?["telegram"]?.boolValue == true)

            let id = try #require(
                try await t.createOrder(token: managerToken, ["operator_ids": [driverID]]).string("id"))
            await t.deliveriesFinished()
            #expect(telegram.messages.isEmpty)
            #expect(try await t.inbox(of: driverID).map(\.eventType) == ["order_assigned"])
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: managerToken, json: ["status": "CANCELLED"])
            await t.deliveriesFinished()
            #expect(telegram.messages.count == 1)
            #expect(telegram.messages.first?.text.contains("отменён") == true)

            // The original's five switches: status_changed off also silences completion and cancellation.
            let legacy = try await t.send(.GET, "/api/v1/notifications/preferences/preferences/", token: driverToken)
            #expect(legacy.object.count == 5)
            #expect(legacy["status_changed"]?.boolValue == true)
            let posted = try await t.send(
                .POST, "/api/v1/notifications/preferences/preferences/", token: driverToken,
                json: [
                    "order_created": true, "status_changed": false, "payment_received": true, "invoice_ready": true,
                    "kassa_full": false,
                ])
            #expect(posted.status == .ok)
            #expect(posted["status_changed"]?.boolValue == false)
            let after = try await t.send(.GET, "/api/v1/notifications/preferences/preferences/", token: driverToken)
            #expect(after["status_changed"]?.boolValue == false && after["kassa_full"]?.boolValue == false)
            #expect(after["order_created"]?.boolValue == true)
            let matrix = try await t.send(.GET, "/api/v1/notifications/preferences/", token: driverToken)
            #expect(matrix["events"]?["order_cancelled"]?["telegram"]?.boolValue == false)
            #expect(
                try await t.send(
                    .POST, "/api/v1/notifications/preferences/preferences/", token: driverToken,
                    json: ["kassa_full": "maybe"]
                ).status == .badRequest)
        }
    }

    @Test func deviceTokensUpsertByTokenAndStayOwnOnly() async throws {
        try await TestApp.run { t in
            t.app.pushEndpointGuard = PushEndpointGuard(
                resolver: FakeHostResolver(["push.example.net": ["93.184.215.14"]]))
            let (_, first) = try await t.user(.operator)
            let (second, secondToken) = try await t.user(.manager)
            let created = try await t.send(
                .POST, "/api/v1/notifications/device-tokens/", token: first,
                json: [
                    "token": "fcm-token-1", "platform": "android", "app_version": "1.2.0",
                    "device_info": ["model": "Pixel"],
                ])
            #expect(created.status == .created)
            let id = try #require(created["id"]?.intValue)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/device-tokens/", token: first)["count"]?.intValue == 1)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/device-tokens/\(id)/", token: secondToken).status
                    == .notFound)
            // The same token registered by someone else moves to them.
            let moved = try await t.send(
                .POST, "/api/v1/notifications/device-tokens/", token: secondToken,
                json: [
                    "token": "fcm-token-1", "platform": "ios",
                ])
            #expect(moved.status == .ok)
            #expect(moved["id"]?.intValue == id)
            #expect(moved.string("platform") == "ios")
            #expect(
                try await t.send(.GET, "/api/v1/notifications/device-tokens/", token: first)["count"]?.intValue == 0)
            let patched = try await t.send(
                .PATCH, "/api/v1/notifications/device-tokens/\(id)/", token: secondToken, json: ["app_version": "2.0"])
            #expect(patched.string("app_version") == "2.0")

            let invalid = try await t.send(
                .POST, "/api/v1/notifications/device-tokens/", token: first,
                json: ["token": "", "platform": "blackberry"])
            #expect(invalid.status == .badRequest)
            #expect(invalid["token"] != nil && invalid["platform"] != nil)
            // `web` is accepted (the original rejected it), but only with a real subscription.
            let noSubscription = try await t.send(
                .POST, "/api/v1/notifications/device-tokens/", token: first,
                json: ["token": "https://push.example.net/x", "platform": "web"])
            #expect(noSubscription.status == .badRequest)
            #expect(noSubscription["device_info"] != nil)
            let web = try await t.send(
                .POST, "/api/v1/notifications/device-tokens/", token: first,
                json: [
                    "token": "https://push.example.net/abc", "platform": "web",
                    "device_info": [
                        "userAgent": "Firefox",
                        "subscription": [
                            "endpoint": "https://push.example.net/abc",
                            "keys": [
                                "p256dh": WebPushCryptoTests.receiverPublic, "auth": WebPushCryptoTests.authSecret,
                            ],
                        ],
                    ],
                ])
            #expect(web.status == .created)
            let plainHTTP = try await t.send(
                .POST, "/api/v1/notifications/webpush/subscriptions/", token: first,
                json: [
                    "endpoint": "http://10.0.0.5/push",
                    "keys": ["p256dh": WebPushCryptoTests.receiverPublic, "auth": WebPushCryptoTests.authSecret],
                ])
            #expect(plainHTTP.status == .badRequest)
            #expect(
                try await t.send(.DELETE, "/api/v1/notifications/device-tokens/\(id)/", token: first).status
                    == .notFound)
            #expect(
                try await t.send(.DELETE, "/api/v1/notifications/device-tokens/\(id)/", token: secondToken).status
                    == .noContent)
            _ = second
        }
    }

    @Test func channelSubscriptionsCRUD() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.manager)
            let (_, otherToken) = try await t.user(.manager)
            let created = try await t.send(
                .POST, "/api/v1/notifications/subscriptions/", token: token,
                json: [
                    "channel": "email", "endpoint": "boss@example.ru", "preferences": ["order_created": true],
                ])
            #expect(created.status == .created)
            #expect(created["enabled"]?.boolValue == true)
            let id = try #require(created["id"]?.intValue)
            let duplicate = try await t.send(
                .POST, "/api/v1/notifications/subscriptions/", token: token,
                json: ["channel": "email", "endpoint": "boss@example.ru"])
            #expect(duplicate.status == .badRequest)
            #expect(duplicate["non_field_errors"] != nil)
            #expect(
                try await t.send(
                    .POST, "/api/v1/notifications/subscriptions/", token: token, json: ["channel": "pigeon"]
                ).status == .badRequest)
            let patched = try await t.send(
                .PATCH, "/api/v1/notifications/subscriptions/\(id)/", token: token, json: ["enabled": false])
            #expect(patched["enabled"]?.boolValue == false)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/subscriptions/\(id)/", token: otherToken).status
                    == .notFound)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/subscriptions/", token: token)["count"]?.intValue == 1)
            #expect(
                try await t.send(.DELETE, "/api/v1/notifications/subscriptions/\(id)/", token: token).status
                    == .noContent)
            #expect(
                try await t.send(.GET, "/api/v1/notifications/subscriptions/", token: token)["count"]?.intValue == 0)
        }
    }
}
