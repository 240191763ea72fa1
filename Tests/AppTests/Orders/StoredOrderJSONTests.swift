import Foundation
import SQLKit
import Testing

@testable import App

/// On PostgreSQL each order's JSON is stored at the commit of every write that changes it (`StoredOrderJSON`), and
/// the reads take it only while it is current.
@Suite("Orders: the stored order JSON")
struct StoredOrderJSONTests {
    /// The stored JSON of `id`, when it is current for the app's zone.
    private func stored(_ id: String, in t: TestApp) async throws -> String? {
        let key = StoredOrderJSON.key(timeZone: t.app.config.timeZone.identifier)
        return try await t.db.sql().raw(
            """
            SELECT j.json FROM order_json j LEFT JOIN order_versions ov ON ov.order_id = j.order_id
            WHERE j.order_id = \(bind: id) AND j.key = \(bind: key) AND j.version = coalesce(ov.version, 0)
            """
        ).first()?.decode(column: "json", as: String.self)
    }

    /// What the Swift writer writes for `id`.
    private func written(_ id: String, in t: TestApp) async throws -> String {
        var writer = JSONWriter()
        try await OrderReader(sql: t.db.sql(), timeZone: t.app.config.timeZone).render(ids: [id], into: &writer)
        return writer.string
    }

    private func expectCurrent(_ id: String, in t: TestApp, after step: String) async throws {
        let json = try await stored(id, in: t)
        let expected = try await written(id, in: t)
        #expect(json == expected, "after \(step)")
    }

    @Test(.enabled(if: TestApp.usesPostgres, "the order JSON is stored only on PostgreSQL"))
    func everyWriteLeavesTheStoredJSONCurrent() async throws {
        // Without the response cache, which would answer the planted text below from memory.
        try await TestApp.run(adjust: { $0.responseCacheEnabled = false }) { t in
            let (managerUser, manager) = try await t.user(.manager)
            let (_, adminToken) = try await t.user(.admin)
            let (first, _) = try await t.user(.operator, firstName: "Пётр", lastName: "Иванов")
            let (second, _) = try await t.user(.operator, firstName: "Анна", lastName: "Ли")
            let machine = try await t.equipment()
            let client = try await t.client(name: "ООО Ромашка")
            let firstID = try #require(first.id)
            let secondID = try #require(second.id)
            let created = try await t.createOrder(
                token: manager,
                [
                    "client_id": client, "address": "Краснодар", "manager_id": try #require(managerUser.id),
                    "operator_ids": [firstID, secondID],
                    "items": [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1, "hours": 2]]],
                ])
            let id = try #require(created.string("id"), "\(created.body)")
            let other = try #require(try await t.createOrder(token: manager, [:]).string("id"))
            try await expectCurrent(id, in: t, after: "create")

            let sql = try t.db.sql()
            // A write straight in the tables, as another program or an administrator would make it.
            func statement(_ query: SQLQueryString) -> () async throws -> Void { { try await sql.raw(query).run() } }
            let steps: [(String, () async throws -> Void)] = [
                (
                    "an edit",
                    {
                        let edit = try await t.send(
                            .PATCH, "/api/v1/orders/\(id)/", token: manager, json: ["description": "Траншея"])
                        #expect(edit.status == .ok, "\(edit.body)")
                    }
                ),
                (
                    "a status change",
                    {
                        _ = try await t.send(
                            .PATCH, "/api/v1/orders/\(id)/status/", token: manager, json: ["status": "APPROVED"])
                    }
                ),
                (
                    "the client renamed",
                    {
                        let rename = try await t.send(
                            .PATCH, "/api/v1/clients/\(client)/", token: adminToken, json: ["name": "ООО Лютик"])
                        #expect(rename.status == .ok, "\(rename.body)")
                    }
                ),
                ("an operator renamed", statement("UPDATE users SET last_name = 'Петров' WHERE id = \(bind: firstID)")),
                (
                    "the manager's phone changed",
                    statement("UPDATE users SET phone = '+79990000001' WHERE id = \(bind: managerUser.id)")
                ),
                (
                    "the log's author renamed",
                    statement("UPDATE users SET first_name = 'Мария' WHERE id = \(bind: managerUser.id)")
                ),
                ("an operator removed", statement("DELETE FROM order_operators WHERE user_id = \(bind: secondID)")),
                (
                    "a line changed",
                    statement("UPDATE order_items SET unit_price = 123456 WHERE order_id = \(bind: id)")
                ),
                (
                    "a photo added",
                    statement(
                        """
                        INSERT INTO order_photos (order_id, uploaded_by_id, photo_type, storage_key, content_type,
                            size_bytes, original_name, notes, metadata, created_at, updated_at)
                        VALUES (\(bind: id), \(bind: firstID), 'after', 'k', 'image/jpeg', 1, 'a.jpg', '', '{}',
                            now(), now())
                        """)
                ),
                (
                    "the uploader renamed",
                    statement("UPDATE users SET first_name = 'Павел' WHERE id = \(bind: firstID)")
                ),
            ]
            for (step, write) in steps {
                let before = try await written(id, in: t)
                try await write()
                #expect(try await written(id, in: t) != before, "\(step) changes the order's JSON")
                try await expectCurrent(id, in: t, after: step)
            }
            // The other order was not written again, and is still current.
            try await expectCurrent(other, in: t, after: "the writes to another order")

