import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The holes of the security review (docs/security.md), each shown closed over HTTP.
@Suite("Hardening: prices, money limits, links, schedule privacy, CORS on errors, body limits")
struct HardeningTests {
    /// An order with a catalog service, assigned to an operator and started by him.
    private func startedOrder(_ t: TestApp) async throws -> (id: String, manager: String, driver: String, service: Int)
    {
        let (_, manager) = try await t.user(.manager)
        let (driver, driverToken) = try await t.user(.operator)
        let driverID = try #require(driver.id)
        let service = try await t.service(price: 100_000)
        let created = try await t.createOrder(
            token: manager,
            [
                "operator_ids": [driverID], "items": [["item_type": "service", "ref_id": service, "quantity": 2]],
            ])
        let id = try #require(created.string("id"))
        for status in ["APPROVED", "IN_PROGRESS"] {
            let moved = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": status])
            #expect(moved.status == .ok, "\(moved.body)")
        }
        return (id, manager, driverToken, service)
    }

    @Test func anOperatorCannotPriceALineAtCompletion() async throws {
        try await TestApp.run { t in
            let (id, _, driver, service) = try await startedOrder(t)
            let forged = try await t.send(
                .POST, "/api/v1/orders/\(id)/complete/", token: driver,
                json: [
                    "end_dt": "2025-12-01T18:00:00+03:00",
                    "items": [
                        ["item_type": "service", "ref_id": service, "quantity": 2],
                        [
                            "item_type": "service", "name_snapshot": "Доплата", "quantity": "9999999.99",
                            "unit_price": "999999999.99",
                        ],
                    ],
                ])
            #expect(forged.status == .badRequest, "\(forged.body)")
            let itemErrors = forged["items"]?.arrayValue ?? []
            #expect(itemErrors.count == 2)
            #expect(itemErrors.last?["unit_price"]?.arrayValue.first?.stringValue == OrderItemsParser.priceRefusal)
            let unchanged = try await t.send(.GET, "/api/v1/orders/\(id)/", token: driver)
            #expect(unchanged.string("status") == "IN_PROGRESS")
            #expect(unchanged.string("total_amount") == "2000.00")

            // Typed prices, discounts and taxes of an operator are not what the client pays; quantities are.
            let done = try await t.send(
                .POST, "/api/v1/orders/\(id)/complete/", token: driver,
                json: [
                    "end_dt": "2025-12-01T18:00:00+03:00",
                    "items": [
                        [
                            "item_type": "service", "ref_id": service, "quantity": 3, "unit_price": "1.00",
                            "discount": 100,
                        ]
                    ],
                ])
            #expect(done.status == .ok, "\(done.body)")
            #expect(done.string("total_amount") == "3000.00")
            let line = done["items"]?.arrayValue.first
            #expect(line?["unit_price"]?.stringValue == "1000.00")
            #expect(line?["discount"]?.stringValue == "0.00")
        }
    }

