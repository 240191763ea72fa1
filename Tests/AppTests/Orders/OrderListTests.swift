import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

@Suite("Orders: list scope, filters, search, paging, constant query count")
struct OrderListTests {
    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
    }

    @Test func anonymousCallersGetNothing() async throws {
        try await TestApp.run { t in
            for path in ["/api/v1/orders/", "/api/v1/orders/\(UUID().uuidString)/"] {
                let reply = try await t.send(.GET, path)
                #expect(reply.status == .unauthorized)
            }
            let create = try await t.send(.POST, "/api/v1/orders/", json: ["address": "x"])
            #expect(create.status == .unauthorized)
        }
    }

    @Test func operatorsSeeOnlyTheirAssignedOrders() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let driverID = try #require(driver.id)
            let mine = try #require(try await t.createOrder(token: manager, ["operator_ids": [driverID]]).string("id"))
            let theirs = try #require(
                try await t.createOrder(token: manager, ["start_dt": "2025-12-03T09:00:00+03:00"]).string("id"))
            let list = try await t.send(.GET, "/api/v1/orders/", token: driverToken)
            #expect(list["count"]?.intValue == 1)
            #expect(list.results.first?["id"]?.stringValue == mine)
            let seen = try await t.send(.GET, "/api/v1/orders/\(mine)/", token: driverToken)
            #expect(seen.status == .ok)
            #expect(seen.string("id") == mine)
            #expect(try await t.send(.GET, "/api/v1/orders/\(theirs)/", token: driverToken).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/orders/not-a-uuid/", token: manager).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/orders/\(UUID().uuidString)/", token: manager).status == .notFound)
            #expect(try await t.send(.GET, "/api/v1/orders/\(mine.uppercased())/", token: manager).status == .ok)
            #expect(
                try await t.send(
                    .PATCH, "/api/v1/orders/\(theirs)/status/", token: driverToken, json: ["status": "APPROVED"]
                ).status == .notFound)
            let all = try await t.send(.GET, "/api/v1/orders/", token: manager)
            #expect(all["count"]?.intValue == 2)
        }
    }

    @Test func filtersSearchOrderingAndPaging() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let romashka = try await t.client(name: "ООО Ромашка")
            let vasilek = try await t.client(name: "ИП Василёк", phone: "+79005556677")
            for day in 1...6 {
                _ = try await t.createOrder(
                    token: manager,
                    [
                        "client_id": day % 2 == 0 ? romashka : vasilek, "start_dt": "2025-12-0\(day)T09:00:00+03:00",
                        "description": day == 3 ? "Копка траншеи под водопровод" : "Планировка",
                    ])
            }
            let byClient = try await t.send(.GET, "/api/v1/orders/?client=\(romashka)", token: manager)
            #expect(byClient["count"]?.intValue == 3)
            let search = try await t.send(
                .GET,
                "/api/v1/orders/?search=\(Self.encoded("ромашка"))",
                token: manager)
            #expect(search["count"]?.intValue == 3)
            let twoTerms = try await t.send(
                .GET,
                "/api/v1/orders/?search=\(Self.encoded("ТРАНШЕИ водопровод"))",
                token: manager)
            #expect(twoTerms["count"]?.intValue == 1)
            let byNumber = try await t.send(.GET, "/api/v1/orders/?search=000004", token: manager)
            #expect(byNumber["count"]?.intValue == 1)
            let range = try await t.send(
                .GET, "/api/v1/orders/?start_from=2025-12-02&start_to=2025-12-04", token: manager)
            #expect(range["count"]?.intValue == 3)
            let ordered = try await t.send(.GET, "/api/v1/orders/?ordering=start_dt&page_size=2&page=2", token: manager)
            #expect(ordered.results.map { $0["number"]?.stringValue } == ["000003", "000004"])
            #expect(ordered.string("next")?.contains("page=3") == true)
            #expect(ordered.string("previous")?.contains("page") == false || ordered.string("previous") != nil)
            let status = try await t.send(.GET, "/api/v1/orders/?status=CREATED", token: manager)
            #expect(status["count"]?.intValue == 6)
            let badStatus = try await t.send(.GET, "/api/v1/orders/?status=FLYING", token: manager)
            #expect(badStatus.status == .badRequest)
            #expect(badStatus["status"] != nil)
            #expect(try await t.send(.GET, "/api/v1/orders/?page=99", token: manager).status == .notFound)
        }
    }

    @Test func aListPageCostsTheSameNumberOfQueriesForAnySize() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, _) = try await t.user(.operator)
            let service = try await t.service()
            let driverID = try #require(driver.id)
            for day in 0..<12 {
                _ = try await t.createOrder(
                    token: manager,
                    [
                        "start_dt": "2025-12-\(String(format: "%02d", day + 1))T09:00:00+03:00",
                        "operator_ids": [driverID],
                        "items": [
                            ["item_type": "service", "ref_id": service, "quantity": 1],
                            ["item_type": "service", "ref_id": service, "quantity": 2],
                        ],
                    ])
            }
            func queries(pageSize: Int) async throws -> Int {
                let counting = CountingSQLDatabase(try t.db.sql())
                let ids = try await counting.select().column("id").from("orders").orderBy("start_at").limit(pageSize)
                    .all()
                    .map { try $0.decode(column: "id", as: String.self) }
                var writer = JSONWriter()
                try await OrderReader(sql: counting, timeZone: t.app.config.timeZone).render(ids: ids, into: &writer)
                #expect(writer.string.components(separatedBy: "\"number\"").count - 1 == pageSize)
                return counting.count
            }
            let small = try await queries(pageSize: 2)
            let large = try await queries(pageSize: 12)
            #expect(small == large)
            #expect(large <= 6)
        }
    }

    @Test(.enabled(if: TestApp.usesPostgres, "the direct PostgreSQL decoding exists only there"))
    func postgresRowsDecodeToTheSameJSONAsSQLKitRows() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, _) = try await t.user(.operator)
            let machine = try await t.equipment()
            let service = try await t.service()
            let created = try await t.createOrder(
                token: manager,
                [
                    "operator_ids": [try #require(driver.id)], "prepayment_amount": "1000.50",
                    "description": "Траншея \"А\"",
                    "items": [
                        ["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1, "hours": 2.5]],
                        ["item_type": "service", "ref_id": service, "quantity": 2],
                    ],
                ])
            let id = try #require(created.string("id"))
            let direct = try OrderReader(db: t.db, timeZone: t.app.config.timeZone)
            #expect(direct.rows.postgres != nil)
            var fast = JSONWriter()
            try await direct.render(ids: [id], into: &fast)
            var generic = JSONWriter()
            try await OrderReader(sql: try t.db.sql(), timeZone: t.app.config.timeZone).render(
                ids: [id], into: &generic)
            #expect(fast.string == generic.string)
            #expect(fast.string.contains("\"display_quantity\":\"1 смена, 2.5 ч\""), "\(fast.string)")
        }
    }
}

