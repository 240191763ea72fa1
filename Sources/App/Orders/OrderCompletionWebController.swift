import Domain
import Foundation
import SQLKit
import Vapor
import WebUI

/// `/orders/{id}/complete` (the operator's completion form, queued offline by app.js) and the salaries of a
/// completed order (its «Редактировать» page).
struct OrderCompletionWebController {
    // MARK: - Completion

    @Sendable func form(req: Request) async throws -> Response {
        let caller = try req.caller
        let id = try OrdersWebController.orderID(req)
        let (order, operators) = try await req.orders.visibleOrder(id)
        let decision = OrderPolicy.checkCompletion(
            from: order.status, actor: caller.role, isAssigned: operators.contains(caller.id))
        if case .rejected(let reason, let isPermission) = decision {
            if isPermission { throw APIError.forbidden(reason) }
            return WebReply.redirect(to: Paths.order(order.id), flash: Flash(.error, reason), on: req)
        }
        let timeZone = req.application.config.timeZone
        let defaultEnd = order.endAt ?? max(Date(), order.startAt)
        var model = try await Self.model(req, order: order, operators: operators)
        model.end = RussianFormat.dateTimeLocalInput(defaultEnd, in: timeZone)
        return WebReply.page(OrderCompletePage(model: model), on: req)
    }

    /// The page with the order's current lines and pay (what the form starts from).
    static func model(_ req: Request, order: OrderRecord, operators: [Int]) async throws -> OrderCompleteModel {
        let data = try OrderPageData(context: try req.services)
        let detail = try await data.detail(of: order)
        var equipment: [OrderCompleteModel.EquipmentLine] = []
        var materials: [OrderCompleteModel.QuantityLine] = []
        for (id, line) in detail.lines {
            if line.itemType == .equipment {
                equipment.append(
                    OrderCompleteModel.EquipmentLine(
                        lineID: String(id), name: line.name, shifts: decimalText(line.shifts),
                        hours: decimalText(line.hours),
                        fuel: moneyText(line.fuelExpense), repair: moneyText(line.repairExpense)))
            } else {
                materials.append(
                    OrderCompleteModel.QuantityLine(
                        lineID: String(id), name: line.name, unit: OrderPageData.unitLabel(line.unit),
                        quantity: RussianFormat.decimal(Scaled.toDecimal(line.quantity, scale: 2))))
            }
        }
        let onOrder = Set(
            detail.lines.compactMap { $0.line.itemType == .material ? $0.line.refID.map(String.init) : nil })
        let catalogMaterials = try await data.materialOptions().filter { !onOrder.contains($0.id) }
        let paid = try await payAmounts(order.id, sql: try req.db.sql())
        let pay = detail.operators.map { entry in
            OrderCompleteModel.OperatorPay(
                operatorID: String(entry.id), name: entry.person.name,
                amount: paid[entry.id].map(RussianFormat.moneyInput) ?? "")
        }
        return OrderCompleteModel(
            context: req.pageContext(), orderID: order.id, number: order.number, clientName: detail.client?.name,
            address: order.address, start: order.startAt, currentEnd: order.endAt, equipment: equipment,
            materials: materials, catalogMaterials: catalogMaterials, pay: pay, canEditPay: try req.caller.isStaff)
    }

    static func decimalText(_ value: Decimal?) -> String {
        guard let value, value != 0 else { return "" }
        return RussianFormat.decimal(value)
    }

    static func moneyText(_ kopecks: Int64?) -> String {
        guard let kopecks, kopecks > 0 else { return "" }
        return RussianFormat.moneyInput(kopecks)
    }

    static func payAmounts(_ orderID: String, sql: any SQLDatabase) async throws -> [Int: Int64] {
        var result: [Int: Int64] = [:]
        for row in try await sql.select().columns("user_id", "amount").from("salary_records")
            .where("order_id", .equal, orderID).all()
        {
            result[try row.decode(column: "user_id", as: Int.self)] = try row.decode(column: "amount", as: Int64.self)
        }
        return result
    }

