import Domain
import Foundation

/// What a create, PUT or PATCH of an order asks for, read by the API from JSON (`OrderDraft(api:)`) and by the
/// web from the order form (`OrderFormInput`). Fields left `.keep` are not changed (or take their defaults on
/// create).
///
/// `problems` are the field messages found while reading: the service reports them together with its own
/// checks (client, manager, operators, number) and only after it has found the order and checked that it may
/// be edited, which is the order the API has always answered in.
struct OrderDraft: Sendable {
    var clientID: Patch<Int?> = .keep
    var address: Patch<String> = .keep
    /// Millionths of a degree.
    var geoLat: Patch<Int64?> = .keep
    var geoLng: Patch<Int64?> = .keep
    var startAt: Patch<Date> = .keep
    var endAt: Patch<Date?> = .keep
    var description: Patch<String> = .keep
    var managerID: Patch<Int?> = .keep
    var operatorIDs: Patch<[Int]> = .keep
    /// A number typed by staff; on create `.keep` takes the next free one.
    var number: Patch<String> = .keep
    /// Kopecks.
    var prepayment: Patch<Int64> = .keep
    var prepaymentStatus: Patch<String> = .keep
    /// Kopecks: the total of an order without lines.
    var estimatedTotal: Patch<Int64> = .keep
    var meta: Patch<[String: JSONValue]> = .keep
    /// `meta.is_delayed` alone: the web form's late-penalty switch (docs/domain-rules.md#late-penalty). Set into the
    /// order's meta with its other keys kept (`metaText(over:)`).
    var isDelayed: Patch<Bool> = .keep
    var attachments: Patch<JSONValue> = .keep
    /// `.set([])` removes every line.
    var lines: Patch<[OrderLineDraft]> = .keep
    /// A `status` sent along (upper-cased): the service accepts only the order's current one.
    var status: String?
    var problems: [String: [String]] = [:]
}

extension OrderDraft {
    /// The order's `meta` text after this draft: `meta` replaces it when given, then `isDelayed` is set into it
    /// (false removes the flag, which reads as not late); `current` unchanged when the draft sets neither.
    func metaText(over current: String) -> String {
        if case .keep = meta, case .keep = isDelayed { return current }
        var object: [String: JSONValue]
        if case .set(let given) = meta { object = given } else { object = JSONValue.parse(current)?.objectValue ?? [:] }
        if case .set(let flag) = isDelayed {
            if flag { object["is_delayed"] = .bool(true) } else { object.removeValue(forKey: "is_delayed") }
        }
        return JSONValue.object(object).jsonText
    }
}

/// One line of an order as asked for. Prices, tax and discount count only from a caller who may set prices
/// (`OrderPolicy.maySetPrices`); catalog lines take their name, unit and price from the catalog
/// (`OrderItemsParser`).
struct OrderLineDraft: Sendable {
    /// nil only with a problem recorded.
    var itemType: ItemType?
    var refID: Int?
    /// nil: not given (1 on an order, none at completion).
    var quantity: Decimal?
    var taxRate: Decimal?
    var discount: Decimal?
    /// Kopecks.
    var unitPrice: Int64?
    var manualPrice = false
    var name: String?
    var unit: String?
    /// Kopecks; equipment only.
    var fuelExpense: Int64?
    var repairExpense: Int64?
    var shifts: Decimal?
    var hours: Decimal?
    var billingMode: String?
    var note: String?
    /// Other metadata keys, kept on the line as they came.
    var metadata: [String: JSONValue] = [:]
    /// Messages found while reading the line (keys as in the API: `quantity`, `metadata.shifts`, …).
    var problems: [String: [String]] = [:]

    init(itemType: ItemType?, refID: Int? = nil) {
        self.itemType = itemType
        self.refID = refID
    }
}

/// The limits of the API's order fields, for inputs that do not come as JSON (the web form): the same messages
/// `JSONInput` gives.
enum OrderInputLimits {
    static func text(_ text: String, maxLength: Int) -> String? {
        text.count > maxLength ? FieldMessage.maxLength(maxLength) : nil
    }

    static func decimal(_ number: Decimal, maxDigits: Int, scale: Int) -> String? {
        if DecimalText.fractionDigits(number) > scale { return FieldMessage.decimalPlaces(scale) }
        if DecimalText.format(number < 0 ? -number : number, scale: 0).count > maxDigits - scale {
            return FieldMessage.maxDigits(maxDigits)
        }
        return nil
    }

    static func kopecks(_ kopecks: Int64, maxDigits: Int = 12) -> String? {
        decimal(Scaled.toDecimal(kopecks, scale: 2), maxDigits: maxDigits, scale: 2)
    }
}

