import Foundation
import SQLKit
import Testing

@testable import App

@Suite("Operations: stored line figures can be re-priced")
struct LineFiguresRefreshTests {
    @Test func refreshRestoresFiguresWrittenOutsideTheApp() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let machine = try await t.equipment()
            let created = try await t.createOrder(
                token: manager,
                [
                    "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 2, "hours": 3]]]
                ])
            let orderID = try #require(created.string("id"))
            let item = try #require(created["items"]?.arrayValue.first)
            #expect(item["display_quantity"]?.stringValue == "2 смены, 3.0 ч")
            #expect(item["display_unit"]?.stringValue == "смены")
            #expect(item["line_total"]?.stringValue == "67350.00")

            // setup: the lines' figures as an SQL import would leave them
            try await t.db.sql().update("order_items")
                .set("line_total", to: SQLBind(Int64(0))).set("display_quantity", to: SQLBind(""))
                .set("display_unit", to: SQLBind("")).set("booked_hours", to: SQLBind(Int64(0)))
                .where("order_id", .equal, orderID).run()
            let stale = try await t.send(.GET, "/api/v1/orders/\(orderID)/", token: manager)
            #expect(stale["items"]?.arrayValue.first?["line_total"]?.stringValue == "0.00")

            #expect(try await LineFiguresRefresh.run(on: t.db, batchSize: 1) == 1)

            let fresh = try await t.send(.GET, "/api/v1/orders/\(orderID)/", token: manager)
            let line = try #require(fresh["items"]?.arrayValue.first)
            #expect(line["display_quantity"]?.stringValue == "2 смены, 3.0 ч")
            #expect(line["display_unit"]?.stringValue == "смены")
            #expect(line["line_total"]?.stringValue == "67350.00")
            let booked = try await t.db.sql().select().column("booked_hours").from("order_items")
                .where("order_id", .equal, orderID).first()?.decode(column: "booked_hours", as: Int64.self)
            #expect(booked == 1_900)
        }
    }
}
