import Foundation

/// Strict parsing of decimal numbers typed by people or sent by clients.
///
/// Accepted: ASCII digits with an optional leading `-` and an optional `.` followed by at least one digit
/// (`"2450"`, `"-5.1"`, `"0.25"`). Rejected: empty strings, spaces, `+`, exponents (`"1e3"`), thousands
/// separators, a bare `"."`, `".5"` or `"5."`, and more fractional digits than allowed (DRF answers those with
/// «Убедитесь, что …» too; we never round a value the user typed).
public enum DecimalParser {
    /// The most significant digits a `Decimal` holds exactly; longer inputs are rejected rather than rounded.
    public static let maxSignificantDigits = 38

    /// Parses `text` strictly; returns `nil` for anything that is not a plain decimal number.
    ///
    /// - Parameters:
    ///   - maxFractionDigits: the most digits allowed after the separator (`2` for money), `nil` for no limit.
    ///   - maxIntegerDigits: the most digits allowed before the separator, leading zeros not counted
    ///     (`10` for a `decimal(12,2)` column), `nil` for no limit.
    ///   - allowsComma: also accept `,` as the separator (`"2450,50"`), which Russian mobile keyboards type in
    ///     `inputmode="decimal"` fields. JSON input should keep the default `false`.
    public static func parse(
        _ text: some StringProtocol,
        maxFractionDigits: Int? = nil,
        maxIntegerDigits: Int? = nil,
        allowsComma: Bool = false
    ) -> Decimal? {
        var bytes = Array(text.utf8)
        var isNegative = false
        if bytes.first == UInt8(ascii: "-") {
            isNegative = true
            bytes.removeFirst()
        }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var sawSeparator = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawSeparator { fractionDigits.append(byte) } else { integerDigits.append(byte) }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard byte == UInt8(ascii: ".") || allowsComma, !sawSeparator else { return nil }
                sawSeparator = true
            default:
                return nil
            }
        }
        guard !integerDigits.isEmpty else { return nil }
        if sawSeparator, fractionDigits.isEmpty { return nil }
        if let maxFractionDigits, fractionDigits.count > maxFractionDigits { return nil }
        let significantInteger = integerDigits.drop(while: { $0 == UInt8(ascii: "0") })
        if let maxIntegerDigits, significantInteger.count > maxIntegerDigits { return nil }
        guard significantInteger.count + fractionDigits.count <= maxSignificantDigits else { return nil }

        var normalized = isNegative ? "-" : ""
        normalized += String(decoding: integerDigits, as: UTF8.self)
        if !fractionDigits.isEmpty {
            normalized += "." + String(decoding: fractionDigits, as: UTF8.self)
        }
        return Decimal(string: normalized, locale: Locale(identifier: "en_US_POSIX"))
    }
}
