import Domain
import Foundation
import Vapor

/// Reads fields from a JSON object body, collecting every problem as a field error in Russian.
///
/// Each accessor returns `nil` when the key is absent (or the value was invalid, which is recorded).
/// Call `validate()` once all fields are read: it throws `FieldErrors` if anything was wrong.
struct JSONInput {
    let values: [String: JSONValue]
    private(set) var errors: [String: [String]] = [:]
    private let timeZone: TimeZone

    init(_ values: [String: JSONValue], timeZone: TimeZone) {
        self.values = values
        self.timeZone = timeZone
    }

    init(request: Request) throws {
        self.init(try request.jsonObject(), timeZone: request.application.config.timeZone)
    }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// True when the key is present with an explicit JSON null.
    func isNull(_ key: String) -> Bool { values[key] == .null }

    mutating func fail(_ key: String, _ message: String) {
        errors[key, default: []].append(message)
    }

    func validate() throws {
        if !errors.isEmpty { throw FieldErrors(errors) }
    }

    mutating func string(
        _ key: String, required: Bool = false, maxLength: Int = 255, allowBlank: Bool = true, nullable: Bool = false
    ) -> String? {
        guard let value = values[key] else {
            if required { fail(key, FieldMessage.required) }
            return nil
        }
        switch value {
        case .null:
            if !nullable { fail(key, FieldMessage.null) }
            return nil
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty, !allowBlank {
                fail(key, FieldMessage.blank)
                return nil
            }
            if trimmed.count > maxLength {
                fail(key, FieldMessage.maxLength(maxLength))
                return nil
            }
            return trimmed
        case .number(let number):
            return "\(number)"
        default:
            fail(key, FieldMessage.string)
            return nil
        }
    }

    /// An exact decimal with at most `scale` places and `maxDigits` digits in all.
    mutating func decimal(
        _ key: String, required: Bool = false, nullable: Bool = true, maxDigits: Int = 12, scale: Int = 2,
        minimum: Decimal? = 0, maximum: Decimal? = nil
    ) -> Decimal? {
        guard let value = values[key] else {
            if required { fail(key, FieldMessage.required) }
            return nil
        }
        if value == .null {
            if !nullable || required { fail(key, FieldMessage.null) }
            return nil
        }
        if case .string(let text) = value, text.trimmingCharacters(in: .whitespaces).isEmpty {
            if !nullable || required { fail(key, FieldMessage.number) }
            return nil
        }
        guard let number = value.decimalValue, !number.isNaN else {
            fail(key, FieldMessage.number)
            return nil
        }
        if DecimalText.fractionDigits(number) > scale {
            fail(key, FieldMessage.decimalPlaces(scale))
            return nil
        }
        let integerDigits = DecimalText.format(number < 0 ? -number : number, scale: 0).count
        if integerDigits > maxDigits - scale {
            fail(key, FieldMessage.maxDigits(maxDigits))
            return nil
        }
        if let minimum, number < minimum {
            fail(key, FieldMessage.minValue(DecimalText.format(minimum, scale: 0)))
            return nil
        }
        if let maximum, number > maximum {
            fail(key, FieldMessage.maxValue(DecimalText.format(maximum, scale: 0)))
            return nil
        }
        return number
    }

    /// Money in kopecks: a non-negative decimal with at most 2 places.
    mutating func kopecks(_ key: String, required: Bool = false, nullable: Bool = true, maxDigits: Int = 12) -> Int64? {
        guard let number = decimal(key, required: required, nullable: nullable, maxDigits: maxDigits, scale: 2) else {
            return nil
        }
        return Scaled.toInt(number, scale: 2)
    }

