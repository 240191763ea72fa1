import Domain
import Fluent
import Foundation
import SQLKit

extension OriginalImporter {
    private static let orderColumns =
        "id::text AS id, created_at, updated_at, number, address, geo_lat::text AS geo_lat, geo_lng::text AS geo_lng, "
        + "start_dt, end_dt, description, status, prepayment_amount::text AS prepayment_amount, prepayment_status, "
        + "total_amount::text AS total_amount, price_snapshot::text AS price_snapshot, "
        + "attachments::text AS attachments, meta::text AS meta, client_id, created_by_id, manager_id, operator_id"

    private static let itemColumns =
        "id, order_id::text AS order_id, item_type, ref_id, name_snapshot, quantity::text AS quantity, unit, "
        + "unit_price::text AS unit_price, tax_rate::text AS tax_rate, discount::text AS discount, "
        + "metadata::text AS metadata, fuel_expense::text AS fuel_expense, repair_expense::text AS repair_expense"

    /// Orders with their lines, operators (the old single `operator` and `operators`), status logs and the
    /// bookings of the active ones, in one transaction; the order keeps the original's id (a UUID).
    func importOrders(_ maps: Maps) async throws -> [ImportReport.Table] {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            let mappings = ImportMappings(sql: sql)
            var orders = ImportReport.Table("orders")
            var items = ImportReport.Table("order_items")
            var operators = ImportReport.Table("order_operators")
            var logs = ImportReport.Table("order_status_logs")
            var bookings = ImportReport.Table("bookings")
            var cursor = SourceCursor(
                sql: source, table: "orders_order", columns: Self.orderColumns, uuidKey: true, pageSize: pageSize)
            while let rows = try await cursor.next() {
                orders.read += rows.count
                let known = try await mappings.existing("orders_order", try rows.map { try $0.text("id") })
                let fresh = try rows.filter { known[try $0.text("id")] == nil }
                orders.existing += rows.count - fresh.count
                guard !fresh.isEmpty else { continue }
                let ids = try fresh.map { try $0.text("id") }
                let lineRows = try await children(
                    "orders_orderitem", columns: Self.itemColumns, of: ids, orderBy: "order_id, id")
                let operatorRows = try await children(
                    "orders_order_operators", columns: "id, order_id::text AS order_id, user_id", of: ids,
                    orderBy: "order_id, id")
                let logRows = try await children(
                    "orders_orderstatuslog",
                    columns: "id, order_id::text AS order_id, from_status, to_status, comment, attachment_url, "
                        + "created_at, actor_id",
                    of: ids, orderBy: "order_id, created_at, id")
                let takenNumbers = Set(
                    try await sql.select().column("number").from("orders")
                        .where("number", .in, try fresh.map { try $0.text("number") }).all()
                        .map { try $0.decode(column: "number", as: String.self) })
                let clientTexts = try await clientSearchTexts(
                    Set(try fresh.compactMap { try $0.optionalInt("client_id").flatMap { maps.clients[$0] } }), sql: sql
                )
                var added: [(source: String, target: String)] = []
                for row in fresh {
                    let id = try row.text("id")
                    let orderLines = lineRows[id] ?? []
                    let orderLogs = logRows[id] ?? []
                    items.read += orderLines.count
                    logs.read += orderLogs.count
                    guard let status = OrderStatus(rawValue: try row.text("status")) else {
                        orders.skip(id, "неизвестный статус «\(try row.text("status"))»")
                        continue
                    }
                    let number = try row.text("number")
                    if takenNumbers.contains(number) {
                        orders.skip(id, "номер \(number) уже занят другой заявкой")
                        continue
                    }
                    var order = try orderRecord(row, status: status, maps: maps, report: &orders)
                    var lines: [OrderLine] = []
                    for line in orderLines {
                        if let parsed = try orderLine(line, maps: maps, report: &items) { lines.append(parsed) }
                    }
                    if lines.isEmpty { order.estimatedTotal = order.totalAmount }
                    order.startedAt = try orderLogs.first { try $0.text("to_status") == "IN_PROGRESS" }?
                        .date("created_at")
                    order.completedAt = try orderLogs.last { try $0.text("to_status") == "COMPLETED" }?
                        .date("created_at")
                    let store = OrderStore(sql: sql)
                    let clientText = order.clientID.flatMap { clientTexts[$0] }
                    try await store.insert(
                        order, searchText: SearchFilter.text(order.number, clientText, order.address, order.description)
                    )
                    try await store.replaceLines(
                        of: id, with: lines,
                        pricedIn: PricingContext(
                            start: order.startAt, end: order.endAt, referenceTime: order.endAt ?? order.startAt))
                    items.imported += lines.count
                    let people = try orderOperators(row, links: operatorRows[id] ?? [], maps: maps, report: &operators)
                    try await store.replaceOperators(of: id, with: people)
                    operators.imported += people.count
                    try await insertLogs(orderLogs, of: id, maps: maps, report: &logs, sql: sql)
                    if status.holdsResources {
                        try await book(order, lines: lines, operators: people, report: &bookings, sql: sql)
                    }
                    added.append((id, id))
                    orders.imported += 1
                }
                try await mappings.add("orders_order", added)
                if orders.read >= 10_000, orders.read % 10_000 < pageSize { progress("  orders: \(orders.read) read") }
            }
            return [orders, items, operators, logs, bookings]
        }
    }

    /// The child rows of these orders, grouped by order id.
    private func children(
        _ table: String, columns: String, of orderIDs: [String], orderBy: String
    ) async throws
        -> [String: [SourceRow]]
    {
        let query: SQLQueryString =
            "SELECT \(unsafeRaw: columns) FROM \(ident: table) WHERE order_id = ANY(CAST(\(bind: orderIDs) AS uuid[])) "
            + "ORDER BY \(unsafeRaw: orderBy)"
        var grouped: [String: [SourceRow]] = [:]
        for row in try await source.raw(query).all().map(SourceRow.init(row:)) {
            grouped[try row.text("order_id"), default: []].append(row)
        }
        return grouped
    }

    private func clientSearchTexts(_ ids: Set<Int>, sql: any SQLDatabase) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [Int: String] = [:]
        for row in try await sql.select().columns("id", "name", "phone").from("clients")
            .where("id", .in, Array(ids)).all()
        {
            result[try row.decode(column: "id", as: Int.self)] =
                "\(try row.decode(column: "name", as: String.self)) \(try row.decode(column: "phone", as: String.self))"
        }
        return result
    }

    private func orderRecord(
        _ row: SourceRow, status: OrderStatus, maps: Maps, report: inout ImportReport.Table
    ) throws -> OrderRecord {
        let id = try row.text("id")
        func user(_ column: String, _ label: String) throws -> Int? {
            guard let sourceID = try row.optionalInt(column) else { return nil }
            guard let ours = maps.users[sourceID] else {
                report.warn(id, "\(label) #\(sourceID) не найден (битая ссылка): поле оставлено пустым")
                return nil
            }
            return ours
        }
        var clientID: Int?
        if let sourceClient = try row.optionalInt("client_id") {
            clientID = maps.clients[sourceClient]
            if clientID == nil {
                report.warn(id, "клиент #\(sourceClient) не найден (битая ссылка): заявка без клиента")
            }
        }
        return OrderRecord(
            id: id, number: try row.text("number"), clientID: clientID, address: try row.text("address"),
            geoLat: try row.scaled("geo_lat", scale: 6), geoLng: try row.scaled("geo_lng", scale: 6),
            startAt: try row.date("start_dt"), endAt: try row.optionalDate("end_dt"),
            description: try row.text("description"), status: status, managerID: try user("manager_id", "менеджер"),
            createdByID: try user("created_by_id", "автор"), prepayment: try row.scaled("prepayment_amount") ?? 0,
            prepaymentStatus: try row.text("prepayment_status"), totalAmount: try row.scaled("total_amount") ?? 0,
            estimatedTotal: 0, priceSnapshot: try row.text("price_snapshot"), attachments: try row.text("attachments"),
            meta: try row.text("meta"), startedAt: nil, completedAt: nil, createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    /// A line as stored: the price, quantity and name snapshot of the day, never re-priced from the catalogue.
    private func orderLine(_ row: SourceRow, maps: Maps, report: inout ImportReport.Table) throws -> OrderLine? {
        let id = try row.int("id")
        guard let type = ItemType(rawValue: try row.text("item_type")) else {
            report.skip(id, "неизвестный тип строки «\(try row.text("item_type"))»")
            return nil
        }
        var refID: Int?
        if let sourceRef = try row.optionalInt("ref_id") {
            refID = maps.catalog(type)[sourceRef]
            if refID == nil {
                report.warn(id, "позиция каталога #\(sourceRef) не найдена: строка сохранена без ссылки")
            }
        }
        let metadata = JSONValue.parse(try row.text("metadata"))?.objectValue ?? [:]
        var extra = metadata
        for key in OrderLine.knownMetadataKeys { extra.removeValue(forKey: key) }
        return OrderLine(
            itemType: type, refID: refID, name: try row.text("name_snapshot"),
            quantity: try row.scaled("quantity") ?? 0,
            unit: try row.text("unit"), unitPrice: try row.scaled("unit_price") ?? 0, manualPrice: true,
            taxRate: try row.scaled("tax_rate") ?? 0, discount: try row.scaled("discount") ?? 0,
            fuelExpense: try row.scaled("fuel_expense"), repairExpense: try row.scaled("repair_expense"),
            shifts: metadata["shifts"]?.decimalValue, hours: metadata["hours"]?.decimalValue,
            dailyRate: metadata["daily_rate"]?.decimalValue.map { Scaled.toInt($0, scale: 2) },
            billingMode: metadata["billing_mode"]?.stringValue, note: metadata["note"]?.stringValue,
            extraMetadata: extra)
    }

    /// The old single `operator` and the `operators` list, as one set of ours.
    private func orderOperators(
        _ row: SourceRow, links: [SourceRow], maps: Maps, report: inout ImportReport.Table
    ) throws -> [Int] {
        var sourceIDs = try links.map { try $0.int("user_id") }
        report.read += links.count
        if let single = try row.optionalInt("operator_id"), !sourceIDs.contains(single) { sourceIDs.append(single) }
        var ours: [Int] = []
        for sourceID in sourceIDs {
            if let mapped = maps.users[sourceID] {
                if !ours.contains(mapped) { ours.append(mapped) }
            } else {
                report.skip(try row.text("id"), "оператор #\(sourceID) не найден (битая ссылка)")
            }
        }
        return ours
    }

    private func insertLogs(
        _ rows: [SourceRow], of orderID: String, maps: Maps, report: inout ImportReport.Table, sql: any SQLDatabase
    ) async throws {
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: "order_status_logs").columns(
            "order_id", "from_status", "to_status", "actor_id", "comment", "attachment_url", "created_at")
        for row in rows {
            var actor: Int?
            if let sourceActor = try row.optionalInt("actor_id") {
                actor = maps.users[sourceActor]
                if actor == nil { report.warn(try row.int("id"), "автор #\(sourceActor) не найден: оставлен пустым") }
            }
            insert = insert.values(
                SQLBind(orderID), SQLBind(try row.text("from_status")), SQLBind(try row.text("to_status")),
                SQLBind(actor), SQLBind(try row.text("comment")), SQLBind(try row.text("attachment_url")),
                SQLBind(try row.date("created_at")))
        }
        try await insert.run()
        report.imported += rows.count
    }

    /// The bookings of an active order. A machine or operator that another active order already holds at that
    /// time (a double booking the original allowed) is listed in the summary and left unbooked, not refused.
    private func book(
        _ order: OrderRecord, lines: [OrderLine], operators: [Int], report: inout ImportReport.Table,
        sql: any SQLDatabase
    ) async throws {
        let guardian = BookingGuard(sql: sql, timeZone: timeZone)
        let range = BookingGuard.range(start: order.startAt, end: order.endAt)
        let resources = BookingGuard.resources(lines: lines, operatorIDs: operators)
        let conflicts = try await guardian.conflicts(for: order.id, range: range, resources: resources)
        for conflict in conflicts {
            report.warn(
                order.number,
                "двойная бронь из истории: «\(conflict.resourceName)» занят(а) и в заявке \(conflict.number); "
                    + "импортирована как была, ресурс в этой заявке не забронирован")
        }
        let busy = Set(conflicts.map(\.resource))
        let free = resources.filter { !busy.contains($0) }
        report.read += resources.count
        try await guardian.book(orderID: order.id, range: range, resources: free)
        report.imported += free.count
    }
}
