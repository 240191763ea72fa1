import Foundation
import Testing
import Vapor

@testable import App

@Suite("Operations: production refusal and the reported version")
struct ProductionConfigTests {
    private static func load(_ environment: [String: String]) throws -> AppConfig {
        try AppConfig.load(from: environment, secretStore: { _ in "generated-secret-generated-secret-0123" })
    }

    @Test func productionNamesEveryMissingSecretInOneError() throws {
        let error = #expect(throws: ConfigError.self) { try Self.load(["RINGO_ENV": "production"]) }
        let text = try #require(error?.description)
        #expect(text.contains("JWT_SECRET"), "\(text)")
        #expect(text.contains("DATABASE_URL"), "\(text)")
        #expect(error?.problems.count == 2)

        let onlySecret = #expect(throws: ConfigError.self) {
            try Self.load(["RINGO_ENV": "production", "DATABASE_URL": "postgres://ringo:pw@db:5432/ringo"])
        }
        #expect(onlySecret?.problems.count == 1)
        #expect(onlySecret?.description.contains("JWT_SECRET") == true)
    }

    @Test func productionStartsWithBoth() throws {
        let config = try Self.load([
            "RINGO_ENV": "production", "DATABASE_URL": "postgres://ringo:pw@db:5432/ringo",
            "JWT_SECRET": String(repeating: "s", count: 32),
        ])
        #expect(config.isProduction)
        #expect(config.database == .postgres(url: "postgres://ringo:pw@db:5432/ringo"))
    }

    @Test func productionMetricsNeedAToken() throws {
        let base = [
            "RINGO_ENV": "production", "DATABASE_URL": "postgres://ringo:pw@db:5432/ringo",
            "JWT_SECRET": String(repeating: "s", count: 32),
        ]
        #expect(try Self.load(base).metricsEnabled == false)
        let refused = #expect(throws: ConfigError.self) {
            try Self.load(base.merging(["METRICS_ENABLED": "true"]) { $1 })
        }
        #expect(refused?.description.contains("METRICS_TOKEN") == true)
        let guarded = try Self.load(base.merging(["METRICS_TOKEN": "scrape-token"]) { $1 })
        #expect(guarded.metricsEnabled && guarded.metricsToken == "scrape-token")
        #expect(
            try Self.load(base.merging(["METRICS_TOKEN": "t", "METRICS_ENABLED": "false"]) { $1 }).metricsEnabled
                == false)
        #expect(try Self.load([:]).metricsEnabled, "the embedded default keeps metrics on for localhost")
    }

    @Test func versionComesFromTheBuild() throws {
        #expect(try Self.load([:]).version == AppConfig.defaultVersion)
        #expect(
            try Self.load(["BUILD_VERSION": "v1.4.0", "BUILD_COMMIT": "3f2c9a1b7d0e"]).version
                == "v1.4.0 (3f2c9a1b7d0e)")
        #expect(try Self.load(["BUILD_VERSION": "dev", "BUILD_COMMIT": "unknown"]).version == "dev")
        #expect(try Self.load(["BUILD_VERSION": "3f2c9a1", "BUILD_COMMIT": "3f2c9a1b7d0e"]).version == "3f2c9a1")
        #expect(try Self.load(["RINGO_VERSION": "2.0.0", "BUILD_VERSION": "v1.4.0"]).version == "2.0.0")
    }

    @Test func healthReportsTheConfiguredVersion() async throws {
        try await TestApp.run(adjust: { $0.version = "v1.4.0 (3f2c9a1b7d0e)" }) { t in
            let reply = try await t.send(.GET, "/api/health/")
            #expect(reply.status == .ok)
            #expect(reply.string("version") == "v1.4.0 (3f2c9a1b7d0e)")
        }
    }
}
