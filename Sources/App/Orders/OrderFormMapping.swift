import Domain
import Foundation
import WebUI

/// The order form's fields turned into the `OrderDraft` that `OrderService` takes (create, edit and the price
/// preview share it), and the service's errors turned back into messages next to the form's fields.
struct OrderFormInput {
    enum Purpose { case create, edit, preview }

    struct NewClient {
        var name: String
        var phone: PhoneNumber
        var email: String
    }

    /// What was posted, for re-rendering the form exactly as typed.
    var values: OrderFormModel.Values
    /// What the service is asked for: client, address, start, end, description, operators, lines, estimated
    /// total and prepayment. Values beyond the API's limits are its `problems` (under the API's field names), so
    /// that the service reports them with its own checks, as for the API.
    var draft = OrderDraft()
    /// Problems found while reading the form (bad numbers, missing client, address or start).
    var errors: FormErrors = [:]
    /// `draft.lines[k]` came from form row `itemRows[k]`.
    var itemRows: [Int] = []
    /// A client to create first (the form's «новый клиент» fields).
    var newClient: NewClient?

    /// `maySetMoney` (`OrderPolicy.maySetPrices`): the prepayment, its status and the late-penalty switch count
    /// only from a caller who may set prices; from anyone else they are left as they are.
    init(form: WebForm, purpose: Purpose, timeZone: TimeZone, maySetMoney: Bool = true) {
        values = Self.values(form)
        readClient(form, purpose: purpose)
        readPlaceAndTime(form, purpose: purpose, timeZone: timeZone)
        readMoney(form, purpose: purpose, maySetMoney: maySetMoney)
        draft.operatorIDs = .set(form.values("operator_ids[]").compactMap(Int.init))
        readItems(form)
    }

    static func values(_ form: WebForm) -> OrderFormModel.Values {
        let items = form.rows("items").map { row in
            OrderFormModel.Item(
                lineID: row.fields["line_id"] ?? "", kind: row.fields["type"].flatMap(ItemType.init(rawValue:)),
                refID: row.fields["ref_id"] ?? "", quantity: row.fields["quantity"] ?? "",
                shifts: row.fields["shifts"] ?? "", hours: row.fields["hours"] ?? "")
        }.filter { !$0.refID.isEmpty }
        return OrderFormModel.Values(
            clientID: form["client_id"], newClientName: form["new_client_name"],
            newClientPhone: form["new_client_phone"],
            newClientEmail: form["new_client_email"], address: form.raw("address") ?? "", start: form["start"],
            end: form["end"], description: form.raw("description") ?? "", estimatedTotal: form["estimated_total"],
            prepayment: form["prepayment"],
            prepaymentStatus: form.has("prepayment_status") ? form["prepayment_status"] : "pending",
            isDelayed: form["is_delayed"] == "true", approve: form["approve"] == "true",
            operatorIDs: form.values("operator_ids[]"), items: items)
    }

    // MARK: - Reading

    private mutating func readClient(_ form: WebForm, purpose: Purpose) {
        let picked = form["client_id"]
        if !picked.isEmpty {
            if let id = Int(picked), id > 0 {
                draft.clientID = .set(id)
            } else {
                errors["client_id"] = "Выберите клиента из списка."
            }
            return
        }
        let name = form["new_client_name"]
        let phone = form["new_client_phone"]
        let email = form["new_client_email"]
        if name.isEmpty, phone.isEmpty {
            if purpose != .preview {
                errors["client_id"] = "Укажите клиента: выберите из списка или создайте нового"
            }
            return
        }
        if name.isEmpty { errors["new_client_name"] = "Укажите ФИО или название клиента." }
        let parsed = PhoneNumber(phone)
        if phone.isEmpty {
            errors["new_client_phone"] = "Укажите телефон клиента."
        } else if parsed == nil {
            errors["new_client_phone"] = FieldMessage.phone
        }
        if !email.isEmpty, !email.contains("@") { errors["new_client_email"] = FieldMessage.email }
        if let parsed, !name.isEmpty { newClient = NewClient(name: name, phone: parsed, email: email) }
    }

