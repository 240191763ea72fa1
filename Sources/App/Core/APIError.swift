import Vapor

/// An error answered as `{"detail": "…"}` (plus optional extra keys) with the given status.
struct APIError: AbortError, Sendable {
    var status: HTTPResponseStatus
    var detail: String
    var extra: [String: JSONValue] = [:]
    var headers: HTTPHeaders = [:]
    /// Field-shaped 400s (`{"items": [...]}`) carry no `detail` key.
    var omitsDetail = false

    var reason: String { detail }

    static func fields(_ body: [String: JSONValue]) -> APIError {
        APIError(status: .badRequest, detail: "Некорректные данные.", extra: body, omitsDetail: true)
    }

    static func notFound(_ detail: String = "Страница не найдена.") -> APIError {
        APIError(status: .notFound, detail: detail)
    }

    static func forbidden(_ detail: String = "У вас недостаточно прав для выполнения данного действия.") -> APIError {
        APIError(status: .forbidden, detail: detail)
    }

    static func unauthorized(_ detail: String = "Учетные данные не были предоставлены.") -> APIError {
        APIError(status: .unauthorized, detail: detail, headers: ["WWW-Authenticate": "Bearer realm=\"api\""])
    }

    static func badRequest(_ detail: String) -> APIError {
        APIError(status: .badRequest, detail: detail)
    }

    static func conflict(_ detail: String, extra: [String: JSONValue] = [:]) -> APIError {
        APIError(status: .conflict, detail: detail, extra: extra)
    }

    var body: [String: JSONValue] {
        var object = extra
        if !omitsDetail { object["detail"] = .string(detail) }
        return object
    }
}

/// Field validation errors, answered as 400 `{"field": ["message", …]}`.
struct FieldErrors: AbortError, Sendable {
    var fields: [String: [String]]
    var status: HTTPResponseStatus { .badRequest }
    var reason: String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: " "))" }
            .joined(separator: "; ")
    }

    init(_ fields: [String: [String]]) { self.fields = fields }
    init(_ field: String, _ message: String) { self.fields = [field: [message]] }

    var body: [String: JSONValue] {
        fields.mapValues { .array($0.map(JSONValue.string)) }
    }
}

/// Russian messages for the standard field checks, in the wording of the original API.
enum FieldMessage {
    static let required = "Обязательное поле."
    static let blank = "Это поле не может быть пустым."
    static let null = "Это поле не может быть null."
    static let number = "Требуется численное значение."
    static let integer = "Требуется целочисленное значение."
    static let boolean = "Требуется логическое значение."
    static let string = "Требуется строковое значение."
    static let dateTime = "Неправильный формат даты и времени. Используйте ISO 8601."
    static let date = "Неправильный формат даты. Используйте YYYY-MM-DD."
    static let email = "Введите правильный адрес электронной почты."
    static let url = "Введите правильный URL."
    static let phone = "Введите номер телефона в формате +7 999 123-45-67."
    static let object = "Ожидался словарь."
    static let list = "Ожидался список элементов."
    static let nullCharacter = "Нулевые символы недопустимы."
    static func maxLength(_ limit: Int) -> String { "Убедитесь, что это значение содержит не более \(limit) символов." }
    static func minValue(_ limit: String) -> String { "Убедитесь, что это значение больше либо равно \(limit)." }
    static func maxValue(_ limit: String) -> String { "Убедитесь, что это значение меньше либо равно \(limit)." }
    static func decimalPlaces(_ limit: Int) -> String {
        "Убедитесь, что в числе не больше \(limit) знаков после запятой."
    }
    static func maxDigits(_ limit: Int) -> String { "Убедитесь, что в числе не больше \(limit) цифр." }
    static func choice(_ value: String) -> String { "Значения «\(value)» нет среди допустимых вариантов." }
    static func missingObject(_ id: String) -> String {
        "Недопустимый первичный ключ \"\(id)\" - объект не существует."
    }
}
