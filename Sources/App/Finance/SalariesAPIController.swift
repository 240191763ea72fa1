import Domain
import Foundation
import SQLKit
import Vapor

/// Operator pay records: the payout workflow `pending → approved → paid` for admins and accountants
/// (`/api/v1/salaries/`), and the operator's own view (`/api/v1/users/operator/salary/`).
struct SalariesAPIController {
    static let operatorsOnly = "Доступно только для операторов"

    /// `GET /salaries/?user=&order=&status=&from=&to=&page=`: newest first, paginated.
    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        let period = try ReportPeriod(request: req)
        var errors: [String: [String]] = [:]
        var filter: SQLQueryString = "1 = 1"
        if let raw: String = req.queryValues["user"] ?? req.queryValues["user_id"], !raw.isEmpty {
            if let id = Int(raw) {
                filter += " AND s.user_id = \(bind: id)"
            } else {
                errors["user", default: []].append(FieldMessage.integer)
            }
        }
        if let raw: String = req.queryValues["order"] ?? req.queryValues["order_id"], !raw.isEmpty {
            if let id = UUID(uuidString: raw) {
                filter += " AND s.order_id = \(bind: id.uuidString.lowercased())"
            } else {
                errors["order", default: []].append(FieldMessage.missingObject(raw))
            }
        }
        if let raw: String = req.queryValues["status"], !raw.isEmpty {
            if let status = SalaryStatus(rawValue: raw.lowercased()) {
                filter += " AND s.status = \(bind: status.rawValue)"
            } else {
                errors["status", default: []].append(FieldMessage.choice(raw))
            }
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        filter += period.startBounds("s.work_date")
        let store = SalaryStore(sql: try req.db.sql(), timeZone: req.application.config.timeZone)
        let count = try await store.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let links = PageLinks.links(for: req, page: page, count: count)
        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginPage(count: count, links: links)
        for record in try await store.records(filter, limit: page.size, offset: page.offset) {
            store.write(record, into: &writer)
        }
        writer.endPage()
        return FinanceJSON.response(writer)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let store = SalaryStore(sql: try req.db.sql(), timeZone: req.application.config.timeZone)
        guard let record = try await store.record(try req.intParameter()) else { throw APIError.notFound() }
        var writer = JSONWriter()
        store.write(record, into: &writer)
        return FinanceJSON.response(writer)
    }

    /// `PATCH /salaries/{id}/ {"status": "approved" | "paid" | "pending"}`: one step of the payout workflow.
    /// A paid record is final; `paid_at` is set when it is paid.
    @Sendable func update(req: Request) async throws -> Response {
        let id = try req.intParameter()
        var input = try JSONInput(request: req)
        let target = input.choice("status", as: SalaryStatus.self, required: true)
        try input.validate()
        guard let target else { throw FieldErrors("status", FieldMessage.required) }
        let timeZone = req.application.config.timeZone
        let record = try await req.application.writeSerializer.transaction(on: req.db) { db in
            let store = SalaryStore(sql: try db.sql(), timeZone: timeZone)
            guard let record = try await store.record(id) else { throw APIError.notFound() }
            if case .rejected(let reason, _) = record.status.checkTransition(to: target) {
                throw FieldErrors("status", reason)
            }
            let now = Date()
            let changed = try await store.changeStatus(
                id, from: record.status, to: target, paidAt: target == .paid ? now : nil, now: now)
            guard changed else {
                throw APIError.conflict(
                    "Запись зарплаты изменилась одновременно с вашим запросом. Обновите страницу.")
            }
            try await AuditRecorder(request: req, db: db).record(
                target == .paid ? .payment : .statusChange, entity: "salary_record", id: String(id),
                changes: [
                    "status": .object(["from": .string(record.status.rawValue), "to": .string(target.rawValue)]),
                    "amount": .string(FinanceJSON.money(record.amount)),
                    "user_id": .number(Decimal(record.userID)),
                ])
            return record
        }
        // After the commit: the operator hears that the pay was approved or paid.
        await Notifier(request: req).salaryStatusChanged(
            userID: record.userID, orderID: record.orderID, orderNumber: record.orderNumber,
            amountKopecks: record.amount, status: target)
        return try await show(req: req)
    }

    // MARK: - Operator's own view

    /// `GET /users/operator/salary/?from=&to=`: the caller's pay records and every order they are assigned to
    /// (through `order_operators`), with totals per status.
    @Sendable func operatorView(req: Request) async throws -> Response {
        let caller = try req.caller
        let period = try ReportPeriod(request: req)
        let store = SalaryStore(sql: try req.db.sql(), timeZone: req.application.config.timeZone)
        var filter: SQLQueryString = "s.user_id = \(bind: caller.id)"
        filter += period.startBounds("s.work_date")
        let totals = try await store.totalsByStatus(filter)
        let records = try await store.records(filter, limit: 10_000, offset: 0)
        let orders = try await store.assignedOrders(of: caller.id, period: period)
        let all = totals.values.reduce(0, +)

        var writer = JSONWriter(capacity: 32 * 1024)
        writer.beginObject()
        writer.field("total_salary", FinanceJSON.money(all))
        writer.key("totals")
        writer.beginObject()
        for status in SalaryStatus.allCases { writer.field(status.rawValue, FinanceJSON.money(totals[status] ?? 0)) }
        writer.field("all", FinanceJSON.money(all))
        writer.endObject()
        writer.key("period")
        period.write(into: &writer)
        writer.key("salary_records")
        writer.beginArray()
        for record in records { store.write(record, into: &writer, brief: true) }
        writer.endArray()
        writer.key("orders")
        writer.beginArray()
        for order in orders { store.write(order, into: &writer) }
        writer.endArray()
        writer.endObject()
        return FinanceJSON.response(writer)
    }
}
