import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Idempotency keys and the audit trail")
struct IdempotencyAndAuditTests {
    @Test func aRepeatedKeyReturnsTheFirstResponseWithoutDoingTheWorkAgain() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let body: [String: Any] = [
                "client_id": NSNull(), "address": "Краснодар", "start_dt": "2025-12-01T09:00:00+03:00",
            ]
            let first = try await t.send(
                .POST, "/api/v1/orders/", token: manager, json: body, headers: ["Idempotency-Key": "k-1"])
            let second = try await t.send(
                .POST, "/api/v1/orders/", token: manager, json: body, headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.string("id") == first.string("id"))
            #expect(second.headers.first(name: "Idempotent-Replayed") == "true")
            #expect(try await t.count("orders") == 1)
            let reused = try await t.send(
                .POST, "/api/v1/orders/", token: manager, json: ["address": "другое"],
                headers: ["Idempotency-Key": "k-1"])
            #expect(reused.status == .unprocessableEntity)
            let (_, otherManager) = try await t.user(.manager)
            let otherUser = try await t.send(
                .POST, "/api/v1/orders/", token: otherManager, json: body, headers: ["Idempotency-Key": "k-1"])
            #expect(otherUser.status == .created)
            #expect(otherUser.string("id") != first.string("id"))
        }
    }

    @Test func replayedStatusChangesWriteOneLogRow() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let id = try #require(try await t.createOrder(token: manager, ["operator_ids": [driverID]]).string("id"))
            for _ in 0..<3 {
                let reply = try await t.send(
                    .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": "APPROVED"],
                    headers: ["Idempotency-Key": "accept-\(id)"])
                #expect(reply.status == .ok)
            }
            #expect(try await t.count("order_status_logs", where: "order_id", equals: id) == 2)
        }
    }

    @Test func failedRequestsDoNotBurnTheKey() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let bad = try await t.send(
                .POST, "/api/v1/orders/", token: manager, json: ["address": ""], headers: ["Idempotency-Key": "k-2"])
            #expect(bad.status == .badRequest)
            let again = try await t.send(
                .POST, "/api/v1/orders/", token: manager, json: ["address": ""], headers: ["Idempotency-Key": "k-2"])
            #expect(again.status == .badRequest)
            #expect(again.body == bad.body)
        }
    }

    @Test func changesAreAuditedWithBeforeAndAfterAndNoSecrets() async throws {
        try await TestApp.run { t in
            let (_, admin) = try await t.user(.admin)
            let created = try await t.createOrder(token: admin, ["description": "было"])
            let id = try #require(created.string("id"))
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/", token: admin, json: ["description": "стало"],
                headers: ["X-Request-ID": "req-audit-1"])
            let trail = try await t.send(.GET, "/api/v1/audit/?entity=order&entity_id=\(id)", token: admin)
            #expect(trail.status == .ok)
            #expect(trail["count"]?.intValue == 2)
            let update = try #require(trail.results.first)
            #expect(update["action"]?.stringValue == "update")
            #expect(update["request_id"]?.stringValue == "req-audit-1")
            #expect(update["changes"]?["description"]?["from"]?.stringValue == "было")
            #expect(update["changes"]?["description"]?["to"]?.stringValue == "стало")
            #expect((update["ip"]?.stringValue ?? "").isEmpty == false)
            _ = try await t.send(
                .POST, "/api/v1/users/", token: admin,
                json: ["phone": "+79995550001", "password": "very-secret-1", "role": "operator"])
            let users = try await t.send(.GET, "/api/v1/audit/?entity=user", token: admin)
            #expect(users["count"]?.intValue == 1)
            #expect(!users.body.contains("very-secret-1"))
            #expect(!users.body.contains("$2"))
            let badFilter = try await t.send(.GET, "/api/v1/audit/?actor=abc", token: admin)
            #expect(badFilter.status == .badRequest)
        }
    }
}