    @Test func anOperatorKeepsTheStaffPriceOfAFreeFormLine() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let created = try await t.createOrder(
                token: manager,
                [
                    "operator_ids": [try #require(driver.id)],
                    "items": [
                        ["item_type": "service", "name_snapshot": "Вывоз грунта", "quantity": 1, "unit_price": "5000"]
                    ],
                ])
            let id = try #require(created.string("id"))
            #expect(created.string("total_amount") == "5000.00")
            for status in ["APPROVED", "IN_PROGRESS"] {
                _ = try await t.send(
                    .PATCH, "/api/v1/orders/\(id)/status/", token: driverToken, json: ["status": status])
            }
            let done = try await t.send(
                .POST, "/api/v1/orders/\(id)/complete/", token: driverToken,
                json: [
                    "end_dt": "2025-12-01T18:00:00+03:00",
                    "items": [
                        [
                            "item_type": "service", "name_snapshot": "Вывоз грунта", "quantity": 2,
                            "unit_price": "999999",
                        ]
                    ],
                ])
            #expect(done.status == .ok, "\(done.body)")
            #expect(done.string("total_amount") == "10000.00")
        }
    }

    @Test func amountsBeyondTheLimitsAreRefusedAndReportsStayUp() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, admin) = try await t.user(.admin)
            let huge = try await t.createOrder(
                token: manager,
                [
                    "items": [
                        [
                            "item_type": "service", "name_snapshot": "X", "quantity": "9999999.99",
                            "unit_price": "999999999.99",
                        ]
                    ]
                ])
            #expect(huge.status == .badRequest)
            #expect(
                huge["items"]?.arrayValue.first?["unit_price"]?.arrayValue.first?.stringValue
                    == MoneyLimits.lineTotalMessage)
            // Eleven lines each within the line limit, together above the order limit.
            let line: [String: Any] = [
                "item_type": "service", "name_snapshot": "Y", "quantity": "1000", "unit_price": "1000000",
            ]
            let many = try await t.createOrder(token: manager, ["items": Array(repeating: line, count: 11)])
            #expect(many.status == .badRequest)
            #expect(many["items"]?.arrayValue.first?.stringValue == MoneyLimits.orderTotalMessage)
            #expect(try await t.count("orders") == 0)
            let summary = try await t.send(.GET, "/api/v1/reports/summary/", token: admin)
            #expect(summary.status == .ok)
        }
    }

    @Test func paginationLinksNeverComeFromTheHostHeader() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            for _ in 0..<2 { _ = try await t.createOrder(token: manager, [:]) }
            let forged = try await t.send(
                .GET, "/api/v1/orders/?page_size=1", token: manager, headers: ["Host": "evil.example"])
            #expect(forged.status == .ok)
            #expect(forged.string("next")?.contains("evil.example") == false)
            let normal = try await t.send(.GET, "/api/v1/orders/?page_size=1", token: manager)
            #expect(normal.string("next")?.contains("evil.example") == false)
            #expect(normal.string("next")?.hasPrefix("http://127.0.0.1:") == true)
        }
        try await TestApp.run(adjust: { $0.publicURL = "https://ringo.example.ru" }) { t in
            let (_, manager) = try await t.user(.manager)
            for _ in 0..<2 { _ = try await t.createOrder(token: manager, [:]) }
            let page = try await t.send(
                .GET, "/api/v1/orders/?page_size=1", token: manager,
                headers: ["Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"])
            #expect(page.string("next") == "https://ringo.example.ru/api/v1/orders/?page_size=1&page=2")
        }
    }

    @Test func anOperatorSeesOnlyBusyIntervalsOfOthersOrders() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (_, driver) = try await t.user(.operator)
            let machine = try await t.equipment()
            let created = try await t.createOrder(
                token: manager,
                [
                    "address": "ул. Секретная 1", "end_dt": "2025-12-01T18:00:00+03:00",
                    "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]],
                ])
            #expect(created.status == .created)
            let staff = try await t.send(.GET, "/api/v1/equipment/\(machine)/schedule/", token: manager)
            #expect(staff.array.first?["address"]?.stringValue == "ул. Секретная 1")
            let seen = try await t.send(.GET, "/api/v1/equipment/\(machine)/schedule/", token: driver)
            #expect(seen.status == .ok)
            #expect(seen.array.count == 1)
            #expect(Set(seen.array.first?.keys.map { $0 } ?? []) == ["start", "end"])
            #expect(!seen.body.contains("Секретная") && !seen.body.contains(created.string("number") ?? "-"))
        }
    }

    @Test func errorResponsesCarryCORSHeadersForAnAllowedOrigin() async throws {
        try await TestApp.run(adjust: { $0.corsAllowedOrigins = ["http://client.example"] }) { t in
            let (_, manager) = try await t.user(.manager)
            let origin = ["Origin": "http://client.example"]
            let unauthorized = try await t.send(.GET, "/api/v1/users/me/", headers: origin)
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.headers.first(name: .accessControlAllowOrigin) == "http://client.example")
            let invalid = try await t.send(
                .POST, "/api/v1/clients/", token: manager, json: ["name": ""], headers: origin)
            #expect(invalid.status == .badRequest)
            #expect(invalid.headers.first(name: .accessControlAllowOrigin) == "http://client.example")
            let missing = try await t.send(.GET, "/api/v1/no-such-thing/", token: manager, headers: origin)
            #expect(missing.status == .notFound)
            #expect(missing.headers.first(name: .accessControlAllowOrigin) == "http://client.example")
            let stranger = try await t.send(.GET, "/api/v1/users/me/", headers: ["Origin": "http://evil.example"])
            #expect(stranger.headers.first(name: .accessControlAllowOrigin) == nil)
        }
    }

    @Test func bodiesAreLimitedBeforeAnythingReadsThem() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let padding = String(repeating: "я", count: 10 * 1024)
            let anonymous = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79990000000", "password": padding])
            #expect(anonymous.status == .payloadTooLarge)
            let small = try await t.send(.POST, "/api/v1/token/", json: ["phone": "+79990000000", "password": "x"])
            #expect(small.status == .unauthorized)
            let big = String(repeating: "я", count: 600 * 1024)
            let tooLarge = try await t.send(
                .POST, "/api/v1/clients/", token: manager, json: ["name": "Клиент", "notes": big])
            #expect(tooLarge.status == .payloadTooLarge)
            let fine = try await t.send(
                .POST, "/api/v1/clients/", token: manager, json: ["name": "Клиент", "phone": "+79181234567"])
            #expect(fine.status == .created, "\(fine.body)")
        }
    }

    @Test func webAndAPIShareTheEditAndDeleteRulesOfACompletedOrder() async throws {
        try await TestApp.run { t in
            let (id, manager, driver, service) = try await startedOrder(t)
            let (_, admin) = try await t.user(.admin)
            let done = try await t.send(
                .POST, "/api/v1/orders/\(id)/complete/", token: driver,
                json: [
                    "end_dt": "2025-12-01T18:00:00+03:00",
                    "items": [["item_type": "service", "ref_id": service, "quantity": 2]],
                ])
            #expect(done.status == .ok)
            let patch = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/", token: manager, json: ["description": "другое"])
            #expect(patch.status == .conflict)
            let delete = try await t.send(.DELETE, "/api/v1/orders/\(id)/", token: admin)
            #expect(delete.status == .conflict)
            #expect(try await t.count("orders") == 1)
        }
    }
}

