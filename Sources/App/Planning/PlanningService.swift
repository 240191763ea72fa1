import Domain
import Fluent
import Foundation
import SQLKit
import Vapor
import WebUI

/// The planning board's rules that touch the database (docs/planning.md): who sees which rows, moving an order
/// by dragging its bar (through `OrderService`, so the booking rules are the orders' own), an operator's shifts
/// and his calendar feed.
struct PlanningService {
    let context: ServiceContext

    var caller: Caller { context.caller }
    var timeZone: TimeZone { context.timeZone }
    var calendar: Calendar { BusinessTime.calendar(in: timeZone) }

    // MARK: - The board

    /// The board of `resource` over `period`. Staff and accountants see every row; an operator only his own
    /// (whatever `resource` asks).
    func board(_ resource: PlanningResource, period: PlanningPeriod) async throws -> PlanningBoard {
        let store = PlanningStore(sql: try context.db.sql())
        let kind = OrderPolicy.maySeeAllOrders(caller.role) ? resource : .operator
        let only: [Int]? = kind == resource && OrderPolicy.maySeeAllOrders(caller.role) ? nil : [caller.id]
        let resources = try await store.resources(kind, only: only)
        let orders = try await store.orders(kind, in: period.range, only: only)
        return PlanningBoard(resource: kind, period: period, resources: resources, orders: orders)
    }

    // MARK: - Drag to reschedule

    /// Moves an order to another start (keeping its length when its end is known) and, when `toID` differs from
    /// `fromID`, from one machine or operator to another, as one order update: the same checks, booking guard,
    /// audit entry and notifications as the order form. A clash is `OrderError.busy` with the clashing orders.
    /// The move is drafted from the order as read inside the update's transaction.
    func move(_ move: PlanningMove) async throws {
        try await OrderService(context: context).update(id: move.orderID) { order, operators, db in
            try await Self.draft(moving: order, operators: operators, as: move, db: db)
        }
    }

    static func draft(
        moving order: OrderRecord, operators: [Int], as move: PlanningMove, db: any Database
    ) async throws -> OrderDraft {
        var draft = OrderDraft()
        draft.startAt = .set(move.start)
        if let end = order.endAt {
            draft.endAt = .set(move.start.addingTimeInterval(end.timeIntervalSince(order.startAt)))
        }
        guard move.toID != move.fromID else { return draft }
        switch move.resource {
        case .operator:
            guard operators.contains(move.fromID) else { throw PlanningError.notOnOrder }
            if operators.contains(move.toID) { throw PlanningError.alreadyOnOrder }
            draft.operatorIDs = .set(operators.map { $0 == move.fromID ? move.toID : $0 })
        case .equipment:
            let lines = try await OrderStore(sql: try db.sql()).lines(of: order.id)
            let machines = lines.filter { $0.itemType == .equipment }.compactMap(\.refID)
            guard machines.contains(move.fromID) else { throw PlanningError.notOnOrder }
            if machines.contains(move.toID) { throw PlanningError.alreadyOnOrder }
            draft.lines = .set(lines.map { Self.draft(of: $0, replacing: move.fromID, with: move.toID) })
        }
        return draft
    }

    /// A saved line asked for again as it is; the moved machine's line names the new machine, whose catalogue
    /// name, unit and rates then apply (a typed price stays).
    static func draft(of line: OrderLine, replacing fromID: Int, with toID: Int) -> OrderLineDraft {
        let moved = line.itemType == .equipment && line.refID == fromID
        var draft = OrderLineDraft(itemType: line.itemType, refID: moved ? toID : line.refID)
        draft.quantity = Scaled.toDecimal(line.quantity, scale: 2)
        draft.taxRate = Scaled.toDecimal(line.taxRate, scale: 2)
        draft.discount = Scaled.toDecimal(line.discount, scale: 2)
        if line.manualPrice || line.refID == nil { draft.unitPrice = line.unitPrice }
        draft.manualPrice = line.manualPrice
        if line.refID == nil { draft.name = line.name }
        if !moved { draft.unit = line.unit }
        draft.fuelExpense = line.fuelExpense
        draft.repairExpense = line.repairExpense
        draft.shifts = line.shifts
        draft.hours = line.hours
        draft.billingMode = line.billingMode
        draft.note = line.note
        draft.metadata = line.extraMetadata
        return draft
    }

    // MARK: - «Мои смены»

    /// The caller's assignments that are not over and start before the end of `days` days from today, by start.
    func shifts(days: Int = 14) async throws -> (period: PlanningPeriod, orders: [PlanningOrder]) {
        let today = calendar.startOfDay(for: context.now())
        let last = calendar.date(byAdding: .day, value: max(1, days) - 1, to: today) ?? today
        guard let period = PlanningPeriod(first: today, last: last, calendar: calendar) else {
            throw APIError.badRequest("Некорректный период.")
        }
        let store = PlanningStore(sql: try context.db.sql())
        let orders = try await store.orders(.operator, in: period.range, only: [caller.id])[caller.id] ?? []
        let now = context.now()
        let current = orders.filter { $0.status != .completed || ($0.end ?? $0.start) > now }
            .filter { $0.booking.overlaps(period.range) && $0.start < period.end }
            .sorted { ($0.start, $0.number) < ($1.start, $1.number) }
        return (period, current)
    }

