import Domain
import Fluent
import Foundation
import SQLKit

extension OriginalImporter {
    /// A large table with an integer key, read a page at a time: `insert` writes one new row and returns our
    /// id (nil when it skipped the row, with the reason in the report).
    private func pagedTable(
        _ sourceTable: String, columns: String, report table: inout ImportReport.Table, sql: any SQLDatabase,
        insert: ([SourceRow], SourceRow, Set<String>, inout ImportReport.Table) async throws -> Int?
    ) async throws {
        let mappings = ImportMappings(sql: sql)
        var cursor = SourceCursor(sql: source, table: sourceTable, columns: columns, pageSize: pageSize)
        while let rows = try await cursor.next() {
            table.read += rows.count
            let known = try await mappings.existing(sourceTable, try rows.map { String(try $0.int("id")) })
            let fresh = try rows.filter { known[String(try $0.int("id"))] == nil }
            table.existing += rows.count - fresh.count
            for row in rows {
                let id = try row.int("id")
                if known[String(id)]?.changed(try row.fingerprint()) == true {
                    table.warn(id, "изменено в исходной системе после переноса: не обновлено (переносится один раз)")
                }
            }
            let orders = try await importedOrders(fresh, sql: sql)
            var added: [(source: String, target: String, fingerprint: String?)] = []
            for row in fresh {
                guard let ourID = try await insert(fresh, row, orders, &table) else { continue }
                added.append((String(try row.int("id")), String(ourID), try row.fingerprint()))
                table.imported += 1
            }
            try await mappings.add(sourceTable, added)
        }
    }

    /// A large table read and written a page at a time: `row` turns a source row into the values of
    /// `targetColumns` (nil when it skipped the row, with the reason in the report); the page is inserted in a few
    /// statements with ids reserved up front, so that each row's mapping is known without a query per row.
    /// `pageKeys` looks up, once per page, what `row` needs to check against ours.
    private func bulkTable(
        _ sourceTable: String, columns: String, into targetTable: String, targetColumns: [String],
        report table: inout ImportReport.Table, sql: any SQLDatabase,
        pageKeys: ([SourceRow], Set<String>) async throws -> Set<String> = { _, _ in [] },
        row makeValues: (SourceRow, Set<String>, inout Set<String>, inout ImportReport.Table) throws
            -> [any SQLExpression]?
    ) async throws {
        let mappings = ImportMappings(sql: sql)
        var cursor = SourceCursor(sql: source, table: sourceTable, columns: columns, pageSize: pageSize)
        while let rows = try await cursor.next() {
            table.read += rows.count
            let known = try await mappings.existing(sourceTable, try rows.map { String(try $0.int("id")) })
            var fresh: [SourceRow] = []
            var changed: [(row: SourceRow, ours: Int)] = []
            var refreshed: [(source: String, fingerprint: String)] = []
            for row in rows {
                let id = String(try row.int("id"))
                let fingerprint = try row.fingerprint()
                guard let mapping = known[id] else {
                    fresh.append(row)
                    continue
                }
                if mapping.changed(fingerprint), let ours = Int(mapping.target) {
                    changed.append((row, ours))
                } else {
                    table.existing += 1
                }
                if mapping.fingerprint != fingerprint, let fingerprint { refreshed.append((id, fingerprint)) }
            }
            let orders = try await importedOrders(fresh + changed.map(\.row), sql: sql)
            for (row, ours) in changed {
                // The row itself is what the checks against ours (`pageKeys`) would find.
                var own: Set<String> = []
                guard let values = try makeValues(row, orders, &own, &table) else { continue }
                let changedColumns = try await Self.update(
                    targetTable, ours, Array(zip(targetColumns, values)), sql: sql)
                table.update(try row.int("id"), Self.changeNote(changedColumns, titles: [:]))
            }
            try await mappings.remember(sourceTable, refreshed)
            var keys = try await pageKeys(fresh, orders)
            var accepted: [(source: Int, values: [any SQLExpression], fingerprint: String?)] = []
            for row in fresh {
                if let values = try makeValues(row, orders, &keys, &table) {
                    accepted.append((try row.int("id"), values, try row.fingerprint()))
                }
            }
            let ids = try await reserveIDs(targetTable, count: accepted.count, sql: sql)
            let all = zip(ids, accepted).map { id, row in [SQLBind(id) as any SQLExpression] + row.values }
            for chunk in all.chunked(max(1, 30_000 / (targetColumns.count + 1))) {
                var insert = sql.insert(into: targetTable).columns(["id"] + targetColumns)
                for values in chunk { insert = insert.values(values) }
                try await insert.run()
            }
            try await mappings.add(
                sourceTable, zip(accepted, ids).map { (String($0.source), String($1), $0.fingerprint) })
            table.imported += accepted.count
        }
    }

