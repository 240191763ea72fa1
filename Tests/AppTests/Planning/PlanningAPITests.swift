import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Planning: GET /api/v1/planning/")
struct PlanningAPITests {
    static let week = "/api/v1/planning/?from=2026-12-07&to=2026-12-13"

    @Test func rowsCarryTheirIntervalsAndUtilisation() async throws {
        try await TestApp.run { t in
            let excavator = try await t.equipment(code: "EXC-1", name: "Экскаватор JCB 3CX")
            let truck = try await t.equipment(code: "DUMP-1", name: "Самосвал Shacman")
            let (_, token) = try await t.user(.manager)
            let (worker, _) = try await t.user(.operator, firstName: "Сергей", lastName: "Осипов")
            let client = try await t.client(name: "ООО Ромашка")
            let first = try await t.plannedOrder(
                token: token, machine: excavator, operators: [worker.id ?? 0], start: "2026-12-08T09:00:00+03:00")
            var body: [String: Any] = ["client_id": client, "start_dt": "2026-12-10T08:00:00+03:00"]
            body["end_dt"] = "2026-12-10T20:00:00+03:00"
            body["items"] = [["item_type": "equipment", "ref_id": truck, "metadata": ["shifts": 1]]]
            let second = try await t.createOrder(token: token, body)
            #expect(second.status == .created)
            // Outside the week: not listed.
            _ = try await t.plannedOrder(token: token, machine: excavator, start: "2026-12-20T09:00:00+03:00")

            let reply = try await t.send(.GET, Self.week, token: token)
            #expect(reply.status == .ok)
            #expect(reply.string("from") == "2026-12-07")
            #expect(reply.string("to") == "2026-12-13")
            #expect(reply.string("resource") == "equipment")
            let rows = reply["rows"]?.arrayValue.compactMap(\.objectValue) ?? []
            #expect(rows.map { $0["name"]?.stringValue } == ["Самосвал Shacman", "Экскаватор JCB 3CX"])
            #expect(rows.map { $0["group"]?.stringValue } == ["Самосвалы", "Экскаваторы"])
            let bars = rows.last?["intervals"]?.arrayValue.compactMap(\.objectValue) ?? []
            #expect(bars.count == 1)
            #expect(bars.first?["order"]?.stringValue == first.id)
            #expect(bars.first?["number"]?.stringValue == first.number)
            #expect(bars.first?["status"]?.stringValue == "CREATED")
            #expect(bars.first?["start"]?.stringValue == "2026-12-08T09:00:00+03:00")
            #expect(bars.first?["end"]?.stringValue == "2026-12-09T09:00:00+03:00")
            #expect(bars.first?["open_end"] == .bool(true))
            #expect(rows.last?["utilisation"]?.stringValue == "14.3")  // 24 of 168 hours
            #expect(rows.last?["busy_hours"]?.stringValue == "24.00")
            let truckBars = rows.first?["intervals"]?.arrayValue.compactMap(\.objectValue) ?? []
            #expect(truckBars.first?["client"]?.stringValue == "ООО Ромашка")
            #expect(truckBars.first?["open_end"] == .bool(false))
            #expect(rows.first?["utilisation"]?.stringValue == "7.1")  // 12 of 168 hours
            #expect(reply.string("utilisation") == "10.7")  // 36 of 336 machine-hours

            let people = try await t.send(.GET, Self.week + "&resource=operator", token: token)
            let peopleRows = people["rows"]?.arrayValue.compactMap(\.objectValue) ?? []
            #expect(peopleRows.map { $0["name"]?.stringValue } == ["Сергей Осипов"])
            #expect(peopleRows.first?["intervals"]?.arrayValue.count == 1)
        }
    }

    @Test func anOperatorGetsOnlyHisOwnRow() async throws {
        try await TestApp.run { t in
            let machine = try await t.equipment(code: "EXC-1")
            let (_, token) = try await t.user(.manager)
            let (me, myToken) = try await t.user(.operator, firstName: "Сергей", lastName: "Осипов")
            let (other, _) = try await t.user(.operator, firstName: "Алексей", lastName: "Минин")
            let mine = try await t.plannedOrder(
                token: token, machine: machine, operators: [me.id ?? 0], start: "2026-12-08T09:00:00+03:00")
            _ = try await t.plannedOrder(
                token: token, machine: nil, operators: [other.id ?? 0], start: "2026-12-09T09:00:00+03:00")
            for resource in ["equipment", "operator"] {
                let reply = try await t.send(.GET, Self.week + "&resource=" + resource, token: myToken)
                #expect(reply.status == .ok)
                #expect(reply.string("resource") == "operator")
                let rows = reply["rows"]?.arrayValue.compactMap(\.objectValue) ?? []
                #expect(rows.count == 1)
                #expect(rows.first?["id"]?.intValue == me.id)
                let orders = rows.first?["intervals"]?.arrayValue.compactMap { $0.objectValue?["order"]?.stringValue }
                #expect(orders == [mine.id])
            }
        }
    }

    @Test func badQueriesAreFieldErrorsAndStrangersAreRefused() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.admin)
            let cases: [(String, String)] = [
                ("?from=2026-13-01", "from"), ("?from=2026-12-10&to=2026-12-01", "to"),
                ("?resource=boats", "resource"), ("?from=2026-01-01&to=2026-12-31", "to"),
            ]
            for (query, field) in cases {
                let reply = try await t.send(.GET, "/api/v1/planning/" + query, token: token)
                #expect(reply.status == .badRequest, "\(query)")
                #expect(reply[field]?.arrayValue.isEmpty == false, "\(query): \(reply.body)")
            }
            let defaults = try await t.send(.GET, "/api/v1/planning/", token: token)
            #expect(defaults.status == .ok)
            #expect(defaults.string("from") == ISOTime.day(of: Date(), in: BusinessTime.timeZone))
            #expect(try await t.send(.GET, "/api/v1/planning/").status == .unauthorized)
        }
    }
}
