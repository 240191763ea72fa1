import Domain
import Foundation

/// A completion report (`POST /orders/{id}/complete/`), read by the API from JSON and by the web from the
/// completion form. As with `OrderDraft`, `problems` are reported by the service after its access checks.
struct OrderCompletion: Sendable {
    var endAt: Date?
    var comment = ""
    /// The order's lines as reported; nil keeps them as they are.
    var lines: [OrderLineDraft]?
    /// What the report lacks as a whole (a machine without shifts or hours, a material without a quantity):
    /// refused before any line is priced.
    var lineListProblems: [String] = []
    /// nil: no pay given.
    var pay: [OrderPayDraft]?
    var problems: [String: [String]] = [:]
}

/// One operator's pay: fixed (`salary`) or by rate (`rate_type`, `rate_value`, `hours`).
struct OrderPayDraft: Sendable {
    var operatorID: Int?
    var rateType: SalaryRateType = .fixed
    var salary: Decimal?
    var rateValue: Decimal?
    var hours: Decimal?
    var problems: [String: [String]] = [:]

    init(operatorID: Int?, salary: Decimal?) {
        self.operatorID = operatorID
        self.salary = salary
    }
}

// MARK: - From the API's JSON

extension OrderCompletion {
    init(api body: [String: JSONValue], timeZone: TimeZone) {
        var input = JSONInput(body, timeZone: timeZone)
        endAt = input.dateTime("end_dt", required: true, nullable: false)
        comment = input.string("comment", maxLength: 10_000) ?? ""
        let items = input.array("items")
        pay = input.array("operator_salaries")?.map { OrderPayDraft(api: $0, timeZone: timeZone) }
        problems = input.errors
        lines = items?.map { OrderLineDraft(api: $0, timeZone: timeZone) }
        lineListProblems = items.map(Self.listProblems) ?? []
    }

    /// Judged on the values as sent, before each line's own checks.
    static func listProblems(_ values: [JSONValue]) -> [String] {
        var problems: [String] = []
        for value in values {
            let object = value.objectValue ?? [:]
            let type = object["item_type"]?.stringValue
            let shifts = object["metadata"]?.objectValue?["shifts"]?.decimalValue ?? 0
            let hours = object["metadata"]?.objectValue?["hours"]?.decimalValue ?? 0
            let hasRef = object["ref_id"] != nil && object["ref_id"] != .null
            problems += listProblems(
                type: type, hasRef: hasRef, shifts: shifts, hours: hours,
                quantity: object["quantity"]?.decimalValue ?? 0)
        }
        return Array(NSOrderedSet(array: problems)).compactMap { $0 as? String }
    }

    /// The same judgement on lines read from a form (whose values are already numbers).
    static func listProblems(_ lines: [OrderLineDraft]) -> [String] {
        let problems = lines.flatMap { line in
            listProblems(
                type: line.itemType?.rawValue, hasRef: line.refID != nil, shifts: line.shifts ?? 0,
                hours: line.hours ?? 0, quantity: line.quantity ?? 0)
        }
        return Array(NSOrderedSet(array: problems)).compactMap { $0 as? String }
    }

    private static func listProblems(
        type: String?, hasRef: Bool, shifts: Decimal, hours: Decimal, quantity: Decimal
    ) -> [String] {
        var problems: [String] = []
        if type == ItemType.equipment.rawValue {
            if !hasRef { problems.append("Для техники необходимо указать ref_id") }
            if shifts <= 0, hours <= 0 {
                problems.append("Для техники необходимо указать количество смен или часов в metadata")
            }
        }
        if type == ItemType.material.rawValue {
            if !hasRef { problems.append("Для материала необходимо указать ref_id") }
            if quantity <= 0 { problems.append("Для материала необходимо указать количество") }
        }
        return problems
    }
}

extension OrderPayDraft {
    /// `{operator_id, salary}` or `{operator_id, rate_type, rate_value, hours}`.
    init(api value: JSONValue, timeZone: TimeZone) {
        var input = JSONInput(value.objectValue ?? [:], timeZone: timeZone)
        self.init(operatorID: input.int("operator_id", required: true, minimum: 1), salary: nil)
        rateType = input.choice("rate_type", as: SalaryRateType.self) ?? .fixed
        salary = input.decimal("salary", maxDigits: 12, scale: 2)
        rateValue = input.decimal("rate_value", maxDigits: 12, scale: 2)
        hours = input.decimal("hours", maxDigits: 8, scale: 2)
        if salary == nil, rateValue == nil { input.fail("salary", FieldMessage.required) }
        problems = input.errors
    }

    /// `POST /orders/{id}/salaries/`: `{"operator_salaries": [...]}`; a body without the list sets nothing.
    static func list(
        api body: [String: JSONValue], timeZone: TimeZone
    ) -> (pay: [OrderPayDraft], problems: [String: [String]]) {
        var input = JSONInput(body, timeZone: timeZone)
        let values = input.array("operator_salaries") ?? []
        return (values.map { OrderPayDraft(api: $0, timeZone: timeZone) }, input.errors)
    }
}