    @Sendable func complete(req: Request) async throws -> Response {
        let caller = try req.caller
        let id = try OrdersWebController.orderID(req)
        let service = try req.orders
        let (order, operators) = try await service.visibleOrder(id)
        let form = try await WebForm(request: req)
        let timeZone = req.application.config.timeZone
        let data = try OrderPageData(context: try req.services)
        let lines = try await data.detail(of: order).lines
        let materialIDs = Set(try await data.materialOptions().compactMap { Int($0.id) })
        var input = CompletionInput(
            form: form, lines: lines, materialIDs: materialIDs, canEditPay: caller.isStaff, timeZone: timeZone)
        if input.errors.isEmpty {
            do {
                try await service.complete(id: order.id, with: input.report)
                return WebReply.redirect(
                    to: Paths.order(order.id), flash: Flash(.success, "Заявка успешно завершена"), on: req)
            } catch {
                let described = try WebErrors.describe(order: error, timeZone: timeZone)
                let isAboutFields = !described.fields.isEmpty || !described.items.isEmpty || !described.payItems.isEmpty
                if !isAboutFields || described.status == .forbidden {
                    // The order itself refuses (not in progress any more, not assigned): 409/403, not the form.
                    let status: HTTPResponseStatus =
                        described.status == .unprocessableEntity ? .conflict : described.status
                    return try OrdersWebController.actionFailure(
                        req, orderID: order.id, status: status, detail: described.detail ?? WebErrors.formRejected)
                }
                input.absorb(described)
            }
        }
        if req.wantsJSON {
            return WebReply.rejection(
                .unprocessableEntity, detail: input.formError ?? WebErrors.formRejected, errors: input.errors)
        }
        var model = try await Self.model(req, order: order, operators: operators)
        input.fill(&model)
        return WebReply.page(OrderCompletePage(model: model), status: .unprocessableEntity, on: req)
    }

    // MARK: - Salaries of a completed order

    static func payPage(
        _ req: Request, order: OrderRecord, operators: [Int], rows: [OrderCompleteModel.OperatorPay]? = nil,
        errors: FormErrors = [:], formError: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let base = try await model(req, order: order, operators: operators)
        let payModel = OrderPayModel(
            context: req.pageContext(), orderID: order.id, number: order.number, clientName: base.clientName,
            total: order.totalAmount, pay: rows ?? base.pay, errors: errors, formError: formError)
        return WebReply.page(OrderPayPage(model: payModel), status: status, on: req)
    }

    static func savePay(_ req: Request, order: OrderRecord, operators: [Int]) async throws -> Response {
        let form = try await WebForm(request: req)
        let base = try await model(req, order: order, operators: operators).pay
        var errors: FormErrors = [:]
        var entries: [OrderPayDraft] = []
        var rows = base
        for (position, row) in form.rows("pay").enumerated() {
            let amountText = row.fields["amount"] ?? ""
            let operatorID = row.fields["operator_id"] ?? ""
            if let index = rows.firstIndex(where: { $0.operatorID == operatorID }) { rows[index].amount = amountText }
            guard !amountText.isEmpty else { continue }
            guard let kopecks = RussianFormat.parseMoney(amountText), kopecks >= 0, let id = Int(operatorID) else {
                errors["pay[\(position)][amount]"] = "Введите сумму в рублях, например 4 000."
                continue
            }
            entries.append(CompletionInput.payDraft(operatorID: id, kopecks: kopecks))
        }
        if errors.isEmpty, !entries.isEmpty {
            do {
                try await req.orders.setPay(id: order.id, pay: entries)
                return WebReply.redirect(
                    to: Paths.order(order.id), flash: Flash(.success, "Зарплаты сохранены"), on: req)
            } catch {
                let described = try WebErrors.describe(order: error, timeZone: req.application.config.timeZone)
                for (index, messages) in described.payItems {
                    errors["pay[\(index)][amount]"] = messages.values.sorted().joined(separator: " ")
                }
                let detail = described.detail ?? WebErrors.formRejected
                return try await payPage(
                    req, order: order, operators: operators, rows: rows, errors: errors,
                    formError: detail, status: .unprocessableEntity)
            }
        }
        if errors.isEmpty {
            return WebReply.redirect(to: Paths.order(order.id), flash: Flash(.info, "Зарплаты не изменены"), on: req)
        }
        return try await payPage(
            req, order: order, operators: operators, rows: rows, errors: errors,
            formError: WebErrors.formRejected, status: .unprocessableEntity)
    }
}

/// The completion form's fields as the `OrderCompletion` for `OrderService.complete`: the end, the comment,
/// every line of the order (equipment with the reported shifts/hours and fuel/repair, others with the actual
/// quantity; a quantity of 0 drops the line), then the added materials (catalogue id and quantity only: the
/// service prices them) and, for staff, the operators' pay. Values beyond the API's limits become the lines'
/// `problems`, reported by the service as for the API.
struct CompletionInput {
    var report = OrderCompletion()
    var errors: FormErrors = [:]
    var formError: String?
    /// `report.lines[k]` is the form's `equipment[i]` or `materials[i]`.
    private var itemFields: [String] = []
    private let form: WebForm

