import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// `order_counts` (`AddOrderCounts`) stays equal to the orders counted from scratch after every kind of write, and
/// the list's `count` read from it equals the orders the list holds.
@Suite("Orders: the counts by status")
struct OrderCountsTests {
    /// Status → orders, counted from `orders`, and as `order_counts` keeps them (zero rows left out).
    static func counts(_ t: TestApp) async throws -> (counted: [String: Int], kept: [String: Int]) {
        let sql = try t.db.sql()
        var counted: [String: Int] = [:]
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM orders GROUP BY status").all() {
            counted[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        var kept: [String: Int] = [:]
        for row in try await sql.raw("SELECT status, n FROM order_counts WHERE n <> 0").all() {
            kept[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return (counted, kept)
    }

    @Test func theCountsFollowEveryWriteAndTheListReadsThem() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, admin) = try await t.user(.admin)
            var ids: [String] = []
            for day in 1...5 {
                let created = try await t.createOrder(
                    token: manager,
                    [
                        "start_dt": "2026-08-0\(day)T09:00:00+03:00",
                        "address": day == 4 ? "ул. Береговая" : "ул. Садовая",
                    ])
                ids.append(try #require(created.string("id")))
            }
            var (counted, kept) = try await Self.counts(t)
            #expect(counted == ["CREATED": 5])
            #expect(kept == counted)

            let approved = try await t.send(
                .PATCH, "/api/v1/orders/\(ids[0])/status/", token: manager, json: ["status": "APPROVED"])
            #expect(approved.status == .ok)
            let cancelled = try await t.send(
                .PATCH, "/api/v1/orders/\(ids[1])/status/", token: manager, json: ["status": "CANCELLED"])
            #expect(cancelled.status == .ok)
            // An edit that keeps the status changes no count.
            let edited = try await t.send(
                .PATCH, "/api/v1/orders/\(ids[0])/", token: manager, json: ["description": "Только описание"])
            #expect(edited.status == .ok)
            let deleted = try await t.send(.DELETE, "/api/v1/orders/\(ids[2])/", token: admin)
            #expect(deleted.status == .noContent)
            (counted, kept) = try await Self.counts(t)
            #expect(counted == ["CREATED": 2, "APPROVED": 1, "CANCELLED": 1])
            #expect(kept == counted)

            // A statement that changes many rows at once (as SQL from outside the program would).
            try await t.db.sql().raw("UPDATE orders SET status = 'APPROVED' WHERE status = 'CREATED'").run()
            (counted, kept) = try await Self.counts(t)
            #expect(counted == ["APPROVED": 3, "CANCELLED": 1])
            #expect(kept == counted)

            // The list's count, from the kept counts and, with other filters, from the orders themselves.
            for (query, expected) in [
                ("", 4), ("?status=APPROVED", 3), ("?status=approved,CANCELLED", 4), ("?status=COMPLETED", 0),
                ("?status=APPROVED,APPROVED", 3), ("?search=%D0%91%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%B0%D1%8F", 1),
                ("?status=APPROVED&start_from=2026-08-04", 2),
            ] {
                let list = try await t.send(.GET, "/api/v1/orders/\(query)", token: manager)
                #expect(list.status == .ok, "\(query)")
                #expect(list.object["count"]?.intValue == expected, "\(query)")
            }
            // The web list shows the same count.
            let (web, _, _) = try await WebClient.signedIn(t, .manager)
            #expect(try await web.get("/orders?status=APPROVED").contains("Найдено: 3<"))
        }
    }

    @Test func anOperatorsCountIsHisOwnOrders() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (me, token) = try await t.user(.operator)
            for day in 1...3 {
                let body: [String: Any] = [
                    "start_dt": "2026-08-0\(day)T09:00:00+03:00", "operator_ids": day == 1 ? [me.id ?? 0] : [],
                ]
                #expect(try await t.createOrder(token: manager, body).status == .created)
            }
            let mine = try await t.send(.GET, "/api/v1/orders/", token: token)
            #expect(mine.object["count"]?.intValue == 1)
            let all = try await t.send(.GET, "/api/v1/orders/", token: manager)
            #expect(all.object["count"]?.intValue == 3)
        }
    }
}
