import Foundation
import Testing
import Vapor

@testable import App

@Suite("Platform: health, config, CORS, request ids, metrics, errors")
struct PlatformTests {
    @Test func healthChecksTheDatabase() async throws {
        try await TestApp.run { t in
            let reply = try await t.send(.GET, "/api/health/")
            #expect(reply.status == .ok)
            #expect(reply.string("status") == "ok")
            #expect(reply.string("database") == "ok")
            #expect(reply.string("version") == AppConfig.defaultVersion)
            #expect(try await t.send(.GET, "/api/health/live").status == .ok)
        }
    }

    @Test func healthIs503WhenTheDatabaseIsUnreachable() async throws {
        try await TestApp.run { t in
            // Point the app at a database that does not answer: a PostgreSQL port nobody listens on.
            t.app.databases.use(
                .postgres(
                    configuration: .init(
                        hostname: "127.0.0.1", port: 1, username: "x", password: "x", database: "x", tls: .disable),
                    connectionPoolTimeout: .seconds(2)),
                as: .init(string: "down"), isDefault: true)
            let reply = try await t.send(.GET, "/api/health/")
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.string("status") == "error")
            #expect(reply.string("database")?.hasPrefix("unavailable") == true)
            #expect(try await t.send(.GET, "/api/health/live").status == .ok)
        }
    }

    @Test func configReportsEveryProblemAtOnce() throws {
        let environment = [
            "RINGO_ENV": "production", "TIME_ZONE": "Mars/Olympus", "LOG_LEVEL": "loud",
            "CORS_ALLOWED_ORIGINS": "example.com", "JWT_ACCESS_MINUTES": "soon", "RINGO_ADMIN_PHONE": "123",
        ]
        do {
            _ = try AppConfig.load(from: environment, secretStore: { _ in "unused" })
            Issue.record("expected a ConfigError")
        } catch let error as ConfigError {
            let text = error.description
            for needle in [
                "DATABASE_URL", "JWT_SECRET", "TIME_ZONE", "LOG_LEVEL", "CORS_ALLOWED_ORIGINS", "JWT_ACCESS_MINUTES",
                "RINGO_ADMIN_PHONE",
            ] {
                #expect(text.contains(needle), "missing \(needle) in \(text)")
            }
            #expect(error.problems.count >= 7)
        }
    }

    @Test func embeddedDefaultNeedsNoConfigurationAndKeepsTheSecret() throws {
        let directory = NSTemporaryDirectory() + "ringo-config-" + UUID().uuidString
        let first = try AppConfig.load(from: ["RINGO_DATA_DIR": directory])
        let second = try AppConfig.load(from: ["RINGO_DATA_DIR": directory])
        #expect(first.database == .sqliteFile(path: directory + "/ringo.sqlite"))
        #expect(first.jwtSecret == second.jwtSecret)
        #expect(first.jwtSecret.count >= 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/jwt-secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(first.timeZone.identifier == "Europe/Moscow")
        #expect(first.corsAllowedOrigins.isEmpty)
    }

    @Test func corsPreflightAnswersOnlyConfiguredOrigins() async throws {
        try await TestApp.run { t in
            let preflight = try await t.send(
                .OPTIONS, "/api/v1/orders/",
                headers: [
                    "Origin": "https://app.example.ru", "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
                ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example.ru")
            #expect(preflight.headers.first(name: "Access-Control-Allow-Methods")?.contains("PATCH") == true)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Headers")?.contains("Idempotency-Key") == true)
            #expect(preflight.headers.first(name: "Access-Control-Max-Age") != nil)
            let foreign = try await t.send(
                .OPTIONS, "/api/v1/orders/",
                headers: [
                    "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
                ])
            #expect(foreign.headers.first(name: "Access-Control-Allow-Origin") == nil)
        }
    }

    @Test func everyResponseCarriesARequestIDAndSecurityHeaders() async throws {
        try await TestApp.run { t in
            let echoed = try await t.send(.GET, "/api/health/live", headers: ["X-Request-ID": "abc-123"])
            #expect(echoed.headers.first(name: "X-Request-ID") == "abc-123")
            let fresh = try await t.send(.GET, "/api/v1/nowhere/")
            #expect(fresh.status == .notFound)
            #expect(fresh.string("detail") != nil)
            #expect((fresh.headers.first(name: "X-Request-ID") ?? "").count >= 16)
            #expect(fresh.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test func metricsCountRequestsAndCanBeGuardedOrOff() async throws {
        try await TestApp.run { t in
            _ = try await t.send(.GET, "/api/health/live")
            let metrics = try await t.send(.GET, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.body.contains("ringo_http_requests_total"))
            #expect(metrics.body.contains("route=\"/api/health/live\""))
            #expect(metrics.body.contains("ringo_http_request_duration_seconds_bucket"))
        }
        try await TestApp.run(adjust: { $0.metricsToken = "m-token" }) { t in
            for path in ["/metrics", "/metrics/"] {
                let anonymous = try await t.send(.GET, path)
                let wrong = try await t.send(.GET, path, token: "other-token")
                let authorized = try await t.send(.GET, path, token: "m-token")
                #expect(anonymous.status == .unauthorized, "\(path)")
                #expect(wrong.status == .unauthorized, "\(path)")
                #expect(authorized.status == .ok, "\(path)")
            }
        }
        try await TestApp.run(adjust: { $0.metricsEnabled = false }) { t in
            let reply = try await t.send(.GET, "/metrics")
            #expect(reply.status == .notFound)
        }
    }

    @Test func wrongMethodAndHugeBodiesGetJSONErrors() async throws {
        try await TestApp.run { t in
            let (_, token) = try await t.user(.manager)
            let wrong = try await t.send(.GET, "/api/v1/token/", token: token)
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.string("detail") != nil)
            let huge = String(repeating: "x", count: 12 * 1024 * 1024)
            let tooBig = try await t.send(
                .PATCH, "/api/v1/users/me/", token: token, json: "{\"first_name\": \"\(huge)\"}")
            #expect(tooBig.status == .payloadTooLarge)
            #expect(tooBig.string("detail") != nil)
        }
    }
}
