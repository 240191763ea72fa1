import Foundation

/// A JSON Schema (OpenAPI 3.0 dialect) of one value in the API contract, with the limits the handlers enforce.
struct Schema: Sendable {
    var json: [String: JSONValue]

    init(_ json: [String: JSONValue]) { self.json = json }

    var value: JSONValue { .object(json) }

    /// The same schema, also accepting `null`.
    var nullable: Schema {
        var copy = self
        copy.json["nullable"] = .bool(true)
        return copy
    }

    func described(_ text: String) -> Schema {
        var copy = self
        copy.json["description"] = .string(text)
        return copy
    }

    // MARK: - Scalars

    /// Text as `JSONInput.string` reads it: trimmed, at most `max` characters, blank only when `blank` allows.
    static func string(max: Int = 255, blank: Bool = true, format: String? = nil) -> Schema {
        var json: [String: JSONValue] = ["type": .string("string"), "maxLength": .int(max)]
        if !blank { json["minLength"] = .int(1) }
        if let format { json["format"] = .string(format) }
        return Schema(json)
    }

    static let integer = Schema(["type": .string("integer"), "format": .string("int64")])
    /// A row id: a positive integer.
    static let id = Schema(["type": .string("integer"), "format": .string("int64"), "minimum": .int(1)])
    static let boolean = Schema(["type": .string("boolean")])
    static let uuid = Schema(["type": .string("string"), "format": .string("uuid")])
    static let dateTime = Schema(["type": .string("string"), "format": .string("date-time")])
    static let date = Schema(["type": .string("string"), "format": .string("date")])
    static let email = Schema(["type": .string("string"), "format": .string("email"), "maxLength": .int(254)])
    static let url = Schema(["type": .string("string"), "format": .string("uri"), "maxLength": .int(1000)])
    /// The canonical form; `+7 (999) 123-45-67`, `8 999 …` and 10 digits are accepted too.
    static let phone = Schema([
        "type": .string("string"), "maxLength": .int(32), "pattern": .string(#"^\+7[1-9][0-9]{9}$"#),
        "example": .string("+79991234567"),
    ])
    /// A new password: at least 8 characters, not only digits.
    static let newPassword = Schema([
        "type": .string("string"), "minLength": .int(8), "maxLength": .int(128), "pattern": .string("[^0-9]"),
    ])
    static let binary = Schema(["type": .string("string"), "format": .string("binary")])

    /// An exact decimal, sent as a JSON number or a numeric string (`"2450.00"`), within the column's digits.
    static func decimal(digits: Int = 12, scale: Int = 2, minimum: Decimal? = 0, maximum: Decimal? = nil) -> Schema {
        var number: [String: JSONValue] = ["type": .string("number")]
        if let minimum { number["minimum"] = .number(minimum) }
        let largest = Decimal(sign: .plus, exponent: digits - scale, significand: 1) - 1
        number["maximum"] = .number(maximum ?? largest)
        let text: [String: JSONValue] = [
            "type": .string("string"), "pattern": .string(#"^-?\d{1,\#(digits - scale)}(\.\d{1,\#(scale)})?$"#),
        ]
        return Schema([
            "anyOf": .array([.object(number), .object(text)]),
            "description": .string("Число или строка, до \(scale) знаков после запятой."),
        ])
    }

    /// One of an enum's raw values.
    static func choice<Choice: CaseIterable & RawRepresentable>(_ type: Choice.Type) -> Schema
    where Choice.RawValue == String {
        Schema(["type": .string("string"), "enum": .array(type.allCases.map { .string($0.rawValue) })])
    }

    static func choice(_ values: [String]) -> Schema {
        Schema(["type": .string("string"), "enum": .array(values.map(JSONValue.string))])
    }

    // MARK: - Containers

    static let anyObject = Schema(["type": .string("object"), "additionalProperties": .bool(true)])
    static let anyValue = Schema([:])

    static func array(_ items: Schema) -> Schema {
        Schema(["type": .string("array"), "items": items.value])
    }

    static func object(_ properties: [String: Schema], required: [String] = []) -> Schema {
        var json: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(properties.mapValues(\.value)),
        ]
        if !required.isEmpty { json["required"] = .array(required.sorted().map(JSONValue.string)) }
        return Schema(json)
    }

    static func reference(_ name: String) -> Schema {
        Schema(["$ref": .string("#/components/schemas/\(name)")])
    }
}

extension JSONValue {
    static func int(_ value: Int) -> JSONValue { .number(Decimal(value)) }
}