    /// The ids of these rows' orders that are ours (the import keeps the original's order ids).
    private func importedOrders(_ rows: [SourceRow], sql: any SQLDatabase) async throws -> Set<String> {
        let orderIDs = try rows.compactMap { try $0.optionalText("order_id") }
        guard !orderIDs.isEmpty else { return [] }
        return Set(
            try await sql.select().column("id").from("orders").where("id", .in, Array(Set(orderIDs))).all()
                .map { try $0.decode(column: "id", as: String.self) })
    }

    /// `count` ids for new rows of `table`: from its sequence on PostgreSQL; after the largest one on SQLite,
    /// whose single writer (the import's transaction) makes that safe.
    private func reserveIDs(_ table: String, count: Int, sql: any SQLDatabase) async throws -> [Int] {
        guard count > 0 else { return [] }
        if sql.dialect.name == "postgresql" {
            let query: SQLQueryString =
                "SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id "
                + "FROM generate_series(1, \(bind: count))"
            return try await sql.raw(query).all().map { Int(try $0.decode(column: "id", as: Int64.self)) }
        }
        let largest =
            try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM \(ident: table)").first()?
            .decode(column: "id", as: Int.self) ?? 0
        return Array((largest + 1)...(largest + count))
    }

    /// Expenses, salary records, invoices and payments, as stored.
    func importMoney(_ maps: Maps) async throws -> [ImportReport.Table] {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            var expenses = ImportReport.Table("expenses")
            try await bulkTable(
                "finance_expense",
                columns: "id, created_at, updated_at, category, amount::text AS amount, date::text AS date, comment, "
                    + "attachment_url, equipment_id, order_id::text AS order_id, reported_by_id",
                into: "expenses",
                targetColumns: [
                    "order_id", "equipment_id", "reported_by_id", "category", "amount", "date", "comment",
                    "attachment_url", "created_at", "updated_at",
                ],
                report: &expenses, sql: sql
            ) { row, orders, _, table in
                let id = try row.int("id")
                let orderID = try linkedOrder(row, orders: orders, table: &table, optional: true)
                var category = ExpenseCategory(rawValue: try row.text("category"))
                if category == nil {
                    table.warn(id, "категория «\(try row.text("category"))» неизвестна: записана как «прочее»")
                    category = .other
                }
                return [
                    SQLBind(orderID), SQLBind(try mapped(row, "equipment_id", maps.equipment, "техника", id, &table)),
                    SQLBind(try mapped(row, "reported_by_id", maps.users, "автор", id, &table)),
                    SQLBind((category ?? .other).rawValue), SQLBind(try row.scaled("amount") ?? 0),
                    SQLBind(try row.text("date")), SQLBind(try row.text("comment")),
                    SQLBind(try row.text("attachment_url")), SQLBind(try row.date("created_at")),
                    SQLBind(try row.date("updated_at")),
                ]
            }

            var salaries = ImportReport.Table("salary_records")
            try await bulkTable(
                "finance_salaryrecord",
                columns: "id, created_at, updated_at, hours_worked::text AS hours_worked, rate_type, "
                    + "rate_value::text AS rate_value, amount::text AS amount, status, paid_at, notes, "
                    + "order_id::text AS order_id, user_id",
                into: "salary_records",
                targetColumns: [
                    "user_id", "order_id", "hours_worked", "rate_type", "rate_value", "amount", "status", "paid_at",
                    "notes", "created_at", "updated_at",
                ],
                report: &salaries, sql: sql,
                pageKeys: { _, orders in
                    // Ours keeps one salary per person and order: the pairs these orders already have.
                    guard !orders.isEmpty else { return [] }
                    return Set(
                        try await sql.select().columns("user_id", "order_id").from("salary_records")
                            .where("order_id", .in, Array(orders)).all()
                            .map {
                                "\(try $0.decode(column: "user_id", as: Int.self)) "
                                    + (try $0.decode(column: "order_id", as: String.self))
                            })
                }
            ) { row, orders, taken, table in
                let id = try row.int("id")
                let sourceUser = try row.int("user_id")
                guard let user = maps.users[sourceUser] else {
                    table.skip(id, "сотрудник #\(sourceUser) не найден (битая ссылка)")
                    return nil
                }
                let orderID = try linkedOrder(row, orders: orders, table: &table, optional: true)
                if let orderID {
                    guard taken.insert("\(user) \(orderID)").inserted else {
                        table.skip(id, "у сотрудника уже есть начисление за эту заявку (одно начисление на заявку)")
                        return nil
                    }
                }
                return [
                    SQLBind(user), SQLBind(orderID), SQLBind(try row.scaled("hours_worked") ?? 0),
                    SQLBind(try row.text("rate_type")), SQLBind(try row.scaled("rate_value") ?? 0),
                    SQLBind(try row.scaled("amount") ?? 0), SQLBind(try row.text("status")),
                    SQLBind(try row.optionalDate("paid_at")), SQLBind(try row.text("notes")),
                    SQLBind(try row.date("created_at")), SQLBind(try row.date("updated_at")),
                ]
            }

            var invoices = ImportReport.Table("invoices")
            try await pagedTable(
                "finance_invoice",
                columns: "id, created_at, updated_at, number, pdf_url, issued_at, due_date, amount::text AS amount, "
                    + "currency, metadata::text AS metadata, order_id::text AS order_id, payment_status",
                report: &invoices, sql: sql
            ) { _, row, orders, table in
                let id = try row.int("id")
                guard let orderID = try linkedOrder(row, orders: orders, table: &table, optional: false) else {
                    return nil
                }
                let number = try row.text("number")
                if try await sql.select().column("id").from("invoices").where("number", .equal, number)
                    .orWhere("order_id", .equal, orderID).first() != nil
                {
                    table.skip(id, "счёт \(number) или счёт этой заявки уже есть")
                    return nil
                }
                let dueDate = try row.optionalDate("due_date").map { ISOTime.day(of: $0, in: timeZone) }
                let values: [any SQLExpression] = [
                    SQLBind(orderID), SQLBind(number), SQLBind(try row.text("payment_status")),
                    SQLBind(try row.scaled("amount") ?? 0), SQLBind(try row.text("currency")),
                    SQLBind(try row.date("issued_at")), SQLBind(dueDate), SQLBind(try row.text("pdf_url")),
                    SQLBind(try row.text("metadata")), SQLBind(try row.date("created_at")),
                    SQLBind(try row.date("updated_at")),
                ]
                return try await sql.insert(into: "invoices")
                    .columns(
                        "order_id", "number", "payment_status", "amount", "currency", "issued_at", "due_date",
                        "pdf_url", "metadata", "created_at", "updated_at"
                    )
                    .values(values).returning("id").first()?.decode(column: "id", as: Int.self)
            }
            let invoiceMap = Self.intMap(try await ImportMappings(sql: sql).all("finance_invoice"))

            var payments = ImportReport.Table("payments")
            try await pagedTable(
                "finance_payment",
                columns: "id, created_at, updated_at, method, status, amount::text AS amount, currency, "
                    + "transaction_id, paid_at, metadata::text AS metadata, invoice_id, order_id::text AS order_id",
                report: &payments, sql: sql
            ) { _, row, orders, table in
                let id = try row.int("id")
                guard let orderID = try linkedOrder(row, orders: orders, table: &table, optional: false) else {
                    return nil
                }
                let values: [any SQLExpression] = [
                    SQLBind(orderID), SQLBind(try mapped(row, "invoice_id", invoiceMap, "счёт", id, &table)),
                    SQLBind(try row.text("method")), SQLBind(try row.text("status")),
                    SQLBind(try row.scaled("amount") ?? 0), SQLBind(try row.text("currency")),
                    SQLBind(try row.text("transaction_id")), SQLBind(try row.optionalDate("paid_at")),
                    SQLBind(try row.text("metadata")), SQLBind(try row.date("created_at")),
                    SQLBind(try row.date("updated_at")),
                ]
                return try await sql.insert(into: "payments")
                    .columns(
                        "order_id", "invoice_id", "method", "status", "amount", "currency", "transaction_id",
                        "paid_at", "metadata", "created_at", "updated_at"
                    )
                    .values(values).returning("id").first()?.decode(column: "id", as: Int.self)
            }
            return [expenses, salaries, invoices, payments]
        }
    }

    /// Photo records; their files copied into our storage from `media` (the original's MEDIA_ROOT) when given,
    /// else the records keep the original's URLs and the summary says so.
    func importPhotos(_ maps: Maps) async throws -> [ImportReport.Table] {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            var photos = ImportReport.Table("order_photos")
            try await pagedTable(
                "orders_photoevidence",
                columns: "id, created_at, updated_at, photo_type, file_url, gps_lat::text AS gps_lat, "
                    + "gps_lng::text AS gps_lng, captured_at, notes, metadata::text AS metadata, "
                    + "order_id::text AS order_id, uploaded_by_id",
                report: &photos, sql: sql
            ) { _, row, orders, table in
                let id = try row.int("id")
                guard let orderID = try linkedOrder(row, orders: orders, table: &table, optional: false) else {
                    return nil
                }
                let url = try row.text("file_url")
                var metadata = JSONValue.parse(try row.text("metadata"))?.objectValue ?? [:]
                metadata["original_url"] = .string(url)
                let name = url.split(separator: "/").last.map(String.init) ?? ""
                var type = name.lowercased().hasSuffix(".png") ? "image/png" : "image/jpeg"
                var key = "original/\(id)/\(name)"
                var size: Int64 = 0
                switch try await media?.copy(url, orderID: orderID) {
                case .copied(let stored, let contentType, let bytes)?: (key, type, size) = (stored, contentType, bytes)
                case .notCopied(let reason)?:
                    table.warn(id, "файл не скопирован: \(reason); оставлена ссылка оригинала")
                case nil: break
                }
                let values: [any SQLExpression] = [
                    SQLBind(orderID), SQLBind(try mapped(row, "uploaded_by_id", maps.users, "автор", id, &table)),
                    SQLBind(try row.text("photo_type")), SQLBind(key), SQLBind(type),
                    SQLBind(size), SQLBind(name), SQLBind(try row.scaled("gps_lat", scale: 6)),
                    SQLBind(try row.scaled("gps_lng", scale: 6)), SQLBind(try row.optionalDate("captured_at")),
                    SQLBind(try row.text("notes")), SQLBind(JSONValue.object(metadata).jsonText),
                    SQLBind(try row.date("created_at")), SQLBind(try row.date("updated_at")),
                ]
                return try await sql.insert(into: "order_photos")
                    .columns(
                        "order_id", "uploaded_by_id", "photo_type", "storage_key", "content_type", "size_bytes",
                        "original_name", "gps_lat", "gps_lng", "captured_at", "notes", "metadata", "created_at",
                        "updated_at"
                    )
                    .values(values).returning("id").first()?.decode(column: "id", as: Int.self)
            }
            if media == nil, photos.imported > 0 {
                photos.warn(
                    "*",
                    "файлы фото не скопированы (нет --media): записи ссылаются на адреса оригинала, "
                        + "фото видны, пока оригинал их отдаёт")
            }
            return [photos]
        }
    }

    /// Device tokens and notification subscriptions (with their preferences).
    func importNotifications(_ maps: Maps) async throws -> [ImportReport.Table] {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            var tokens = ImportReport.Table("device_tokens")
            try await pagedTable(
                "notifications_devicetoken",
                columns: "id, token, platform, app_version, device_info::text AS device_info, last_active_at, "
                    + "created_at, user_id",
                report: &tokens, sql: sql
            ) { _, row, _, table in
                let id = try row.int("id")
                let token = try row.text("token")
                if try await sql.select().column("id").from("device_tokens").where("token", .equal, token).first()
                    != nil
                {
                    table.skip(id, "такой токен устройства уже есть")
                    return nil
                }
                let values: [any SQLExpression] = [
                    SQLBind(try mapped(row, "user_id", maps.users, "пользователь", id, &table)), SQLBind(token),
                    SQLBind(try row.text("platform")), SQLBind(try row.text("app_version")),
                    SQLBind(try row.text("device_info")), SQLBind(try row.date("last_active_at")),
                    SQLBind(try row.date("created_at")),
                ]
                return try await sql.insert(into: "device_tokens")
                    .columns(
                        "user_id", "token", "platform", "app_version", "device_info", "last_active_at", "created_at"
                    )
                    .values(values).returning("id").first()?.decode(column: "id", as: Int.self)
            }

            var subscriptions = ImportReport.Table("notification_subscriptions")
            try await pagedTable(
                "notifications_notificationsubscription",
                columns: "id, channel, endpoint, enabled, preferences::text AS preferences, last_used_at, created_at, "
                    + "updated_at, user_id",
                report: &subscriptions, sql: sql
            ) { _, row, _, table in
                let id = try row.int("id")
                let sourceUser = try row.int("user_id")
                guard let user = maps.users[sourceUser] else {
                    table.skip(id, "пользователь #\(sourceUser) не найден (битая ссылка)")
                    return nil
                }
                let channel = try row.text("channel")
                let endpoint = try row.text("endpoint")
                if try await sql.select().column("id").from("notification_subscriptions")
                    .where("user_id", .equal, user).where("channel", .equal, channel)
                    .where("endpoint", .equal, endpoint).first() != nil
                {
                    table.skip(id, "такая подписка уже есть")
                    return nil
                }
                let values: [any SQLExpression] = [
                    SQLBind(user), SQLBind(channel), SQLBind(endpoint), SQLBind(try row.bool("enabled")),
                    SQLBind(try row.text("preferences")), SQLBind(try row.optionalDate("last_used_at")),
                    SQLBind(try row.date("created_at")), SQLBind(try row.date("updated_at")),
                ]
                return try await sql.insert(into: "notification_subscriptions")
                    .columns(
                        "user_id", "channel", "endpoint", "enabled", "preferences", "last_used_at", "created_at",
                        "updated_at"
                    )
                    .values(values).returning("id").first()?.decode(column: "id", as: Int.self)
            }
            return [tokens, subscriptions]
        }
    }

    /// The row's order if it was imported; a missing one is a skip (required) or a warning (optional).
    private func linkedOrder(
        _ row: SourceRow, orders: Set<String>, table: inout ImportReport.Table, optional: Bool
    ) throws -> String? {
        guard let orderID = try row.optionalText("order_id") else { return nil }
        if orders.contains(orderID) { return orderID }
        if optional {
            table.warn(String(try row.int("id")), "заявка \(orderID) не найдена (битая ссылка): запись без заявки")
        } else {
            table.skip(String(try row.int("id")), "заявка \(orderID) не найдена (битая ссылка)")
        }
        return nil
    }

    /// Our id of an optional reference; a dangling one is left empty with a warning.
    private func mapped(
        _ row: SourceRow, _ column: String, _ map: [Int: Int], _ label: String, _ id: Int,
        _ table: inout ImportReport.Table
    ) throws -> Int? {
        guard let sourceID = try row.optionalInt(column) else { return nil }
        guard let ours = map[sourceID] else {
            table.warn(id, "\(label) #\(sourceID) не найден (битая ссылка): поле оставлено пустым")
            return nil
        }
        return ours
    }
}
