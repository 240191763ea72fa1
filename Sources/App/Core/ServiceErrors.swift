import Domain
import Foundation
import Vapor

/// A feature's typed service error (`CatalogError`, `PaymentError`, `NotificationError`, …). `apiError` is the
/// error the API has always answered for it (`FieldErrors`, `APIError`): `AppErrorMiddleware` writes that one, and
/// `WebErrors.describe` turns the same value into form errors, so both channels tell the same thing. Handlers
/// simply let these errors through; pages catch the cases they show next to a field or as a flash.
/// (`OrderError` maps itself with the company's time zone, `OrderError.apiError(timeZone:)`.)
protocol APIMappedError: AbortError {
    var apiError: any Error { get }
}

extension APIMappedError {
    var status: HTTPResponseStatus { (apiError as? any AbortError)?.status ?? .internalServerError }
    var reason: String { (apiError as? any AbortError)?.reason ?? "" }
}

/// Checks the fields of a service's typed input and collects every problem, keyed by the API's field names and
/// worded as the API always did (`FieldMessage`). Starts from the problems an edge already found while reading
/// the input (`JSONInput.errors`), so a caller hears about every field at once.
struct FieldCheck {
    private(set) var problems: [String: [String]]

    init(_ found: [String: [String]] = [:]) { problems = found }

    var isEmpty: Bool { problems.isEmpty }

    mutating func fail(_ key: String, _ message: String) {
        problems[key, default: []].append(message)
    }

    /// Trimmed text of at most `maxLength` characters; blank text refused unless `allowBlank`.
    /// Returns nil (and records why) when the text is refused.
    mutating func text(_ key: String, _ value: String, maxLength: Int, allowBlank: Bool = true) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty, !allowBlank {
            fail(key, FieldMessage.blank)
            return nil
        }
        if trimmed.count > maxLength {
            fail(key, FieldMessage.maxLength(maxLength))
            return nil
        }
        return trimmed
    }

    /// A scaled integer (kopecks for `scale` 2) with at most `maxDigits` digits in all, like the API's decimals.
    mutating func scaled(_ key: String, _ value: Int64, maxDigits: Int, scale: Int) -> Bool {
        var limit: Int64 = 1
        for _ in 0..<maxDigits { limit *= 10 }
        guard value.magnitude < UInt64(limit) else {
            fail(key, FieldMessage.maxDigits(maxDigits))
            return false
        }
        return true
    }

    /// A Russian phone number (`+7 999 123-45-67` in any common spelling), as the API reads it.
    mutating func phone(_ key: String, _ value: String) -> PhoneNumber? {
        guard let text = text(key, value, maxLength: 32, allowBlank: false) else { return nil }
        guard let phone = PhoneNumber(text) else {
            fail(key, FieldMessage.phone)
            return nil
        }
        return phone
    }

    /// An e-mail address, or "" for none.
    mutating func email(_ key: String, _ value: String) -> String? {
        guard let text = text(key, value, maxLength: 254) else { return nil }
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

    /// An http(s) URL, or "" for none.
    mutating func url(_ key: String, _ value: String) -> String? {
        guard let text = text(key, value, maxLength: 1000) else { return nil }
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

extension FieldCheck {
    /// A required text field: `.keep` is refused with «Обязательное поле.» when `required` (unless the field
    /// already has a problem); a given value is checked like `text(_:_:maxLength:allowBlank:)`.
    mutating func text(
        _ key: String, _ patch: Patch<String>, required: Bool, maxLength: Int, allowBlank: Bool = true
    ) -> String? {
        guard case .set(let value) = patch else {
            if required, problems[key] == nil { fail(key, FieldMessage.required) }
            return nil
        }
        return text(key, value, maxLength: maxLength, allowBlank: allowBlank)
    }

    /// Refuses a missing required field (unless it already has a problem).
    mutating func require<Value>(_ key: String, _ patch: Patch<Value>, if required: Bool) {
        if required, case .keep = patch, problems[key] == nil { fail(key, FieldMessage.required) }
    }

    /// A scaled amount: nil is fine; a value must have at most `maxDigits` digits.
    mutating func scaled(_ key: String, _ patch: Patch<Int64?>, maxDigits: Int, scale: Int = 2) -> Patch<Int64?> {
        guard case .set(let value?) = patch else { return patch }
        return scaled(key, value, maxDigits: maxDigits, scale: scale) ? patch : .keep
    }

    mutating func scaled(_ key: String, _ patch: Patch<Int64>, maxDigits: Int, scale: Int = 2) -> Patch<Int64> {
        guard case .set(let value) = patch else { return patch }
        return scaled(key, value, maxDigits: maxDigits, scale: scale) ? patch : .keep
    }
}
