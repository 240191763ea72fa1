import Foundation

/// The pricing engine: turns order lines into a `PriceSnapshot` (docs/domain-rules.md#pricing, with order totals
/// that count tax and discounts once: docs/original-bugs.md, 7.7).
///
/// Per line: `base` (see the modes below) → `discount = money(base × d %)` → `net = money(base − discount)` →
/// `tax = money(net × t %)` → `lineTotal = net + tax`, every `money(…)` half-up to the kopeck.
/// Per order: `subtotal = Σ net`, `taxTotal = Σ tax`,
/// `latePenalty = money((Σ net + Σ tax) × 10 %)` when late (a reduction for the client),
/// `total = subtotal + taxTotal − latePenalty`, `balance = max(total − prepayment, 0)`.
///
/// Line modes (docs/domain-rules.md#line-modes):
/// - equipment with shifts or hours: `shifts × shift price + hours × hourly rate`, where a shift costs the
///   machine's daily rate, or `dailyThresholdHours × hourly rate` (8 × p) when the machine has no daily rate
///   (design decision for docs/original-bugs.md, E10: the original charged 0 for such shifts, the web client
///   p per shift);
/// - equipment without shifts/hours: the order duration rounded to the half hour; ≥ 8 h with a daily rate is
///   billed as `ceil(hours / 24)` days at the daily rate, otherwise hours × hourly rate;
/// - service `per_hour`: rounded duration × price; other services, materials, attachments: quantity × price.
///
/// The engine never traps: negative quantities count as 0, discounts are clamped to 0–100 %, negative tax to 0,
/// and amounts beyond the `Money` range saturate. Reject such input earlier with `PricingItem.validationIssues`.
public enum PriceCalculator {
    /// Prices every line and the order totals. `generatedAt` is `context.referenceTime`.
    public static func price(_ items: [PricingItem], context: PricingContext) -> PriceSnapshot {
        let lines = items.map { priceLine($0, context: context) }
        let net = lines.reduce(Decimal(0)) { $0 + $1.net.decimal }
        let tax = lines.reduce(Decimal(0)) { $0 + $1.tax.decimal }
        let lineDiscounts = lines.reduce(Decimal(0)) { $0 + $1.discount.decimal }
        let gross = net + tax
        let latePenalty =
            context.isLate && gross > 0
            ? Money(rounding: gross * context.latePenaltyPercent / 100) : .zero
        let total = Money(rounding: gross - latePenalty.decimal)
        let prepayment = Money(rounding: context.prepayment)
        let summary = PriceSnapshot.Summary(
            subtotal: Money(rounding: net),
            taxTotal: Money(rounding: tax),
            discountTotal: Money(rounding: lineDiscounts + latePenalty.decimal),
            latePenalty: latePenalty,
            total: total,
            prepayment: prepayment,
            balance: Money(rounding: total.decimal - prepayment.decimal).clampedToZero
        )
        return PriceSnapshot(
            positions: lines.map(\.position), summary: summary, generatedAt: context.referenceTime)
    }

    /// `line_total` of one line in the order JSON: the same figure as the line's position in `price(_:context:)`,
    /// so the list and the snapshot never disagree (fix for docs/original-bugs.md, 7.11).
    public static func lineTotal(_ item: PricingItem, context: PricingContext) -> Money {
        priceLine(item, context: context).lineTotal
    }

    /// One line priced with every intermediate figure (for the order JSON and the receipt).
    public static func priceLine(_ item: PricingItem, context: PricingContext) -> PricedLine {
        let hourlyRate = item.unitPrice
        let dailyRate = Swift.max(item.dailyRate ?? 0, 0)
        let mode: PricedLine.Mode
        let quantity: Decimal
        let unitPrice: Decimal
        let base: Decimal
        let notes: String

        switch item.itemType {
        case .equipment where item.usesShiftsAndHours:
            let shifts = Swift.max(item.shifts ?? 0, 0)
            let hours = Swift.max(item.hours ?? 0, 0)
            let shiftPrice = dailyRate > 0 ? dailyRate : context.dailyThresholdHours * hourlyRate
            mode = .shiftsAndHours(shifts: shifts, hours: hours)
            quantity = shifts + hours
            unitPrice = hourlyRate
            base = shifts * shiftPrice + hours * hourlyRate
            notes = PricedLine.shiftsAndHoursText(shifts: shifts, hours: hours)
        case .equipment:
            let hours = roundHalfHour(context.durationHours)
            if hours >= context.dailyThresholdHours, dailyRate > 0 {
                let days = (hours / 24).rounded(scale: 0, mode: .ceiling)
                mode = .daily(days: days)
                quantity = days
                unitPrice = dailyRate
                notes = "Daily rate (\(days.plainString) day(s))"
            } else {
                mode = .hourly(hours: hours)
                quantity = hours
                unitPrice = hourlyRate
                notes = "Hourly rate (\(hours.plainString) h)"
            }
            base = quantity * unitPrice
        case .service where item.isBilledPerHour:
            let hours = roundHalfHour(context.durationHours)
            mode = .perHour(hours: hours)
            quantity = hours
            unitPrice = item.unitPrice
            base = quantity * unitPrice
            notes = "Service per hour"
        case .service, .material, .attachment:
            mode = .quantity
            quantity = Swift.max(item.quantity, 0)
            unitPrice = item.unitPrice
            base = quantity * unitPrice
            switch item.itemType {
            case .service: notes = "Fixed service"
            case .material: notes = "Materials"
            default: notes = item.note.flatMap { $0.isEmpty ? nil : $0 } ?? "Attachment"
            }
        }

        let discountPercent = Swift.min(Swift.max(item.discount, 0), 100)
        let taxPercent = Swift.max(item.taxRate, 0)
        let discount = Money(rounding: base * discountPercent / 100)
        let net = Money(rounding: base - discount.decimal)
        let tax = Money(rounding: net.decimal * taxPercent / 100)
        return PricedLine(
            name: item.name, itemType: item.itemType, unit: item.unit, mode: mode, quantity: quantity,
            unitPrice: unitPrice, base: base, discount: discount, net: net, tax: tax, notes: notes)
    }

