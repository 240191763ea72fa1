import Foundation

@testable import Domain

/// A decimal from its exact text (float literals would go through `Double`).
func dec(_ text: String) -> Decimal {
    guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        preconditionFailure("bad decimal literal \(text)")
    }
    return value
}

/// Money from its exact text, e.g. `money("67350.00")`.
func money(_ text: String) -> Money {
    guard let value = Money(string: text) else { preconditionFailure("bad money literal \(text)") }
    return value
}

/// An instant from ISO 8601 text with an offset, e.g. `date("2025-12-01T18:00:00Z")`.
func date(_ text: String) -> Date {
    guard let value = ISO8601DateFormatter().date(from: text) else { preconditionFailure("bad date \(text)") }
    return value
}

/// The fixed "now" of docs/domain-rules.md#pricing-worked-examples.
let specNow = date("2025-12-01T18:00:00Z")

/// A context for an order that lasted `hours` and ended at `specNow` (end left open: `referenceTime` is used).
func context(
    hours: Decimal = 1, prepayment: Decimal = 0, isDelayed: Bool = false, plannedEnd: Date? = nil
) -> PricingContext {
    let seconds = NSDecimalNumber(decimal: hours * 3600).doubleValue
    return PricingContext(
        start: specNow.addingTimeInterval(-seconds), end: nil, referenceTime: specNow, prepayment: prepayment,
        isDelayed: isDelayed, plannedEnd: plannedEnd)
}
