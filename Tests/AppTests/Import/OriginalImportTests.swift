import Domain
import Fluent
import Foundation
import SQLKit
import Testing

@testable import App

/// `ringo import-original` against the original's own database (docs/import.md): what it imports, that our
/// reports then equal the original's stored figures, that a second run changes nothing, and that the old
/// passwords keep working.
@Suite(.serialized)
struct OriginalImportTests {
    /// SQL that adds to the original a copy of its order `id`, with its lines, as `newID` numbered `number`.
    private static func copyOrder(_ id: String, as newID: String, number: String, status: String? = nil) -> String {
        """
        CREATE TEMP TABLE copy AS SELECT * FROM orders_order WHERE id = '\(id)';
        UPDATE copy SET id = '\(newID)', number = '\(number)'\(status.map { ", status = '\($0)'" } ?? "");
        INSERT INTO orders_order SELECT * FROM copy;
        INSERT INTO orders_orderitem (created_at, updated_at, item_type, ref_id, name_snapshot, quantity, unit,
          unit_price, tax_rate, discount, metadata, order_id, fuel_expense, repair_expense)
        SELECT created_at, updated_at, item_type, ref_id, name_snapshot, quantity, unit, unit_price, tax_rate,
          discount, metadata, '\(newID)', fuel_expense, repair_expense
        FROM orders_orderitem WHERE order_id = '\(id)';

        """
    }

