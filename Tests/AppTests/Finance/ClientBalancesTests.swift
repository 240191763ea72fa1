import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// `client_balances` and `orders.paid_amount` are kept by triggers (docs/domain-rules.md#client-balances): after
/// every kind of write, through the API or straight in SQL, they equal the figures summed from scratch.
@Suite("Client balances kept by triggers")
struct ClientBalancesTests {
    struct Balance: Decodable, Equatable, CustomStringConvertible {
        var client_id: Int
        var billed: Int64
        var positive: Int64
        var open_total: Int64
        var paid: Int64
        var last_paid_at: Date?

        var description: String {
            "client \(client_id): billed \(billed), positive \(positive), open \(open_total), paid \(paid), "
                + "last \(last_paid_at.map { "\($0.timeIntervalSince1970)" } ?? "nil")"
        }
    }

    /// The maintained rows of clients that have orders (a client whose last order left keeps a row of zeros).
    static func maintained(_ sql: any SQLDatabase) async throws -> [Balance] {
        try await sql.raw(
            """
            SELECT client_id, billed, positive, open_total, paid, last_paid_at FROM client_balances
            WHERE client_id IN (SELECT client_id FROM orders) ORDER BY client_id
            """
        ).all(decoding: Balance.self)
    }

    /// The same figures summed from every order and payment, as the ledger defines them.
    static func recomputed(_ sql: any SQLDatabase) async throws -> [Balance] {
        let completed = OrderStatus.completed.rawValue
        return try await sql.raw(
            """
            SELECT o.client_id,
                   CAST(SUM(CASE WHEN o.status = \(bind: completed) THEN o.total_amount ELSE 0 END)
                        AS BIGINT) AS billed,
                   CAST(SUM(CASE WHEN o.status = \(bind: completed) AND o.total_amount > 0
                                 THEN o.total_amount ELSE 0 END) AS BIGINT) AS positive,
                   CAST(SUM(CASE WHEN o.status IN (\(binds: ClientAccount.openStatuses))
                                 THEN o.total_amount ELSE 0 END) AS BIGINT) AS open_total,
                   CAST(COALESCE(SUM(pp.paid), 0) AS BIGINT) AS paid, MAX(pp.last_paid_at) AS last_paid_at
            FROM orders o LEFT JOIN (
              SELECT p.order_id, SUM(p.amount) AS paid, MAX(COALESCE(p.paid_at, p.created_at)) AS last_paid_at
              FROM payments p WHERE p.status = \(bind: PaymentStatus.success.rawValue) GROUP BY p.order_id
            ) pp ON pp.order_id = o.id
            WHERE o.client_id IS NOT NULL GROUP BY o.client_id ORDER BY o.client_id
            """
        ).all(decoding: Balance.self)
    }

    static func expectConsistent(
        _ t: TestApp, _ step: String, sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        let sql = try t.db.sql()
        let maintained = try await maintained(sql)
        let recomputed = try await recomputed(sql)
        #expect(maintained == recomputed, "after \(step)", sourceLocation: sourceLocation)
    }

    @Test func everyKindOfWriteKeepsTheTotalsRight() async throws {
        try await TestApp.run { t in
            let data = try await DebtsWebTests.build(t)
            let sql = try t.db.sql()
            try await Self.expectConsistent(t, "the ledgers were built")
            #expect(try await Self.maintained(sql).count == 4)

            // A payment through the API, then its amount changed, then deleted.
            let paid = try await t.send(
                .POST, "/api/v1/payments/", token: data.accountant,
                json: ["order": data.alphaOrders[0], "amount": 2500, "status": "success"])
            try #require(paid.status == .created, "\(paid.body)")
            let paymentID = try #require(paid["id"]?.intValue)
            try await Self.expectConsistent(t, "a payment")
            let alpha = try #require(try await Self.maintained(sql).first { $0.client_id == data.alpha })
            #expect(alpha.paid == 1_450_000)
            #expect(alpha.billed == 3_000_000)
            let changed = try await t.send(
                .PATCH, "/api/v1/payments/\(paymentID)/", token: data.accountant, json: ["amount": 3000])
            #expect(changed.status == .ok, "\(changed.body)")
            try await Self.expectConsistent(t, "a changed payment")
            try await sql.update("payments").set("status", to: PaymentStatus.failed.rawValue)
                .where("id", .equal, paymentID).run()
            try await Self.expectConsistent(t, "a failed payment")
            let deleted = try await t.send(.DELETE, "/api/v1/payments/\(paymentID)/", token: data.accountant)
            #expect(deleted.status == .noContent || deleted.status == .ok, "\(deleted.body)")
            try await Self.expectConsistent(t, "a deleted payment")

            // An order moved to another client, cancelled, re-priced, and deleted (its payments go with it).
            try await sql.update("orders").set("client_id", to: data.gamma)
                .where("id", .equal, data.alphaOrders[2]).run()
            try await Self.expectConsistent(t, "an order moved to another client")
            try await sql.update("orders").set("status", to: OrderStatus.cancelled.rawValue)
                .where("id", .equal, data.alphaOrders[1]).run()
            try await Self.expectConsistent(t, "a cancelled order")
            try await sql.update("orders").set("total_amount", to: -5_000)
                .where("id", .equal, data.alphaOrders[0]).run()
            try await Self.expectConsistent(t, "a negative total")
            try await sql.delete(from: "orders").where("id", .equal, data.alphaOrders[2]).run()
            try await Self.expectConsistent(t, "a deleted order with a payment")
            try await sql.update("orders").set("client_id", to: SQLLiteral.null)
                .where("id", .equal, data.alphaOrders[0]).run()
            try await Self.expectConsistent(t, "an order without a client")
            let gamma = try #require(try await Self.maintained(sql).first { $0.client_id == data.gamma })
            #expect(gamma.paid == 1_000_000)
            #expect(gamma.last_paid_at != nil)
        }
    }

    /// The dashboard's debt at a past moment (today's balances less what came after) equals the debt summed from
    /// the orders and payments before that moment.
    @Test func theDebtAtAPastMomentIsTheDebtOfTheRowsBeforeIt() async throws {
        try await TestApp.run { t in
            let data = try await DebtsWebTests.build(t)
            let sql = try t.db.sql()
            let queries = DashboardQueries(sql: sql)
            // 38 000 owed today (the ledgers of DebtsWebTests); on 1 April only the February and March orders:
            // Бета 10 000 and Альфа 10 000 (the payments came later); on 20 May Альфа's May order too.
            #expect(try await queries.totalDebt(asOf: nil) == 3_800_000)
            let april = try #require(ISOTime.startOfDay("2025-04-01", in: t.app.config.timeZone))
            #expect(try await queries.totalDebt(asOf: april) == 2_000_000)
            let may = try #require(ISOTime.startOfDay("2025-05-20", in: t.app.config.timeZone))
            #expect(try await queries.totalDebt(asOf: may) == 3_000_000)
            #expect(try await queries.totalDebt(asOf: Date(timeIntervalSince1970: 0)) == 0)
            // Paying Бета off today leaves the past figures alone.
            let order = try #require(
                try await sql.select().column("id").from("orders").where("client_id", .equal, data.beta)
                    .first(decoding: [String: String].self)?["id"])
            let paid = try await t.send(
                .POST, "/api/v1/payments/", token: data.accountant,
                json: ["order": order, "amount": 10000, "status": "success"])
            #expect(paid.status == .created)
            #expect(try await queries.totalDebt(asOf: nil) == 2_800_000)
            #expect(try await queries.totalDebt(asOf: may) == 3_000_000)
        }
    }
}
