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

    /// `operator_salaries`: `[{operator_id, salary}]` (fixed pay) or `[{operator_id, rate_type, rate_value, hours}]`.
    static func parsePay(_ values: [JSONValue]?, assigned: [Int], timeZone: TimeZone) throws -> [PayEntry] {
        guard let values else { return [] }
        var entries: [PayEntry] = []
        var errors: [JSONValue] = []
        var failed = false
        for value in values {
            var input = JSONInput(value.objectValue ?? [:], timeZone: timeZone)
            let operatorID = input.int("operator_id", required: true, minimum: 1)
            let rateType = input.choice("rate_type", as: SalaryRateType.self) ?? .fixed
            let salary = input.decimal("salary", maxDigits: 12, scale: 2)
            let rateValue = input.decimal("rate_value", maxDigits: 12, scale: 2)
            let hours = input.decimal("hours", maxDigits: 8, scale: 2)
            if salary == nil, rateValue == nil { input.fail("salary", FieldMessage.required) }
            if let operatorID, !assigned.contains(operatorID) {
                input.fail("operator_id", "Оператор \(operatorID) не назначен на эту заявку.")
            }
            if input.errors.isEmpty, let operatorID, let value = rateValue ?? salary {
                entries.append(PayEntry(operatorID: operatorID, rateType: rateType, rateValue: value, hours: hours))
                errors.append(.object([:]))
            } else {
                failed = true
                errors.append(.object(input.errors.mapValues { .array($0.map(JSONValue.string)) }))
            }
        }
        if failed { throw APIError.fields(["operator_salaries": .array(errors)]) }
        return entries
    }

    /// `POST /orders/{id}/complete/`: the only place where money is booked. Sets the real end time,
    /// re-prices from the reported shifts/hours and materials, stores the price snapshot, books fuel and
    /// repair expenses (one row per machine and kind, updated on repeat) and operator pay (never touching
    /// a paid record).
    func complete(id: String, body: [String: JSONValue]) async throws {
        let caller = self.caller
        let timeZone = request.application.config.timeZone
        let (facts, from, comment) = try await transaction { db in
            let (existing, operators) = try await visibleOrder(id, on: db)
            let decision = OrderTransitions.checkCompletion(
                from: existing.status, actor: caller.role, isAssigned: operators.contains(caller.id))
            if case .rejected(let reason, let isPermission) = decision {
                throw isPermission ? APIError.forbidden(reason) : APIError.badRequest(reason)
            }
            var input = JSONInput(body, timeZone: timeZone)
            let endAt = input.dateTime("end_dt", required: true, nullable: false)
            let comment = input.string("comment", maxLength: 10_000) ?? ""
            let items = input.array("items")
            let payValues = input.array("operator_salaries")
            if let endAt, endAt < existing.startAt { input.fail("end_dt", "Окончание не может быть раньше начала.") }
            try input.validate()
            guard let endAt else { throw APIError.badRequest("Укажите время окончания.") }
            if payValues?.isEmpty == false, !caller.isStaff {
                throw APIError.forbidden("Оплату операторов указывает администратор или менеджер.")
            }
            let pay = try Self.parsePay(payValues, assigned: operators, timeZone: timeZone)

            let sql = try db.sql()
            let store = OrderStore(sql: sql)
            let currentLines = try await store.lines(of: existing.id)
            var lines = currentLines
            if let items { lines = try await completedLines(items, current: currentLines, sql: sql) }
            var order = existing
            order.status = .completed
            order.endAt = endAt
            order.completedAt = Date()
            order.updatedAt = order.completedAt ?? Date()
            try reprice(&order, lines: lines)
            if items != nil {
                try await store.replaceLines(of: order.id, with: lines, pricedIn: Self.context(for: order))
            } else {
                try await store.refreshLineFigures(of: order.id, lines: lines, pricedIn: Self.context(for: order))
            }
            try await store.update(order, searchText: SearchFilter.text(order.number, order.address, order.description) + " " + (try await clientSearchText(order, sql: sql)))
            try await BookingGuard(sql: sql, timeZone: timeZone).release(orderID: order.id)
            try await store.insertLog(orderID: order.id, from: existing.status, to: .completed, actorID: caller.id, comment: comment)
            try await bookExpenses(order: order, lines: lines, sql: sql)
            try await bookPay(pay, order: order, sql: sql)
            try await AuditRecorder(request: request, db: db).record(
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
        await Notifier(request: request).orderStatusChanged(facts, from: from, to: .completed, comment: comment, actorID: caller.id)
    }

    /// `POST /orders/{id}/salaries/`: sets operator pay in any status; books no expenses.
    func setPay(id: String, body: [String: JSONValue]) async throws {
        let timeZone = request.application.config.timeZone
        try await transaction { db in
            let (order, operators) = try await visibleOrder(id, on: db)
            var input = JSONInput(body, timeZone: timeZone)
            let values = input.array("operator_salaries")
            try input.validate()
            let pay = try Self.parsePay(values ?? [], assigned: operators, timeZone: timeZone)
            try await bookPay(pay, order: order, sql: try db.sql())
            try await AuditRecorder(request: request, db: db).record(
                .payment, entity: "order", id: order.id,
                changes: ["operator_salaries": .array(pay.map { .object(["operator_id": .number(Decimal($0.operatorID)), "rate": .number($0.rateValue), "rate_type": .string($0.rateType.rawValue)]) })])
        }
    }

    private func clientSearchText(_ order: OrderRecord, sql: any SQLDatabase) async throws -> String {
        guard let clientID = order.clientID,
            let row = try await sql.select().columns("name", "phone").from("clients").where("id", .equal, clientID).first()
        else { return "" }
        return SearchFilter.text(try row.decode(column: "name", as: String.self), try row.decode(column: "phone", as: String.self))
    }

    /// Rebuilds the lines from the completion report. A line already on the order keeps its price, tax and
    /// discount; a new one is priced from the catalog.
    private func completedLines(_ values: [JSONValue], current: [OrderLine], sql: any SQLDatabase) async throws -> [OrderLine] {
        var listErrors: [String] = []
        for value in values {
            let object = value.objectValue ?? [:]
            let type = object["item_type"]?.stringValue
            let shifts = object["metadata"]?.objectValue?["shifts"]?.decimalValue ?? 0
            let hours = object["metadata"]?.objectValue?["hours"]?.decimalValue ?? 0
            if type == "equipment" {
                if object["ref_id"] == nil || object["ref_id"] == .null { listErrors.append("Для техники необходимо указать ref_id") }
                if shifts <= 0, hours <= 0 { listErrors.append("Для техники необходимо указать количество смен или часов в metadata") }
            }
            if type == "material" {
                if object["ref_id"] == nil || object["ref_id"] == .null { listErrors.append("Для материала необходимо указать ref_id") }
                if (object["quantity"]?.decimalValue ?? 0) <= 0 { listErrors.append("Для материала необходимо указать количество") }
            }
        }
        if !listErrors.isEmpty { throw FieldErrors(["items": Array(NSOrderedSet(array: listErrors)).compactMap { $0 as? String }]) }
        let parsed = try await OrderItemsParser(
            sql: sql, timeZone: request.application.config.timeZone, maySetPrices: AccessPolicy.maySetPrices(caller.role),
            currentLines: current
        ).parse(values)
        var remaining = current
        return parsed.map { line in
            guard let index = remaining.firstIndex(where: {
                $0.itemType == line.itemType && $0.refID == line.refID && (line.refID != nil || $0.name == line.name)
            }) else {
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
        let today = ISOTime.day(of: order.endAt ?? Date(), in: request.application.config.timeZone)
        let now = Date()
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
                    .columns("order_id", "equipment_id", "reported_by_id", "category", "amount", "date", "comment",
                        "attachment_url", "source_key", "created_at", "updated_at")
                    .values(
                        SQLBind(order.id), SQLBind(equipmentID), SQLBind(caller.id), SQLBind(category.rawValue),
                        SQLBind(amount), SQLBind(today),
                        SQLBind(category.completionComment(equipmentName: line.name, orderNumber: order.number)),
                        SQLBind(""), SQLBind(key), SQLBind(now), SQLBind(now))
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
        let now = Date()
        for entry in entries {
            let hours = entry.hours ?? wallClockHours
            let amount = SalaryCalculator.amount(
                rateType: entry.rateType, rateValue: entry.rateValue, operatorHours: hours,
                orderTotal: Money(kopecks: order.totalAmount))
            if amount > MoneyLimits.recordAmount {
                throw FieldErrors(["operator_salaries": [MoneyLimits.recordAmountMessage]])
            }
            let existing = try await sql.select().columns("id", "status", "amount").from("salary_records")
                .where("user_id", .equal, entry.operatorID).where("order_id", .equal, order.id).first()
            let values: [(String, any SQLExpression)] = [
                ("hours_worked", SQLBind(Scaled.toInt(hours, scale: 2))), ("rate_type", SQLBind(entry.rateType.rawValue)),
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
                    .values([SQLBind(entry.operatorID), SQLBind(order.id), SQLBind("pending"), SQLBind(now)] + values.map(\.1))
                    .run()
            }
        }
    }
}
