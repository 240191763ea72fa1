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

    /// An order's fingerprint covers its lines, operators and status log: a change to any is a change of the order.
    private static let orderFingerprint =
        ["orders_orderitem", "orders_order_operators", "orders_orderstatuslog"]
        .map {
            "coalesce((SELECT string_agg(c::text, '|' ORDER BY c.id) FROM \($0) c "
                + "WHERE c.order_id = orders_order.id), '')"
        }
        .reduce("md5(orders_order::text") { $0 + " || " + $1 } + ")"

    /// Orders with their lines, operators (the old single `operator` and `operators`), status logs and the
    /// bookings of the active ones, in one transaction; the order keeps the original's id (a UUID). An order
    /// imported before and changed in the original since is written again, with all of its lines, operators,
    /// log and bookings (docs/import.md#re-import).
    func importOrders(_ maps: Maps) async throws -> [ImportReport.Table] {
        try await writes.transaction(on: target) { db in
            let sql = try db.sql()
            let mappings = ImportMappings(sql: sql)
            let triggers = try await ImportTriggers.suspend(sql)
            var orders = ImportReport.Table("orders")
            var items = ImportReport.Table("order_items")
            var operators = ImportReport.Table("order_operators")
            var logs = ImportReport.Table("order_status_logs")
            var bookings = ImportReport.Table("bookings")
            let cursor = SourceCursor(
                sql: source, table: "orders_order", columns: Self.orderColumns, uuidKey: true, pageSize: pageSize,
                fingerprint: Self.orderFingerprint)
            // The next page is read from the original while this one is written (two connections, two cores).
            // Its child rows too, as long as pages bring new orders; a rerun that finds them all reads only orders.
            var next = Task { try await readPage(cursor, children: true) }
            defer { next.cancel() }
            while true {
                let (advanced, page) = try await next.value
                guard let page else { break }
                let rows = page.rows
                orders.read += rows.count
                let known = try await mappings.existing("orders_order", try rows.map { try $0.text("id") })
                var fresh: [SourceRow] = []
                var changed: Set<String> = []
                var refreshed: [(source: String, fingerprint: String)] = []
                for row in rows {
                    let id = try row.text("id")
                    let fingerprint = try row.fingerprint()
                    guard let mapping = known[id] else {
                        fresh.append(row)
                        continue
                    }
                    if mapping.changed(fingerprint) {
                        fresh.append(row)
                        changed.insert(id)
                    } else {
                        orders.existing += 1
                    }
                    if mapping.fingerprint != fingerprint, let fingerprint { refreshed.append((id, fingerprint)) }
                }
                next = Task { [fresh] in try await readPage(advanced, children: !fresh.isEmpty) }
                try await mappings.remember("orders_order", refreshed)
                guard !fresh.isEmpty else { continue }
                let ids = try fresh.map { try $0.text("id") }
                let family: OrderChildren
                if let read = page.children { family = read } else { family = try await readChildren(of: ids) }
                let (lineRows, operatorRows, logRows) = (family.lines, family.operators, family.logs)
                var takenNumbers: [String: String] = [:]
                for taken in try await sql.select().columns("number", "id").from("orders")
                    .where("number", .in, try fresh.map { try $0.text("number") }).all()
                {
                    takenNumbers[try taken.decode(column: "number", as: String.self)] = try taken.decode(
                        column: "id", as: String.self)
                }
                let clientTexts = try await clientSearchTexts(
                    Set(try fresh.compactMap { try $0.optionalInt("client_id").flatMap { maps.clients[$0] } }), sql: sql
                )
                var added: [(source: String, target: String, fingerprint: String?)] = []
                var newOrders: [(order: OrderRecord, searchText: String)] = []
                var rewritten: [OrderRewrite] = []
                var newLines: [(orderID: String, lines: [OrderLine], context: PricingContext)] = []
                var newOperators: [(orderID: String, userIDs: [Int])] = []
                var newLogs: [(orderID: String, rows: [SourceRow])] = []
                var active: [(order: OrderRecord, lines: [OrderLine], operators: [Int])] = []
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
                    if let holder = takenNumbers[number], holder != id {
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
                    let clientText = order.clientID.flatMap { clientTexts[$0] }
                    let searchText = SearchFilter.text(order.number, clientText, order.address, order.description)
                    let context = PricingContext(
                        start: order.startAt, end: order.endAt, referenceTime: order.endAt ?? order.startAt)
                    let people = try orderOperators(row, links: operatorRows[id] ?? [], maps: maps, report: &operators)
                    newLogs.append((id, orderLogs))
                    if status.holdsResources { active.append((order, lines, people)) }
                    if changed.contains(id) {
                        rewritten.append(
                            OrderRewrite(
                                order: order, searchText: searchText, lines: lines, context: context, operators: people)
                        )
                        continue
                    }
                    newOrders.append((order, searchText))
                    newLines.append((id, lines, context))
                    items.imported += lines.count
                    newOperators.append((id, people))
                    operators.imported += people.count
                    added.append((id, id, try row.fingerprint()))
                    orders.imported += 1
                }
                let store = OrderStore(sql: sql)
                try await store.insert(newOrders)
                try await store.insertLines(newLines)
                try await rewrite(rewritten, report: &orders, sql: sql)
                try await insertOperators(newOperators, sql: sql)
                try await insertLogs(newLogs, maps: maps, report: &logs, sql: sql)
                try await book(active, report: &bookings, sql: sql)
                try await mappings.add("orders_order", added)
                try await triggers.written(orders: added.map(\.target) + rewritten.map(\.order.id))
                if orders.imported == added.count, !added.isEmpty { try await triggers.analyze() }
                if orders.read >= 10_000, orders.read % 10_000 < pageSize { progress("  orders: \(orders.read) read") }
            }
            try await triggers.resume()
            return [orders, items, operators, logs, bookings]
        }
    }

    struct OrderRewrite {
        var order: OrderRecord
        var searchText: String
        var lines: [OrderLine]
        var context: PricingContext
        var operators: [Int]
    }

    /// Writes again the orders that changed in the original since they were imported: the order, its lines and
    /// operators; its log and bookings are removed here and written with the page's new ones. Each is listed
    /// with what changed.
    private func rewrite(
        _ orders: [OrderRewrite], report: inout ImportReport.Table, sql: any SQLDatabase
    )
        async throws
    {
        let store = OrderStore(sql: sql)
        for rewrite in orders {
            let id = rewrite.order.id
            let before = try await store.load(id)
            let beforeLines = try await store.lines(of: id).map(Self.lineText)
            let beforeOperators = try await store.operatorIDs(of: id)
            try await store.update(rewrite.order, searchText: rewrite.searchText)
            try await store.replaceLines(of: id, with: rewrite.lines, pricedIn: rewrite.context)
            try await store.replaceOperators(of: id, with: rewrite.operators)
            try await sql.delete(from: "order_status_logs").where("order_id", .equal, id).run()
            try await sql.delete(from: "bookings").where("order_id", .equal, id).run()
            let old = before?.auditFields ?? [:]
            var what = rewrite.order.auditFields.filter { old[$0.key] != $0.value }.map(\.key).sorted()
            if beforeLines != rewrite.lines.map(Self.lineText) { what.append("items") }
            if Set(beforeOperators) != Set(rewrite.operators) { what.append("operators") }
            report.update(
                id,
                what.isEmpty
                    ? "изменена в исходной системе (журнал статусов)"
                    : "изменена в исходной системе: " + what.joined(separator: ", "))
        }
    }

    private static func lineText(_ line: OrderLine) -> String {
        "\(line.itemType.rawValue) \(line.refID ?? 0) \(line.name) \(line.quantity) \(line.unit) \(line.unitPrice)"
    }

    /// A page of the original's orders, with the child rows of all of them when they were read along.
    /// Handed once from the task that read it to the loop that writes it, never shared.
    struct OrderPage: @unchecked Sendable {
        var rows: [SourceRow]
        var children: OrderChildren?
    }

    struct OrderChildren {
        var lines: [String: [SourceRow]]
        var operators: [String: [SourceRow]]
        var logs: [String: [SourceRow]]
    }

    /// The page after `cursor`'s position, and the cursor after it.
    private func readPage(_ cursor: SourceCursor, children: Bool) async throws -> (SourceCursor, OrderPage?) {
        var cursor = cursor
        guard let rows = try await cursor.next() else { return (cursor, nil) }
        guard children else { return (cursor, OrderPage(rows: rows)) }
        return (cursor, OrderPage(rows: rows, children: try await readChildren(of: try rows.map { try $0.text("id") })))
    }

    private func readChildren(of ids: [String]) async throws -> OrderChildren {
        OrderChildren(
            lines: try await children(
                "orders_orderitem", columns: Self.itemColumns, of: ids, orderBy: "order_id, id"),
            operators: try await children(
                "orders_order_operators", columns: "id, order_id::text AS order_id, user_id", of: ids,
                orderBy: "order_id, id"),
            logs: try await children(
                "orders_orderstatuslog",
                columns: "id, order_id::text AS order_id, from_status, to_status, comment, attachment_url, "
                    + "created_at, actor_id",
                of: ids, orderBy: "order_id, created_at, id"))
    }

    /// The child rows of these orders, grouped by order id.
    private func children(
        _ table: String, columns: String, of orderIDs: [String], orderBy: String
    ) async throws
        -> [String: [SourceRow]]
    {
        let query: SQLQueryString =
            "SELECT \(unsafeRaw: columns) FROM \(ident: table) "
            + "WHERE order_id = ANY(CAST(string_to_array(\(bind: orderIDs.joined(separator: ",")), ',') AS uuid[])) "
            + "ORDER BY \(unsafeRaw: orderBy)"
        var grouped: [String: [SourceRow]] = [:]
        for row in try await source.all(query).map(SourceRow.init(row:)) {
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

    private func insertOperators(_ orders: [(orderID: String, userIDs: [Int])], sql: any SQLDatabase) async throws {
        let rows = orders.flatMap { order in order.userIDs.map { (order.orderID, $0) } }
        for chunk in rows.chunked(1_000) {
            var insert = sql.insert(into: "order_operators").columns("order_id", "user_id")
            for (orderID, userID) in chunk { insert = insert.values(SQLBind(orderID), SQLBind(userID)) }
            try await insert.run()
        }
    }

    private func insertLogs(
        _ orders: [(orderID: String, rows: [SourceRow])], maps: Maps, report: inout ImportReport.Table,
        sql: any SQLDatabase
    ) async throws {
        var values: [[any SQLExpression]] = []
        for (orderID, rows) in orders {
            for row in rows {
                var actor: Int?
                if let sourceActor = try row.optionalInt("actor_id") {
                    actor = maps.users[sourceActor]
                    if actor == nil {
                        report.warn(try row.int("id"), "автор #\(sourceActor) не найден: оставлен пустым")
                    }
                }
                values.append([
                    SQLBind(orderID), SQLBind(try row.text("from_status")), SQLBind(try row.text("to_status")),
                    SQLBind(actor), SQLBind(try row.text("comment")), SQLBind(try row.text("attachment_url")),
                    SQLBind(try row.date("created_at")),
                ])
            }
        }
        for chunk in values.chunked(1_000) {
            var insert = sql.insert(into: "order_status_logs").columns(
                "order_id", "from_status", "to_status", "actor_id", "comment", "attachment_url", "created_at")
            for row in chunk { insert = insert.values(row) }
            try await insert.run()
        }
        report.imported += values.count
    }

    /// The bookings of a page's active orders. A machine or operator that another active order already holds
    /// at that time (a double booking the original allowed) is listed in the summary and left unbooked, not
    /// refused; the overlap is `TimeRange`'s, the rule `BookingGuard` applies to new orders.
    private func book(
        _ orders: [(order: OrderRecord, lines: [OrderLine], operators: [Int])], report: inout ImportReport.Table,
        sql: any SQLDatabase
    ) async throws {
        guard !orders.isEmpty else { return }
        typealias Resource = BookingGuard.Resource
        struct Held {
            var range: TimeRange
            var number: String
        }
        let wanted = orders.map { order in
            (
                order: order.order, range: BookingGuard.range(start: order.order.startAt, end: order.order.endAt),
                resources: BookingGuard.resources(lines: order.lines, operatorIDs: order.operators)
            )
        }
        // What is already booked (earlier pages, or our own orders): a resource's bookings never overlap, so the
        // only one that can clash with an order is the resource's latest booking starting before the order ends,
        // found by `ix_bookings_resource` (a look-up per pair, whatever the number of bookings).
        var held: [Resource: [Held]] = [:]
        let pairs = wanted.flatMap { order in order.resources.map { ($0, order.range.end) } }
        for chunk in pairs.chunked(1_000) {
            let list = SQLList(
                chunk.map { resource, end in
                    SQLGroupExpression([SQLBind(resource.kind.rawValue), SQLBind(resource.id), SQLBind(end)])
                })
            let query: SQLQueryString =
                "SELECT b.resource_type, b.resource_id, b.start_at, b.end_at, o.number FROM bookings b "
                + "JOIN orders o ON o.id = b.order_id WHERE b.id IN (SELECT (SELECT l.id FROM bookings l "
                + "WHERE l.resource_type = w.column1 AND l.resource_id = w.column2 AND l.start_at < w.column3 "
                + "ORDER BY l.start_at DESC LIMIT 1) FROM (VALUES \(list)) AS w)"
            for row in try await sql.raw(query).all() {
                guard let kind = Resource.Kind(rawValue: try row.decode(column: "resource_type", as: String.self)),
                    let range = TimeRange(
                        start: try row.decode(column: "start_at", as: Date.self),
                        end: try row.decode(column: "end_at", as: Date.self))
                else { continue }
                held[Resource(kind: kind, id: try row.decode(column: "resource_id", as: Int.self)), default: []]
                    .append(Held(range: range, number: try row.decode(column: "number", as: String.self)))
            }
        }
        var values: [[any SQLExpression]] = []
        for (order, range, resources) in wanted.sorted(by: { $0.range.start < $1.range.start }) {
            report.read += resources.count
            for resource in resources {
                if let clash = held[resource]?.first(where: { $0.range.overlaps(range) }) {
                    let what = resource.kind == .equipment ? "техника" : "оператор"
                    report.warn(
                        order.number,
                        "двойная бронь из истории: \(what) #\(resource.id) занят(а) и в заявке \(clash.number); "
                            + "импортирована как была, ресурс в этой заявке не забронирован")
                    continue
                }
                held[resource, default: []].append(Held(range: range, number: order.number))
                values.append([
                    SQLBind(order.id), SQLBind(resource.kind.rawValue), SQLBind(resource.id), SQLBind(range.start),
                    SQLBind(range.end),
                ])
            }
        }
        for chunk in values.chunked(1_000) {
            var insert = sql.insert(into: "bookings").columns(
                "order_id", "resource_type", "resource_id", "start_at", "end_at")
            for row in chunk { insert = insert.values(row) }
            try await insert.run()
        }
        report.imported += values.count
    }
}
