/// A Russian phone number normalised to E.164 (`+79991234567`).
///
/// `+7 (999) 123-45-67`, `8 999 123 45 67`, `79991234567` and `9991234567` are the same number.
/// Anything that is not 10 national digits after the country code is rejected.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let e164: String

    public init?(_ raw: String) {
        let allowedPunctuation: Set<Character> = [" ", "-", "(", ")", ".", "\u{00A0}"]
        var digits = ""
        var sawPlus = false
        for (index, character) in raw.trimmingSpaces().enumerated() {
            if character == "+" {
                guard index == 0 else { return nil }
                sawPlus = true
            } else if character.isASCII, character.isNumber {
                digits.append(character)
            } else if !allowedPunctuation.contains(character) {
                return nil
            }
        }
        let national: Substring
        switch digits.count {
        case 10 where !sawPlus:
            national = Substring(digits)
        case 11 where digits.hasPrefix("7"):
            national = digits.dropFirst()
        case 11 where digits.hasPrefix("8") && !sawPlus:
            national = digits.dropFirst()
        default:
            return nil
        }
        guard national.first != "0" else { return nil }
        e164 = "+7" + national
    }

    public var description: String { e164 }

    /// The number with all but the last four digits hidden, for logs: `+7******4567`.
    public var masked: String {
        "+7******" + e164.suffix(4)
    }
}

extension String {
    func trimmingSpaces() -> Substring {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }
}