    mutating func int(_ key: String, required: Bool = false, nullable: Bool = true, minimum: Int? = nil) -> Int? {
        guard let value = values[key] else {
            if required { fail(key, FieldMessage.required) }
            return nil
        }
        if value == .null {
            if !nullable || required { fail(key, FieldMessage.null) }
            return nil
        }
        guard let number = value.decimalValue, DecimalText.fractionDigits(number) == 0,
            let integer = Int(DecimalText.format(number, scale: 0))
        else {
            fail(key, FieldMessage.integer)
            return nil
        }
        if let minimum, integer < minimum {
            fail(key, FieldMessage.minValue(String(minimum)))
            return nil
        }
        return integer
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = values[key] else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string(let text) where ["true", "1"].contains(text.lowercased()): return true
        case .string(let text) where ["false", "0"].contains(text.lowercased()): return false
        case .number(let number) where number == 0 || number == 1: return number == 1
        default:
            fail(key, FieldMessage.boolean)
            return nil
        }
    }

    mutating func dateTime(_ key: String, required: Bool = false, nullable: Bool = true) -> Date? {
        guard let value = values[key] else {
            if required { fail(key, FieldMessage.required) }
            return nil
        }
        if value == .null {
            if !nullable || required { fail(key, FieldMessage.null) }
            return nil
        }
        guard case .string(let text) = value, let date = ISOTime.parse(text, defaultTimeZone: timeZone) else {
            fail(key, FieldMessage.dateTime)
            return nil
        }
        return date
    }

    mutating func day(_ key: String, required: Bool = false) -> String? {
        guard let value = values[key], value != .null else {
            if required { fail(key, FieldMessage.required) }
            return nil
        }
        guard case .string(let text) = value, ISOTime.parseDay(text) != nil else {
            fail(key, FieldMessage.date)
            return nil
        }
        return text
    }

    mutating func choice<Choice: RawRepresentable>(
        _ key: String, as type: Choice.Type, required: Bool = false
    ) -> Choice? where Choice.RawValue == String {
        guard let value = values[key], value != .null else {
            if required { fail(key, FieldMessage.required) }
            return nil
        }
        guard case .string(let text) = value else {
            fail(key, FieldMessage.string)
            return nil
        }
        if let parsed = Choice(rawValue: text) ?? Choice(rawValue: text.lowercased())
            ?? Choice(rawValue: text.uppercased())
        {
            return parsed
        }
        fail(key, FieldMessage.choice(text))
        return nil
    }

    mutating func intList(_ key: String) -> [Int]? {
        guard let value = values[key] else { return nil }
        if value == .null { return [] }
        guard case .array(let elements) = value else {
            fail(key, FieldMessage.list)
            return nil
        }
        var result: [Int] = []
        for element in elements {
            guard let number = element.decimalValue, DecimalText.fractionDigits(number) == 0,
                let integer = Int(DecimalText.format(number, scale: 0))
            else {
                fail(key, FieldMessage.integer)
                return nil
            }
            result.append(integer)
        }
        return result
    }

    mutating func object(_ key: String) -> [String: JSONValue]? {
        guard let value = values[key] else { return nil }
        if value == .null { return [:] }
        guard case .object(let object) = value else {
            fail(key, FieldMessage.object)
            return nil
        }
        return object
    }

    mutating func array(_ key: String) -> [JSONValue]? {
        guard let value = values[key] else { return nil }
        if value == .null { return nil }
        guard case .array(let array) = value else {
            fail(key, FieldMessage.list)
            return nil
        }
        return array
    }

    mutating func email(_ key: String, required: Bool = false) -> String? {
        guard let text = string(key, required: required, maxLength: 254, allowBlank: !required, nullable: true) else {
            return nil
        }
        if text.isEmpty { return "" }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !text.contains(" ")
        else {
            fail(key, FieldMessage.email)
            return nil
        }
        return text
    }

    mutating func phone(_ key: String, required: Bool = false) -> PhoneNumber? {
        guard let text = string(key, required: required, maxLength: 32, allowBlank: false) else { return nil }
        guard let phone = PhoneNumber(text) else {
            fail(key, FieldMessage.phone)
            return nil
        }
        return phone
    }

    mutating func url(_ key: String) -> String? {
        guard let text = string(key, maxLength: 1000, nullable: true) else { return nil }
        if text.isEmpty { return "" }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            fail(key, FieldMessage.url)
            return nil
        }
        return text
    }
}

/// Conversion between exact decimals and the scaled integers stored in the database.
enum Scaled {
    static func toInt(_ value: Decimal, scale: Int) -> Int64 {
        var multiplied = value
        for _ in 0..<scale { multiplied *= 10 }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &multiplied, 0, .plain)
        return Int64(DecimalText.format(rounded, scale: 0)) ?? 0
    }

    static func toDecimal(_ value: Int64, scale: Int) -> Decimal {
        Decimal(sign: value < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(value.magnitude))
    }

    /// `245000` at scale 2 → `"2450.00"`.
    static func text(_ value: Int64, scale: Int) -> String {
        let negative = value < 0
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let integer = magnitude / divisor
        let fraction = magnitude % divisor
        var fractionText = String(fraction)
        if fractionText.count < scale {
            fractionText = String(repeating: "0", count: scale - fractionText.count) + fractionText
        }
        let body = scale > 0 ? "\(integer).\(fractionText)" : "\(integer)"
        return negative ? "-" + body : body
    }
}

extension Request {
    /// The body as a JSON object. An empty body is `{}`; malformed JSON or a non-object is a 400.
    func jsonObject() throws -> [String: JSONValue] {
        guard let buffer = body.data, buffer.readableBytes > 0 else {
            if body.data == nil, let length = headers.first(name: .contentLength).flatMap(Int.init), length > 0 {
                throw APIError.badRequest("Тело запроса слишком большое или не было прочитано.")
            }
            return [:]
        }
        if let contentType = headers.contentType, contentType != .json,
            !(contentType.type == "application" && contentType.subType.hasSuffix("json"))
        {
            throw APIError(
                status: .unsupportedMediaType,
                detail: "Неподдерживаемый тип данных «\(contentType.serialize())» в запросе.")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: buffer)
        } catch {
            throw APIError.badRequest("Ошибка разбора JSON: тело запроса не является корректным JSON.")
        }
        guard case .object(let object) = value else {
            throw FieldErrors("non_field_errors", "Недопустимые данные. Ожидался словарь.")
        }
        // PostgreSQL text cannot hold U+0000; refused here, it is a field error on both databases.
        let withNull = object.filter { $0.key.contains("\u{0}") || $0.value.containsNullCharacter }.keys
        if !withNull.isEmpty {
            throw FieldErrors(Dictionary(uniqueKeysWithValues: withNull.map { ($0, [FieldMessage.nullCharacter]) }))
        }
        return object
    }
}

extension JSONValue {
    /// True when a string or key anywhere inside holds U+0000.
    var containsNullCharacter: Bool {
        switch self {
        case .string(let text): text.contains("\u{0}")
        case .array(let items): items.contains { $0.containsNullCharacter }
        case .object(let object): object.contains { $0.key.contains("\u{0}") || $0.value.containsNullCharacter }
        case .null, .bool, .number: false
        }
    }
}