    /// Rounds hours to the nearest half hour, ties up: 3.24 → 3.0, 3.25 → 3.5, 3.75 → 4.0, 7.8 → 8.0
    /// (docs/domain-rules.md#rounding).
    public static func roundHalfHour(_ hours: Decimal) -> Decimal {
        (hours * 2).rounded(scale: 0, mode: .halfUp) / 2
    }

    /// Fractional hours from `start` to `end` (to the millisecond), 0 when `end` is not after `start`.
    public static func durationHours(from start: Date, to end: Date) -> Decimal {
        let milliseconds = (end.timeIntervalSince(start) * 1000).rounded()
        guard milliseconds > 0 else { return 0 }
        let whole = Int64(exactly: milliseconds) ?? Int64.max
        return Decimal(whole) / 3_600_000
    }
}

/// One priced line: what the engine charged and why.
public struct PricedLine: Sendable, Equatable {
    /// How the billed quantity was found.
    public enum Mode: Sendable, Equatable {
        /// Equipment with reported shifts and/or extra hours.
        case shiftsAndHours(shifts: Decimal, hours: Decimal)
        /// Equipment by duration, billed per hour (rounded to the half hour).
        case hourly(hours: Decimal)
        /// Equipment by duration ≥ the threshold with a daily rate, billed per started 24 h.
        case daily(days: Decimal)
        /// A `per_hour` service, billed by the rounded duration.
        case perHour(hours: Decimal)
        /// Material, fixed service or attachment: the stored quantity (≥ 0).
        case quantity
    }

    public let name: String
    public let itemType: ItemType
    /// The line's free-text unit, used by `displayUnit` for plain quantity lines.
    public let unit: String
    public let mode: Mode
    /// The billed quantity (shifts + hours for `.shiftsAndHours`, for display only).
    public let quantity: Decimal
    /// The price per billed unit (hourly rate, or the daily rate for `.daily`).
    public let unitPrice: Decimal
    /// Before discount and tax, not rounded.
    public let base: Decimal
    public let discount: Money
    public let net: Money
    public let tax: Money
    public let notes: String

    public init(
        name: String, itemType: ItemType, unit: String, mode: Mode, quantity: Decimal, unitPrice: Decimal,
        base: Decimal, discount: Money, net: Money, tax: Money, notes: String
    ) {
        self.name = name
        self.itemType = itemType
        self.unit = unit
        self.mode = mode
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.base = base
        self.discount = discount
        self.net = net
        self.tax = tax
        self.notes = notes
    }

    /// `net + tax`: the line's `line_total`.
    public var lineTotal: Money {
        Money(rounding: net.decimal + tax.decimal)
    }

    /// The line as it appears in the snapshot.
    public var position: PriceSnapshot.Position {
        PriceSnapshot.Position(
            name: name,
            type: itemType,
            quantity: quantity == 0 ? "0.00" : quantity.plainString,
            unitPrice: Money(rounding: unitPrice),
            taxAmount: tax,
            discount: discount,
            lineTotal: lineTotal,
            notes: notes
        )
    }

    /// `display_quantity` (docs/domain-rules.md#display-quantity-and-unit, with correct plurals): `"2 смены, 3.0 ч"`,
    /// `"1 смена"`, `"2.5 ч"` for shifts and hours; otherwise the billed quantity without trailing zeros
    /// (`"3.5"`, `"1"`, `"0"`).
    public var displayQuantity: String {
        switch mode {
        case .shiftsAndHours(let shifts, let hours):
            Self.shiftsAndHoursText(shifts: shifts, hours: hours)
        case .hourly, .daily, .perHour, .quantity:
            quantity.rounded(scale: 2).plainString
        }
    }

    /// `display_unit` (docs/domain-rules.md#display-quantity-and-unit, with correct plurals): «смена / смены / смен»
    /// when there are shifts,
    /// otherwise «час / часа / часов» for hours; «сутки / суток» for equipment billed by the day; for plain
    /// quantity lines the line's unit, or `"-"` when it is empty.
    public var displayUnit: String {
        switch mode {
        case .shiftsAndHours(let shifts, let hours):
            shifts > 0 ? RussianPlural.shift.form(for: shifts) : RussianPlural.hour.form(for: hours)
        case .hourly(let hours), .perHour(let hours):
            RussianPlural.hour.form(for: hours)
        case .daily(let days):
            RussianPlural.day.form(for: days)
        case .quantity:
            unit.trimmingCharacters(in: .whitespaces).isEmpty ? "-" : unit
        }
    }

    /// «2 смены, 3.0 ч»: the shifts with their plural, the hours with one decimal; zero parts are left out.
    static func shiftsAndHoursText(shifts: Decimal, hours: Decimal) -> String {
        var parts: [String] = []
        if shifts > 0 { parts.append("\(shifts.plainString) \(RussianPlural.shift.form(for: shifts))") }
        if hours > 0 { parts.append("\(hours.fixedString(scale: 1)) ч") }
        return parts.joined(separator: ", ")
    }
}
