import Foundation

/// Any JSON value, decoded without loss: numbers stay exact `Decimal`s.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .number(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The value as an exact decimal: a JSON number or a numeric string.
    public var decimalValue: Decimal? {
        switch self {
        case .number(let value): return value
        case .string(let text): return DecimalText.parse(text)
        default: return nil
        }
    }

    /// Compact JSON text of this value.
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    public static func parse(_ text: String) -> JSONValue? {
        guard !text.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

/// Strict parsing of decimal text: optional sign, digits, optional fraction. No exponents, no spaces.
enum DecimalText {
    static func parse(_ raw: String) -> Decimal? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var digits = 0
        var dots = 0
        for (index, character) in text.enumerated() {
            if character == "-" || character == "+" {
                if index != 0 { return nil }
            } else if character == "." {
                dots += 1
            } else if character.isASCII, character.isNumber {
                digits += 1
            } else {
                return nil
            }
        }
        guard digits > 0, dots <= 1 else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Number of digits after the decimal point in the exact value (`1.50` → 1, `2` → 0).
    static func fractionDigits(_ value: Decimal) -> Int {
        var copy = value
        var rounded = Decimal()
        for scale in 0...12 {
            NSDecimalRound(&rounded, &copy, scale, .plain)
            if rounded == value { return scale }
        }
        return 13
    }

    /// Fixed-scale text with a dot: `2450.00`, `45.046500`.
    static func format(_ value: Decimal, scale: Int) -> String {
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, scale, .plain)
        let negative = rounded < 0
        let magnitude = negative ? -rounded : rounded
        var text = NSDecimalNumber(decimal: magnitude).stringValue
        if text.contains("e") || text.contains("E") { text = "\(magnitude)" }
        var integerPart = text
        var fraction = ""
        if let dot = text.firstIndex(of: ".") {
            integerPart = String(text[..<dot])
            fraction = String(text[text.index(after: dot)...])
        }
        if fraction.count < scale { fraction += String(repeating: "0", count: scale - fraction.count) }
        let body = scale > 0 ? integerPart + "." + fraction.prefix(scale) : integerPart
        return (negative && rounded != 0 ? "-" : "") + body
    }
}
