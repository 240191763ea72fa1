import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

extension OrderService {
    struct PayEntry: Sendable {
        var operatorID: Int
        var rateType: SalaryRateType
        var rateValue: Decimal
        var hours: Decimal?
    }

    /// The pay entries for operators assigned to the order; one message object per entry otherwise.
    static func checkPay(_ drafts: [OrderPayDraft], assigned: [Int]) throws -> [PayEntry] {
        var entries: [PayEntry] = []
        var errors: [[String: [String]]] = []
        var failed = false
        for draft in drafts {
            var problems = draft.problems
            if let operatorID = draft.operatorID, !assigned.contains(operatorID) {
                problems["operator_id", default: []].append("Оператор \(operatorID) не назначен на эту заявку.")
            }
            if problems.isEmpty, let operatorID = draft.operatorID, let value = draft.rateValue ?? draft.salary {
                entries.append(
                    PayEntry(operatorID: operatorID, rateType: draft.rateType, rateValue: value, hours: draft.hours))
                errors.append([:])
            } else {
                failed = true
                errors.append(problems)
            }
        }
        if failed { throw OrderError.invalid(OrderFieldErrors(lists: ["operator_salaries": errors])) }
        return entries
    }

    /// `POST /orders/{id}/complete/`: the only place where money is booked. Sets the real end time,
    /// re-prices from the reported shifts/hours and materials, stores the price snapshot, books fuel and
    /// repair expenses (one row per machine and kind, updated on repeat) and operator pay (never touching
    /// a paid record).
    func complete(id: String, with report: OrderCompletion) async throws {
        let caller = self.caller
        let timeZone = self.timeZone
        let now = context.now()
        let (facts, from, comment) = try await transaction { db in
            let (existing, operators) = try await visibleOrder(id, on: db)
            let decision = OrderPolicy.checkCompletion(
                from: existing.status, actor: caller.role, isAssigned: operators.contains(caller.id))
            if case .rejected(let reason, let isPermission) = decision {
                throw OrderError.transitionRejected(reason: reason, isPermission: isPermission)
            }
            var problems = report.problems
            if let endAt = report.endAt, endAt < existing.startAt {
                problems["end_dt", default: []].append("Окончание не может быть раньше начала.")
            }
            if !problems.isEmpty { throw OrderError.fields(problems) }
            guard let endAt = report.endAt else { throw OrderError.malformed("Укажите время окончания.") }
            if report.pay?.isEmpty == false, !OrderPolicy.maySetPay(caller.role) {
                throw OrderError.forbidden("Оплату операторов указывает администратор или менеджер.")
            }
            let pay = try Self.checkPay(report.pay ?? [], assigned: operators)
            let comment = report.comment

            let sql = try db.sql()
            let store = OrderStore(sql: sql)
            let currentLines = try await store.lines(of: existing.id)
            var lines = currentLines
            if let items = report.lines {
                if !report.lineListProblems.isEmpty { throw OrderError.fields(["items": report.lineListProblems]) }
                lines = try await completedLines(items, current: currentLines, sql: sql)
            }
            var order = existing
            order.status = .completed
            order.endAt = endAt
            order.completedAt = now
            order.updatedAt = now
            try reprice(&order, lines: lines)
            if report.lines != nil {
                try await store.replaceLines(of: order.id, with: lines, pricedIn: Self.context(for: order))
            } else {
                try await store.refreshLineFigures(of: order.id, lines: lines, pricedIn: Self.context(for: order))
            }
            try await store.update(
                order,
                searchText: SearchFilter.text(order.number, order.address, order.description) + " "
                    + (try await clientSearchText(order, sql: sql)))
            try await BookingGuard(sql: sql, timeZone: timeZone).release(orderID: order.id)
            try await store.insertLog(
                orderID: order.id, from: existing.status, to: .completed, actorID: caller.id, comment: comment)
            try await bookExpenses(order: order, lines: lines, sql: sql)
            try await bookPay(pay, order: order, sql: sql)
            try await context.audit(on: db).record(
                .statusChange, entity: "order", id: order.id,
                changes: [
                    "status": .object(["from": .string(existing.status.rawValue), "to": .string("COMPLETED")]),
                    "total_amount": .object([
                        "from": .string(Scaled.text(existing.totalAmount, scale: 2)),
                        "to": .string(Scaled.text(order.totalAmount, scale: 2)),
                    ]),
                    "comment": .string(comment),
                ])
            return (Self.facts(order, operators: operators), existing.status, comment)
        }
        await context.notifier.orderStatusChanged(
            facts, from: from, to: .completed, comment: comment, actorID: caller.id)
    }

    /// `POST /orders/{id}/salaries/`: sets operator pay in any status; books no expenses.
    /// `problems`: what reading the list found (reported once the order is found).
    func setPay(id: String, pay drafts: [OrderPayDraft], problems: [String: [String]] = [:]) async throws {
        guard OrderPolicy.maySetPay(caller.role) else { throw OrderError.forbidden(APIError.forbidden().detail) }
        try await transaction { db in
            let (order, operators) = try await visibleOrder(id, on: db)
            if !problems.isEmpty { throw OrderError.fields(problems) }
            let pay = try Self.checkPay(drafts, assigned: operators)
            try await bookPay(pay, order: order, sql: try db.sql())
            try await context.audit(on: db).record(
                .payment, entity: "order", id: order.id,
                changes: [
                    "operator_salaries": .array(
                        pay.map {
                            .object([
                                "operator_id": .number(Decimal($0.operatorID)), "rate": .number($0.rateValue),
                                "rate_type": .string($0.rateType.rawValue),
                            ])
                        })
                ])
        }
    }

