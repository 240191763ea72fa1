import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Migrations are forward-only: the merged ones never change, new ones are appended, and every release must
/// start on an empty database and on a database (with data) left by the release before it.
@Suite("Operations: migrations are forward-only and upgrade existing data")
struct MigrationUpgradeTests {
    /// The migrations as merged, in order. Never edit this list except to append.
    static let merged = [
        "App.CreateUsers", "App.CreateRefreshTokens", "App.CreateLoginAttempts", "App.CreateAuditEntries",
        "App.CreateCatalog", "App.CreateClients", "App.CreateOrders", "App.AddBookingExclusion",
        "App.CreateFinanceRecords", "App.CreateIdempotencyKeys",
        "App.CreateOrderPhotos", "App.CreateNotificationTables", "App.AddDataVersions",
        "App.AddOrderItemReportFigures", "App.CreateInvoicesAndPayments", "App.CreateJobQueue",
        "App.AddOrderItemDisplayFigures", "App.AddReportIndexes", "App.AddTokenRevocation",
        "App.CreateAttemptThrottles",
    ]

    /// Older releases to upgrade from: every prefix of the history that has the tables the rows below need
    /// (up to `CreateOrders`), up to "all but the last one".
    static var olderReleases: [Int] {
        let needed = (merged.firstIndex(of: "App.CreateOrders") ?? merged.count - 1) + 1
        return Array(needed..<max(needed, AppMigrations.all.count))
    }

    @Test func mergedMigrationsAreNeverRemovedRenamedOrReordered() {
        let names = AppMigrations.all.map(\.name)
        #expect(Array(names.prefix(Self.merged.count)) == Self.merged, "append new migrations at the end")
        #expect(Set(names).count == names.count, "every migration has its own name")
    }

    @Test func anEmptyDatabaseMigratesAndASecondRunChangesNothing() async throws {
        try await TestApp.run(migrate: false) { t in
            try await t.app.migrateWithLock()
            let applied = try await MigrationListing.applied(on: t.db)
            #expect(applied == Set(AppMigrations.all.map(\.name)))
            try await t.app.migrateWithLock()
            #expect(try await t.count("_fluent_migrations") == AppMigrations.all.count)
        }
    }