    init(
        form: WebForm, lines: [(id: Int, line: OrderLine)], materialIDs: Set<Int>, canEditPay: Bool, timeZone: TimeZone
    ) {
        self.form = form
        let endText = form["end"]
        if endText.isEmpty {
            errors["end"] = "Укажите дату и время окончания"
        } else if let end = RussianFormat.parseDateTimeLocal(endText, in: timeZone) {
            report.endAt = end
        } else {
            errors["end"] = "Неверный формат даты и времени."
        }
        report.comment = (form.raw("comment") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = OrderInputLimits.text(report.comment, maxLength: 10_000) {
            report.problems["comment"] = [problem]
        }
        var items = readItems(lines)
        let onOrder = Set(lines.compactMap { $0.line.itemType == .material ? $0.line.refID : nil })
        items += readNewMaterials(catalog: materialIDs, onOrder: onOrder)
        report.lines = items
        report.lineListProblems = OrderCompletion.listProblems(items)
        if canEditPay { readPay() }
    }

    /// A fixed pay typed in rubles.
    static func payDraft(operatorID: Int, kopecks: Int64) -> OrderPayDraft {
        var draft = OrderPayDraft(operatorID: operatorID, salary: Scaled.toDecimal(kopecks, scale: 2))
        if let problem = OrderInputLimits.kopecks(kopecks) { draft.problems["salary"] = [problem] }
        return draft
    }

    /// A quantity with the API's limits (10 digits, 2 after the point).
    private static func quantity(_ value: Decimal, on line: inout OrderLineDraft) {
        line.quantity = value
        if let problem = OrderInputLimits.decimal(value, maxDigits: 10, scale: 2) {
            line.problems["quantity"] = [problem]
        }
    }

    /// `new_materials[i]`: a catalogue material not on the order yet and its quantity. Rows without a material
    /// and a quantity are the blank row and are skipped.
    private mutating func readNewMaterials(catalog: Set<Int>, onOrder: Set<Int>) -> [OrderLineDraft] {
        var items: [OrderLineDraft] = []
        var added = Set<Int>()
        for row in form.rows("new_materials") {
            let prefix = "new_materials[\(row.index)]"
            let refText = row.fields["ref_id"] ?? ""
            let quantityText = row.fields["quantity"] ?? ""
            if refText.isEmpty {
                if !quantityText.isEmpty { errors[prefix + "[ref_id]"] = "Выберите материал из списка." }
                continue
            }
            guard let refID = Int(refText), catalog.contains(refID) else {
                errors[prefix + "[ref_id]"] = "Такого материала нет в каталоге: выберите из списка."
                continue
            }
            if onOrder.contains(refID) {
                errors[prefix + "[ref_id]"] = "Этот материал уже есть в заявке: укажите его количество выше."
                continue
            }
            if !added.insert(refID).inserted {
                errors[prefix + "[ref_id]"] = "Этот материал уже добавлен."
                continue
            }
            guard !quantityText.isEmpty else {
                errors[prefix + "[quantity]"] = "Укажите количество материала."
                continue
            }
            guard let quantity = RussianFormat.parseDecimal(quantityText), quantity > 0 else {
                errors[prefix + "[quantity]"] = "Количество должно быть больше нуля."
                continue
            }
            var line = OrderLineDraft(itemType: .material, refID: refID)
            Self.quantity(quantity, on: &line)
            items.append(line)
            itemFields.append(prefix + "[quantity]")
        }
        return items
    }

    private mutating func readItems(_ lines: [(id: Int, line: OrderLine)]) -> [OrderLineDraft] {
        var equipment: [String: (index: Int, fields: [String: String])] = [:]
        for (index, row) in form.rows("equipment").enumerated() {
            equipment[row.fields["line_id"] ?? ""] = (index, row.fields)
        }
        var materials: [String: (index: Int, fields: [String: String])] = [:]
        for (index, row) in form.rows("materials").enumerated() {
            materials[row.fields["line_id"] ?? ""] = (index, row.fields)
        }
        var items: [OrderLineDraft] = []
        for (id, line) in lines {
            var item = OrderLineDraft(itemType: line.itemType, refID: line.refID)
            if line.refID == nil {
                item.name = line.name
                item.unitPrice = line.unitPrice
                item.unit = line.unit
            }
            if line.itemType == .equipment {
                let posted = equipment[String(id)]
                let prefix = posted.map { "equipment[\($0.index)]" } ?? ""
                let shifts = posted == nil ? line.shifts : number(posted?.fields["shifts"], field: prefix + "[shifts]")
                let hours = posted == nil ? line.hours : number(posted?.fields["hours"], field: prefix + "[hours]")
                item.shifts = shifts
                item.hours = hours
                let fuel = posted == nil ? line.fuelExpense : money(posted?.fields["fuel"], field: prefix + "[fuel]")
                let repair =
                    posted == nil ? line.repairExpense : money(posted?.fields["repair"], field: prefix + "[repair]")
                item.fuelExpense = fuel
                item.repairExpense = repair
                let limits: [(String, String?)] = [
                    ("metadata.shifts", shifts.flatMap { OrderInputLimits.decimal($0, maxDigits: 8, scale: 2) }),
                    ("metadata.hours", hours.flatMap { OrderInputLimits.decimal($0, maxDigits: 8, scale: 2) }),
                    ("fuel_expense", fuel.flatMap { OrderInputLimits.kopecks($0) }),
                    ("repair_expense", repair.flatMap { OrderInputLimits.kopecks($0) }),
                ]
                for case let (key, problem?) in limits { item.problems[key] = [problem] }
                if posted != nil, (shifts ?? 0) <= 0, (hours ?? 0) <= 0, errors[prefix + "[hours]"] == nil {
                    errors[prefix + "[hours]"] = "Укажите количество смен или часов для техники"
                }
                itemFields.append(prefix.isEmpty ? "" : prefix + "[hours]")
            } else {
                let posted = materials[String(id)]
                let prefix = posted.map { "materials[\($0.index)]" } ?? ""
                let stored = Scaled.toDecimal(line.quantity, scale: 2)
                let quantity =
                    posted == nil ? stored : number(posted?.fields["quantity"], field: prefix + "[quantity]") ?? 0
                if quantity <= 0 { continue }
                Self.quantity(quantity, on: &item)
                itemFields.append(prefix.isEmpty ? "" : prefix + "[quantity]")
            }
            items.append(item)
        }
        return items
    }

    private mutating func readPay() {
        var entries: [OrderPayDraft] = []
        for (index, row) in form.rows("pay").enumerated() {
            guard let kopecks = money(row.fields["amount"], field: "pay[\(index)][amount]"),
                let id = Int(row.fields["operator_id"] ?? "")
            else { continue }
            entries.append(Self.payDraft(operatorID: id, kopecks: kopecks))
        }
        if !entries.isEmpty { report.pay = entries }
    }

    private mutating func number(_ text: String?, field: String) -> Decimal? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = RussianFormat.parseDecimal(text), value >= 0 else {
            errors[field] = "Введите неотрицательное число."
            return nil
        }
        return value
    }

