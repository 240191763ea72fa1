import Foundation

/// How an operator's pay for an order is computed (`rate_type`). Stored as its raw value.
public enum SalaryRateType: String, CaseIterable, Codable, Sendable {
    /// A rate per hour × the hours the operator reported for this order.
    case hourly
    /// A fixed amount per order (what the original only ever booked).
    case fixed
    /// A percentage of the order total.
    case percent

    /// The Russian label shown to users.
    public var title: String {
        switch self {
        case .hourly: "Почасовая"
        case .fixed: "Фиксированная"
        case .percent: "Процентная"
        }
    }
}

/// Operator pay per order (docs/domain-rules.md#salary), computed rather than only typed in.
public enum SalaryCalculator {
    /// The percentage the original's (unused) percent helper defaulted to.
    public static let defaultPercent: Decimal = 10

    /// The pay for one operator on one order, half-up to the kopeck:
    /// - `fixed`: `rateValue` roubles;
    /// - `hourly`: `rateValue` × `operatorHours` (the operator's own hours entered at completion, not the
    ///   order's wall-clock length, which includes nights);
    /// - `percent`: `orderTotal` × `rateValue` / 100 (88 615.00 at 12.5 % → 11 076.88).
    ///
    /// Negative rates or hours count as 0: pay is never negative.
    public static func amount(
        rateType: SalaryRateType, rateValue: Decimal, operatorHours: Decimal = 0, orderTotal: Money = .zero
    ) -> Money {
        let rate = Swift.max(rateValue, 0)
        switch rateType {
        case .fixed:
            return Money(rounding: rate)
        case .hourly:
            return Money(rounding: rate * Swift.max(operatorHours, 0))
        case .percent:
            return orderTotal.clampedToZero.percent(rate)
        }
    }

    /// `hours_worked` stored on a salary record: the order's wall-clock length from start to end in hours,
    /// rounded half-up to 2 places (09:00–17:20 → 8.33; nights count: 08:00 → next day 19:00 is 35.00).
    /// 0 when either time is missing or the end is not after the start.
    public static func hoursWorked(from start: Date?, to end: Date?) -> Decimal {
        guard let start, let end else { return 0 }
        return PriceCalculator.durationHours(from: start, to: end).rounded(scale: 2, mode: .halfUp)
    }

    /// The salary record's `notes`: «Зарплата за заказ 000123».
    public static func note(orderNumber: String) -> String {
        "Зарплата за заказ \(orderNumber)"
    }
}
