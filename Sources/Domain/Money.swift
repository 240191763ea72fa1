import Foundation

/// An amount of roubles held as whole kopecks, so money is never a binary float.
///
/// Values that come from arithmetic on rates and percentages enter through `Money(rounding:)`, which rounds
/// half-up to the kopeck (docs/domain-rules.md#rounding). In JSON a `Money` is the API's fixed-scale decimal string,
/// `"2450.00"`; decoding also accepts a JSON number with at most two decimals.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount in kopecks (1/100 rouble). Stored as is in `…_kopecks` columns.
    public var kopecks: Int64

    public static let zero = Money(kopecks: 0)

    /// The largest and smallest representable amounts (about ±92 quadrillion roubles).
    public static let max = Money(kopecks: .max)
    public static let min = Money(kopecks: .min)

    public init(kopecks: Int64) {
        self.kopecks = kopecks
    }

    /// Whole roubles: `Money(rubles: 2450)` is 2450.00.
    public init(rubles: Int64) {
        self.kopecks = rubles * 100
    }

    /// `value` rounded half-up to the kopeck: 11 076.875 → 11 076.88, −0.005 → −0.01.
    ///
    /// Saturates at `Money.max` / `Money.min` instead of trapping, so absurd input can never crash the server;
    /// validate ranges (`decimal(12,2)` columns) before pricing.
    public init(rounding value: Decimal) {
        if let exact = Money(exactly: value.rounded(scale: 2, mode: .halfUp)) {
            self = exact
        } else {
            self = value < 0 ? .min : .max
        }
    }

    /// `value` if it has at most two fractional digits and fits; otherwise `nil` (no rounding).
    public init?(exactly value: Decimal) {
        guard !value.isNaN else { return nil }
        let scaled = value * 100
        guard scaled.isWholeNumber, let kopecks = Int64(scaled.plainString) else { return nil }
        self.kopecks = kopecks
    }

    /// Parses the API's and the forms' money text strictly: `"2450"`, `"2450.5"`, `"2450.50"`, `"-5.10"`.
    /// More than two decimals, spaces, commas, exponents or other garbage give `nil`.
    public init?(string: some StringProtocol) {
        guard let value = DecimalParser.parse(string, maxFractionDigits: 2) else { return nil }
        self.init(exactly: value)
    }

    /// The exact amount in roubles.
    public var decimal: Decimal {
        Decimal(kopecks) / 100
    }

    /// Always two decimals and a dot: `"2450.00"`, `"-5.10"`, `"0.05"`. The API's wire format.
    public var plainString: String {
        (parts.isNegative ? "-" : "") + parts.rubles + "." + parts.kopecks
    }

    /// The digits every written form of an amount is made of: `-123456` → (true, "1234", "56").
    /// The API (`plainString`), the pages and the documents (`RussianFormat.money`) all print from these.
    public var parts: (isNegative: Bool, rubles: String, kopecks: String) {
        let magnitude = kopecks.magnitude
        let fraction = magnitude % 100
        return (kopecks < 0, String(magnitude / 100), (fraction < 10 ? "0" : "") + String(fraction))
    }

    public var description: String { plainString }

    public var isZero: Bool { kopecks == 0 }
    public var isNegative: Bool { kopecks < 0 }
    public var isPositive: Bool { kopecks > 0 }

    /// `rate` percent of this amount, rounded half-up to the kopeck: 88 615.00 × 12.5 % → 11 076.88.
    public func percent(_ rate: Decimal) -> Money {
        Money(rounding: decimal * rate / 100)
    }

    /// This amount, or zero when it is negative (a balance is never shown below zero).
    public var clampedToZero: Money {
        kopecks < 0 ? .zero : self
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.kopecks < rhs.kopecks }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(kopecks: lhs.kopecks + rhs.kopecks) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(kopecks: lhs.kopecks - rhs.kopecks) }
    public static prefix func - (amount: Money) -> Money { Money(kopecks: -amount.kopecks) }
    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }

    // MARK: - Codable

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let money = Money(string: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "Not a money amount with at most 2 decimals: \(text)")
            }
            self = money
            return
        }
        let number = try container.decode(Decimal.self)
        guard let money = Money(exactly: number) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Not a money amount with at most 2 decimals: \(number)")
        }
        self = money
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(plainString)
    }
}

extension Sequence where Element == Money {
    /// The sum of the amounts (zero for an empty sequence).
    public func sum() -> Money {
        reduce(.zero, +)
    }
}
