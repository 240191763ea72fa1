import Fluent
import Foundation
import PostgresNIO
import SQLiteNIO
import Vapor

/// Turns every error into a response: JSON `{"detail": …}` / field errors under `/api`, an HTML page elsewhere.
/// Internal details are logged, never sent.
enum AppErrorMiddleware {
    static func response(for error: any Error, request: Request) -> Response {
        var (status, body, headers) = describe(error, request: request)
        if status == .notFound, request.route == nil {
            let allowed = RouteMethods.allowed(for: request.url.path, in: request.application.routes)
            if !allowed.isEmpty {
                status = .methodNotAllowed
                body = ["detail": .string("Метод «\(request.method.rawValue)» не разрешён.")]
                headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", "))
            }
        }
        if status == .internalServerError {
            request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        let isAPI = request.url.path.hasPrefix("/api") || request.url.path == "/metrics" || request.wantsJSON
        if !isAPI, let renderer = request.application.htmlErrorRenderer {
            let response = renderer(request, status, body["detail"]?.stringValue ?? status.reasonPhrase)
            for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
        let response = Response(status: status, headers: headers)
        response.headers.contentType = .json
        response.body = .init(string: JSONValue.object(body).jsonText)
        return response
    }

    static func describe(_ error: any Error, request: Request) -> (HTTPResponseStatus, [String: JSONValue], HTTPHeaders)
    {
        switch error {
        case let error as any APIMappedError:
            return describe(error.apiError, request: request)
        case let error as APIError:
            return (error.status, error.body, error.headers)
        case let error as FieldErrors:
            return (.badRequest, error.body, [:])
        case let error as DecodingError:
            return (.badRequest, ["detail": .string("Некорректные данные запроса: \(decodingPath(error))")], [:])
        case let error as PSQLError where error.serverInfo?[.sqlState] == "22021":
            // A U+0000 in a query parameter: PostgreSQL text cannot hold it.
            return (.badRequest, ["detail": .string("Некорректный запрос: \(FieldMessage.nullCharacter)")], [:])
        case let error as any DatabaseError where error.isConstraintFailure:
            return (.conflict, ["detail": .string("Запись конфликтует с существующими данными.")], [:])
        case let error as any AbortError:
            return (error.status, ["detail": .string(localized(error.status, reason: error.reason))], error.headers)
        default:
            return (.internalServerError, ["detail": .string("Внутренняя ошибка сервера.")], [:])
        }
    }

    static func localized(_ status: HTTPResponseStatus, reason: String) -> String {
        switch status {
        case .notFound: "Страница не найдена."
        case .methodNotAllowed: "Метод не разрешён."
        case .payloadTooLarge: "Слишком большой запрос."
        case .unauthorized: "Учетные данные не были предоставлены."
        case .forbidden: "У вас недостаточно прав для выполнения данного действия."
        case .unsupportedMediaType: "Неподдерживаемый тип данных в запросе."
        case .badRequest: reason.isEmpty ? "Некорректный запрос." : "Некорректный запрос: \(reason)"
        case .tooManyRequests: "Слишком много запросов."
        default: status.code >= 500 ? "Внутренняя ошибка сервера." : reason
        }
    }

    private static func decodingPath(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "нет поля \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".")
        @unknown default: ""
        }
    }
}

extension Application {
    typealias HTMLErrorRenderer = @Sendable (Request, HTTPResponseStatus, String) -> Response
    private struct HTMLErrorRendererKey: StorageKey { typealias Value = HTMLErrorRenderer }

    /// Renders error pages for the web UI; set by the web feature.
    var htmlErrorRenderer: HTMLErrorRenderer? {
        get { storage[HTMLErrorRendererKey.self] }
        set { storage[HTMLErrorRendererKey.self] = newValue }
    }
}

/// Which methods a path answers to, so an existing path with the wrong method is 405, not 404.
enum RouteMethods {
    static func allowed(for path: String, in routes: Routes) -> [String] {
        let parts = path.split(separator: "/").map(String.init)
        var methods: Set<String> = []
        for route in routes.all where matches(route.path, parts) {
            methods.insert(route.method.rawValue)
        }
        return methods.sorted()
    }

    private static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return true
            case .constant(let value):
                guard index < parts.count, parts[index] == value else { return false }
            case .parameter, .anything:
                guard index < parts.count else { return false }
            }
            index += 1
        }
        return index == parts.count
    }
}
