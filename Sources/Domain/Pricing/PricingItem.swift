import Foundation

/// One order line as the pricing engine sees it (docs/domain-rules.md#line-modes). Plain values, no catalog lookups:
/// the App layer copies rates from the catalog before pricing.
public struct PricingItem: Sendable, Hashable {
    /// `metadata.billing_mode` value that makes a service cost its hourly price × the order's duration.
    public static let perHourBillingMode = "per_hour"

    /// `name_snapshot`: the name copied when the line was added.
    public var name: String
    public var itemType: ItemType
    /// The stored quantity. Ignored for equipment (shifts/hours or the order duration decide) and for
    /// per-hour services; a negative value counts as 0.
    public var quantity: Decimal
    /// The price of one unit. For equipment: the **hourly** rate.
    public var unitPrice: Decimal
    /// Tax (VAT) in percent of the line's net amount.
    public var taxRate: Decimal
    /// Discount in percent of the line's base amount (not an amount of money).
    public var discount: Decimal
    /// Equipment: number of shifts («смены») of `dailyThresholdHours` each (`metadata.shifts`).
    public var shifts: Decimal?
    /// Equipment: extra hours on top of the shifts (`metadata.hours`).
    public var hours: Decimal?
    /// Equipment: the price of one shift / day (`metadata.daily_rate`); `nil` or 0 when the machine has none.
    public var dailyRate: Decimal?
    /// Service: `"per_hour"` bills the order duration; anything else is a fixed service (`metadata.billing_mode`).
    public var billingMode: String?
    /// Attachment / other: the text shown as the position's notes (`metadata.note`).
    public var note: String?
    /// Free-text unit (`hour`, `pcs`, `м3`…); used by `display_unit` for plain quantity lines.
    public var unit: String

    public init(
        name: String,
        itemType: ItemType,
        quantity: Decimal = 1,
        unitPrice: Decimal,
        taxRate: Decimal = 0,
        discount: Decimal = 0,
        shifts: Decimal? = nil,
        hours: Decimal? = nil,
        dailyRate: Decimal? = nil,
        billingMode: String? = nil,
        note: String? = nil,
        unit: String = ""
    ) {
        self.name = name
        self.itemType = itemType
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
        self.discount = discount
        self.shifts = shifts
        self.hours = hours
        self.dailyRate = dailyRate
        self.billingMode = billingMode
        self.note = note
        self.unit = unit
    }

    /// Equipment priced by the shifts and hours the operator reported (either > 0), not by the order duration.
    public var usesShiftsAndHours: Bool {
        itemType == .equipment && ((shifts ?? 0) > 0 || (hours ?? 0) > 0)
    }

    /// A service whose quantity is the order's duration in hours.
    public var isBilledPerHour: Bool {
        itemType == .service && billingMode == Self.perHourBillingMode
    }

    // MARK: - Validation

    /// One rule a line breaks, keyed by the API field name so the App can return `{"items": [{field: [msg]}]}`.
    public struct Issue: Sendable, Hashable {
        public let field: String
        public let message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The input rules the original never checked (docs/domain-rules.md#input-rules): quantities, prices, shifts
    /// and hours are not negative; discount and tax are percentages from 0 to 100. Empty when the line is valid.
    ///
    /// The engine itself never traps on bad values (it clamps discount to 0–100 %, tax and quantity to ≥ 0), so
    /// the App should reject invalid lines with these messages before pricing.
    public var validationIssues: [Issue] {
        var issues: [Issue] = []
        if quantity < 0 {
            issues.append(Issue(field: "quantity", message: "Количество не может быть отрицательным"))
        }
        if unitPrice < 0 {
            issues.append(Issue(field: "unit_price", message: "Цена не может быть отрицательной"))
        }
        if discount < 0 || discount > 100 {
            issues.append(Issue(field: "discount", message: "Скидка должна быть от 0 до 100 %"))
        }
        if taxRate < 0 || taxRate > 100 {
            issues.append(Issue(field: "tax_rate", message: "Ставка налога должна быть от 0 до 100 %"))
        }
        if let shifts, shifts < 0 {
            issues.append(Issue(field: "shifts", message: "Количество смен не может быть отрицательным"))
        }
        if let hours, hours < 0 {
            issues.append(Issue(field: "hours", message: "Количество часов не может быть отрицательным"))
        }
        if let dailyRate, dailyRate < 0 {
            issues.append(Issue(field: "daily_rate", message: "Цена смены не может быть отрицательной"))
        }
        return issues
    }
}