    private mutating func readPlaceAndTime(_ form: WebForm, purpose: Purpose, timeZone: TimeZone) {
        let address = form["address"]
        if !address.isEmpty {
            draft.address = .set(address)
            if let problem = OrderInputLimits.text(address, maxLength: 500) { draft.problems["address"] = [problem] }
        } else if purpose != .preview {
            errors["address"] = "Заполните адрес"
        }
        let start = form["start"]
        if start.isEmpty {
            if purpose != .preview { errors["start"] = "Укажите дату и время начала" }
        } else if let date = RussianFormat.parseDateTimeLocal(start, in: timeZone) {
            draft.startAt = .set(date)
        } else {
            errors["start"] = "Неверный формат даты и времени."
        }
        let end = form["end"]
        if end.isEmpty {
            if purpose == .edit { draft.endAt = .set(nil) }
        } else if let date = RussianFormat.parseDateTimeLocal(end, in: timeZone) {
            draft.endAt = .set(date)
        } else {
            errors["end"] = "Неверный формат даты и времени."
        }
        if purpose != .preview {
            let description = (form.raw("description") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            draft.description = .set(description)
            if let problem = OrderInputLimits.text(description, maxLength: 10_000) {
                draft.problems["description"] = [problem]
            }
        }
    }

    private mutating func readMoney(_ form: WebForm, purpose: Purpose, maySetMoney: Bool) {
        if maySetMoney, purpose != .preview, form.has("prepayment_status") {
            if let status = PrepaymentStatus(rawValue: form["prepayment_status"]) {
                draft.prepaymentStatus = .set(status.rawValue)
            } else {
                errors["prepayment_status"] = "Выберите статус предоплаты из списка."
            }
        }
        // An unticked checkbox is not posted: the form always shows the switch, so its absence means «off».
        if maySetMoney {
            draft.isDelayed = .set(form["is_delayed"] == "true")
        }
        for (field, key) in [("estimated_total", "total_amount"), ("prepayment", "prepayment_amount")] {
            let text = form[field]
            guard form.has(field), maySetMoney || field != "prepayment" else { continue }
            var amount: Int64?
            if text.isEmpty {
                if purpose == .edit { amount = 0 }
            } else if let kopecks = RussianFormat.parseMoney(text), kopecks >= 0 {
                amount = kopecks
                if let problem = OrderInputLimits.kopecks(kopecks) { draft.problems[key] = [problem] }
            } else {
                errors[field] = "Введите сумму в рублях, например 12 500 или 12 500,50."
            }
            guard let amount else { continue }
            if key == "total_amount" { draft.estimatedTotal = .set(amount) } else { draft.prepayment = .set(amount) }
        }
    }

    private mutating func readItems(_ form: WebForm) {
        var lines: [OrderLineDraft] = []
        // Blank rows are skipped; positions count the remaining rows, as the re-rendered form numbers them.
        let rows = form.rows("items").filter { !($0.fields["ref_id"] ?? "").isEmpty }
        for (index, row) in rows.enumerated() {
            let fields = row.fields
            let prefix = "items[\(index)]"
            let refText = fields["ref_id"] ?? ""
            guard let kind = fields["type"].flatMap(ItemType.init(rawValue:)) else {
                errors[prefix + "[type]"] = "Выберите тип позиции."
                continue
            }
            guard let refID = Int(refText), refID > 0 else {
                errors[prefix + "[ref_id]"] = "Выберите позицию каталога."
                continue
            }
            var line = OrderLineDraft(itemType: kind, refID: refID)
            if kind == .equipment {
                let shifts = number(fields["shifts"], field: prefix + "[shifts]")
                let hours = number(fields["hours"], field: prefix + "[hours]")
                if (shifts ?? 0) <= 0, (hours ?? 0) <= 0, errors[prefix + "[shifts]"] == nil,
                    errors[prefix + "[hours]"] == nil
                {
                    errors[prefix + "[hours]"] = "Укажите количество смен или часов для техники"
                }
                line.shifts = shifts
                line.hours = hours
                for (key, value) in [("metadata.shifts", shifts), ("metadata.hours", hours)] {
                    if let value, let problem = OrderInputLimits.decimal(value, maxDigits: 8, scale: 2) {
                        line.problems[key] = [problem]
                    }
                }
            } else {
                let quantity = number(fields["quantity"], field: prefix + "[quantity]") ?? 1
                if quantity <= 0 { errors[prefix + "[quantity]"] = "Укажите количество больше нуля." }
                line.quantity = quantity
                if let problem = OrderInputLimits.decimal(quantity, maxDigits: 10, scale: 2) {
                    line.problems["quantity"] = [problem]
                }
            }
            lines.append(line)
            itemRows.append(index)
        }
        draft.lines = .set(lines)
    }

    /// A decimal typed by the user (`2,5`), `nil` when empty; a malformed one is recorded as an error.
    private mutating func number(_ text: String?, field: String) -> Decimal? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = RussianFormat.parseDecimal(text), value >= 0 else {
            errors[field] = "Введите неотрицательное число."
            return nil
        }
        return value
    }

