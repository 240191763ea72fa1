import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Planning: the service without HTTP")
struct PlanningServiceTests {
    static let week: PlanningPeriod = {
        let calendar = BusinessTime.calendar
        let monday = calendar.date(from: DateComponents(year: 2026, month: 12, day: 7)) ?? Date()
        return PlanningPeriod(first: monday, span: .week, calendar: calendar)
    }()

    @Test func movesFollowTheOrderRules() async throws {
        try await TestApp.run { t in
            let excavator = try await t.equipment(code: "EXC-1")
            let truck = try await t.equipment(code: "DUMP-1")
            let (manager, token) = try await t.user(.manager)
            let (accountant, _) = try await t.user(.accountant)
            let order = try await t.plannedOrder(token: token, machine: excavator, start: "2026-12-08T09:00:00+03:00")
            let start = try #require(ISOTime.parse("2026-12-09T09:00:00+03:00", defaultTimeZone: BusinessTime.timeZone))
            let move = PlanningMove(
                orderID: order.id, resource: .equipment, fromID: excavator, toID: truck, start: start)

            // Only those who manage orders move them.
            await #expect(throws: OrderError.self) {
                try await PlanningService(context: try t.services(as: accountant)).move(move)
            }
            #expect(try await t.machines(ofOrder: order.id) == [excavator])

            // A cancelled order is not edited: it does not move.
            let staff = PlanningService(context: try t.services(as: manager))
            let cancelled = try await t.send(
                .PATCH, "/api/v1/orders/\(order.id)/status/", token: token, json: ["status": "CANCELLED"])
            #expect(cancelled.status == .ok)
            await #expect(throws: OrderError.self) { try await staff.move(move) }
            #expect(try await t.machines(ofOrder: order.id) == [excavator])

            // A machine the order already holds.
            let both = try await t.createOrder(
                token: token,
                [
                    "start_dt": "2026-12-10T09:00:00+03:00",
                    "items": [
                        ["item_type": "equipment", "ref_id": excavator, "metadata": ["shifts": 1]],
                        ["item_type": "equipment", "ref_id": truck, "metadata": ["shifts": 1]],
                    ],
                ])
            let bothID = try #require(both.string("id"))
            await #expect(throws: PlanningError.alreadyOnOrder) {
                try await staff.move(
                    PlanningMove(orderID: bothID, resource: .equipment, fromID: excavator, toID: truck, start: start))
            }
        }
    }

    @Test func anOrderWithAKnownEndKeepsItsLength() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EXC-1")
            let (manager, token) = try await t.user(.manager)
            let order = try await t.plannedOrder(
                token: token, machine: machine, start: "2026-12-08T09:00:00+03:00", end: "2026-12-08T17:30:00+03:00")
            let start = try #require(ISOTime.parse("2026-12-11T07:00:00+03:00", defaultTimeZone: BusinessTime.timeZone))
            try await PlanningService(context: try t.services(as: manager)).move(
                PlanningMove(orderID: order.id, resource: .equipment, fromID: machine, toID: machine, start: start))
            let board = try await PlanningService(context: try t.services(as: manager)).board(
                .equipment, period: Self.week)
            let bar = try #require(board.rows.first?.bars.first)
            #expect(bar.order.start == start)
            #expect(bar.order.end == start.addingTimeInterval(8.5 * 3600))
            #expect(bar.startHour == 4 * 24 + 7)
            #expect(bar.lengthHours == 9)  // 8.5 h on the hour grid
        }
    }

    @Test func anOperatorsBoardIsHisOwnRowWhateverHeAsks() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EXC-1")
            let (_, token) = try await t.user(.manager)
            let (me, _) = try await t.user(.operator)
            _ = try await t.user(.operator)
            _ = try await t.plannedOrder(
                token: token, machine: machine, operators: [me.id ?? 0], start: "2026-12-08T09:00:00+03:00")
            let board = try await PlanningService(context: try t.services(as: me)).board(.equipment, period: Self.week)
            #expect(board.resource == .operator)
            #expect(board.rows.map(\.resource.id) == [me.id ?? 0])
            #expect(board.rows.first?.bars.count == 1)
        }
    }
}