    @Test(arguments: olderReleases)
    func upgradeKeepsTheRowsOfAnOlderRelease(appliedMigrations count: Int) async throws {
        try await TestApp.run(migrate: false) { t in
            // setup: the database as the older release left it, with data
            let older = Migrations()
            older.add(Array(AppMigrations.all.prefix(count)))
            let migrator = Migrator(
                databases: t.app.databases, migrations: older, logger: t.app.logger, on: t.app.eventLoopGroup.any())
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
            #expect(try await MigrationListing.applied(on: t.db).count == count)
            let data = try await Self.insertRepresentativeRows(t)
            let before = try await Self.contents(of: Self.tables, t)

            // MUT: this release starts
            try await t.app.migrateWithLock()

            // validate: every migration applied, every row unchanged, and this release reads them
            #expect(try await MigrationListing.applied(on: t.db) == Set(AppMigrations.all.map(\.name)))
            // Columns added by later migrations are new; every value that existed before must be unchanged.
            let after = try await Self.contents(of: Self.tables, t)
            var afterOldColumns: [String: [[String: String]]] = [:]
            for (table, rows) in after {
                let oldColumns = Set(before[table]?.first?.keys.map { $0 } ?? [])
                afterOldColumns[table] = rows.map { row in row.filter { oldColumns.contains($0.key) } }
            }
            #expect(afterOldColumns == before)
            let login = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": data.adminPhone, "password": TestApp.password])
            let token = try #require(login.string("access"), "\(login.body)")
            let order = try await t.send(.GET, "/api/v1/orders/\(data.orderID)/", token: token)
            #expect(order.status == .ok, "\(order.body)")
            #expect(order.string("number") == "000001")
            #expect(order["items"]?.arrayValue.count == 1)
            let displayMigration = AppMigrations.all.firstIndex { $0.name == "App.AddOrderItemDisplayFigures" } ?? 0
            if count <= displayMigration {
                // Lines from before the display figures are priced by the upgrade (later releases write them
                // themselves; this test's plain-SQL rows do not).
                #expect(
                    order["items"]?.arrayValue.first?["display_quantity"]?.stringValue == "1 смена", "\(order.body)")
                #expect(order["items"]?.arrayValue.first?["display_unit"]?.stringValue == "смена")
            }
            #expect(try await t.send(.GET, "/api/v1/orders/", token: token).results.count == 1)
            #expect(try await t.send(.GET, "/api/v1/clients/", token: token).results.count == 1)
            #expect(try await t.send(.GET, "/api/v1/equipment/", token: token).results.count == 1)
            #expect(try await t.send(.GET, "/api/v1/users/", token: token).results.count == 2)
        }
    }

    static let tables = [
        "users", "clients", "equipment", "attachments", "service_categories", "services", "materials", "orders",
        "order_items", "order_operators", "order_status_logs", "bookings", "audit_entries",
    ]

    /// One row or two in every table of the first releases, written with plain SQL and the column names the
    /// merged migrations created (never through today's models).
    static func insertRepresentativeRows(_ t: TestApp) async throws -> (adminPhone: String, orderID: String) {
        let sql = try t.db.sql()
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        let start = Date(timeIntervalSince1970: 1_764_568_800)  // 2025-12-01 09:00 +03:00
        let end = start.addingTimeInterval(9 * 3_600)
        let hash = try await t.app.password.async.hash(TestApp.password)
        let adminPhone = "+79990001122"
        try await sql.insert(into: "users")
            .columns(
                "phone", "first_name", "last_name", "role", "is_active", "password_hash", "search_text", "created_at",
                "updated_at"
            )
            .values(
                SQLBind(adminPhone), SQLBind("Анна"), SQLBind("Иванова"), SQLBind("admin"), SQLBind(true),
                SQLBind(hash),
                SQLBind("анна иванова 79990001122"), SQLBind(now), SQLBind(now)
            )
            .values(
                SQLBind("+79990003344"), SQLBind("Сергей"), SQLBind("Осипов"), SQLBind("operator"), SQLBind(true),
                SQLBind(hash),
                SQLBind("сергей осипов 79990003344"), SQLBind(now), SQLBind(now)
            )
            .run()
        let adminID = try await id(of: "users", "phone", adminPhone, sql)
        let operatorID = try await id(of: "users", "phone", "+79990003344", sql)
        try await sql.insert(into: "clients")
            .columns(
                "name", "contact_person", "phone", "inn", "is_active", "credit_limit", "search_text", "created_at",
                "updated_at"
            )
            .values(
                SQLBind("ООО «Ромашка»"), SQLBind("Пётр"), SQLBind("+79001234567"), SQLBind("2310000000"),
                SQLBind(true),
                SQLBind(Int64(50_000_000)), SQLBind("ооо ромашка"), SQLBind(now), SQLBind(now)
            )
            .run()
        let clientID = try await id(of: "clients", "phone", "+79001234567", sql)
        try await sql.insert(into: "equipment")
            .columns("code", "name", "hourly_rate", "daily_rate", "status", "search_text", "created_at", "updated_at")
            .values(
                SQLBind("JCB-1"), SQLBind("JCB 3CX"), SQLBind(Int64(245_000)), SQLBind(Int64(3_000_000)),
                SQLBind("available"),
                SQLBind("jcb 3cx"), SQLBind(now), SQLBind(now)
            )
            .run()
        let machineID = try await id(of: "equipment", "code", "JCB-1", sql)
        try await sql.insert(into: "attachments")
            .columns("equipment_id", "name", "price", "created_at", "updated_at")
            .values(SQLBind(machineID), SQLBind("Гидромолот"), SQLBind(Int64(500_000)), SQLBind(now), SQLBind(now))
            .run()
        try await sql.insert(into: "service_categories").columns("name", "created_at", "updated_at")
            .values(SQLBind("Земляные работы"), SQLBind(now), SQLBind(now)).run()
        let categoryID = try await id(of: "service_categories", "name", "Земляные работы", sql)
        try await sql.insert(into: "services").columns("category_id", "name", "price", "created_at", "updated_at")
            .values(SQLBind(categoryID), SQLBind("Копка траншей"), SQLBind(Int64(500_000)), SQLBind(now), SQLBind(now))
            .run()
        try await sql.insert(into: "materials").columns("name", "price", "created_at", "updated_at")
            .values(SQLBind("Песок"), SQLBind(Int64(80_000)), SQLBind(now), SQLBind(now)).run()

        let orderID = UUID().uuidString.lowercased()
        try await sql.insert(into: "orders")
            .columns(
                "id", "number", "number_value", "client_id", "address", "start_at", "end_at", "description", "status",
                "manager_id", "created_by_id", "total_amount", "estimated_total", "search_text", "created_at",
                "updated_at"
            )
            .values(
                SQLBind(orderID), SQLBind("000001"), SQLBind(Int64(1)), SQLBind(clientID),
                SQLBind("ст. Елизаветинская"),
                SQLBind(start), SQLBind(end), SQLBind("Траншея 40 м"), SQLBind("CREATED"), SQLBind(adminID),
                SQLBind(adminID),
                SQLBind(Int64(3_000_000)), SQLBind(Int64(3_000_000)), SQLBind("000001 ромашка"), SQLBind(now),
                SQLBind(now)
            )
            .run()
        try await sql.insert(into: "order_items")
            .columns(
                "order_id", "position", "item_type", "ref_id", "name_snapshot", "quantity", "unit", "unit_price",
                "metadata"
            )
            .values(
                SQLBind(orderID), SQLBind(0), SQLBind("equipment"), SQLBind(machineID), SQLBind("JCB 3CX"),
                SQLBind(Int64(100)),
                SQLBind("shift"), SQLBind(Int64(3_000_000)), SQLBind("{\"shifts\":1}")
            )
            .run()
        try await sql.insert(into: "order_operators").columns("order_id", "user_id")
            .values(SQLBind(orderID), SQLBind(operatorID)).run()
        try await sql.insert(into: "order_status_logs").columns(
            "order_id", "from_status", "to_status", "actor_id", "created_at"
        )
        .values(SQLBind(orderID), SQLBind(""), SQLBind("CREATED"), SQLBind(adminID), SQLBind(now)).run()
        try await sql.insert(into: "bookings").columns("order_id", "resource_type", "resource_id", "start_at", "end_at")
            .values(SQLBind(orderID), SQLBind("equipment"), SQLBind(machineID), SQLBind(start), SQLBind(end))
            .values(SQLBind(orderID), SQLBind("operator"), SQLBind(operatorID), SQLBind(start), SQLBind(end))
            .run()
        try await sql.insert(into: "audit_entries").columns(
            "actor_id", "action", "entity_type", "entity_id", "changes", "created_at"
        )
        .values(SQLBind(adminID), SQLBind("create"), SQLBind("order"), SQLBind(orderID), SQLBind("{}"), SQLBind(now))
        .run()
        return (adminPhone, orderID)
    }

    private static func id(
        of table: String, _ column: String, _ value: String, _ sql: any SQLDatabase
    ) async throws -> Int {
        let row = try await sql.select().column("id").from(table).where(SQLColumn(column), .equal, SQLBind(value))
            .first()
        return try #require(try row?.decode(column: "id", as: Int.self))
    }

    /// Every row of each table, each value rendered as text, in primary-key order.
    static func contents(of tables: [String], _ t: TestApp) async throws -> [String: [[String: String]]] {
        let sql = try t.db.sql()
        var result: [String: [[String: String]]] = [:]
        for table in tables {
            let rows = try await sql.raw("SELECT * FROM \(ident: table) ORDER BY 1").all()
            result[table] = rows.map { row in
                var values: [String: String] = [:]
                for column in row.allColumns { values[column] = render(row, column) }
                return values
            }
            #expect(result[table]?.isEmpty == false, "\(table) has rows")
        }
        return result
    }

    private static func render(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) == true { return "NULL" }
        if let text = try? row.decode(column: column, as: String.self) { return text }
        if let number = try? row.decode(column: column, as: Int64.self) { return String(number) }
        if let flag = try? row.decode(column: column, as: Bool.self) { return String(flag) }
        if let date = try? row.decode(column: column, as: Date.self) { return String(date.timeIntervalSince1970) }
        if let number = try? row.decode(column: column, as: Double.self) { return String(number) }
        return "?"
    }
}
