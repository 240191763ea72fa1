import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The order rules that touch the database: create, edit, transitions, completion, deletion.
/// Every method runs inside one transaction (and, on SQLite, one at a time).
struct OrderService {
    let request: Request
    let caller: Caller

    private var config: AppConfig { request.application.config }
    private var timeZone: TimeZone { config.timeZone }

    init(request: Request) throws {
        self.request = request
        self.caller = try request.caller
    }

    /// Runs `work` in a transaction, serialised on SQLite.
    func transaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        do {
            return try await request.application.writeSerializer.transaction(on: request.db, work)
        } catch where BookingGuard.isExclusionViolation(error) {
            throw APIError.conflict("Ресурс уже занят в это время другой заявкой.", extra: ["conflicts": .array([])])
        }
    }

    // MARK: - Visibility

    /// The order, if the caller may see it: staff and accountants see all, operators only their own.
    func visibleOrder(_ id: String, on db: any Database) async throws -> (OrderRecord, [Int]) {
        guard UUID(uuidString: id) != nil else { throw APIError.notFound() }
        let store = OrderStore(sql: try db.sql())
        guard let order = try await store.load(id.lowercased()) else { throw APIError.notFound() }
        let operators = try await store.operatorIDs(of: order.id)
        if caller.role == .operator, !operators.contains(caller.id) { throw APIError.notFound() }
        return (order, operators)
    }

    // MARK: - Create and edit

    struct Draft {
        var clientID: Int?? = .none
        var address: String?
        var geoLat: Int64?? = .none
        var geoLng: Int64?? = .none
        var startAt: Date?
        var endAt: Date?? = .none
        var description: String?
        var managerID: Int?? = .none
        var operatorIDs: [Int]?
        var number: String?
        var prepayment: Int64?
        var prepaymentStatus: String?
        var estimatedTotal: Int64?
        var meta: [String: JSONValue]?
        var attachments: JSONValue?
        var lines: [OrderLine]?
    }

    /// Parses a create/PUT/PATCH body. `full` requires the fields a create or PUT needs.
    func parseDraft(_ body: [String: JSONValue], full: Bool, current: OrderRecord?, db: any Database) async throws -> Draft {
        var input = JSONInput(body, timeZone: timeZone)
        var draft = Draft()
        if full, !input.has("client_id") { input.fail("client_id", FieldMessage.required) }
        if input.has("client_id") { draft.clientID = .some(input.int("client_id", minimum: 1)) }
        draft.address = input.string("address", required: full, maxLength: 500, allowBlank: false)
        if input.has("geo_lat") { draft.geoLat = .some(input.decimal("geo_lat", maxDigits: 9, scale: 6, minimum: -90, maximum: 90).map { Scaled.toInt($0, scale: 6) }) }
        if input.has("geo_lng") { draft.geoLng = .some(input.decimal("geo_lng", maxDigits: 9, scale: 6, minimum: -180, maximum: 180).map { Scaled.toInt($0, scale: 6) }) }
        draft.startAt = input.dateTime("start_dt", required: full, nullable: false)
        if input.has("end_dt") { draft.endAt = .some(input.dateTime("end_dt")) }
        draft.description = input.string("description", maxLength: 10_000)
        if input.has("manager_id") { draft.managerID = .some(input.int("manager_id", minimum: 1)) }
        var operators = input.intList("operator_ids")
        if let legacy = input.int("operator_id", minimum: 1) { operators = (operators ?? current.map { _ in [] } ?? []) + [legacy] }
        draft.operatorIDs = operators
        if let number = input.string("number", maxLength: 32), !number.isEmpty { draft.number = number }
        draft.prepayment = input.kopecks("prepayment_amount", nullable: false)
        draft.prepaymentStatus = input.string("prepayment_status", maxLength: 20, allowBlank: false)
        draft.estimatedTotal = input.kopecks("total_amount", nullable: false) ?? input.kopecks("estimated_total", nullable: false)
        draft.meta = input.object("meta")
        if input.has("attachments") {
            if case .array = body["attachments"] ?? .null { draft.attachments = body["attachments"] } else { input.fail("attachments", FieldMessage.list) }
        }
        if let status = input.string("status", maxLength: 20), !status.isEmpty {
            let unchanged = status.uppercased() == (current?.status ?? .created).rawValue
            if !unchanged {
                input.fail("status", "Статус меняется только действиями заявки (PATCH /orders/{id}/status/ и /complete/).")
            }
        }
        let start = draft.startAt ?? current?.startAt
        let end: Date? = draft.endAt.map { $0 } ?? current?.endAt
        if let start, let end, end < start { input.fail("end_dt", "Окончание не может быть раньше начала.") }
        let items = input.array("items")
        if input.has("items"), body["items"] != .null, items == nil { /* error already recorded */ }

        let sql = try db.sql()
        try await checkReferences(&input, draft: draft, sql: sql)
        if let number = draft.number, number != current?.number,
            try await OrderStore(sql: sql).numberExists(number, except: current?.id)
        {
            input.fail("number", "Заявка с таким номером уже существует.")
        }
        try input.validate()
        if let items {
            var parser = OrderItemsParser(sql: sql, timeZone: timeZone, maySetPrices: AccessPolicy.maySetPrices(caller.role))
            if let current { parser.currentLines = try await OrderStore(sql: sql).lines(of: current.id) }
            draft.lines = try await parser.parse(items)
        } else if body["items"] == .null, input.has("items") {
            draft.lines = []
        }
        return draft
    }

    private func checkReferences(_ input: inout JSONInput, draft: Draft, sql: any SQLDatabase) async throws {
        if case .some(.some(let clientID)) = draft.clientID,
            try await sql.select().column("id").from("clients").where("id", .equal, clientID).first() == nil
        {
            input.fail("client_id", FieldMessage.missingObject(String(clientID)))
        }
        if case .some(.some(let managerID)) = draft.managerID {
            let row = try await sql.select().columns("role", "is_active").from("users").where("id", .equal, managerID).first()
            if row == nil {
                input.fail("manager_id", FieldMessage.missingObject(String(managerID)))
            } else if let role = try row?.decode(column: "role", as: String.self), !["admin", "manager"].contains(role) {
                input.fail("manager_id", "Менеджером заявки может быть только администратор или менеджер.")
            }
        }
        if let operatorIDs = draft.operatorIDs, !operatorIDs.isEmpty {
            let rows = try await sql.select().columns("id", "role", "is_active").from("users")
                .where("id", .in, Array(Set(operatorIDs))).all()
            var valid: Set<Int> = []
            for row in rows where try row.decode(column: "role", as: String.self) == "operator"
                && row.decode(column: "is_active", as: Bool.self)
            {
                valid.insert(try row.decode(column: "id", as: Int.self))
            }
            for id in Set(operatorIDs).subtracting(valid).sorted() {
                input.fail("operator_ids", "Пользователь \(id) не найден или не является активным оператором.")
            }
        }
    }

    func create(body: [String: JSONValue]) async throws -> String {
        let caller = self.caller
        let (id, facts) = try await transaction { db in
            let draft = try await parseDraft(body, full: true, current: nil, db: db)
            let sql = try db.sql()
            let store = OrderStore(sql: sql)
            let now = Date()
            var number = draft.number
            if number == nil {
                if sql.dialect.name == "postgresql" {
                    _ = try await sql.raw("SELECT pg_advisory_xact_lock(727274002)").all()
                }
                number = try await store.nextNumber()
            }
            guard let startAt = draft.startAt, let address = draft.address, let number else {
                throw APIError.badRequest("Некорректные данные заявки.")
            }
            var order = OrderRecord(
                id: UUID().uuidString.lowercased(), number: number, clientID: draft.clientID ?? nil, address: address,
                geoLat: draft.geoLat ?? nil, geoLng: draft.geoLng ?? nil, startAt: startAt, endAt: draft.endAt ?? nil,
                description: draft.description ?? "", status: .created, managerID: (draft.managerID ?? nil) ?? caller.id,
                createdByID: caller.id, prepayment: draft.prepayment ?? 0, prepaymentStatus: draft.prepaymentStatus ?? "pending",
                totalAmount: 0, estimatedTotal: draft.estimatedTotal ?? 0, priceSnapshot: "{}",
                attachments: draft.attachments?.jsonText ?? "[]", meta: JSONValue.object(draft.meta ?? [:]).jsonText,
                startedAt: nil, completedAt: nil, createdAt: now, updatedAt: now)
            let lines = draft.lines ?? []
            let operators = Array(Set(draft.operatorIDs ?? [])).sorted()
            try reprice(&order, lines: lines)
            try await store.insert(order, searchText: try await searchText(order, sql: sql))
            try await store.replaceLines(of: order.id, with: lines, pricedIn: Self.context(for: order))
            try await store.replaceOperators(of: order.id, with: operators)
            try await BookingGuard(sql: sql, timeZone: timeZone).book(
                orderID: order.id, range: BookingGuard.range(start: order.startAt, end: order.endAt),
                resources: BookingGuard.resources(lines: lines, operatorIDs: operators))
            try await store.insertLog(orderID: order.id, from: nil, to: .created, actorID: caller.id, comment: "Заявка создана")
            var changes = AuditRecorder.created(order.auditFields)
            changes["operator_ids"] = .object(["to": .array(operators.map { .number(Decimal($0)) })])
            changes["items"] = .object(["to": .number(Decimal(lines.count))])
            try await AuditRecorder(request: request, db: db).record(.create, entity: "order", id: order.id, changes: changes)
            return (order.id, Self.facts(order, operators: operators))
        }
        await Notifier(request: request).orderAssignmentsChanged(facts, before: [], after: facts.operatorIDs, actorID: caller.id)
        return id
    }

    /// What the notifications say about an order.
    static func facts(_ order: OrderRecord, operators: [Int]) -> Notifier.OrderFacts {
        Notifier.OrderFacts(
            id: order.id, number: order.number, address: order.address, startAt: order.startAt, managerID: order.managerID,
            operatorIDs: operators)
    }

    func update(id: String, body: [String: JSONValue], full: Bool) async throws {
        let caller = self.caller
        let (facts, before) = try await transaction { db in
            let (existing, currentOperators) = try await visibleOrder(id, on: db)
            try Self.checkEditable(existing)
            let draft = try await parseDraft(body, full: full, current: existing, db: db)
            let sql = try db.sql()
            let store = OrderStore(sql: sql)
            var order = existing
            if let value = draft.clientID { order.clientID = value }
            if let value = draft.address { order.address = value }
            if let value = draft.geoLat { order.geoLat = value }
            if let value = draft.geoLng { order.geoLng = value }
            if let value = draft.startAt { order.startAt = value }
            if let value = draft.endAt { order.endAt = value }
            if let value = draft.description { order.description = value }
            if let value = draft.managerID { order.managerID = value }
            if let value = draft.number { order.number = value }
            if let value = draft.prepayment { order.prepayment = value }
            if let value = draft.prepaymentStatus { order.prepaymentStatus = value }
            if let value = draft.estimatedTotal { order.estimatedTotal = value }
            if let value = draft.meta { order.meta = JSONValue.object(value).jsonText }
            if let value = draft.attachments { order.attachments = value.jsonText }
            order.updatedAt = Date()
            let lines: [OrderLine]
            if let newLines = draft.lines {
                lines = newLines
                try await store.replaceLines(of: order.id, with: newLines, pricedIn: Self.context(for: order))
            } else {
                lines = try await store.lines(of: order.id)
                if Self.context(for: order) != Self.context(for: existing) {
                    try await store.refreshLineFigures(of: order.id, lines: lines, pricedIn: Self.context(for: order))
                }
            }
            let operators = draft.operatorIDs.map { Array(Set($0)).sorted() } ?? currentOperators
            if draft.operatorIDs != nil { try await store.replaceOperators(of: order.id, with: operators) }
            if order.status != .completed { try reprice(&order, lines: lines) }
            try await store.update(order, searchText: try await searchText(order, sql: sql))
            if order.status.holdsResources {
                try await BookingGuard(sql: sql, timeZone: timeZone).book(
                    orderID: order.id, range: BookingGuard.range(start: order.startAt, end: order.endAt),
                    resources: BookingGuard.resources(lines: lines, operatorIDs: operators))
            }
            var changes = AuditRecorder.diff(before: existing.auditFields, after: order.auditFields)
            if operators != currentOperators {
                changes["operator_ids"] = .object([
                    "from": .array(currentOperators.map { .number(Decimal($0)) }), "to": .array(operators.map { .number(Decimal($0)) }),
                ])
            }
            if draft.lines != nil { changes["items"] = .object(["to": .number(Decimal(lines.count))]) }
            if !changes.isEmpty {
                try await AuditRecorder(request: request, db: db).record(.update, entity: "order", id: order.id, changes: changes)
            }
            return (Self.facts(order, operators: operators), currentOperators)
        }
        await Notifier(request: request).orderAssignmentsChanged(facts, before: before, after: facts.operatorIDs, actorID: caller.id)
    }

    /// A completed order is in the books and a cancelled one is over: neither is edited (a completed
    /// order's operator pay is set through `setPay`).
    static func checkEditable(_ order: OrderRecord) throws {
        if order.status == .completed || order.status == .cancelled {
            throw APIError(status: .conflict, detail: "Заявка в статусе «\(order.status.title)» не редактируется.")
        }
    }

    /// The warning shown after an order is saved for a client whose debt with open orders passes his
    /// credit limit; nil when within it.
    func creditWarning(forOrder id: String) async throws -> String? {
        try await ClientAccount(sql: try request.db.sql()).creditWarning(forOrder: id, timeZone: timeZone)
    }

    /// Prices the lines with a fixed reference time (the order's end, or its start while open) and
    /// stores the snapshot; with no lines the total is the manager's estimate.
    /// Amounts beyond `MoneyLimits` are refused with a field message.
    func reprice(_ order: inout OrderRecord, lines: [OrderLine]) throws {
        let snapshot = Self.snapshot(for: order, lines: lines)
        if let violation = MoneyLimits.violation(of: snapshot) {
            guard let index = violation.line else { throw FieldErrors(["items": [violation.message]]) }
            var itemErrors = [JSONValue](repeating: .object([:]), count: lines.count)
            itemErrors[index] = .object(["unit_price": .array([.string(violation.message)])])
            throw APIError.fields(["items": .array(itemErrors)])
        }
        order.totalAmount = lines.isEmpty ? order.estimatedTotal : snapshot.summary.total.kopecks
        order.priceSnapshot = lines.isEmpty ? "{}" : Self.encode(snapshot, timeZone: timeZone)
    }

    static func context(for order: OrderRecord) -> PricingContext {
        let meta = JSONValue.parse(order.meta)?.objectValue ?? [:]
        let plannedEnd = meta["planned_end_dt"]?.stringValue.flatMap {
            ISOTime.parse($0, defaultTimeZone: TimeZone(identifier: "Europe/Moscow") ?? .current)
        }
        return PricingContext(
            start: order.startAt, end: order.endAt, referenceTime: order.endAt ?? order.startAt,
            prepayment: Scaled.toDecimal(order.prepayment, scale: 2), isDelayed: meta["is_delayed"]?.boolFlag ?? false,
            plannedEnd: plannedEnd)
    }

    static func snapshot(for order: OrderRecord, lines: [OrderLine]) -> PriceSnapshot {
        var snapshot = PriceCalculator.price(lines.map(\.pricingItem), context: context(for: order))
        snapshot.generatedAt = Date()
        return snapshot
    }

    static func encode(_ snapshot: PriceSnapshot, timeZone: TimeZone) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISOTime.format(date, in: timeZone))
        }
        guard let data = try? encoder.encode(snapshot) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private func searchText(_ order: OrderRecord, sql: any SQLDatabase) async throws -> String {
        var clientText = ""
        if let clientID = order.clientID,
            let row = try await sql.select().columns("name", "phone").from("clients").where("id", .equal, clientID).first()
        {
            clientText = "\(try row.decode(column: "name", as: String.self)) \(try row.decode(column: "phone", as: String.self))"
        }
        return SearchFilter.text(order.number, clientText, order.address, order.description)
    }

    // MARK: - Transitions

    func changeStatus(id: String, to target: OrderStatus, comment: String, attachmentURL: String) async throws {
        let caller = self.caller
        let (facts, from) = try await transaction { db in
            let (existing, operators) = try await visibleOrder(id, on: db)
            let decision = OrderTransitions.checkStatusChange(
                from: existing.status, to: target, actor: caller.role, isAssigned: operators.contains(caller.id))
            if case .rejected(let reason, let isPermission) = decision {
                throw isPermission ? APIError.forbidden(reason) : APIError.badRequest(reason)
            }
            let sql = try db.sql()
            var order = existing
            order.status = target
            order.updatedAt = Date()
            if target == .inProgress, order.startedAt == nil { order.startedAt = order.updatedAt }
            let bookings = BookingGuard(sql: sql, timeZone: timeZone)
            if target.holdsResources {
                let lines = try await OrderStore(sql: sql).lines(of: order.id)
                try await bookings.book(
                    orderID: order.id, range: BookingGuard.range(start: order.startAt, end: order.endAt),
                    resources: BookingGuard.resources(lines: lines, operatorIDs: operators))
            } else {
                try await bookings.release(orderID: order.id)
            }
            let store = OrderStore(sql: sql)
            try await store.update(order, searchText: try await searchText(order, sql: sql))
            try await store.insertLog(orderID: order.id, from: existing.status, to: target, actorID: caller.id, comment: comment, attachmentURL: attachmentURL)
            try await AuditRecorder(request: request, db: db).record(
                .statusChange, entity: "order", id: order.id,
                changes: ["status": .object(["from": .string(existing.status.rawValue), "to": .string(target.rawValue)]), "comment": .string(comment)])
            return (Self.facts(order, operators: operators), existing.status)
        }
        await Notifier(request: request).orderStatusChanged(facts, from: from, to: target, comment: comment, actorID: caller.id)
    }

    // MARK: - Delete

    /// Removes the order with its items, logs, bookings and unpaid money rows, in one transaction.
    /// Paid salary history and received payments are never deleted: such an order must be kept.
    func delete(id: String) async throws -> String {
        let (number, photoKeys) = try await transaction { db in
            let (order, _) = try await visibleOrder(id, on: db)
            if order.status == .completed {
                throw APIError(status: .conflict, detail: "Завершённую заявку нельзя удалить: она уже учтена в деньгах.")
            }
            let sql = try db.sql()
            let paid = try await sql.select().column("id").from("salary_records")
                .where("order_id", .equal, order.id).where("status", .equal, "paid").first()
            if paid != nil {
                throw APIError.badRequest("Нельзя удалить заявку с выплаченной зарплатой: отмените её вместо удаления.")
            }
            let received = try await sql.select().column("id").from("payments")
                .where("order_id", .equal, order.id).where("status", .equal, "success").first()
            if received != nil {
                throw APIError.badRequest("Нельзя удалить заявку с поступившими платежами: отмените её вместо удаления.")
            }
            let photoKeys = try await sql.select().column("storage_key").from("order_photos")
                .where("order_id", .equal, order.id).all().map { try $0.decode(column: "storage_key", as: String.self) }
            try await OrderStore(sql: sql).deleteOrder(order.id)
            try await AuditRecorder(request: request, db: db).record(
                .delete, entity: "order", id: order.id,
                changes: AuditRecorder.diff(before: order.auditFields, after: [:]))
            return (order.number, photoKeys)
        }
        // Files go only after their rows are gone for good.
        await PhotosAPIController.removeFiles(photoKeys, app: request.application, logger: request.logger)
        return number
    }
}

extension JSONValue {
    /// Truthiness as the original read `meta.is_delayed`.
    var boolFlag: Bool {
        switch self {
        case .bool(let flag): flag
        case .number(let number): number != 0
        case .string(let text): ["true", "1", "yes"].contains(text.lowercased())
        default: false
        }
    }
}