    // MARK: - Calendar feed

    /// The caller's feed secret, nil while the feed is off.
    func feedSecret() async throws -> String? {
        try checkKeepsShifts()
        return try await PlanningStore(sql: try context.db.sql()).feedSecret(of: caller.id)
    }

    /// Turns the caller's feed on with a new secret (the old address, if any, stops working).
    func renewFeed() async throws -> String {
        try checkKeepsShifts()
        let secret = Self.newSecret()
        let now = context.now()
        let caller = self.caller
        try await context.writes.transaction(on: context.db) { db in
            try await PlanningStore(sql: try db.sql()).replaceFeed(of: caller.id, secret: secret, at: now)
            try await context.audit(on: db).record(
                .update, entity: "calendar_feed", id: String(caller.id), changes: ["enabled": .bool(true)])
        }
        return secret
    }

    /// Turns the caller's feed off: its address stops working.
    func revokeFeed() async throws {
        try checkKeepsShifts()
        let caller = self.caller
        try await context.writes.transaction(on: context.db) { db in
            try await PlanningStore(sql: try db.sql()).deleteFeed(of: caller.id)
            try await context.audit(on: db).record(
                .update, entity: "calendar_feed", id: String(caller.id), changes: ["enabled": .bool(false)])
        }
    }

    /// Feeds are the operators' (`PlanningPolicy.keepsShifts`).
    func checkKeepsShifts() throws {
        guard PlanningPolicy.keepsShifts(caller.role) else { throw APIError.forbidden() }
    }

    /// 32 random bytes as URL-safe base64 (43 characters).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// What a drag on the board asks for: the order, the row it was dragged from and the row and start it was dropped
/// on.
struct PlanningMove: Sendable {
    var orderID: String
    var resource: PlanningResource
    var fromID: Int
    var toID: Int
    var start: Date
}

enum PlanningError: APIMappedError, Sendable, Equatable {
    /// The bar was dragged from a row the order does not hold (the page was stale).
    case notOnOrder
    /// Dropped on a machine or operator the order already holds.
    case alreadyOnOrder

    var apiError: any Error {
        switch self {
        case .notOnOrder:
            APIError.conflict("Заявка уже не на этой строке плана: обновите страницу.", extra: [:])
        case .alreadyOnOrder:
            APIError.conflict("Этот ресурс уже есть в заявке.", extra: [:])
        }
    }
}

extension Request {
    /// The planning board's rules, for the signed-in caller.
    var planning: PlanningService {
        get throws { PlanningService(context: try services) }
    }
}

// MARK: - The calendar feed's document

extension PlanningService {
    /// How far back and ahead the feed reaches.
    static let feedPast: TimeInterval = 31 * 86_400
    static let feedAhead: TimeInterval = 92 * 86_400

    /// The caller a feed's secret stands for (its owner, while active); nil for an unknown or revoked secret.
    static func feedCaller(secret: String, on db: any Database) async throws -> Caller? {
        guard secret.count >= 20, secret.count <= 100,
            let owner = try await PlanningStore(sql: try db.sql()).feedOwner(secret: secret),
            let role = Role(rawValue: owner.role), PlanningPolicy.keepsShifts(role)
        else { return nil }
        return Caller(id: owner.id, role: role, fullName: owner.name)
    }

    /// The caller's assignments from a month back to three months ahead as an iCalendar document
    /// (docs/planning.md#calendar-feed). Times are the board's: an order without an end lasts a day.
    func calendarFeed() async throws -> String {
        let now = context.now()
        guard let range = TimeRange(start: now - Self.feedPast, end: now + Self.feedAhead) else { return "" }
        let store = PlanningStore(sql: try context.db.sql())
        let orders = (try await store.orders(.operator, in: range, only: [caller.id])[caller.id] ?? [])
            .filter { $0.booking.overlaps(range) }
            .sorted { ($0.start, $0.number) < ($1.start, $1.number) }
        let machines = try await store.machineNames(of: orders.map(\.id))
        let base = context.app.publicBaseURL
        let events = orders.map { order in
            var details: [String] = []
            if !order.client.isEmpty { details.append("Клиент: " + order.client) }
            if let names = machines[order.id], !names.isEmpty {
                details.append("Техника: " + names.joined(separator: ", "))
            }
            details.append("Статус: " + order.status.title)
            if order.hasOpenEnd { details.append("Окончание не указано: показан один день.") }
            let title = "Заявка № " + order.number + (order.client.isEmpty ? "" : " · " + order.client)
            return ICalendar.Event(
                uid: order.id + "@ringo-uchet", stamp: now, start: order.booking.start, end: order.booking.end,
                summary: title, location: order.address, description: details.joined(separator: "\n"),
                url: base + Paths.order(order.id), status: order.status == .created ? "TENTATIVE" : "CONFIRMED")
        }
        return ICalendar(name: "Ринго Учёт: смены · " + caller.fullName, events: events).render()
    }
}