    private func clientSearchText(_ order: OrderRecord, sql: any SQLDatabase) async throws -> String {
        guard let clientID = order.clientID,
            let row = try await sql.select().columns("name", "phone").from("clients").where("id", .equal, clientID)
                .first()
        else { return "" }
        return SearchFilter.text(
            try row.decode(column: "name", as: String.self), try row.decode(column: "phone", as: String.self))
    }

    /// Rebuilds the lines from the completion report. A line already on the order keeps its price, tax and
    /// discount; a new one is priced from the catalog.
    private func completedLines(
        _ drafts: [OrderLineDraft], current: [OrderLine], sql: any SQLDatabase
    ) async throws -> [OrderLine] {
        let parsed = try await OrderItemsParser(
            sql: sql, timeZone: timeZone, maySetPrices: OrderPolicy.maySetPrices(caller.role), currentLines: current
        ).parse(drafts)
        var remaining = current
        return parsed.map { line in
            guard
                let index = remaining.firstIndex(where: {
                    $0.itemType == line.itemType && $0.refID == line.refID
                        && (line.refID != nil || $0.name == line.name)
                })
            else {
                return line
            }
            var kept = remaining.remove(at: index)
            kept.quantity = line.quantity
            kept.shifts = line.shifts
            kept.hours = line.hours
            kept.fuelExpense = line.fuelExpense
            kept.repairExpense = line.repairExpense
            if line.itemType == .equipment { kept.dailyRate = line.dailyRate ?? kept.dailyRate }
            return kept
        }
    }

    /// One expense per machine and kind; a repeat updates the amount instead of adding a row.
    private func bookExpenses(order: OrderRecord, lines: [OrderLine], sql: any SQLDatabase) async throws {
        let today = ISOTime.day(of: order.endAt ?? context.now(), in: timeZone)
        let now = context.now()
        for line in lines where line.itemType == .equipment {
            guard let equipmentID = line.refID else { continue }
            let kinds: [(ExpenseCategory, Int64?)] = [(.fuel, line.fuelExpense), (.repair, line.repairExpense)]
            for (category, amount) in kinds {
                let key = "order:\(order.id):equipment:\(equipmentID):\(category.rawValue)"
                guard let amount, amount > 0 else {
                    try await sql.delete(from: "expenses").where("source_key", .equal, key).run()
                    continue
                }
                try await sql.insert(into: "expenses")
                    .columns(
                        "order_id", "equipment_id", "reported_by_id", "category", "amount", "date", "comment",
                        "attachment_url", "source_key", "created_at", "updated_at"
                    )
                    .values(
                        SQLBind(order.id), SQLBind(equipmentID), SQLBind(caller.id), SQLBind(category.rawValue),
                        SQLBind(amount), SQLBind(today),
                        SQLBind(category.completionComment(equipmentName: line.name, orderNumber: order.number)),
                        SQLBind(""), SQLBind(key), SQLBind(now), SQLBind(now)
                    )
                    .onConflict(with: ["source_key"]) { conflict in
                        conflict.set(excludedValueOf: "amount").set(excludedValueOf: "updated_at")
                    }
                    .run()
            }
        }
    }

    /// Upserts pay per (operator, order). A paid record is never changed; a changed amount goes back to pending.
    private func bookPay(_ entries: [PayEntry], order: OrderRecord, sql: any SQLDatabase) async throws {
        let wallClockHours = SalaryCalculator.hoursWorked(from: order.startAt, to: order.endAt)
        let now = context.now()
        for entry in entries {
            let hours = entry.hours ?? wallClockHours
            let amount = SalaryCalculator.amount(
                rateType: entry.rateType, rateValue: entry.rateValue, operatorHours: hours,
                orderTotal: Money(kopecks: order.totalAmount))
            if amount > MoneyLimits.recordAmount {
                throw OrderError.fields(["operator_salaries": [MoneyLimits.recordAmountMessage]])
            }
            let existing = try await sql.select().columns("id", "status", "amount").from("salary_records")
                .where("user_id", .equal, entry.operatorID).where("order_id", .equal, order.id).first()
            let values: [(String, any SQLExpression)] = [
                ("hours_worked", SQLBind(Scaled.toInt(hours, scale: 2))),
                ("rate_type", SQLBind(entry.rateType.rawValue)),
                ("rate_value", SQLBind(Scaled.toInt(entry.rateValue, scale: 2))), ("amount", SQLBind(amount.kopecks)),
                ("notes", SQLBind(SalaryCalculator.note(orderNumber: order.number))), ("updated_at", SQLBind(now)),
            ]
            if let existing {
                let status = try existing.decode(column: "status", as: String.self)
                if status == SalaryStatus.paid.rawValue { continue }
                var update = sql.update("salary_records")
                for (column, value) in values { update = update.set(SQLColumn(column), to: value) }
                if try existing.decode(column: "amount", as: Int64.self) != amount.kopecks {
                    update = update.set("status", to: SalaryStatus.pending.rawValue)
                }
                try await update.where("id", .equal, try existing.decode(column: "id", as: Int.self)).run()
            } else {
                try await sql.insert(into: "salary_records")
                    .columns(["user_id", "order_id", "status", "created_at"] + values.map(\.0))
                    .values(
                        [SQLBind(entry.operatorID), SQLBind(order.id), SQLBind("pending"), SQLBind(now)]
                            + values.map(\.1)
                    )
                    .run()
            }
        }
    }
}
