import Domain
import Foundation
import Vapor
import WebUI

/// Error pages and the translation of service errors into form errors.
enum WebErrors {
    /// The renderer `AppErrorMiddleware` uses for page requests: the Russian error page with the right status.
    static func install(on app: Application) {
        app.htmlErrorRenderer = { req, status, message in
            let text: String? = status.code >= 500 ? nil : message
            let page = ErrorPage(
                model: ErrorPageModel(context: req.pageContext(), status: Int(status.code), message: text))
            return WebReply.page(page, status: status, on: req)
        }
    }

    /// A service error as messages per field (keyed by the API's field names) plus a message for the whole form.
    struct Described {
        var fields: [String: String] = [:]
        var items: [Int: [String: String]] = [:]
        var payItems: [Int: [String: String]] = [:]
        var detail: String?
        var conflicts: [[String: JSONValue]] = []
        var status: HTTPResponseStatus = .unprocessableEntity
    }

    /// Splits `FieldErrors` / `APIError` (incl. per-item errors and 409 conflicts); anything else is rethrown.
    static func describe(_ error: any Error) throws -> Described {
        var result = Described()
        if let error = error as? any APIMappedError { return try describe(error.apiError) }
        switch error {
        case let error as FieldErrors:
            for (key, messages) in error.fields { result.fields[key] = messages.joined(separator: " ") }
        case let error as APIError
        where error.status == .badRequest || error.status == .conflict
            || error.status == .unprocessableEntity || error.status == .forbidden:
            result.status = error.status == .badRequest ? .unprocessableEntity : error.status
            if !error.omitsDetail { result.detail = error.detail }
            for (key, value) in error.extra {
                switch (key, value) {
                case ("items", .array(let entries)):
                    result.items = perItem(entries)
                case ("operator_salaries", .array(let entries)):
                    result.payItems = perItem(entries)
                case ("conflicts", .array(let entries)):
                    result.conflicts = entries.compactMap(\.objectValue)
                case (_, .array(let messages)):
                    result.fields[key] = messages.compactMap(\.stringValue).joined(separator: " ")
                case (_, .string(let message)) where key != "code":
                    result.fields[key] = message
                default:
                    break
                }
            }
        default:
            throw error
        }
        return result
    }

    private static func perItem(_ entries: [JSONValue]) -> [Int: [String: String]] {
        var result: [Int: [String: String]] = [:]
        for (index, entry) in entries.enumerated() {
            guard let object = entry.objectValue, !object.isEmpty else { continue }
            var messages: [String: String] = [:]
            for (key, value) in object {
                let text: String
                switch value {
                case .array(let list): text = list.compactMap(\.stringValue).joined(separator: " ")
                case .string(let string): text = string
                default: continue
                }
                messages[key] = text
            }
            result[index] = messages
        }
        return result
    }

    /// The summary shown above a form when the server refused it.
    static let formRejected = "Проверьте данные формы."
}

extension JSONValue {
    /// The elements of an array value; `[]` for anything else.
    var arrayItems: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