            // The reads take the stored JSON while it is current: a planted text is answered as it is…
            let version = try #require(
                try await sql.raw("SELECT version FROM order_json WHERE order_id = \(bind: other)").first()?
                    .decode(column: "version", as: Int.self))
            try await sql.raw("UPDATE order_json SET json = '{\"planted\":true}' WHERE order_id = \(bind: other)").run()
            #expect(try await t.send(.GET, "/api/v1/orders/\(other)/", token: manager).body == "{\"planted\":true}")
            // …and not once it is stale: the order is written from its rows.
            try await sql.raw("UPDATE order_json SET version = \(bind: version - 1) WHERE order_id = \(bind: other)")
                .run()
            let detail = try await t.send(.GET, "/api/v1/orders/\(other)/", token: manager)
            #expect(detail.body == (try await written(other, in: t)))
            let list = try await t.send(.GET, "/api/v1/orders/", token: manager)
            #expect(list.status == .ok && !list.body.contains("planted"))

            // A deleted order takes its stored JSON with it.
            #expect(try await t.send(.DELETE, "/api/v1/orders/\(id)/", token: adminToken).status == .noContent)
            #expect(try await sql.raw("SELECT 1 AS n FROM order_json WHERE order_id = \(bind: id)").first() == nil)
        }
    }

    @Test func onlyPostgreSQLSchedulesTheRefresh() async throws {
        try await TestApp.run { t in
            let names = t.app.jobSchedule.entries.map(\.name)
            #expect(names.contains(StoredOrderJSONRefreshJob.name) == TestApp.usesPostgres, "\(names)")
            #expect(t.app.jobs.names.contains(StoredOrderJSONRefreshJob.name))
        }
    }

    @Test(.enabled(if: TestApp.usesPostgres, "the order JSON is stored only on PostgreSQL"))
    func theRefreshWritesWhatNoCommitWrote() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try #require(try await t.createOrder(token: manager, [:]).string("id"))) }
            let sql = try t.db.sql()
            let zone = t.app.config.timeZone.identifier
            // Orders from before the table, and a stale key (another version of the program, or another zone).
            try await sql.raw("DELETE FROM order_json WHERE order_id <> \(bind: ids[0])").run()
            try await sql.raw("UPDATE order_json SET key = 'older' WHERE order_id = \(bind: ids[0])").run()
            for id in ids { #expect(try await stored(id, in: t) == nil) }
            let list = try await t.send(.GET, "/api/v1/orders/", token: manager)
            #expect(list.results.count == 3)

            #expect(try await StoredOrderJSON.refresh(on: sql, limit: 2) == 2)
            #expect(try await StoredOrderJSON.refresh(on: sql, limit: 2) == 1)
            #expect(try await StoredOrderJSON.refresh(on: sql, limit: 2) == 0)
            for id in ids { try await expectCurrent(id, in: t, after: "the refresh") }
            #expect(try await t.send(.GET, "/api/v1/orders/", token: manager).body == list.body)

            // A program installed for another zone writes under another key, which this one does not read.
            try await StoredOrderJSON.install(on: sql, timeZone: "Asia/Kolkata")
            #expect(try await StoredOrderJSON.refresh(on: sql) == 3)
            for id in ids { #expect(try await stored(id, in: t) == nil) }
            #expect(try await t.send(.GET, "/api/v1/orders/", token: manager).body == list.body)
            try await StoredOrderJSON.install(on: sql, timeZone: zone)
            #expect(try await StoredOrderJSON.refresh(on: sql) == 3)
            for id in ids { try await expectCurrent(id, in: t, after: "the zone's program again") }

            // The job does the same.
            try await sql.raw("DELETE FROM order_json").run()
            let job = StoredOrderJSONRefreshJob.self
            let result = try await job.run(
                JobContext(application: t.app, jobID: 0, attempt: 1, now: Date(), logger: t.app.logger))
            #expect(result == .object(["written": .number(3)]))
            for id in ids { try await expectCurrent(id, in: t, after: "the job") }
        }
    }
}