/// The embedded default under a busy office: many writers at once on one SQLite file.
@Suite("SQLite: concurrent writers", .enabled(if: !TestApp.usesPostgres))
struct SQLiteConcurrentWriteTests {
    @Test func thirtyTwoConcurrentWritersGetNoServerErrorAndLoseNothing() async throws {
        let directory = NSTemporaryDirectory() + "ringo-writers-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestApp.run(adjust: { $0.database = .sqliteFile(path: directory + "/ringo.sqlite") }) { serial in
            let t = serial.concurrent
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let service = try await t.service(price: 100_000)
            var created: [String] = []
            for day in 1...4 {
                let order = try await t.createOrder(
                    token: manager, ["operator_ids": [driverID], "start_dt": "2026-02-0\(day)T09:00:00+03:00"])
                created.append(try #require(order.string("id")))
            }
            let orders = created
            let writers = 32
            let rounds = 4
            let results = try await withThrowingTaskGroup(of: [(UInt, String)].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var replies: [(UInt, String)] = []
                        for round in 0..<rounds {
                            let tag = "w\(writer)-r\(round)"
                            let reply: TestApp.Reply
                            switch writer % 5 {
                            case 0:
                                reply = try await t.send(
                                    .POST, "/api/v1/services/", token: manager, json: ["name": "Услуга \(tag)"])
                            case 1:
                                reply = try await t.send(
                                    .PATCH, "/api/v1/services/\(service)/", token: manager,
                                    json: ["price": "\(1000 + writer * 10 + round)"])
                            case 2:
                                // The order API takes the write turn only around its service (the key is
                                // claimed and stored in turns of their own), so it writes beside the others.
                                if round % 2 == 0 {
                                    reply = try await t.send(
                                        .PATCH, "/api/v1/orders/\(orders[writer % 4])/", token: manager,
                                        json: ["description": tag], headers: ["Idempotency-Key": tag])
                                } else {
                                    reply = try await t.send(
                                        .POST, "/api/v1/orders/", token: manager,
                                        json: [
                                            "client_id": NSNull(), "address": "ул. Садовая 5",
                                            "start_dt": "2026-03-01T09:00:00+03:00", "description": tag,
                                        ],
                                        headers: ["Idempotency-Key": tag])
                                }
                            case 3:
                                reply = try await t.send(
                                    .POST, "/api/v1/clients/", token: manager,
                                    json: [
                                        "name": "Клиент \(tag)",
                                        "phone": "+7918" + String(format: "%07d", writer * 100 + round),
                                    ])
                            default:
                                reply = try await t.send(
                                    .PATCH, "/api/v1/notifications/preferences/", token: driverToken,
                                    json: [
                                        "events": ["order_assigned": ["telegram": round % 2 == 0]]
                                    ])
                            }
                            replies.append((reply.status.code, tag))
                        }
                        return replies
                    }
                }
                var all: [(UInt, String)] = []
                for try await replies in group { all += replies }
                return all
            }
            #expect(results.count == writers * rounds)
            let failures = results.filter { $0.0 >= 500 }
            #expect(failures.isEmpty, "server errors: \(failures)")
            #expect(
                results.allSatisfy { (200..<300).contains($0.0) }, "\(results.filter { !(200..<300).contains($0.0) })")
            let sql = try t.db.sql()
            let services = try await sql.select().column("name").from("services").all()
                .map { try $0.decode(column: "name", as: String.self) }
            let clients = try await sql.select().column("name").from("clients").all()
                .map { try $0.decode(column: "name", as: String.self) }
            for (code, tag) in results where (200..<300).contains(code) {
                let writer = Int(tag.dropFirst().prefix { $0 != "-" }) ?? -1
                if writer % 5 == 0 { #expect(services.contains("Услуга \(tag)")) }
                if writer % 5 == 3 { #expect(clients.contains("Клиент \(tag)")) }
            }
            let keys = try await sql.select().column("key").from("idempotency_keys")
                .where("completed", .equal, true).all().map { try $0.decode(column: "key", as: String.self) }
            let edits = results.filter { (Int($0.1.dropFirst().prefix { $0 != "-" }) ?? -1) % 5 == 2 }
            #expect(!edits.isEmpty)
            for (_, tag) in edits { #expect(keys.contains(tag), "the order write \(tag) kept no completed key") }
            let descriptions = try await sql.select().column("description").from("orders").all()
                .map { try $0.decode(column: "description", as: String.self) }
            for (_, tag) in edits where tag.hasSuffix("r1") || tag.hasSuffix("r3") {
                #expect(descriptions.filter { $0 == tag }.count == 1, "the order created as \(tag)")
            }
            let journal = try await sql.raw("PRAGMA journal_mode").first()?.decode(
                column: "journal_mode", as: String.self)
            #expect(journal == "wal")
        }
    }
}
