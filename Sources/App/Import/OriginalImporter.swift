import Domain
import Fluent
import Foundation
import SQLKit

/// `ringo import-original`: the original system's PostgreSQL database into ours (docs/import.md).
///
/// One transaction per table group (users, clients, catalogue, orders, money, photos, notifications), the
/// source read a page at a time. Each imported row is recorded in `import_mappings`, so a second run finds it
/// and changes nothing. History is copied as stored: prices, totals and snapshots are never recomputed, and
/// what breaks our rules today (a double booking in the past) is imported and listed, not refused.
struct OriginalImporter: Sendable {
    /// The original's database.
    let source: FastRows
    let target: any Database
    let writes: WriteSerializer
    /// The company's zone, for the date-only columns (an invoice's due date).
    let timeZone: TimeZone
    /// The original's MEDIA_ROOT, to copy the photos' files from; nil keeps the original's URLs.
    var media: OriginalMedia?
    var pageSize = 500
    /// A line per finished table, for the console.
    var progress: @Sendable (String) -> Void = { _ in }

    /// Our ids of the original's users, clients and catalogue (small tables, held in memory).
    struct Maps: Sendable {
        var users: [Int: Int] = [:]
        var clients: [Int: Int] = [:]
        var equipment: [Int: Int] = [:]
        var categories: [Int: Int] = [:]
        var services: [Int: Int] = [:]
        var materials: [Int: Int] = [:]
        var attachments: [Int: Int] = [:]

        func catalog(_ type: ItemType) -> [Int: Int] {
            switch type {
            case .equipment: equipment
            case .service: services
            case .material: materials
            case .attachment: attachments
            }
        }
    }

    func run() async throws -> ImportReport {
        var report = ImportReport()
        var maps = Maps()
        func finish(_ tables: [ImportReport.Table]) {
            for table in tables {
                report.tables.append(table)
                progress(table.progressLine)
            }
        }
        let (users, userMap) = try await importUsers()
        maps.users = userMap
        finish([users])
        let (clients, clientMap) = try await importClients()
        maps.clients = clientMap
        finish([clients])
        let (catalog, catalogMaps) = try await importCatalog(maps)
        maps = catalogMaps
        finish(catalog)
        finish(try await importOrders(maps))
        finish(try await importMoney(maps))
        finish(try await importPhotos(maps))
        finish(try await importNotifications(maps))
        report.ignored = [
            ("audit_auditlog", "the original's audit rows hold password hashes; our audit trail starts anew"),
            ("authtoken_token, token_blacklist_*, django_session", "sessions and tokens: everyone signs in again"),
        ]
        return report
    }

    // MARK: - Users

    private static let userColumns =
        "id, password, is_superuser, username, first_name, last_name, email, is_active, date_joined, role, phone, "
        + "avatar, locale, position, last_login"