    // MARK: - Errors back to fields

    /// API field name → form field name.
    static let fieldNames: [String: String] = [
        "client_id": "client_id", "address": "address", "start_dt": "start", "end_dt": "end",
        "description": "description", "total_amount": "estimated_total", "estimated_total": "estimated_total",
        "prepayment_amount": "prepayment", "operator_ids": "operator_ids", "operator_id": "operator_ids",
        "prepayment_status": "prepayment_status", "meta": "is_delayed",
    ]

    /// The service's field errors as the form's: unknown keys go to the form-level message.
    func formErrors(_ described: WebErrors.Described) -> (errors: FormErrors, formError: String?) {
        var result: FormErrors = [:]
        var other: [String] = []
        for (key, message) in described.fields {
            if let name = Self.fieldNames[key] { result[name] = message } else { other.append(message) }
        }
        for (bodyIndex, messages) in described.items {
            let row = bodyIndex < itemRows.count ? itemRows[bodyIndex] : bodyIndex
            for (key, message) in messages {
                let part: String
                switch key {
                case "metadata.shifts", "shifts": part = "shifts"
                case "metadata.hours", "hours": part = "hours"
                case "quantity": part = "quantity"
                default: part = "ref_id"
                }
                let name = "items[\(row)][\(part)]"
                result[name] = [result[name], message].compactMap { $0 }.joined(separator: " ")
            }
        }
        let detail = described.detail.map { [$0] } ?? []
        let summary = (detail + other).joined(separator: " ")
        return (result, summary.isEmpty ? nil : summary)
    }

    /// 409 conflicts as the form's conflict box rows.
    static func conflicts(_ described: WebErrors.Described, timeZone: TimeZone) -> [OrderFormModel.Conflict] {
        described.conflicts.compactMap { object in
            guard let orderID = object["order"]?.stringValue,
                let start = object["start"]?.stringValue.flatMap({ ISOTime.parse($0, defaultTimeZone: timeZone) })
            else { return nil }
            let end = object["end"]?.stringValue.flatMap { ISOTime.parse($0, defaultTimeZone: timeZone) }
            return OrderFormModel.Conflict(
                orderID: orderID, orderNumber: object["number"]?.stringValue ?? "",
                resource: resourceTitle(object), start: start, end: end)
        }
    }

    /// «Экскаватор JCB 3CX» or «Оператор Иван Петров».
    static func resourceTitle(_ object: [String: JSONValue]) -> String {
        let name = object["resource_name"]?.stringValue ?? ""
        return object["resource"]?.stringValue == "operator" ? "Оператор " + name : name
    }
}