@Suite("Orders: cached reads stay correct")
struct OrderCacheTests {
    @Test func cachedListsAndDetailsChangeWhenTheDataChanges() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let clientID = try await t.client(name: "ООО Ромашка")
            let id = try #require(try await t.createOrder(token: manager, ["client_id": clientID]).string("id"))
            let first = try await t.send(.GET, "/api/v1/orders/\(id)/", token: manager)
            let etag = try #require(first.headers.first(name: .eTag))
            let unchanged = try await t.send(
                .GET, "/api/v1/orders/\(id)/", token: manager, headers: ["If-None-Match": etag])
            #expect(unchanged.status == .notModified)
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(id)/", token: manager, json: ["description": "новое описание"])
            let changed = try await t.send(
                .GET, "/api/v1/orders/\(id)/", token: manager, headers: ["If-None-Match": etag])
            #expect(changed.status == .ok)
            #expect(changed.string("description") == "новое описание")
            // A client renamed elsewhere shows up in the cached list at once.
            _ = try await t.send(.GET, "/api/v1/orders/", token: manager)
            try await t.db.sql().update("clients").set("name", to: "ООО Василёк").where("id", .equal, clientID).run()
            let list = try await t.send(.GET, "/api/v1/orders/", token: manager)
            #expect(list.results.first?["client"]?["name"]?.stringValue == "ООО Василёк")
        }
    }

    /// A write invalidates what it changed (`ResponseCache.Freshness`): an order's description leaves the other
    /// orders' details and the list pages without it as they were (same ETag, answered 304), while every page that
    /// shows it, is searched or sorted by what changed, shows the change at once.
    @Test func aWriteInvalidatesOnlyWhatItChanged() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (driver, driverToken) = try await t.user(.operator)
            let rose = try await t.client(name: "ООО Роза", phone: "+79001110001")
            let lily = try await t.client(name: "ООО Лилия", phone: "+79001110002")
            let a = try #require(try await t.createOrder(token: manager, ["client_id": rose]).string("id"))
            let b = try #require(try await t.createOrder(token: manager, ["client_id": lily]).string("id"))
            func etag(_ path: String, token: String = manager) async throws -> String {
                let reply = try await t.send(.GET, path, token: token)
                try #require(reply.status == .ok, "\(path): \(reply.body)")
                return try #require(reply.headers.first(name: .eTag))
            }
            func stillValid(_ path: String, _ tag: String) async throws -> Bool {
                try await t.send(.GET, path, token: manager, headers: ["If-None-Match": tag]).status == .notModified
            }
            let detailB = try await etag("/api/v1/orders/\(b)/")
            let lilyList = try await etag("/api/v1/orders/?client=\(lily)")
            let fullList = try await etag("/api/v1/orders/")
            let byUpdate = try await etag("/api/v1/orders/?ordering=-updated_at")

            let edit = try await t.send(.PATCH, "/api/v1/orders/\(a)/", token: manager, json: ["description": "щебень"])
            #expect(edit.status == .ok)
            #expect(try await stillValid("/api/v1/orders/\(b)/", detailB))
            #expect(try await stillValid("/api/v1/orders/?client=\(lily)", lilyList))
            #expect(!(try await stillValid("/api/v1/orders/", fullList)))
            let list = try await t.send(.GET, "/api/v1/orders/", token: manager)
            #expect(list.results.first { $0["id"]?.stringValue == a }?["description"]?.stringValue == "щебень")
            #expect(!(try await stillValid("/api/v1/orders/?ordering=-updated_at", byUpdate)))
            let byUpdateNow = try await t.send(.GET, "/api/v1/orders/?ordering=-updated_at", token: manager)
            #expect(byUpdateNow.results.first?["id"]?.stringValue == a)
            let searched = try await t.send(.GET, "/api/v1/orders/?search=щебень", token: manager)
            #expect(searched.results.map { $0["id"]?.stringValue } == [a])
            let detailA = try await t.send(.GET, "/api/v1/orders/\(a)/", token: manager)
            #expect(detailA.string("description") == "щебень")

            // Moving A to Лилия changes which orders her list holds: it is rendered again.
            let moved = try await t.send(.PATCH, "/api/v1/orders/\(a)/", token: manager, json: ["client_id": lily])
            #expect(moved.status == .ok)
            #expect(!(try await stillValid("/api/v1/orders/?client=\(lily)", lilyList)))
            let lilyNow = try await t.send(.GET, "/api/v1/orders/?client=\(lily)", token: manager)
            #expect(Set(lilyNow.results.compactMap { $0["id"]?.stringValue }) == [a, b])

            // An operator assigned to B sees it in his list at once.
            let mine = try await t.send(.GET, "/api/v1/orders/", token: driverToken)
            #expect(mine.results.isEmpty)
            let assigned = try await t.send(
                .PATCH, "/api/v1/orders/\(b)/", token: manager, json: ["operator_ids": [try #require(driver.id)]])
            #expect(assigned.status == .ok, "\(assigned.body)")
            let mineNow = try await t.send(.GET, "/api/v1/orders/", token: driverToken)
            #expect(mineNow.results.map { $0["id"]?.stringValue } == [b])

            // A change written straight in SQL reaches the cached detail too (triggers, not services).
            let detailAgain = try await etag("/api/v1/orders/\(b)/")
            try await t.db.sql().update("orders").set("address", to: "ул. Новая, 1").where("id", .equal, b).run()
            #expect(!(try await stillValid("/api/v1/orders/\(b)/", detailAgain)))
            #expect(try await t.send(.GET, "/api/v1/orders/\(b)/", token: manager).string("address") == "ул. Новая, 1")
        }
    }
}