    private mutating func money(_ text: String?, field: String) -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = RussianFormat.parseMoney(text), value >= 0 else {
            errors[field] = "Введите сумму в рублях, например 3 000."
            return nil
        }
        return value
    }

    /// The service's errors as the form's fields.
    mutating func absorb(_ described: WebErrors.Described) {
        var other: [String] = []
        for (key, message) in described.fields {
            switch key {
            case "end_dt": errors["end"] = message
            case "comment": errors["comment"] = message
            default: other.append(message)
            }
        }
        for (index, messages) in described.items {
            let field = index < itemFields.count ? itemFields[index] : ""
            let text = messages.values.sorted().joined(separator: " ")
            if field.isEmpty { other.append(text) } else { errors[field] = text }
        }
        for (index, messages) in described.payItems {
            errors["pay[\(index)][amount]"] = messages.values.sorted().joined(separator: " ")
        }
        if let detail = described.detail { other.insert(detail, at: 0) }
        if !other.isEmpty { formError = other.joined(separator: " ") }
        if formError == nil, !errors.isEmpty { formError = WebErrors.formRejected }
    }

    /// The posted values and the errors on the page.
    func fill(_ model: inout OrderCompleteModel) {
        model.end = form["end"]
        model.comment = form.raw("comment") ?? ""
        for row in form.rows("equipment") {
            guard let index = model.equipment.firstIndex(where: { $0.lineID == row.fields["line_id"] }) else {
                continue
            }
            model.equipment[index].shifts = row.fields["shifts"] ?? ""
            model.equipment[index].hours = row.fields["hours"] ?? ""
            model.equipment[index].fuel = row.fields["fuel"] ?? ""
            model.equipment[index].repair = row.fields["repair"] ?? ""
        }
        for row in form.rows("materials") {
            guard let index = model.materials.firstIndex(where: { $0.lineID == row.fields["line_id"] }) else {
                continue
            }
            model.materials[index].quantity = row.fields["quantity"] ?? ""
        }
        model.newMaterials = form.rows("new_materials").map {
            OrderCompleteModel.NewMaterial(refID: $0.fields["ref_id"] ?? "", quantity: $0.fields["quantity"] ?? "")
        }
        for row in form.rows("pay") {
            guard let index = model.pay.firstIndex(where: { $0.operatorID == row.fields["operator_id"] }) else {
                continue
            }
            model.pay[index].amount = row.fields["amount"] ?? ""
        }
        model.errors = errors
        model.formError = formError ?? (errors.isEmpty ? nil : WebErrors.formRejected)
    }
}
