import Foundation
import SQLKit
import Testing

@testable import App

/// On PostgreSQL the database writes the order JSON (`OrderJSONStatement`); elsewhere `OrderReader` writes it in
/// Swift. The two must write the same bytes, for awkward data too.
@Suite("Orders: the JSON written by PostgreSQL")
struct OrderJSONTests {
    @Test(.enabled(if: TestApp.usesPostgres, "the order JSON is written by the database only on PostgreSQL"))
    func theDatabaseWritesTheSameBytesAsTheSwiftWriter() async throws {
        try await TestApp.run { t in
            let (_, manager) = try await t.user(.manager)
            let (first, _) = try await t.user(.operator, firstName: " Пётр\u{A0}", lastName: "")
            let (second, _) = try await t.user(.operator, firstName: "Анна", lastName: "Ли \"Лиса\"")
            let (gone, _) = try await t.user(.operator, firstName: "Уволен", lastName: "Уволенов")
            let machine = try await t.equipment()
            let service = try await t.service()
            let client = try await t.client(name: "ООО «Кавычки \"и\" \\слэш»")
            let operatorIDs = [try #require(second.id), try #require(first.id), try #require(gone.id)]
            let firstID = try #require(first.id)
            let goneID = try #require(gone.id)
            let full = try await t.createOrder(
                token: manager,
                [
                    "client_id": client, "address": "Краснодар, ул. Красная 1",
                    "operator_ids": operatorIDs,
                    "prepayment_amount": "99999.99",
                    "items": [
                        ["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 2, "hours": 1.5]],
                        ["item_type": "service", "ref_id": service, "quantity": 3, "unit_price": "10.05"],
                    ],
                ])
            let plain = try await t.createOrder(token: manager, [:])
            let fullID = try #require(full.string("id"), "\(full.body)")
            let plainID = try #require(plain.string("id"), "\(plain.body)")
            _ = try await t.send(
                .PATCH, "/api/v1/orders/\(fullID)/status/", token: manager, json: ["status": "APPROVED"])

            let sql = try t.db.sql()
            // What the API does not write, straight in the tables: control characters, blanks around stored
            // JSON, unknown codes, negative and tiny amounts, moments with fractions and before 1970.
            try await sql.raw(
                """
                UPDATE orders SET description = \(bind: "«A» \"q\" \\ \u{8}\u{C}\n\r\t\u{1}\u{1F} 😀 ' /"),
                    geo_lat = -55123456, geo_lng = -1, price_snapshot = \(bind: "  {\"a\": 1}\n"),
                    attachments = '', meta = \(bind: " \t"), status = 'WEIRD',
                    started_at = \(bind: Date(timeIntervalSince1970: 1_751_371_199.999_9)),
                    completed_at = \(bind: Date(timeIntervalSince1970: -0.5))
                WHERE id = \(bind: fullID)
                """
            ).run()
            try await sql.raw(
                """
                UPDATE order_items SET fuel_expense = -150, repair_expense = 7, manual_price = true, metadata = '',
                    item_type = 'unknown', ref_id = NULL, discount = -5
                WHERE order_id = \(bind: fullID) AND item_type = 'service'
                """
            ).run()
            try await sql.raw("UPDATE orders SET client_id = NULL, manager_id = NULL WHERE id = \(bind: plainID)").run()
            try await sql.raw(
                """
                INSERT INTO order_status_logs (order_id, from_status, to_status, actor_id, comment, attachment_url,
                    created_at)
                VALUES (\(bind: fullID), 'APPROVED', 'IN_PROGRESS', \(bind: firstID), 'в\tпути', '',
                    \(bind: Date(timeIntervalSince1970: 1_767_225_600.25))),
                    (\(bind: fullID), 'IN_PROGRESS', 'IN_PROGRESS', NULL, '', 'https://example.com/a?b=1', now())
                """
            ).run()
            for (kind, uploader, gps) in [("after", first.id, true), ("mystery", nil, false)] {
                let capturedAt = gps ? Date(timeIntervalSince1970: 1_720_000_000.7) : nil
                try await sql.raw(
                    """
                    INSERT INTO order_photos (order_id, uploaded_by_id, photo_type, storage_key, content_type,
                        size_bytes, original_name, gps_lat, gps_lng, captured_at, notes, metadata, created_at,
                        updated_at)
                    VALUES (\(bind: fullID), \(bind: uploader), \(bind: kind), \(bind: "key-\(kind)"), 'image/jpeg',
                        2048, \(bind: "фото \"1\".jpg"), \(bind: gps ? 45_035_470 : nil as Int?),
                        \(bind: gps ? 38_975_313 : nil as Int?), \(bind: capturedAt),
                        '', \(bind: " {\"exif\": true} "), now(), now())
                    """
                ).run()
            }
            try await sql.raw("DELETE FROM order_operators WHERE user_id = \(bind: goneID)").run()

            let ids = [fullID, plainID]
            for zone in ["Europe/Moscow", "America/New_York", "Asia/Kolkata", "America/St_Johns", "UTC"] {
                let timeZone = try #require(TimeZone(identifier: zone))
                let reader = try OrderReader(db: t.db, timeZone: timeZone)
                try #require(reader.rows.postgres != nil)
                var database = JSONWriter()
                try await reader.render(ids: ids + ["missing"], into: &database, warnings: ["Долг \"клиента\""])
                var swift = JSONWriter()
                try await OrderReader(sql: sql, timeZone: timeZone)
                    .render(ids: ids + ["missing"], into: &swift, warnings: ["Долг \"клиента\""])
                #expect(database.string == swift.string, "\(zone)\n\(database.string)\n\(swift.string)")
                // The JSON is valid and the awkward values came through.
                let objects = try #require(
                    try JSONSerialization.jsonObject(with: Data(("[" + database.string + "]").utf8)) as? [[String: Any]]
                )
                #expect(objects.count == 2)
                #expect(objects.first?["description"] as? String == "«A» \"q\" \\ \u{8}\u{C}\n\r\t\u{1}\u{1F} 😀 ' /")
                #expect(objects.first?["status"] as? String == "CREATED")
                #expect(objects.first?["geo_lng"] as? String == "-0.000001")
                #expect((objects.first?["photos"] as? [Any])?.count == 2)
                #expect((objects.first?["operators"] as? [Any])?.count == 2)
                #expect(objects.last?["client"] is NSNull)
                #expect(objects.first?["warnings"] as? [String] == ["Долг \"клиента\""])
                if zone == "America/New_York" {  // moments in winter and in summer time
                    #expect(database.string.contains("-05:00\"") && database.string.contains("-04:00\""))
                }
            }
            // The detail route answers what the Swift writer writes.
            let detail = try await t.send(.GET, "/api/v1/orders/\(fullID)/", token: manager)
            var expected = JSONWriter()
            try await OrderReader(sql: sql, timeZone: t.app.config.timeZone).render(ids: [fullID], into: &expected)
            #expect(detail.body == expected.string)
        }
    }
}