    @Test(.enabled(if: OriginalFixture.enabled, OriginalFixture.skipReason))
    func theOriginalIsImportedAndOurFiguresEqualItsStoredOnes() async throws {
        let original = try OriginalFixture.restore()
        defer { original.drop() }
        try await TestApp.run { t in
            let lines = LineCollector()
            // A small page size, so that paging (and its idempotence) is exercised on 200 orders.
            let first = try await OriginalImport.run(app: t.app, from: original.url, pageSize: 37) { lines.add($0) }
            #expect(first.table("users")?.imported == 7)
            #expect(first.table("clients")?.imported == 25)
            #expect(first.table("equipment")?.imported == 8)
            #expect(first.table("services")?.imported == 6)
            #expect(first.table("materials")?.imported == 6)
            #expect(first.table("orders")?.imported == 200)
            #expect(first.table("orders")?.skipped.isEmpty == true)
            #expect(first.table("order_items")?.imported == 400)
            #expect(first.table("order_status_logs")?.imported == 332)
            #expect(first.table("expenses")?.imported == 51)
            #expect(first.table("salary_records")?.imported == 57)
            #expect(first.table("invoices")?.imported == 20)
            #expect(lines.all.contains { $0.hasPrefix("orders: read 200, imported 200") })

            // Every order's number, status and total as stored, and its lines as stored.
            let sql = try t.db.sql()
            let ours = try await sql.raw("SELECT id, number, status, total_amount FROM orders").all()
            var ourOrders: [String: String] = [:]
            for row in ours {
                ourOrders[try row.decode(column: "id", as: String.self)] =
                    "\(try row.decode(column: "number", as: String.self)) "
                    + "\(try row.decode(column: "status", as: String.self)) "
                    + Scaled.text(try row.decode(column: "total_amount", as: Int64.self), scale: 2)
            }
            var theirOrders: [String: String] = [:]
            for row in try original.query("SELECT id, number, status, total_amount FROM orders_order") {
                theirOrders[row[0]] = "\(row[1]) \(row[2]) \(row[3])"
            }
            #expect(ourOrders == theirOrders)
            let ourLines = try await sql.raw(
                "SELECT order_id, name_snapshot, quantity, unit_price FROM order_items ORDER BY order_id, position"
            ).all().map {
                "\(try $0.decode(column: "order_id", as: String.self)) "
                    + "\(try $0.decode(column: "name_snapshot", as: String.self)) "
                    + "\(Scaled.text(try $0.decode(column: "quantity", as: Int64.self), scale: 2)) "
                    + Scaled.text(try $0.decode(column: "unit_price", as: Int64.self), scale: 2)
            }
            let theirLines = try original.query(
                "SELECT order_id, name_snapshot, quantity, unit_price FROM orders_orderitem ORDER BY order_id::text, id"
            ).map { $0.joined(separator: " ") }
            #expect(ourLines == theirLines)

            // An order's detail over the API shows the original's lines and total.
            let admin = try await t.user(.admin)
            let sample = try #require(
                try original.query(
                    "SELECT o.id, o.total_amount, count(i.id) FROM orders_order o "
                        + "JOIN orders_orderitem i ON i.order_id = o.id WHERE o.status = 'COMPLETED' "
                        + "GROUP BY o.id ORDER BY o.number LIMIT 1"
                ).first)
            let detail = try await t.send(.GET, "/api/v1/orders/\(sample[0])/", token: admin.token)
            #expect(detail.status == .ok)
            #expect(detail.string("total_amount") == sample[1])
            #expect(detail["items"]?.arrayValue.count == Int(sample[2]))

            // The reports, for all time and for one month, equal the original's stored figures.
            let context = try t.services(as: admin.user)
            let zone = t.app.config.timeZone
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let monthStart = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 1)))
            let monthEnd = try #require(calendar.date(from: DateComponents(year: 2026, month: 12, day: 1)))
            for (start, end) in [(Date?.none, Date?.none), (monthStart, monthEnd)] {
                let period = ReportPeriod(start: start, end: end, timeZone: zone)
                let summary = try await ReportService(context: context).summary(period)
                let expected = try original.figures(start: start, end: end, period: period)
                #expect(summary.ordersCount == expected.orders, "\(String(describing: start))")
                #expect(summary.revenue == expected.revenue, "\(String(describing: start))")
                #expect(summary.expensesTotal == expected.expenses, "\(String(describing: start))")
                #expect(summary.salaries == expected.salaries, "\(String(describing: start))")
            }
            #expect(try original.figures(start: nil, end: nil, period: ReportPeriod(timeZone: zone)).orders > 0)

            // A second run reads everything again and writes nothing.
            let second = try await OriginalImport.run(app: t.app, from: original.url, pageSize: 37) { _ in }
            #expect(second.changedNothing)
            #expect(second.table("orders")?.existing == 200)
            #expect(second.summaryLines.contains { $0.hasPrefix("Nothing changed") })
            let ordersAfter = try await sql.raw("SELECT COUNT(*) AS n FROM orders").first()?
                .decode(column: "n", as: Int.self)
            #expect(ordersAfter == 200)

            // The original's audit rows (with their password hashes) are not copied.
            let audit = try await sql.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE changes LIKE '%pbkdf2%'")
                .first()?.decode(column: "n", as: Int.self)
            #expect(audit == 0)
        }
    }

    @Test(.enabled(if: OriginalFixture.enabled, OriginalFixture.skipReason))
    func clientBalancesEqualTheirSumsFromScratchAfterAnImportAndTheTriggersKeepThemThen() async throws {
        let original = try OriginalFixture.restore()
        defer { original.drop() }
        try await TestApp.run { t in
            _ = try await OriginalImport.run(app: t.app, from: original.url, pageSize: 37) { _ in }
            let sql = try t.db.sql()
            let after = try await ClientBalancesTests.maintained(sql)
            #expect(after.count > 10)
            #expect(after.contains { $0.billed > 0 })
            #expect(after == (try await ClientBalancesTests.recomputed(sql)))
            // The orders' counts by status too (`AddOrderCounts`).
            let counts = try await OrderCountsTests.counts(t)
            #expect(counts.counted.values.reduce(0, +) > 100)
            #expect(counts.kept == counts.counted)

            // The row triggers are on again: a later write moves the balance as before the import.
            let order = try #require(
                try await sql.raw(
                    "SELECT id FROM orders WHERE status = 'COMPLETED' AND client_id IS NOT NULL ORDER BY number LIMIT 1"
                ).first()?.decode(column: "id", as: String.self))
            try await sql.raw("UPDATE orders SET total_amount = total_amount + 12345 WHERE id = \(bind: order)").run()
            let moved = try await ClientBalancesTests.maintained(sql)
            #expect(moved != after)
            #expect(moved == (try await ClientBalancesTests.recomputed(sql)))
            let version = try await sql.raw("SELECT version FROM order_versions WHERE order_id = \(bind: order)")
                .first()?.decode(column: "version", as: Int.self)
            #expect((version ?? 0) >= 2)
            try await sql.raw("UPDATE orders SET status = 'CANCELLED' WHERE id = \(bind: order)").run()
            let recounted = try await OrderCountsTests.counts(t)
            #expect(recounted.kept == recounted.counted)
            #expect(recounted.kept["CANCELLED"] == (counts.kept["CANCELLED"] ?? 0) + 1)
        }
    }

    @Test(.enabled(if: OriginalFixture.enabled, OriginalFixture.skipReason))
    func aLaterRunImportsTheOriginalsNewRowsAndUpdatesItsChangedOnes() async throws {
        let original = try OriginalFixture.restore()
        defer { original.drop() }
        try await TestApp.run { t in
            _ = try await OriginalImport.run(app: t.app, from: original.url, pageSize: 37) { _ in }
            let sql = try t.db.sql()
            let row = try #require(
                try original.query(
                    "SELECT o.id, o.client_id, o.total_amount FROM orders_order o WHERE o.status = 'COMPLETED' "
                        + "AND o.client_id IS NOT NULL AND EXISTS (SELECT 1 FROM orders_orderitem i "
                        + "WHERE i.order_id = o.id) ORDER BY o.number LIMIT 1"
                ).first)
            let (changedOrder, client) = (row[0], row[1])
            let newOrder = "0f0f0f0f-0000-4000-8000-000000000001"
            // In the original: a new order (a copy of that one, with its lines), a client's city, and that order's
            // total and first line changed.
            _ = try original.query(
                Self.copyOrder(changedOrder, as: newOrder, number: "999001", status: "CREATED") + """
                    UPDATE crm_client SET city = 'Тверь' WHERE id = \(client);
                    UPDATE orders_order SET total_amount = total_amount + 1000 WHERE id = '\(changedOrder)';
                    UPDATE orders_orderitem SET quantity = quantity + 1
                      WHERE id = (SELECT min(id) FROM orders_orderitem WHERE order_id = '\(changedOrder)');
                    UPDATE users_user SET last_name = 'Новикова' WHERE id = (SELECT min(id) FROM users_user);
                    UPDATE catalog_equipment SET name = name || ' (новый)'
                      WHERE id = (SELECT min(id) FROM catalog_equipment);
                    UPDATE finance_expense SET amount = amount + 1 WHERE id = (SELECT min(id) FROM finance_expense);
                    UPDATE finance_invoice SET amount = amount + 1 WHERE id = (SELECT min(id) FROM finance_invoice);
                    """)

            let second = try await OriginalImport.run(app: t.app, from: original.url, pageSize: 37) { _ in }
            #expect(!second.changedNothing)
            #expect(second.table("orders")?.imported == 1)
            let orderNotes = second.table("orders")?.updated ?? []
            #expect(orderNotes.map(\.sourceID) == [changedOrder])
            #expect(orderNotes.first?.reason.contains("total_amount") == true)
            #expect(orderNotes.first?.reason.contains("items") == true)
            #expect(second.table("clients")?.updated.map(\.sourceID) == [client])
            #expect(second.table("clients")?.updated.first?.reason == "изменено в исходной системе: Город")
            #expect(second.table("clients")?.existing == 24)
            #expect(second.table("users")?.updated.map(\.reason) == ["изменено в исходной системе: Фамилия"])
            #expect(second.table("equipment")?.updated.map(\.reason) == ["изменено в исходной системе: name"])
            #expect(second.table("expenses")?.updated.map(\.reason) == ["изменено в исходной системе: amount"])
            #expect(second.table("salary_records")?.updated.isEmpty == true)
            #expect(second.table("invoices")?.updated.isEmpty == true)
            #expect(second.table("invoices")?.warnings.contains { $0.reason.contains("не обновлено") } == true)
            #expect(second.updatedCount == 5)
            #expect(second.summaryLines.contains { $0.hasPrefix("    updated orders #\(changedOrder): ") })

            let city = try await sql.raw(
                "SELECT c.city FROM clients c JOIN import_mappings m ON m.target_id = CAST(c.id AS TEXT) "
                    + "WHERE m.source_table = 'crm_client' AND m.source_id = \(bind: client)"
            ).first()?.decode(column: "city", as: String.self)
            #expect(city == "Тверь")
            let total = try await sql.raw("SELECT total_amount FROM orders WHERE id = \(bind: changedOrder)").first()?
                .decode(column: "total_amount", as: Int64.self)
            let before = Decimal(string: row[2], locale: Locale(identifier: "en_US_POSIX")).map {
                Scaled.toInt($0, scale: 2)
            }
            #expect(total == before.map { $0 + 100_000 })
            let lines = try await sql.raw("SELECT COUNT(*) AS n FROM order_items WHERE order_id = \(bind: newOrder)")
                .first()?.decode(column: "n", as: Int.self)
            let theirLines = try original.query(
                "SELECT count(*) FROM orders_orderitem WHERE order_id = '\(newOrder)'")
            #expect(lines.map(String.init) == theirLines.first?.first)
            #expect(
                try await ClientBalancesTests.maintained(sql) == (try await ClientBalancesTests.recomputed(sql)))

            let third = try await OriginalImport.run(app: t.app, from: original.url, pageSize: 37) { _ in }
            #expect(third.changedNothing)
        }
    }

    @Test(.enabled(if: OriginalFixture.enabled, OriginalFixture.skipReason))
    func aDoubleBookingTheOriginalAllowedIsImportedListedAndLeftUnbooked() async throws {
        let original = try OriginalFixture.restore()
        defer { original.drop() }
        let held = try #require(
            try original.query(
                "SELECT o.id, o.number FROM orders_order o WHERE o.status IN ('CREATED', 'APPROVED', 'IN_PROGRESS') "
                    + "AND EXISTS (SELECT 1 FROM orders_orderitem i WHERE i.order_id = o.id "
                    + "AND i.item_type = 'equipment' AND i.ref_id IS NOT NULL) ORDER BY o.number LIMIT 1"
            ).first)
        // A copy of that order at the same time, read last (its id sorts last), so a later page meets the clash.
        let copy = "ffffffff-0000-4000-8000-000000000002"
        _ = try original.query(Self.copyOrder(held[0], as: copy, number: "999002"))
        try await TestApp.run { t in
            let report = try await OriginalImport.run(app: t.app, from: original.url, pageSize: 37) { _ in }
            #expect(report.table("orders")?.imported == 201)
            let clashes = report.table("bookings")?.warnings ?? []
            #expect(clashes.map(\.sourceID).contains("999002"))
            #expect(clashes.contains { $0.reason.contains("заявке \(held[1])") })
            let sql = try t.db.sql()
            let machines = try await sql.raw(
                "SELECT order_id FROM bookings WHERE resource_type = 'equipment' AND order_id IN "
                    + "(\(bind: held[0]), \(bind: copy))"
            ).all().map { try $0.decode(column: "order_id", as: String.self) }
            #expect(Set(machines) == [held[0]])
        }
    }

    @Test(.enabled(if: OriginalFixture.enabled, OriginalFixture.skipReason))
    func withMediaThePhotosFilesAreCopiedIntoOurStorageAndWithoutItTheURLsAreKept() async throws {
        let original = try OriginalFixture.restore()
        defer { original.drop() }
        let order = try #require(try original.query("SELECT id FROM orders_order ORDER BY number LIMIT 1").first?[0])
        _ = try original.query(
            """
            INSERT INTO orders_photoevidence (created_at, updated_at, photo_type, file_url, notes, metadata, order_id)
            VALUES (now(), now(), 'before', 'https://old.example.ru/media/orders/2025/pit.jpg', 'Котлован', '{}',
                    '\(order)'),
                   (now(), now(), 'after', '/media/orders/2025/gone.jpg', '', '{}', '\(order)');
            """)
        // MEDIA_ROOT with one small JPEG (the other photo's file is missing).
        let media = FileManager.default.temporaryDirectory.appendingPathComponent("ringo-media-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: media) }
        let folder = media.appendingPathComponent("orders/2025")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9])
        try jpeg.write(to: folder.appendingPathComponent("pit.jpg"))

        try await TestApp.run { t in
            let report = try await OriginalImport.run(app: t.app, from: original.url, media: media.path) { _ in }
            #expect(report.table("order_photos")?.imported == 2)
            #expect(report.table("order_photos")?.warnings.map(\.reason).contains { $0.contains("gone.jpg") } == true)
            let rows = try await t.db.sql().raw(
                "SELECT id, storage_key, size_bytes, content_type FROM order_photos ORDER BY photo_type DESC"
            ).all()
            try #require(rows.count == 2)
            let key = try rows[0].decode(column: "storage_key", as: String.self)
            #expect(key.hasPrefix("orders/\(order)/"))
            #expect(try rows[0].decode(column: "size_bytes", as: Int64.self) == Int64(jpeg.count))
            #expect(try rows[0].decode(column: "content_type", as: String.self) == "image/jpeg")
            #expect(try rows[1].decode(column: "storage_key", as: String.self).hasPrefix("original/"))
            // The photo shows: its file is served from our storage.
            let admin = try await t.user(.admin)
            let photoID = try rows[0].decode(column: "id", as: Int.self)
            let file = try await t.send(.GET, "/api/v1/orders/\(order)/photos/\(photoID)/file/", token: admin.token)
            #expect(file.status == .ok)
            #expect(file.data == jpeg)
        }
        try await TestApp.run { t in
            let report = try await OriginalImport.run(app: t.app, from: original.url) { _ in }
            let notes = report.table("order_photos")?.warnings ?? []
            #expect(notes.contains { $0.sourceID == "*" && $0.reason.contains("нет --media") })
            let keys = try await t.db.sql().raw("SELECT storage_key FROM order_photos").all()
                .map { try $0.decode(column: "storage_key", as: String.self) }
            #expect(keys.count == 2 && keys.allSatisfy { $0.hasPrefix("original/") })
        }
    }

    @Test(.enabled(if: OriginalFixture.enabled, OriginalFixture.skipReason))
    func anImportedUserSignsInWithTheOldPasswordWhichIsThenKeptInOurFormat() async throws {
        let original = try OriginalFixture.restore()
        defer { original.drop() }
        try await TestApp.run { t in
            _ = try await OriginalImport.run(app: t.app, from: original.url) { _ in }
            let stored = try #require(
                try await User.query(on: t.db).filter(\.$phone == "+79550000001").first())
            #expect(stored.passwordHash.hasPrefix("pbkdf2_sha256$600000$"))
            #expect(stored.role == .operator)

            let wrong = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79550000001", "password": "Seed-Pass-2025!"])
            #expect(wrong.status == .unauthorized)
            let right = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79550000001", "password": "Seed-Pass-2026!"])
            #expect(right.status == .ok)
            #expect(right.string("access") != nil)

            let rehashed = try #require(try await User.find(stored.id, on: t.db))
            #expect(!rehashed.passwordHash.hasPrefix("pbkdf2_sha256$"))
            let again = try await t.send(
                .POST, "/api/v1/token/", json: ["phone": "+79550000001", "password": "Seed-Pass-2026!"])
            #expect(again.status == .ok)
        }
    }
}

