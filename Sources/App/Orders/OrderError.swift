import Domain
import Foundation
import Vapor

/// Why `OrderService` refused. The API answers each case with the JSON it always had (`apiError`); the web
/// shows it next to the form's fields or as a flash (`WebErrors.describe(order:timeZone:)`).
///
/// As an `AbortError` it carries the right status and reason, so a case that is not mapped (a 404 or a 409
/// reaching `AppErrorMiddleware` from a page handler) still answers as before.
enum OrderError: Error, Sendable {
    /// No such order, or one the caller may not see (an operator's view of others' orders).
    case notFound
    /// Completed and cancelled orders are not edited (a completed one's pay is set through `setPay`).
    case notEditable(OrderStatus)
    case notDeletable(DeleteRefusal)
    /// Field messages, the API's field names as keys.
    case invalid(OrderFieldErrors)
    /// The machines or operators are held by other orders in that time (none listed when PostgreSQL's
    /// exclusion constraint caught a concurrent booking).
    case busy([BookingGuard.Conflict])
    /// A status change or completion `OrderTransitions` refuses; `isPermission` makes it a 403, else a 400.
    case transitionRejected(reason: String, isPermission: Bool)
    /// The caller's role may not do this (403).
    case forbidden(String)
    /// A request the edge should have refused already (400).
    case malformed(String)

    enum DeleteRefusal: Sendable, Equatable {
        /// Its money is in the books.
        case completed
        case paidSalary
        case receivedPayments

        var message: String {
            switch self {
            case .completed: "Завершённую заявку нельзя удалить: она уже учтена в деньгах."
            case .paidSalary: "Нельзя удалить заявку с выплаченной зарплатой: отмените её вместо удаления."
            case .receivedPayments: "Нельзя удалить заявку с поступившими платежами: отмените её вместо удаления."
            }
        }
    }

    static func fields(_ fields: [String: [String]]) -> OrderError { .invalid(OrderFieldErrors(fields: fields)) }

    /// Today's API answer for this refusal.
    func apiError(timeZone: TimeZone) -> APIError {
        switch self {
        case .notFound:
            return APIError.notFound()
        case .notEditable(let status):
            return APIError(status: .conflict, detail: OrderPolicy.editRefusal(status) ?? "")
        case .notDeletable(let refusal):
            return APIError(status: refusal == .completed ? .conflict : .badRequest, detail: refusal.message)
        case .invalid(let errors):
            return APIError.fields(errors.body)
        case .busy(let conflicts):
            guard !conflicts.isEmpty else {
                return APIError.conflict(
                    "Ресурс уже занят в это время другой заявкой.", extra: ["conflicts": .array([])])
            }
            return BookingGuard.conflictError(conflicts, timeZone: timeZone)
        case .transitionRejected(let reason, let isPermission):
            return isPermission ? APIError.forbidden(reason) : APIError.badRequest(reason)
        case .forbidden(let reason):
            return APIError.forbidden(reason)
        case .malformed(let reason):
            return APIError.badRequest(reason)
        }
    }
}

extension OrderError: AbortError {
    var status: HTTPResponseStatus { apiError(timeZone: .current).status }
    var reason: String { apiError(timeZone: .current).detail }
}

/// Field messages of an order input: per field, and per element of a list field (`items`,
/// `operator_salaries`: one object per element, empty for an element without problems).
struct OrderFieldErrors: Sendable, Equatable {
    var fields: [String: [String]] = [:]
    var lists: [String: [[String: [String]]]] = [:]

    var isEmpty: Bool { fields.isEmpty && lists.isEmpty }

    /// The API's 400 body: `{"field": ["…"], "items": [{}, {"ref_id": ["…"]}]}`.
    var body: [String: JSONValue] {
        var body = fields.mapValues { JSONValue.array($0.map(JSONValue.string)) }
        for (key, elements) in lists {
            body[key] = .array(elements.map { .object($0.mapValues { .array($0.map(JSONValue.string)) }) })
        }
        return body
    }
}

extension WebErrors {
    /// `describe` for errors of `OrderService`: an `OrderError` reads as the API error it answers with.
    static func describe(order error: any Error, timeZone: TimeZone) throws -> Described {
        if let error = error as? OrderError { return try describe(error.apiError(timeZone: timeZone)) }
        return try describe(error)
    }
}
