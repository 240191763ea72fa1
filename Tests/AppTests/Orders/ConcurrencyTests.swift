import Domain
import Foundation
import Testing
import Vapor

@testable import App

/// Races that only a real database with concurrent connections can show; run when DATABASE_URL is PostgreSQL.
@Suite("Concurrency on PostgreSQL", .enabled(if: TestApp.usesPostgres))
struct ConcurrencyTests {
    @Test func concurrentCreatesGetDistinctNumbers() async throws {
        try await TestApp.run { serial in
            let t = serial.concurrent
            let (_, manager) = try await t.user(.manager)
            let statuses = try await withThrowingTaskGroup(of: (UInt, String?).self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let reply = try await t.createOrder(
                            token: manager,
                            ["start_dt": "2026-03-\(String(format: "%02d", index % 28 + 1))T09:00:00+03:00"])
                        return (reply.status.code, reply.string("number"))
                    }
                }
                var results: [(UInt, String?)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(statuses.allSatisfy { $0.0 == 201 })
            let numbers = statuses.compactMap(\.1)
            #expect(Set(numbers).count == 20)
            #expect(Set(numbers) == Set((1...20).map { String(format: "%06d", $0) }))
        }
    }

    @Test func onlyOneOfConcurrentOverlappingBookingsWins() async throws {
        try await TestApp.run { serial in
            let t = serial.concurrent
            let (_, manager) = try await t.user(.manager)
            let machine = try await t.equipment()
            let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await t.createOrder(
                            token: manager,
                            [
                                "start_dt": "2026-04-01T09:00:00+03:00", "end_dt": "2026-04-01T18:00:00+03:00",
                                "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
                            ]
                        ).status.code
                    }
                }
                var codes: [UInt] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            #expect(codes.filter { $0 == 201 }.count == 1)
            #expect(codes.filter { $0 == 409 }.count == 7)
            #expect(try await t.count("bookings", where: "resource_type", equals: "equipment") == 1)
        }
    }

    @Test func concurrentRepeatsOfOneKeyDoTheWorkOnce() async throws {
        try await TestApp.run { serial in
            let t = serial.concurrent
            let (_, manager) = try await t.user(.manager)
            let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await t.send(
                            .POST, "/api/v1/orders/", token: manager,
                            json: [
                                "client_id": NSNull(), "address": "Краснодар", "start_dt": "2026-05-01T09:00:00+03:00",
                            ], headers: ["Idempotency-Key": "same-key"]
                        ).status.code
                    }
                }
                var codes: [UInt] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            #expect(codes.allSatisfy { $0 == 201 || $0 == 409 })
            #expect(codes.contains(201))
            #expect(try await t.count("orders") == 1)
        }
    }

    /// Two writes of different fields of one order at once (a move on the board and an edit of the description)
    /// both stand: the second waits for the first's row lock and then edits what it saved (`OrderStore.load`).
    @Test func concurrentEditsOfOneOrderKeepEachOthersChanges() async throws {
        try await TestApp.run { serial in
            let t = serial.concurrent
            let (_, manager) = try await t.user(.manager)
            for round in 0..<8 {
                let created = try await t.createOrder(
                    token: manager, ["start_dt": "2026-06-\(String(format: "%02d", round + 1))T09:00:00+03:00"])
                let id = try #require(created.string("id"))
                let moved = "2026-07-\(String(format: "%02d", round + 1))T10:00:00+03:00"
                let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                    group.addTask {
                        try await t.send(
                            .PATCH, "/api/v1/orders/\(id)/", token: manager, json: ["start_dt": moved]
                        ).status.code
                    }
                    group.addTask {
                        try await t.send(
                            .PATCH, "/api/v1/orders/\(id)/", token: manager, json: ["description": "Правка \(round)"]
                        ).status.code
                    }
                    var codes: [UInt] = []
                    for try await code in group { codes.append(code) }
                    return codes
                }
                #expect(codes == [200, 200])
                let order = try await t.send(.GET, "/api/v1/orders/\(id)/", token: manager)
                #expect(order.string("description") == "Правка \(round)")
                let start = try #require(order.string("start_dt"))
                #expect(
                    ISOTime.parse(start, defaultTimeZone: BusinessTime.timeZone)
                        == ISOTime.parse(
                            moved, defaultTimeZone: BusinessTime.timeZone))
            }
        }
    }
}
