import Foundation
import Logging
import Prometheus
import Vapor

/// Gives every request an id (the caller's `X-Request-ID`, or a new one), echoes it, adds security
/// headers, records metrics and writes one log line per request.
struct RequestContextMiddleware: AsyncMiddleware {
    let metrics: RequestMetrics?

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let requestID = Self.acceptedID(request.headers.first(name: "X-Request-ID")) ?? UUID().uuidString.lowercased()
        request.headers.replaceOrAdd(name: "X-Request-ID", value: requestID)
        request.logger[metadataKey: "request-id"] = .string(requestID)

        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = AppErrorMiddleware.response(for: error, request: request)
        }
        response.headers.replaceOrAdd(name: "X-Request-ID", value: requestID)
        SecurityHeaders.apply(to: response, request: request)

        let elapsed = ContinuousClock.now - started
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        metrics?.record(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue), "route": .string(route),
            "status": .stringConvertible(response.status.code),
            "duration_ms": .string(String(format: "%.1f", milliseconds)),
        ]
        if let user = request.auth.get(Caller.self) { metadata["user_id"] = .stringConvertible(user.id) }
        request.logger.info("request", metadata: metadata)
        return response
    }

    /// A caller's request id is kept only when it is short and printable (it goes into logs).
    static func acceptedID(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.count <= 128,
            raw.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 })
        else { return nil }
        return raw
    }
}

enum SecurityHeaders {
    static func apply(to response: Response, request: Request) {
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if !response.headers.contains(name: "Content-Security-Policy"), response.headers.contentType == .html {
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
                    + "frame-ancestors 'none'"
            )
        }
        if request.publicScheme == "https" {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
    }
}

/// Prometheus metrics of HTTP traffic, in a registry owned by the application.
final class RequestMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
        .seconds(5),
    ]

    func record(method: String, route: String, status: UInt, duration: Duration) {
        registry.makeCounter(
            name: "ringo_http_requests_total",
            labels: [("method", method), ("route", route), ("status", String(status))],
            help: "HTTP requests by route and status"
        ).increment()
        registry.makeDurationHistogram(
            name: "ringo_http_request_duration_seconds", labels: [("method", method), ("route", route)],
            buckets: Self.buckets, help: "HTTP request latency"
        ).record(duration)
    }

    func render() -> String { registry.emitToString() }
}

/// CORS for the configured origins only (none by default: same-origin).
struct CORSPolicyMiddleware: AsyncMiddleware {
    let allowedOrigins: [String]
    static let methods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let headers = "Authorization, Content-Type, Idempotency-Key, X-Request-ID"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let origin = request.headers.first(name: .origin), let allowed = allowedOrigin(origin) else {
            return try await next.respond(to: request)
        }
        let isPreflight =
            request.method == .OPTIONS
            && request.headers.contains(name: .accessControlRequestMethod)
        // An error becomes its response here, so that a client on another origin can read why it failed.
        let response: Response
        if isPreflight {
            response = Response(status: .noContent)
        } else {
            do {
                response = try await next.respond(to: request)
            } catch {
                response = AppErrorMiddleware.response(for: error, request: request)
            }
        }
        response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: allowed)
        if allowed != "*" { response.headers.add(name: .vary, value: "Origin") }
        if isPreflight {
            response.headers.replaceOrAdd(name: .accessControlAllowMethods, value: Self.methods)
            response.headers.replaceOrAdd(name: .accessControlAllowHeaders, value: Self.headers)
            response.headers.replaceOrAdd(name: .accessControlMaxAge, value: "600")
        } else {
            response.headers.replaceOrAdd(
                name: HTTPHeaders.Name("Access-Control-Expose-Headers"),
                value: "X-Request-ID, Retry-After, Content-Disposition")
        }
        return response
    }

    private func allowedOrigin(_ origin: String) -> String? {
        if allowedOrigins.contains("*") { return "*" }
        return allowedOrigins.contains(origin) ? origin : nil
    }
}

/// Reads the body of every request that may write before anything else runs, within a limit: 16 KiB without
/// credentials (login, registration, webhooks), `jsonLimit` with them. Photo uploads keep the larger limit of
/// their route.
struct RequestBodyLimit: AsyncMiddleware {
    static let withoutCredentials = 16 * 1024
    let jsonLimit: Int

    static func applies(to request: Request) -> Bool { request.method.mayWrite && !isUpload(request.url.path) }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.applies(to: request) else { return try await next.respond(to: request) }
        let limit = Self.hasCredentials(request) ? jsonLimit : Self.withoutCredentials
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
            throw Abort(.payloadTooLarge)
        }
        if let collected = request.body.data {
            // A small body may have arrived whole with the head.
            guard collected.readableBytes <= limit else { throw Abort(.payloadTooLarge) }
        } else {
            _ = try await request.body.collect(max: limit).get()
        }
        return try await next.respond(to: request)
    }

    private static func hasCredentials(_ request: Request) -> Bool {
        request.headers.contains(name: .authorization) || request.headers.contains(name: .cookie)
            || request.headers.contains(name: "X-Telegram-Bot-Api-Secret-Token")
    }

    /// `…/orders/{id}/photos/` on the API and the web, whose route reads up to `UPLOAD_MAX_BYTES`.
    static func isUpload(_ path: Substring) -> Bool {
        let parts = path.split(separator: "/")
        return parts.count >= 3 && parts[parts.count - 1] == "photos" && parts[parts.count - 3] == "orders"
    }

    static func isUpload(_ path: String) -> Bool { isUpload(path[...]) }
}

/// Runs `inner` only for the requests it applies to and sends the others straight on. An `AsyncMiddleware` starts a
/// task for every request it sees, and a task's allocations were the largest part of the heap under load
/// (BENCHMARKS.md, «Fifth step»), so the middlewares that most requests only pass through are wrapped in this.
struct OnlyWhen<Inner: Middleware>: Middleware {
    let inner: Inner
    let applies: @Sendable (Request) -> Bool

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        applies(request) ? inner.respond(to: request, chainingTo: next) : next.respond(to: request)
    }
}

extension Middleware {
    func onlyWhen(_ applies: @escaping @Sendable (Request) -> Bool) -> OnlyWhen<Self> {
        OnlyWhen(inner: self, applies: applies)
    }
}

extension Request {
    /// Anything but the JSON API: the web pages and the static files.
    var isOutsideAPI: Bool { !url.path.hasPrefix("/api/") }
}