// MARK: - From the API's JSON

extension OrderDraft {
    /// A create/PUT/PATCH body. `full` requires the fields a create or PUT needs.
    init(api body: [String: JSONValue], full: Bool, timeZone: TimeZone) {
        var input = JSONInput(body, timeZone: timeZone)
        if full, !input.has("client_id") { input.fail("client_id", FieldMessage.required) }
        if input.has("client_id") { clientID = .set(input.int("client_id", minimum: 1)) }
        if let value = input.string("address", required: full, maxLength: 500, allowBlank: false) {
            address = .set(value)
        }
        if input.has("geo_lat") {
            let degrees = input.decimal("geo_lat", maxDigits: 9, scale: 6, minimum: -90, maximum: 90)
            geoLat = .set(degrees.map { Scaled.toInt($0, scale: 6) })
        }
        if input.has("geo_lng") {
            let degrees = input.decimal("geo_lng", maxDigits: 9, scale: 6, minimum: -180, maximum: 180)
            geoLng = .set(degrees.map { Scaled.toInt($0, scale: 6) })
        }
        if let value = input.dateTime("start_dt", required: full, nullable: false) { startAt = .set(value) }
        if input.has("end_dt") { endAt = .set(input.dateTime("end_dt")) }
        if let value = input.string("description", maxLength: 10_000) { description = .set(value) }
        if input.has("manager_id") { managerID = .set(input.int("manager_id", minimum: 1)) }
        var operators = input.intList("operator_ids")
        if let legacy = input.int("operator_id", minimum: 1) { operators = (operators ?? []) + [legacy] }
        if let operators { operatorIDs = .set(operators) }
        if let value = input.string("number", maxLength: 32), !value.isEmpty { number = .set(value) }
        if let value = input.kopecks("prepayment_amount", nullable: false) { prepayment = .set(value) }
        if let value = input.string("prepayment_status", maxLength: 20, allowBlank: false) {
            prepaymentStatus = .set(value)
        }
        let total = input.kopecks("total_amount", nullable: false) ?? input.kopecks("estimated_total", nullable: false)
        if let total { estimatedTotal = .set(total) }
        if let value = input.object("meta") { meta = .set(value) }
        if input.has("attachments") {
            if case .array = body["attachments"] ?? .null {
                attachments = .set(body["attachments"] ?? .array([]))
            } else {
                input.fail("attachments", FieldMessage.list)
            }
        }
        if let value = input.string("status", maxLength: 20), !value.isEmpty { status = value.uppercased() }
        if let items = input.array("items") {
            lines = .set(items.map { OrderLineDraft(api: $0, timeZone: timeZone) })
        } else if body["items"] == .null, input.has("items") {
            lines = .set([])
        }
        problems = input.errors
    }
}

extension OrderLineDraft {
    /// One element of a body's `items`.
    init(api value: JSONValue, timeZone: TimeZone) {
        self.init(itemType: nil)
        guard let object = value.objectValue else {
            problems["non_field_errors"] = [FieldMessage.object]
            return
        }
        var input = JSONInput(object, timeZone: timeZone)
        itemType = input.choice("item_type", as: ItemType.self, required: true)
        refID = input.int("ref_id", minimum: 1)
        quantity = input.decimal("quantity", maxDigits: 10, scale: 2)
        taxRate = input.decimal("tax_rate", maxDigits: 5, scale: 2, maximum: 100)
        discount = input.decimal("discount", maxDigits: 5, scale: 2, maximum: 100)
        fuelExpense = input.kopecks("fuel_expense")
        repairExpense = input.kopecks("repair_expense")
        unitPrice = input.kopecks("unit_price")
        manualPrice = input.bool("manual_price") ?? false
        name = input.string("name_snapshot", maxLength: 255)
        unit = input.string("unit", maxLength: 32)
        var metadata = input.object("metadata") ?? [:]
        var metaInput = JSONInput(metadata, timeZone: timeZone)
        shifts = metaInput.decimal("shifts", maxDigits: 8, scale: 2)
        hours = metaInput.decimal("hours", maxDigits: 8, scale: 2)
        for (key, messages) in metaInput.errors { problems["metadata.\(key)", default: []] += messages }
        for (key, messages) in input.errors { problems[key, default: []] += messages }
        billingMode = metadata["billing_mode"]?.stringValue
        note = metadata["note"]?.stringValue
        for key in ["shifts", "hours", "daily_rate", "billing_mode", "note", "hourlyRate", "dailyRate"] {
            metadata.removeValue(forKey: key)
        }
        self.metadata = metadata
    }
}
