import Foundation

/// How a value that falls between two representable values is rounded.
public enum DecimalRoundingMode: Sendable {
    /// Ties go away from zero: 2.345 → 2.35, −2.345 → −2.35 (Python's `ROUND_HALF_UP`). The rewrite rounds all
    /// money this way (docs/domain-rules.md#rounding).
    case halfUp
    /// Ties go to the even neighbour: 2.345 → 2.34 (what the original did by accident, kept for comparisons).
    case halfEven
    /// Towards negative infinity.
    case floor
    /// Towards positive infinity (`ceil`).
    case ceiling
}

extension Decimal {
    /// This value rounded to `scale` fractional digits (`scale` 0 rounds to an integer).
    public func rounded(scale: Int, mode: DecimalRoundingMode = .halfUp) -> Decimal {
        var source = self
        var result = Decimal()
        let foundationMode: Decimal.RoundingMode
        switch mode {
        case .halfUp: foundationMode = .plain
        case .halfEven: foundationMode = .bankers
        case .floor: foundationMode = .down
        case .ceiling: foundationMode = .up
        }
        NSDecimalRound(&result, &source, scale, foundationMode)
        return result
    }

    /// The value rounded half-up to `scale` digits and written with exactly that many: `5` → `"5.00"` (scale 2),
    /// `45.0465` → `"45.046500"` (scale 6). Always a dot, never grouping or exponents, as the API's decimal strings.
    public func fixedString(scale: Int) -> String {
        let text = rounded(scale: scale).plainString
        guard scale > 0 else { return text }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        return integerPart + "." + fraction + String(repeating: "0", count: Swift.max(0, scale - fraction.count))
    }

    /// The shortest plain form: `3.5`, `5`, `0.25`, `-5.1` (no trailing zeros, no exponent).
    public var plainString: String {
        description
    }

    /// `true` when the value has no fractional part.
    public var isWholeNumber: Bool {
        rounded(scale: 0, mode: .floor) == self
    }
}