    private func importUsers() async throws -> (ImportReport.Table, [Int: Int]) {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            var table = ImportReport.Table("users")
            let map = try await mappedTable(
                "users_user", columns: Self.userColumns, report: &table, mappings: ImportMappings(sql: sql),
                update: { row, ours, table in try await updateUser(row, ours, report: &table, sql: sql) },
                insert: { row, table in try await insertUser(row, report: &table, sql: sql) })
            return (table, map)
        }
    }

    /// A new user of the original, or the user of ours with the same phone (linked, left as it is).
    private func insertUser(
        _ row: SourceRow, report table: inout ImportReport.Table, sql: any SQLDatabase
    ) async throws -> Placed? {
        let id = try row.int("id")
        let rawPhone = try row.text("phone")
        var phone = PhoneNumber(rawPhone)?.e164 ?? rawPhone
        if PhoneNumber(rawPhone) == nil {
            if rawPhone.isEmpty { phone = try row.text("username") }
            table.warn(id, "телефон «\(rawPhone)» не разобран, сохранён как есть: «\(phone)»")
        }
        if let existing = try await sql.select().column("id").from("users").where("phone", .equal, phone).first() {
            let ourID = try existing.decode(column: "id", as: Int.self)
            table.warn(id, "пользователь с телефоном \(phone) уже есть (#\(ourID)): связан с ним, не изменён")
            return .linked(ourID)
        }
        let rawRole = try row.text("role")
        var role = Role(rawValue: rawRole) ?? .operator
        if Role(rawValue: rawRole) == nil {
            role = try row.bool("is_superuser") ? .admin : .operator
            table.warn(id, "неизвестная роль «\(rawRole)»: назначена «\(role.title)»")
        }
        let hash = try row.text("password")
        if !DjangoPasswordHash.isDjango(hash) {
            table.warn(id, "пароль не в формате pbkdf2_sha256: войти по старому паролю нельзя")
        }
        let firstName = try row.text("first_name")
        let lastName = try row.text("last_name")
        let email = try row.text("email")
        let joined = try row.date("date_joined")
        let inserted = try await sql.insert(into: "users")
            .columns(
                "phone", "email", "first_name", "last_name", "position", "avatar", "locale", "role",
                "is_active", "password_hash", "last_login_at", "search_text", "created_at", "updated_at"
            )
            .values(
                SQLBind(phone), SQLBind(email), SQLBind(firstName), SQLBind(lastName),
                SQLBind(try row.text("position")), SQLBind(try row.text("avatar")),
                SQLBind(try row.text("locale").isEmpty ? "ru" : try row.text("locale")),
                SQLBind(role.rawValue), SQLBind(try row.bool("is_active")), SQLBind(hash),
                SQLBind(try row.optionalDate("last_login")),
                SQLBind(SearchFilter.text(firstName, lastName, phone, email)), SQLBind(joined),
                SQLBind(joined)
            )
            .returning("id").first()
        return try inserted.map { .inserted(try $0.decode(column: "id", as: Int.self)) }
    }

    // MARK: - Clients

    private static let clientColumns =
        "id, created_at, updated_at, name, contact_person, phone, email, address, city, geo_lat::text AS geo_lat, "
        + "geo_lng::text AS geo_lng, billing_details::text AS billing_details, inn, kpp, notes, is_active"

    private func importClients() async throws -> (ImportReport.Table, [Int: Int]) {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            var table = ImportReport.Table("clients")
            let map = try await mappedTable(
                "crm_client", columns: Self.clientColumns, report: &table, mappings: ImportMappings(sql: sql),
                update: { row, ours, table in
                    let fields = try clientFields(row, report: &table)
                    let changed = try await Self.update("clients", ours, fields, sql: sql)
                    table.update(try row.int("id"), Self.changeNote(changed, titles: Self.clientTitles))
                },
                insert: { row, table in
                    let all =
                        try clientFields(row, report: &table) + [("created_at", SQLBind(try row.date("created_at")))]
                    let inserted = try await sql.insert(into: "clients").columns(all.map(\.0))
                        .values(all.map(\.1)).returning("id").first()
                    return try inserted.map { .inserted(try $0.decode(column: "id", as: Int.self)) }
                })
            return (table, map)
        }
    }

    /// A client's columns as the original has them (all but `created_at`).
    private func clientFields(
        _ row: SourceRow, report table: inout ImportReport.Table
    ) throws -> [(
        String, any SQLExpression
    )] {
        let rawPhone = try row.text("phone")
        let phone = PhoneNumber(rawPhone)?.e164 ?? rawPhone
        if PhoneNumber(rawPhone) == nil {
            table.warn(try row.int("id"), "телефон «\(rawPhone)» не разобран, сохранён как есть")
        }
        let name = try row.text("name")
        let contact = try row.text("contact_person")
        let email = try row.text("email")
        return [
            ("name", SQLBind(name)), ("contact_person", SQLBind(contact)), ("phone", SQLBind(phone)),
            ("email", SQLBind(email)), ("address", SQLBind(try row.text("address"))),
            ("city", SQLBind(try row.text("city"))), ("geo_lat", SQLBind(try row.scaled("geo_lat", scale: 6))),
            ("geo_lng", SQLBind(try row.scaled("geo_lng", scale: 6))),
            ("billing_details", SQLBind(try row.text("billing_details"))), ("inn", SQLBind(try row.text("inn"))),
            ("kpp", SQLBind(try row.text("kpp"))), ("notes", SQLBind(try row.text("notes"))),
            ("is_active", SQLBind(try row.bool("is_active"))),
            ("search_text", SQLBind(SearchFilter.text(name, contact, phone, email))),
            ("updated_at", SQLBind(try row.date("updated_at"))),
        ]
    }

    static let clientTitles: [String: String] = {
        var titles = Dictionary(uniqueKeysWithValues: ImportKind.clients.columns.map { ($0.key, $0.title) })
        titles["is_active"] = "Активен"
        titles["geo_lat"] = "Широта"
        titles["geo_lng"] = "Долгота"
        titles["billing_details"] = "Реквизиты"
        return titles
    }()

    /// A user's own columns that a later run brings over from the original: names, e-mail, position, role and
    /// the active flag. The phone (the sign-in) and the password stay as they are ours.
    private func updateUser(
        _ row: SourceRow, _ ours: Int, report table: inout ImportReport.Table, sql: any SQLDatabase
    ) async throws {
        let id = try row.int("id")
        let fallback: Role = try row.bool("is_superuser") ? .admin : .operator
        let role = Role(rawValue: try row.text("role")) ?? fallback
        let stored = try await sql.select().column("phone").from("users").where("id", .equal, ours).first()
        let firstName = try row.text("first_name")
        let lastName = try row.text("last_name")
        let email = try row.text("email")
        let phone = try stored?.decode(column: "phone", as: String.self) ?? ""
        let changed = try await Self.update(
            "users", ours,
            [
                ("first_name", SQLBind(firstName)), ("last_name", SQLBind(lastName)), ("email", SQLBind(email)),
                ("position", SQLBind(try row.text("position"))), ("role", SQLBind(role.rawValue)),
                ("is_active", SQLBind(try row.bool("is_active"))),
                ("search_text", SQLBind(SearchFilter.text(firstName, lastName, phone, email))),
            ], sql: sql)
        table.update(id, Self.changeNote(changed, titles: Self.userTitles))
    }

    static let userTitles = [
        "first_name": "Имя", "last_name": "Фамилия", "email": "E-mail", "position": "Должность", "role": "Роль",
        "is_active": "Активен",
    ]

    /// Updates our row `id` of `table` to `fields` and returns the columns whose value changed (read before, in
    /// the same transaction). `search_text` and the times are written but not listed.
    static func update(
        _ table: String, _ id: Int, _ fields: [(String, any SQLExpression)], sql: any SQLDatabase
    ) async throws -> [String] {
        let listed = fields.filter { !["search_text", "created_at", "updated_at"].contains($0.0) }
        var changed: [String] = []
        let same = try await sql.raw(sameQuery(table, id, listed)).first()
        for (index, field) in listed.enumerated() where try same?.decode(column: "c\(index)", as: Int.self) != 1 {
            changed.append(field.0)
        }
        var update = sql.update(table)
        for (column, value) in fields { update = update.set(SQLColumn(column), to: value) }
        try await update.where("id", .equal, id).run()
        return changed
    }

    /// `SELECT CASE WHEN a IS NOT DISTINCT FROM ? THEN 1 ELSE 0 END AS c0, … FROM table WHERE id = ?`.
    private static func sameQuery(_ table: String, _ id: Int, _ fields: [(String, any SQLExpression)]) -> SQLQueryString
    {
        var query: SQLQueryString = "SELECT "
        for (index, field) in fields.enumerated() {
            if index > 0 { query += ", " }
            query += "CASE WHEN \(ident: field.0) IS NOT DISTINCT FROM \(field.1) THEN 1 ELSE 0 END "
            query += "AS c\(unsafeRaw: String(index))"
        }
        query += " FROM \(ident: table) WHERE id = \(bind: id)"
        return query
    }

    /// «изменено в исходной системе: Город, Телефон».
    static func changeNote(_ columns: [String], titles: [String: String]) -> String {
        let names = columns.map { titles[$0] ?? $0 }
        return names.isEmpty
            ? "изменено в исходной системе (поля как были)"
            : "изменено в исходной системе: " + names.joined(separator: ", ")
    }

    // MARK: - Catalogue

    private func importCatalog(_ maps: Maps) async throws -> ([ImportReport.Table], Maps) {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            let mappings = ImportMappings(sql: sql)
            var maps = maps
            var tables: [ImportReport.Table] = []

            // Service categories: matched to ours by name (unique).
            var categories = ImportReport.Table("service_categories")
            maps.categories = try await simpleTable(
                "catalog_servicecategory", into: "service_categories", report: &categories, sql: sql,
                mappings: mappings,
                columns: "id, created_at, updated_at, name, description, sort_order",
                match: { row in
                    try await sql.select().column("id").from("service_categories")
                        .where("name", .equal, try row.text("name")).first()
                },
                values: { row, _ in
                    [
                        ("name", SQLBind(try row.text("name"))), ("description", SQLBind(try row.text("description"))),
                        ("sort_order", SQLBind(try row.int("sort_order"))),
                    ]
                })
            tables.append(categories)

            // Equipment: matched to ours by code (unique).
            var equipment = ImportReport.Table("equipment")
            maps.equipment = try await simpleTable(
                "catalog_equipment", into: "equipment", report: &equipment, sql: sql, mappings: mappings,
                columns: "id, created_at, updated_at, code, name, description, hourly_rate::text AS hourly_rate, "
                    + "daily_rate::text AS daily_rate, fuel_consumption::text AS fuel_consumption, status, "
                    + "photos::text AS photos, last_maintenance_date::text AS last_maintenance_date, "
                    + "attributes::text AS attributes",
                match: { row in
                    try await sql.select().column("id").from("equipment").where("code", .equal, try row.text("code"))
                        .first()
                },
                values: { row, _ in
                    let name = try row.text("name")
                    let code = try row.text("code")
                    return [
                        ("code", SQLBind(code)), ("name", SQLBind(name)),
                        ("description", SQLBind(try row.text("description"))),
                        ("hourly_rate", SQLBind(try row.scaled("hourly_rate") ?? 0)),
                        ("daily_rate", SQLBind(try row.scaled("daily_rate"))),
                        ("fuel_consumption", SQLBind(try row.scaled("fuel_consumption"))),
                        ("status", SQLBind(try row.text("status"))), ("photos", SQLBind(try row.text("photos"))),
                        ("last_maintenance_date", SQLBind(try row.optionalText("last_maintenance_date"))),
                        ("attributes", SQLBind(try row.text("attributes"))),
                        ("search_text", SQLBind(SearchFilter.text(code, name))),
                    ]
                })
            tables.append(equipment)

            var services = ImportReport.Table("services")
            let categoryMap = maps.categories
            maps.services = try await simpleTable(
                "catalog_serviceitem", into: "services", report: &services, sql: sql, mappings: mappings,
                columns: "id, created_at, updated_at, name, unit, price::text AS price, "
                    + "default_duration::text AS default_duration, included_items::text AS included_items, "
                    + "is_active, category_id",
                values: { row, table in
                    let category = try row.int("category_id")
                    guard let ourCategory = categoryMap[category] else {
                        table.skip(try row.int("id"), "нет категории #\(category) (битая ссылка)")
                        return nil
                    }
                    let name = try row.text("name")
                    return [
                        ("category_id", SQLBind(ourCategory)), ("name", SQLBind(name)),
                        ("unit", SQLBind(try row.text("unit"))), ("price", SQLBind(try row.scaled("price"))),
                        ("default_duration", SQLBind(try row.scaled("default_duration"))),
                        ("included_items", SQLBind(try row.text("included_items"))),
                        ("is_active", SQLBind(try row.bool("is_active"))),
                        ("search_text", SQLBind(SearchFilter.text(name))),
                    ]
                })
            tables.append(services)

            var materials = ImportReport.Table("materials")
            maps.materials = try await simpleTable(
                "catalog_materialitem", into: "materials", report: &materials, sql: sql, mappings: mappings,
                columns: "id, created_at, updated_at, name, unit, price::text AS price, density::text AS density, "
                    + "supplier, is_active, category",
                values: { row, _ in
                    let name = try row.text("name")
                    return [
                        ("name", SQLBind(name)), ("category", SQLBind(try row.text("category"))),
                        ("unit", SQLBind(try row.text("unit"))), ("price", SQLBind(try row.scaled("price") ?? 0)),
                        ("density", SQLBind(try row.scaled("density"))),
                        ("supplier", SQLBind(try row.text("supplier"))),
                        ("is_active", SQLBind(try row.bool("is_active"))),
                        ("search_text", SQLBind(SearchFilter.text(name))),
                    ]
                })
            tables.append(materials)

            var attachments = ImportReport.Table("attachments")
            let equipmentMap = maps.equipment
            maps.attachments = try await simpleTable(
                "catalog_attachment", into: "attachments", report: &attachments, sql: sql, mappings: mappings,
                columns: "id, created_at, updated_at, name, price::text AS price, status, metadata::text AS metadata, "
                    + "equipment_id",
                values: { row, table in
                    let machine = try row.int("equipment_id")
                    guard let ourMachine = equipmentMap[machine] else {
                        table.skip(try row.int("id"), "нет техники #\(machine) (битая ссылка)")
                        return nil
                    }
                    let name = try row.text("name")
                    return [
                        ("equipment_id", SQLBind(ourMachine)), ("name", SQLBind(name)),
                        ("price", SQLBind(try row.scaled("price") ?? 0)), ("status", SQLBind(try row.text("status"))),
                        ("metadata", SQLBind(try row.text("metadata"))),
                        ("search_text", SQLBind(SearchFilter.text(name))),
                    ]
                })
            tables.append(attachments)
            return (tables, maps)
        }
    }

    /// A small table with an integer key: each new row inserted (or matched to an existing one of ours by
    /// `match`), its mapping recorded. `values` returns nil for a row it skipped (with the reason in the report).
    private func simpleTable(
        _ sourceTable: String, into targetTable: String, report table: inout ImportReport.Table,
        sql: any SQLDatabase, mappings: ImportMappings, columns: String,
        match: (SourceRow) async throws -> (any SQLRow)? = { _ in nil },
        values: (SourceRow, inout ImportReport.Table) throws -> [(String, any SQLExpression)]?
    ) async throws -> [Int: Int] {
        try await mappedTable(
            sourceTable, columns: columns, report: &table, mappings: mappings,
            update: { row, ours, table in
                guard let fields = try values(row, &table) else {
                    table.existing += 1
                    return
                }
                let all = fields + [("updated_at", SQLBind(try row.date("updated_at")))]
                let changed = try await Self.update(targetTable, ours, all, sql: sql)
                table.update(try row.int("id"), Self.changeNote(changed, titles: [:]))
            },
            insert: { row, table in
                if let existing = try await match(row) {
                    let ourID = try existing.decode(column: "id", as: Int.self)
                    table.warn(try row.int("id"), "такая запись уже есть (#\(ourID)): связана с ней, не изменена")
                    return .linked(ourID)
                }
                guard let fields = try values(row, &table) else { return nil }
                let all =
                    fields + [
                        ("created_at", SQLBind(try row.date("created_at"))),
                        ("updated_at", SQLBind(try row.date("updated_at"))),
                    ]
                let inserted = try await sql.insert(into: targetTable).columns(all.map(\.0)).values(all.map(\.1))
                    .returning("id").first()
                return try inserted.map { .inserted(try $0.decode(column: "id", as: Int.self)) }
            })
    }

    /// Where a new row of the original went: inserted as a row of ours, or linked to one we already had (which
    /// a later run leaves as it is).
    enum Placed {
        case inserted(Int)
        case linked(Int)
    }

    /// The row-by-row loop of a table with an integer key, with its mappings (docs/import.md#re-import): a row
    /// mapped before is passed to `update` when it changed in the original since (else counted as existing), a new
    /// one to `insert` (nil: skipped, with the reason in the report). Returns the original's ids to ours.
    private func mappedTable(
        _ sourceTable: String, columns: String, report table: inout ImportReport.Table, mappings: ImportMappings,
        update: (SourceRow, Int, inout ImportReport.Table) async throws -> Void,
        insert: (SourceRow, inout ImportReport.Table) async throws -> Placed?
    ) async throws -> [Int: Int] {
        let known = try await mappings.all(sourceTable)
        var map = Self.intMap(known)
        var cursor = SourceCursor(sql: source, table: sourceTable, columns: columns, pageSize: pageSize)
        while let rows = try await cursor.next() {
            var added: [(source: String, target: String, fingerprint: String?)] = []
            var refreshed: [(source: String, fingerprint: String)] = []
            for row in rows {
                table.read += 1
                let id = try row.int("id")
                let fingerprint = try row.fingerprint()
                if let mapping = known[String(id)] {
                    if mapping.changed(fingerprint), let ours = Int(mapping.target) {
                        try await update(row, ours, &table)
                    } else {
                        table.existing += 1
                    }
                    if mapping.fingerprint != fingerprint, mapping.fingerprint != ImportMappings.Mapping.linked,
                        let fingerprint
                    {
                        refreshed.append((String(id), fingerprint))
                    }
                    continue
                }
                switch try await insert(row, &table) {
                case .inserted(let ourID):
                    map[id] = ourID
                    added.append((String(id), String(ourID), fingerprint))
                    table.imported += 1
                case .linked(let ourID):
                    map[id] = ourID
                    added.append((String(id), String(ourID), ImportMappings.Mapping.linked))
                    table.existing += 1
                case nil:
                    continue
                }
            }
            try await mappings.add(sourceTable, added)
            try await mappings.remember(sourceTable, refreshed)
        }
        return map
    }

    static func intMap(_ map: [String: ImportMappings.Mapping]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for (key, value) in map {
            if let key = Int(key), let value = Int(value.target) { result[key] = value }
        }
        return result
    }
}
