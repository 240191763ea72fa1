import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The order rules that touch the database: create, edit, transitions, completion, deletion.
/// Every method runs inside one transaction (and, on SQLite, one at a time). Who may do what is `OrderPolicy`;
/// refusals are `OrderError`s, which the API and the pages turn into their answers.
struct OrderService {
    let context: ServiceContext

    var caller: Caller { context.caller }
    var timeZone: TimeZone { context.timeZone }

    /// Runs `work` in a transaction, serialised on SQLite.
    func transaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        do {
            return try await context.writes.transaction(on: context.db, work)
        } catch  where BookingGuard.isExclusionViolation(error) {
            throw OrderError.busy([])
        }
    }

    // MARK: - Visibility

    /// The order, if the caller may see it: staff and accountants see all, operators only their own. Read `on` a
    /// write's transaction, the order's row stays locked until it commits (`OrderStore.load`).
    func visibleOrder(_ id: String, on db: (any Database)? = nil) async throws -> (OrderRecord, [Int]) {
        guard UUID(uuidString: id) != nil else { throw OrderError.notFound }
        let store = OrderStore(sql: try (db ?? context.db).sql())
        guard let order = try await store.load(id.lowercased(), locking: db != nil) else { throw OrderError.notFound }
        let operators = try await store.operatorIDs(of: order.id)
        if !OrderPolicy.maySeeAllOrders(caller.role), !operators.contains(caller.id) { throw OrderError.notFound }
        return (order, operators)
    }

    // MARK: - Create and edit

    /// What a create or an update saved, with the warning both channels show after saving.
    struct Saved: Sendable {
        var id: String
        /// Set when the client's debt with open orders passes his credit limit.
        var creditWarning: String?
    }

    /// The draft's lines checked against the catalog, and its fields against the database: the client exists,
    /// the manager is an admin or a manager, the operators are active operators, the number is free. Reports the
    /// draft's own problems with these, as one 400.
    func checkedLines(_ draft: OrderDraft, current: OrderRecord?, db: any Database) async throws -> [OrderLine]? {
        var problems = draft.problems
        if let status = draft.status, status != (current?.status ?? .created).rawValue {
            problems["status", default: []].append(
                "Статус меняется только действиями заявки (PATCH /orders/{id}/status/ и /complete/).")
        }
        let start = draft.startAt.value(or: current?.startAt ?? .distantPast)
        let end = draft.endAt.value(or: current?.endAt)
        if case .keep = draft.startAt, current == nil {
            // A create without a start is already refused by its problems.
        } else if let end, end < start {
            problems["end_dt", default: []].append("Окончание не может быть раньше начала.")
        }
        let sql = try db.sql()
        try await checkReferences(&problems, draft: draft, sql: sql)
        if case .set(let number) = draft.number, number != current?.number,
            try await OrderStore(sql: sql).numberExists(number, except: current?.id)
        {
            problems["number", default: []].append("Заявка с таким номером уже существует.")
        }
        if !problems.isEmpty { throw OrderError.fields(problems) }
        guard case .set(let drafts) = draft.lines else { return nil }
        if drafts.isEmpty { return [] }
        var parser = OrderItemsParser(sql: sql, timeZone: timeZone, maySetPrices: OrderPolicy.maySetPrices(caller.role))
        if let current { parser.currentLines = try await OrderStore(sql: sql).lines(of: current.id) }
        return try await parser.parse(drafts)
    }

    private func checkReferences(
        _ problems: inout [String: [String]], draft: OrderDraft, sql: any SQLDatabase
    ) async throws {
        if case .set(.some(let clientID)) = draft.clientID,
            try await sql.select().column("id").from("clients").where("id", .equal, clientID).first() == nil
        {
            problems["client_id", default: []].append(FieldMessage.missingObject(String(clientID)))
        }
        if case .set(.some(let managerID)) = draft.managerID {
            let row = try await sql.select().columns("role", "is_active").from("users").where("id", .equal, managerID)
                .first()
            if row == nil {
                problems["manager_id", default: []].append(FieldMessage.missingObject(String(managerID)))
            } else if let role = try row?.decode(column: "role", as: String.self), !["admin", "manager"].contains(role)
            {
                problems["manager_id", default: []].append(
                    "Менеджером заявки может быть только администратор или менеджер.")
            }
        }
        if case .set(let operatorIDs) = draft.operatorIDs, !operatorIDs.isEmpty {
            let rows = try await sql.select().columns("id", "role", "is_active").from("users")
                .where("id", .in, Array(Set(operatorIDs))).all()
            var valid: Set<Int> = []
            for row in rows
            where try row.decode(column: "role", as: String.self) == "operator"
                && row.decode(column: "is_active", as: Bool.self)
            {
                valid.insert(try row.decode(column: "id", as: Int.self))
            }
            for id in Set(operatorIDs).subtracting(valid).sorted() {
                problems["operator_ids", default: []].append(
                    "Пользователь \(id) не найден или не является активным оператором.")
            }
        }
    }

    /// Creates the order (numbered, priced and booked) and tells its operators.
    func create(_ draft: OrderDraft) async throws -> Saved {
        let caller = self.caller
        guard OrderPolicy.mayManage(caller.role) else { throw OrderError.forbidden(APIError.forbidden().detail) }
        let now = context.now()
        let (id, facts) = try await transaction { db in
            let lines = try await checkedLines(draft, current: nil, db: db) ?? []
            let sql = try db.sql()
            let store = OrderStore(sql: sql)
            var number: String?
            if case .set(let typed) = draft.number { number = typed }
            if number == nil {
                if sql.dialect.name == "postgresql" {
                    _ = try await sql.raw("SELECT pg_advisory_xact_lock(727274002)").all()
                }
                number = try await store.nextNumber()
            }
            guard case .set(let startAt) = draft.startAt, case .set(let address) = draft.address, let number else {
                throw OrderError.malformed("Некорректные данные заявки.")
            }
            var order = OrderRecord(
                id: UUID().uuidString.lowercased(), number: number, clientID: draft.clientID.value(or: nil),
                address: address, geoLat: draft.geoLat.value(or: nil), geoLng: draft.geoLng.value(or: nil),
                startAt: startAt, endAt: draft.endAt.value(or: nil), description: draft.description.value(or: ""),
                status: .created, managerID: draft.managerID.value(or: nil) ?? caller.id, createdByID: caller.id,
                prepayment: draft.prepayment.value(or: 0),
                prepaymentStatus: draft.prepaymentStatus.value(or: "pending"),
                totalAmount: 0, estimatedTotal: draft.estimatedTotal.value(or: 0), priceSnapshot: "{}",
                attachments: draft.attachments.value(or: .array([])).jsonText,
                meta: draft.metaText(over: "{}"),
                startedAt: nil, completedAt: nil, createdAt: now, updatedAt: now)
            let operators = Array(Set(draft.operatorIDs.value(or: []))).sorted()
            try reprice(&order, lines: lines)
            try await store.insert(order, searchText: try await searchText(order, sql: sql))
            try await store.replaceLines(of: order.id, with: lines, pricedIn: Self.context(for: order))
            try await store.replaceOperators(of: order.id, with: operators)
            try await BookingGuard(sql: sql, timeZone: timeZone).book(
                orderID: order.id, range: BookingGuard.range(start: order.startAt, end: order.endAt),
                resources: BookingGuard.resources(lines: lines, operatorIDs: operators))
            try await store.insertLog(
                orderID: order.id, from: nil, to: .created, actorID: caller.id, comment: "Заявка создана")
            var changes = AuditRecorder.created(order.auditFields)
            changes["operator_ids"] = .object(["to": .array(operators.map { .number(Decimal($0)) })])
            changes["items"] = .object(["to": .number(Decimal(lines.count))])
            try await context.audit(on: db).record(.create, entity: "order", id: order.id, changes: changes)
            return (order.id, Self.facts(order, operators: operators))
        }
        await context.notifier.orderAssignmentsChanged(facts, before: [], after: facts.operatorIDs, actorID: caller.id)
        return Saved(id: id, creditWarning: try await creditWarning(forOrder: id))
    }

    /// What the notifications say about an order.
    static func facts(_ order: OrderRecord, operators: [Int]) -> Notifier.OrderFacts {
        Notifier.OrderFacts(
            id: order.id, number: order.number, address: order.address, startAt: order.startAt,
            managerID: order.managerID,
            operatorIDs: operators)
    }

    /// Changes what the draft sets; a completed or cancelled order is refused (`OrderPolicy.isEditable`).
    func update(id: String, with draft: OrderDraft) async throws {
        try await update(id: id) { _, _, _ in draft }
    }

    /// Changes what `drafting` asks for, given the order and its operators as read inside the update's own
    /// transaction: a change that depends on the order as it is (a move on the planning board) cannot overwrite an
    /// edit saved a moment before it.
    func update(
        id: String,
        drafting: @escaping @Sendable (OrderRecord, _ operators: [Int], any Database) async throws -> OrderDraft
    ) async throws {
        let caller = self.caller
        guard OrderPolicy.mayManage(caller.role) else { throw OrderError.forbidden(APIError.forbidden().detail) }
        let now = context.now()
        let (facts, before): (Notifier.OrderFacts, [Int]) = try await transaction { db in
            let (existing, currentOperators) = try await visibleOrder(id, on: db)
            try Self.checkEditable(existing)
            let draft = try await drafting(existing, currentOperators, db)
            let newLines = try await checkedLines(draft, current: existing, db: db)
            let sql = try db.sql()
            let store = OrderStore(sql: sql)
            var order = existing
            draft.clientID.apply(to: &order.clientID)
            draft.address.apply(to: &order.address)
            draft.geoLat.apply(to: &order.geoLat)
            draft.geoLng.apply(to: &order.geoLng)
            draft.startAt.apply(to: &order.startAt)
            draft.endAt.apply(to: &order.endAt)
            draft.description.apply(to: &order.description)
            draft.managerID.apply(to: &order.managerID)
            draft.number.apply(to: &order.number)
            draft.prepayment.apply(to: &order.prepayment)
            draft.prepaymentStatus.apply(to: &order.prepaymentStatus)
            draft.estimatedTotal.apply(to: &order.estimatedTotal)
            order.meta = draft.metaText(over: order.meta)
            if case .set(let attachments) = draft.attachments { order.attachments = attachments.jsonText }
            order.updatedAt = now
            let lines: [OrderLine]
            let oldLines: [OrderLine]
            if let newLines {
                lines = newLines
                oldLines = try await store.lines(of: order.id)
                try await store.replaceLines(of: order.id, with: newLines, pricedIn: Self.context(for: order))
            } else {
                lines = try await store.lines(of: order.id)
                oldLines = lines
                if Self.context(for: order) != Self.context(for: existing) {
                    try await store.refreshLineFigures(of: order.id, lines: lines, pricedIn: Self.context(for: order))
                }
            }
            var operators = currentOperators
            if case .set(let ids) = draft.operatorIDs {
                operators = Array(Set(ids)).sorted()
                try await store.replaceOperators(of: order.id, with: operators)
            }
            if order.status != .completed { try reprice(&order, lines: lines) }
            try await store.update(order, searchText: try await searchText(order, sql: sql))
            let range = BookingGuard.range(start: order.startAt, end: order.endAt)
            let resources = BookingGuard.resources(lines: lines, operatorIDs: operators)
            // The bookings stand when neither the time nor the machines and operators changed (a description,
            // a price): no conflict can arise, and the edit writes two statements fewer.
            let bookingsStand =
                range == BookingGuard.range(start: existing.startAt, end: existing.endAt)
                && resources == BookingGuard.resources(lines: oldLines, operatorIDs: currentOperators)
            if order.status.holdsResources && !bookingsStand {
                try await BookingGuard(sql: sql, timeZone: timeZone).book(
                    orderID: order.id, range: range, resources: resources)
            }
            var changes = AuditRecorder.diff(before: existing.auditFields, after: order.auditFields)
            if operators != currentOperators {
                changes["operator_ids"] = .object([
                    "from": .array(currentOperators.map { .number(Decimal($0)) }),
                    "to": .array(operators.map { .number(Decimal($0)) }),
                ])
            }
            if newLines != nil { changes["items"] = .object(["to": .number(Decimal(lines.count))]) }
            if !changes.isEmpty {
                try await context.audit(on: db).record(.update, entity: "order", id: order.id, changes: changes)
            }
            return (Self.facts(order, operators: operators), currentOperators)
        }
        await context.notifier.orderAssignmentsChanged(
            facts, before: before, after: facts.operatorIDs, actorID: caller.id)
    }

    /// A completed order is in the books and a cancelled one is over: neither is edited (a completed
    /// order's operator pay is set through `setPay`).
    static func checkEditable(_ order: OrderRecord) throws {
        if !OrderPolicy.isEditable(order.status) { throw OrderError.notEditable(order.status) }
    }

    /// The warning shown after an order is saved for a client whose debt with open orders passes his
    /// credit limit; nil when within it.
    func creditWarning(forOrder id: String) async throws -> String? {
        try await ClientAccount(sql: try context.db.sql()).creditWarning(forOrder: id, timeZone: timeZone)
    }

    /// Prices the lines with a fixed reference time (the order's end, or its start while open) and
    /// stores the snapshot; with no lines the total is the manager's estimate.
    /// Amounts beyond `MoneyLimits` are refused with a field message.
    func reprice(_ order: inout OrderRecord, lines: [OrderLine]) throws {
        let snapshot = Self.snapshot(for: order, lines: lines)
        if let violation = MoneyLimits.violation(of: snapshot) {
            guard let index = violation.line else { throw OrderError.fields(["items": [violation.message]]) }
            var itemErrors = [[String: [String]]](repeating: [:], count: lines.count)
            itemErrors[index] = ["unit_price": [violation.message]]
            throw OrderError.invalid(OrderFieldErrors(lists: ["items": itemErrors]))
        }
        order.totalAmount = lines.isEmpty ? order.estimatedTotal : snapshot.summary.total.kopecks
        order.priceSnapshot = lines.isEmpty ? "{}" : Self.encode(snapshot, timeZone: timeZone)
    }

    static func context(for order: OrderRecord) -> PricingContext {
        let meta = JSONValue.parse(order.meta)?.objectValue ?? [:]
        let plannedEnd = meta["planned_end_dt"]?.stringValue.flatMap {
            ISOTime.parse($0, defaultTimeZone: BusinessTime.timeZone)
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
            let row = try await sql.select().columns("name", "phone").from("clients").where("id", .equal, clientID)
                .first()
        {
            clientText =
                "\(try row.decode(column: "name", as: String.self)) \(try row.decode(column: "phone", as: String.self))"
        }
        return SearchFilter.text(order.number, clientText, order.address, order.description)
    }

    // MARK: - Transitions

    func changeStatus(id: String, to target: OrderStatus, comment: String, attachmentURL: String) async throws {
        let caller = self.caller
        let now = context.now()
        let (facts, from) = try await transaction { db in
            let (existing, operators) = try await visibleOrder(id, on: db)
            let decision = OrderPolicy.checkStatusChange(
                from: existing.status, to: target, actor: caller.role, isAssigned: operators.contains(caller.id))
            if case .rejected(let reason, let isPermission) = decision {
                throw OrderError.transitionRejected(reason: reason, isPermission: isPermission)
            }
            let sql = try db.sql()
            var order = existing
            order.status = target
            order.updatedAt = now
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
            try await store.insertLog(
                orderID: order.id, from: existing.status, to: target, actorID: caller.id, comment: comment,
                attachmentURL: attachmentURL)
            try await context.audit(on: db).record(
                .statusChange, entity: "order", id: order.id,
                changes: [
                    "status": .object(["from": .string(existing.status.rawValue), "to": .string(target.rawValue)]),
                    "comment": .string(comment),
                ])
            return (Self.facts(order, operators: operators), existing.status)
        }
        await context.notifier.orderStatusChanged(facts, from: from, to: target, comment: comment, actorID: caller.id)
    }

    // MARK: - Delete

    /// Removes the order with its items, logs, bookings and unpaid money rows, in one transaction.
    /// Paid salary history and received payments are never deleted: such an order must be kept.
    func delete(id: String) async throws -> String {
        guard OrderPolicy.mayManage(caller.role) else { throw OrderError.forbidden(APIError.forbidden().detail) }
        let (number, photoKeys) = try await transaction { db in
            let (order, _) = try await visibleOrder(id, on: db)
            if !OrderPolicy.isDeletable(order.status) { throw OrderError.notDeletable(.completed) }
            let sql = try db.sql()
            let paid = try await sql.select().column("id").from("salary_records")
                .where("order_id", .equal, order.id).where("status", .equal, "paid").first()
            if paid != nil {
                throw OrderError.notDeletable(.paidSalary)
            }
            let received = try await sql.select().column("id").from("payments")
                .where("order_id", .equal, order.id).where("status", .equal, "success").first()
            if received != nil {
                throw OrderError.notDeletable(.receivedPayments)
            }
            let photoKeys = try await sql.select().column("storage_key").from("order_photos")
                .where("order_id", .equal, order.id).all().map { try $0.decode(column: "storage_key", as: String.self) }
            try await OrderStore(sql: sql).deleteOrder(order.id)
            try await context.audit(on: db).record(
                .delete, entity: "order", id: order.id,
                changes: AuditRecorder.diff(before: order.auditFields, after: [:]))
            return (order.number, photoKeys)
        }
        // Files go only after their rows are gone for good.
        await PhotosAPIController.removeFiles(photoKeys, app: context.app, logger: context.logger)
        return number
    }
}

extension Request {
    /// The order rules, for the signed-in caller; 401 when nobody is signed in.
    var orders: OrderService {
        get throws { OrderService(context: try services) }
    }
}

extension OrderRecord {
    /// `meta.is_delayed`: the order is marked late (the late penalty, docs/domain-rules.md#late-penalty).
    var isDelayed: Bool {
        JSONValue.parse(meta)?.objectValue?["is_delayed"]?.boolFlag ?? false
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
