import Fluent
import SQLKit
import Vapor

/// `/api/health/` (checks the database) and `/api/health/live` (process only).
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let health = routes.grouped("api", "health")
        health.get(use: check)
        health.get("live", use: live)
        health.get("ready", use: check)
    }

    @Sendable func check(req: Request) async throws -> Response {
        let version = req.application.config.version
        do {
            _ = try await (try req.db.sql()).raw("SELECT 1 AS ok").first()
            return try await ["status": "ok", "database": "ok", "version": version].encodeResponse(
                status: .ok, for: req)
        } catch {
            req.logger.warning("health check failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            let body = ["status": "error", "database": Self.reason(error), "version": version]
            return try await body.encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    @Sendable func live(req: Request) async throws -> [String: String] {
        ["status": "ok", "version": req.application.config.version]
    }

    /// A short, secret-free reason for the failure.
    static func reason(_ error: any Error) -> String {
        let text = String(describing: error).lowercased()
        if text.contains("connect") || text.contains("refused") { return "unavailable: connection failed" }
        if text.contains("timeout") || text.contains("timed out") { return "unavailable: timeout" }
        return "unavailable"
    }
}

/// `GET /metrics` in the Prometheus text format; behind a bearer token when `METRICS_TOKEN` is set.
struct MetricsController: RouteCollection {
    let metrics: RequestMetrics

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: show)
    }

    @Sendable func show(req: Request) async throws -> Response {
        if let token = req.application.config.metricsToken {
            guard let bearer = req.headers.bearerAuthorization, bearer.token == token else {
                throw APIError.unauthorized()
            }
        }
        let response = Response(status: .ok, body: .init(string: metrics.render()))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return response
    }
}