/// The progress lines a run printed.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

extension OriginalFixture {
    struct Figures {
        var orders = 0
        var revenue: Int64 = 0
        var expenses: Int64 = 0
        var salaries: Int64 = 0
    }

    /// The original's stored figures under our report's period rule (docs/domain-rules.md#reports).
    func figures(start: Date?, end: Date?, period: ReportPeriod) throws -> Figures {
        let iso = ISO8601DateFormatter()
        func bounds(_ column: String) -> String {
            (start.map { " AND \(column) >= '\(iso.string(from: $0))'" } ?? "")
                + (end.map { " AND \(column) < '\(iso.string(from: $0))'" } ?? "")
        }
        let days =
            (period.firstDay.map { " AND e.date >= '\($0)'" } ?? "")
            + (period.lastDay.map { " AND e.date <= '\($0)'" } ?? "")
        let completed = "o.status = 'COMPLETED'" + bounds("o.start_dt")
        let loose = "(o.id IS NULL OR o.status = 'CANCELLED')"
        func cents(_ text: String?) -> Int64 {
            Scaled.toInt(Decimal(string: text ?? "0", locale: Locale(identifier: "en_US_POSIX")) ?? 0, scale: 2)
        }
        let orders = try query("SELECT count(*), coalesce(sum(total_amount), 0) FROM orders_order o WHERE \(completed)")
        let expenses = try query(
            "SELECT coalesce(sum(e.amount), 0) FROM finance_expense e LEFT JOIN orders_order o ON o.id = e.order_id "
                + "WHERE (\(completed)) OR (\(loose)\(days))")
        let salaries = try query(
            "SELECT coalesce(sum(s.amount), 0) FROM finance_salaryrecord s LEFT JOIN orders_order o "
                + "ON o.id = s.order_id WHERE (\(completed)) OR (\(loose)\(bounds("s.created_at")))")
        return Figures(
            orders: Int(orders.first?.first ?? "") ?? -1, revenue: cents(orders.first?[1]),
            expenses: cents(expenses.first?.first), salaries: cents(salaries.first?.first))
    }
}
