import Vapor

/// A feature's typed error (`NotificationError`, `SalaryError`, …) that the API answers in its JSON shape:
/// `apiError` is the `APIError` or `FieldErrors` the handlers threw before the services existed. Web pages
/// catch the cases they show as form errors or flash messages; any other case answers with its status.
protocol APIMappedError: AbortError {
    var apiError: any Error { get }
}

extension APIMappedError {
    var status: HTTPResponseStatus { (apiError as? any AbortError)?.status ?? .internalServerError }
    var reason: String { (apiError as? any AbortError)?.reason ?? "" }
}

/// Runs an API handler's service call, turning typed errors into the API's JSON errors.
func withAPIErrors<T>(_ work: () async throws -> T) async throws -> T {
    do {
        return try await work()
    } catch let error as any APIMappedError {
        throw error.apiError
    }
}
