import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/api/v1/orders/…`. Handlers decode, call `OrderService` / `OrderQuery`, and answer the order JSON.
struct OrdersAPIController {
    /// Runs `work` with the caller's `OrderService`; its `OrderError`s become the API's JSON errors.
    private func orders<T>(_ req: Request, _ work: (OrderService) async throws -> T) async throws -> T {
        do {
            return try await work(try req.orders)
        } catch let error as OrderError {
            throw error.apiError(timeZone: req.application.config.timeZone)
        }
    }

    /// `orders(_:_:)` for a write, in the write turn (the routes are `serialisingItsWrites()`): the answer is
    /// rendered after the turn, so the next writer does not wait for it.
    private func write<T: Sendable>(
        _ req: Request, _ work: @escaping @Sendable (OrderService) async throws -> T
    ) async throws -> T {
        try await req.serialisedWrites { try await orders(req, work) }
    }

    private func json(_ writer: JSONWriter, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }

    /// The order JSON; `warnings` adds a top-level `"warnings": [...]` (the create response only).
    private func orderResponse(
        _ id: String, req: Request, status: HTTPResponseStatus = .ok, warnings: [String]? = nil
    ) async throws -> Response {
        var writer = JSONWriter()
        try await OrderReader(db: req.db, timeZone: req.application.config.timeZone)
            .render(ids: [id], into: &writer, warnings: warnings)
        return json(writer, status: status)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let caller = try req.caller
        let query = try OrderListQuery(request: req, caller: caller)
        if let export = try ExportRequest.parse(req) {
            return try await OrderExport(sql: try req.db.sql(), timeZone: req.application.config.timeZone)
                .respond(req, query: query, export: export)
        }
        let page = try PageRequest(request: req)
        let cache = req.application.responseCache
        let freshness: ResponseCache.Freshness = query.isStructural ? .page : .anyOrderWrite
        return try await cache.respond(to: req, scope: Self.scope(of: caller), freshness: freshness) { stamp in
            let sql = try req.db.sql()
            let count = try await query.count(on: sql)
            try PageLinks.checkInRange(page, count: count)
            let ids = try await query.ids(page: page, on: sql)
            try await stamp.stamp(ids)
            let links = PageLinks.links(for: req, page: page, count: count)
            var writer = JSONWriter(capacity: 64 * 1024)
            writer.beginPage(count: count, links: links)
            try await OrderReader(db: req.db, timeZone: req.application.config.timeZone).render(ids: ids, into: &writer)
            writer.endPage()
            return writer.bytes
        }
    }

    /// Staff, accountants and each operator see different order sets, so cached pages are kept apart.
    static func scope(of caller: Caller) -> String {
        caller.role == .operator ? "operator:\(caller.id)" : "all"
    }

    @Sendable func show(req: Request) async throws -> Response {
        let caller = try req.caller
        let id = try orderID(req)
        let cache = req.application.responseCache
        return try await cache.respond(to: req, scope: Self.scope(of: caller), freshness: .order(id)) { _ in
            var writer = JSONWriter()
            let reader = try OrderReader(db: req.db, timeZone: req.application.config.timeZone)
            if try await reader.renderIfVisible(id: id, to: caller, into: &writer) { return writer.bytes }
            // SQLite, or missing or not the caller's: the service decides, as on every other order route.
            let (order, _) = try await orders(req) { try await $0.visibleOrder(id) }
            try await reader.render(ids: [order.id], into: &writer)
            return writer.bytes
        }
    }

    @Sendable func create(req: Request) async throws -> Response {
        let draft = OrderDraft(api: try req.jsonObject(), full: true, timeZone: req.application.config.timeZone)
        let saved = try await write(req) { try await $0.create(draft) }
        return try await orderResponse(
            saved.id, req: req, status: .created, warnings: saved.creditWarning.map { [$0] } ?? [])
    }

    @Sendable func update(req: Request) async throws -> Response {
        let id = try orderID(req)
        let draft = OrderDraft(
            api: try req.jsonObject(), full: req.method == .PUT, timeZone: req.application.config.timeZone)
        try await write(req) { try await $0.update(id: id, with: draft) }
        return try await orderResponse(id, req: req)
    }

    @Sendable func changeStatus(req: Request) async throws -> Response {
        let id = try orderID(req)
        var input = try JSONInput(request: req)
        let target = input.choice("status", as: OrderStatus.self, required: true)
        let comment = input.string("comment", maxLength: 10_000) ?? ""
        let attachmentURL = input.url("attachment_url") ?? ""
        try input.validate()
        guard let target else { throw FieldErrors("status", FieldMessage.required) }
        try await write(req) {
            try await $0.changeStatus(id: id, to: target, comment: comment, attachmentURL: attachmentURL)
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("status", target.rawValue)
        writer.key("logs")
        try await OrderReader(db: req.db, timeZone: req.application.config.timeZone)
            .renderLogs(of: id, into: &writer)
        writer.endObject()
        return json(writer)
    }

    @Sendable func complete(req: Request) async throws -> Response {
        let id = try orderID(req)
        let report = OrderCompletion(api: try req.jsonObject(), timeZone: req.application.config.timeZone)
        try await write(req) { try await $0.complete(id: id, with: report) }
        return try await orderResponse(id, req: req)
    }

    @Sendable func setPay(req: Request) async throws -> [String: String] {
        let id = try orderID(req)
        let (pay, problems) = OrderPayDraft.list(api: try req.jsonObject(), timeZone: req.application.config.timeZone)
        try await orders(req) { try await $0.setPay(id: id, pay: pay, problems: problems) }
        return ["detail": "Зарплаты обновлены"]
    }

    @Sendable func deleteAction(req: Request) async throws -> [String: String] {
        let id = try orderID(req)
        let number = try await orders(req) { try await $0.delete(id: id) }
        return ["detail": "Заявка \(number) успешно удалена из базы данных"]
    }

    @Sendable func destroy(req: Request) async throws -> Response {
        let id = try orderID(req)
        _ = try await orders(req) { try await $0.delete(id: id) }
        return Response(status: .noContent)
    }

    /// `POST /orders/preview/` and `/orders/{id}/calculate/preview/`: the pricing engine on unsaved data.
    ///
    /// The web order form posts its urlencoded fields here (`OrderFormInput` maps them, as for saving); its errors
    /// come back as `{"detail", "errors": {form field: message}}`.
    @Sendable func preview(req: Request) async throws -> Response {
        let timeZone = req.application.config.timeZone
        var draft: OrderDraft
        var formInput: OrderFormInput?
        if WebForm.isForm(req) {
            let input = OrderFormInput(form: try await WebForm(request: req), purpose: .preview, timeZone: timeZone)
            if !input.errors.isEmpty {
                return WebReply.rejection(.unprocessableEntity, detail: WebErrors.formRejected, errors: input.errors)
            }
            draft = input.draft
            formInput = input
        } else {
            draft = OrderDraft(api: try req.jsonObject(), full: false, timeZone: timeZone)
        }
        var base: OrderRecord?
        if req.parameters.get("id") != nil {
            let id = try orderID(req)
            base = try await orders(req) { try await $0.visibleOrder(id) }.0
        }
        if case .keep = draft.startAt, base == nil { draft.startAt = .set(Date()) }
        let checked: [OrderLine]?
        do {
            checked = try await orders(req) { [draft, base] service in
                try await service.checkedLines(draft, current: base, db: req.db)
            }
        } catch {
            guard let formInput else { throw error }
            let (errors, detail) = formInput.formErrors(try WebErrors.describe(error))
            return WebReply.rejection(.unprocessableEntity, detail: detail ?? WebErrors.formRejected, errors: errors)
        }
        let start = draft.startAt.value(or: base?.startAt ?? Date())
        var order =
            base
            ?? OrderRecord(
                id: "", number: "", clientID: nil, address: "", geoLat: nil, geoLng: nil, startAt: start, endAt: nil,
                description: "", status: .created, managerID: nil, createdByID: nil, prepayment: 0,
                prepaymentStatus: "pending",
                totalAmount: 0, estimatedTotal: 0, priceSnapshot: "{}", attachments: "[]", meta: "{}", startedAt: nil,
                completedAt: nil, createdAt: Date(), updatedAt: Date())
        order.startAt = start
        draft.endAt.apply(to: &order.endAt)
        draft.prepayment.apply(to: &order.prepayment)
        order.meta = draft.metaText(over: order.meta)
        var lines = checked ?? []
        if checked == nil, let base { lines = try await OrderStore(sql: try req.db.sql()).lines(of: base.id) }
        let snapshot = OrderService.snapshot(for: order, lines: lines)
        let snapshotJSON = OrderService.encode(snapshot, timeZone: req.application.config.timeZone)
        var conflicts: JSONValue = .array([])
        let operators = draft.operatorIDs.value(or: [])
        let resources = BookingGuard.resources(lines: lines, operatorIDs: operators)
        let guardian = BookingGuard(sql: try req.db.sql(), timeZone: req.application.config.timeZone)
        let found = try await guardian.conflicts(
            for: base?.id ?? "", range: BookingGuard.range(start: order.startAt, end: order.endAt), resources: resources
        )
        if !found.isEmpty {
            // The API's conflict objects, plus what the web form's box shows: number, resource title and period.
            let error = BookingGuard.conflictError(found, timeZone: timeZone)
            let items = (error.extra["conflicts"] ?? .array([])).arrayItems
            conflicts = .array(
                zip(items, found).map { item, conflict in
                    var object = item.objectValue ?? [:]
                    object["order_id"] = .string(conflict.orderID)
                    object["order_number"] = .string(conflict.number)
                    object["resource_title"] = .string(OrderFormInput.resourceTitle(object))
                    object["period"] = .string(RussianFormat.period(conflict.start, conflict.end, in: timeZone))
                    return .object(object)
                })
        }
        var writer = JSONWriter()
        writer.beginObject()
        let parsed = JSONValue.parse(snapshotJSON)?.objectValue ?? [:]
        var positions = parsed["positions"] ?? .array([])
        if formInput != nil {
            // The web form shows the quantity in Russian («1 смена, 8 ч», «2 м³») as the position's note.
            positions = .array(
                positions.arrayItems.enumerated().map { index, position in
                    guard var object = position.objectValue, index < lines.count else { return position }
                    object["notes"] = .string(OrderPageData.quantityText(lines[index]))
                    return .object(object)
                })
        }
        writer.rawField("items", positions.jsonText)
        writer.rawField("positions", positions.jsonText)
        writer.rawField("summary", (parsed["summary"] ?? .object([:])).jsonText)
        writer.field("total", snapshot.summary.total.plainString)
        writer.rawField("conflicts", conflicts.jsonText)
        writer.endObject()
        return json(writer)
    }

    /// `GET /equipment/{id}/schedule/?from=&to=`: the machine's bookings by active orders.
    @Sendable func schedule(req: Request) async throws -> Response {
        let equipmentID = try req.intParameter()
        let timeZone = req.application.config.timeZone
        let sql = try req.db.sql()
        guard try await sql.select().column("id").from("equipment").where("id", .equal, equipmentID).first() != nil
        else {
            throw APIError.notFound()
        }
        var errors: [String: [String]] = [:]
        let from = try DayBound.parse(
            req.queryValues["from"], key: "from", end: false, timeZone: timeZone, errors: &errors)
        let to = try DayBound.parse(req.queryValues["to"], key: "to", end: true, timeZone: timeZone, errors: &errors)
        if !errors.isEmpty { throw FieldErrors(errors) }
        var query = sql.select()
            .columns(
                SQLColumn("order_id", table: "b"), SQLColumn("number", table: "o"), SQLColumn("status", table: "o"),
                SQLColumn("start_at", table: "b"), SQLColumn("end_at", table: "b"), SQLColumn("address", table: "o")
            )
            .from(SQLAlias(SQLIdentifier("bookings"), as: SQLIdentifier("b")))
            .join(SQLAlias(SQLIdentifier("orders"), as: SQLIdentifier("o")), on: SQLRaw("o.id = b.order_id"))
            .where(SQLColumn("resource_type", table: "b"), .equal, SQLBind("equipment"))
            .where(SQLColumn("resource_id", table: "b"), .equal, SQLBind(equipmentID))
        if let from { query = query.where(SQLColumn("end_at", table: "b"), .greaterThan, SQLBind(from)) }
        if let to { query = query.where(SQLColumn("start_at", table: "b"), .lessThan, SQLBind(to)) }
        let rows = try await query.orderBy(SQLColumn("start_at", table: "b")).limit(1000).all()
        // Others' orders are not an operator's business: he learns only when the machine is busy.
        let showsOrders = AccessPolicy.maySeeAllOrders(try req.caller.role)
        var writer = JSONWriter()
        writer.beginArray()
        for row in rows {
            writer.beginObject()
            guard showsOrders else {
                writer.field("start", ISOTime.format(try row.decode(column: "start_at", as: Date.self), in: timeZone))
                writer.field("end", ISOTime.format(try row.decode(column: "end_at", as: Date.self), in: timeZone))
                writer.endObject()
                continue
            }
            writer.field("order", try row.decode(column: "order_id", as: String.self))
            writer.field("number", try row.decode(column: "number", as: String.self))
            writer.field("status", try row.decode(column: "status", as: String.self))
            writer.field("address", try row.decode(column: "address", as: String.self))
            writer.field("start", ISOTime.format(try row.decode(column: "start_at", as: Date.self), in: timeZone))
            writer.field("end", ISOTime.format(try row.decode(column: "end_at", as: Date.self), in: timeZone))
            writer.endObject()
        }
        writer.endArray()
        return json(writer)
    }

    private func orderID(_ req: Request) throws -> String {
        guard let raw = req.parameters.get("id"), let uuid = UUID(uuidString: raw) else { throw APIError.notFound() }
        return uuid.uuidString.lowercased()
    }
}

/// A `from`/`to` query bound: a date (`to` inclusive: the whole day in the company zone) or a datetime.
enum DayBound {
    static func parse(
        _ raw: String?, key: String, end: Bool, timeZone: TimeZone, errors: inout [String: [String]]
    ) throws -> Date? {
        guard let raw, !raw.isEmpty else { return nil }
        if ISOTime.parseDay(raw) != nil, let start = ISOTime.startOfDay(raw, in: timeZone) {
            return end ? start.addingTimeInterval(86_400) : start
        }
        if let date = ISOTime.parse(raw, defaultTimeZone: timeZone) { return date }
        errors[key, default: []].append(FieldMessage.date)
        return nil
    }
}

/// Filters, search, scope and ordering of the order list, as SQL.
struct OrderListQuery {
    var filters: [any SQLExpression] = []
    var ordering: [(column: String, descending: Bool)]
    /// Whether only structural writes (`AddOrderVersions.structural`) change which orders the list holds and
    /// their order: no search, and sorted by structural columns only.
    var isStructural = true
    /// The statuses whose orders are the whole list when nothing but the status filters it: then `count` adds up
    /// `order_counts` (`AddOrderCounts`) instead of counting the orders. Nil for any other filter.
    var countedStatuses: Set<String>?

    static let orderingFields: [String: String] = [
        "start_dt": "start_at", "end_dt": "end_at", "created_at": "created_at", "updated_at": "updated_at",
        "number": "number_value", "status": "status", "total_amount": "total_amount", "address": "address",
    ]

    init(request req: Request, caller: Caller) throws {
        try self.init(caller: caller, timeZone: req.application.config.timeZone) { key in req.queryValues[key] }
    }

    /// The same filters from any source of query values (the web list maps its `q` to `search`).
    init(caller: Caller, timeZone: TimeZone, query: (String) -> String?) throws {
        var errors: [String: [String]] = [:]
        if caller.role == .operator {
            filters.append(SQLRaw("id IN (SELECT order_id FROM order_operators WHERE user_id = \(caller.id))"))
        }
        var statuses = Set(OrderStatus.allCases.map(\.rawValue))
        if let status: String = query("status"), !status.isEmpty {
            let values = status.split(separator: ",").map { $0.uppercased() }
            for value in values where OrderStatus(rawValue: value) == nil {
                errors["status", default: []].append(FieldMessage.choice(value))
            }
            filters.append(SQLBinaryExpression(SQLColumn("status"), .in, SQLBind.group(values)))
            statuses = Set(values)
        }
        let statusFilters = filters.count
        for (key, column) in [("client", "client_id"), ("manager", "manager_id")] {
            guard let raw: String = query(key) ?? query(key + "_id"), !raw.isEmpty else { continue }
            guard let id = Int(raw) else {
                errors[key, default: []].append(FieldMessage.integer)
                continue
            }
            filters.append(SQLBinaryExpression(SQLColumn(column), .equal, SQLBind(id)))
        }
        if let raw: String = query("operator") ?? query("operator_id"), !raw.isEmpty {
            if let id = Int(raw) {
                filters.append(SQLRaw("id IN (SELECT order_id FROM order_operators WHERE user_id = \(id))"))
            } else {
                errors["operator", default: []].append(FieldMessage.integer)
            }
        }
        let from = try DayBound.parse(
            query("start_from") ?? query("from"), key: "start_from", end: false, timeZone: timeZone, errors: &errors)
        let to = try DayBound.parse(
            query("start_to") ?? query("to"), key: "start_to", end: true, timeZone: timeZone, errors: &errors)
        if let from { filters.append(SQLBinaryExpression(SQLColumn("start_at"), .greaterThanOrEqual, SQLBind(from))) }
        if let to { filters.append(SQLBinaryExpression(SQLColumn("start_at"), .lessThan, SQLBind(to))) }
        if let search: String = query("search") {
            let terms = SearchFilter.terms(search)
            filters.append(contentsOf: terms)
            if !terms.isEmpty { isStructural = false }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        if filters.count == statusFilters, caller.role != .operator { countedStatuses = statuses }
        ordering = OrderingParser.parse(query("ordering"), allowed: Self.orderingFields, fallback: ["-created_at"])
        if !ordering.allSatisfy({ AddOrderVersions.structural.contains($0.column) }) { isStructural = false }
    }

    func count(on sql: any SQLDatabase) async throws -> Int {
        guard let statuses = countedStatuses else {
            return try await SearchFilter.count(table: "orders", filters: filters, on: sql)
        }
        let row = try await sql.select().column(SQLRaw("CAST(COALESCE(SUM(n), 0) AS BIGINT)"), as: "n")
            .from("order_counts").where(SQLColumn("status"), .in, SQLBind.group(statuses.sorted())).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    func ids(page: PageRequest, on sql: any SQLDatabase) async throws -> [String] {
        var select = sql.select().column("id").from("orders")
        for filter in filters { select = select.where(filter) }
        for (column, descending) in ordering { select = select.orderBy(column, descending ? .descending : .ascending) }
        return try await select.orderBy("id").limit(page.size).offset(page.offset).all()
            .map { try $0.decode(column: "id", as: String.self) }
    }
}
