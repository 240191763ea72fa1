import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// A configured, migrated application on its own database (in-memory SQLite, or a private
/// PostgreSQL schema when `DATABASE_URL` is set), reached over real HTTP on a free port.
struct TestApp {
    let app: Application
    /// Real HTTP on a free port (the default), or straight through the responder. The running-server
    /// tester starts and stops the server per request, so concurrent tests use the in-memory path.
    var inMemory = false

    /// The same app, sending requests in memory so that many can run at once.
    var concurrent: TestApp {
        var copy = self
        copy.inMemory = true
        return copy
    }

    static var usesPostgres: Bool { ProcessInfo.processInfo.environment["DATABASE_URL"]?.hasPrefix("postgres") == true }

    /// - Parameter migrate: false leaves the database as it is (on PostgreSQL the private schema is created,
    ///   empty); SQLite file tests that replace the file must not let the pool open it first.
    static func run<T>(
        adjust: (inout AppConfig) -> Void = { _ in },
        migrate: Bool = true,
        _ body: (TestApp) async throws -> T
    ) async throws -> T {
        var config = AppConfig.testing()
        adjust(&config)
        let app = try await Application.make(.testing)
        let result: T
        do {
            try await configure(app, config: config)
            if migrate {
                try await app.migrateWithLock()
            } else if let schema = config.postgresSchema {
                try await app.db.sql().raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
            }
            result = try await body(TestApp(app: app))
        } catch {
            await cleanUp(app, config: config)
            throw error
        }
        await cleanUp(app, config: config)
        return result
    }

    private static func cleanUp(_ app: Application, config: AppConfig) async {
        if let schema = config.postgresSchema {
            _ = try? await app.db.sql().raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }

    var db: any Database { app.db }

    // MARK: - Requests

    struct Reply {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: String
        /// The raw body bytes (for binary downloads such as `.xlsx`).
        var data = Data()

        var json: JSONValue { JSONValue.parse(body) ?? .null }
        var object: [String: JSONValue] { json.objectValue ?? [:] }
        subscript(key: String) -> JSONValue? { object[key] }
        func string(_ key: String) -> String? { object[key]?.stringValue }
        var results: [[String: JSONValue]] {
            guard case .array(let items) = object["results"] ?? .null else { return [] }
            return items.compactMap(\.objectValue)
        }
        var array: [[String: JSONValue]] {
            guard case .array(let items) = json else { return [] }
            return items.compactMap(\.objectValue)
        }
    }

    /// Sends a request; `json` may be a dictionary/array literal (encoded with JSONSerialization) or a raw String.
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: Any? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> Reply {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            if let text = json as? String {
                body = ByteBuffer(string: text)
            } else {
                body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            }
        }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let tester = try app.testing(method: inMemory ? .inMemory : .running(hostname: "127.0.0.1", port: 0))
        let response = try await tester.sendRequest(method, path, headers: headers, body: body)
        return Reply(
            status: response.status, headers: response.headers, body: response.body.string,
            data: Data(buffer: response.body))
    }

    // MARK: - Fixtures

    static let password = "secret-pass-1"

    /// Creates a user straight in the database and returns it with an access token.
    @discardableResult
    func user(
        _ role: Role, phone: String? = nil, firstName: String = "Имя", lastName: String = "Фамилия",
        active: Bool = true
    ) async throws -> (user: User, token: String) {
        let number = phone ?? Self.randomPhone()
        guard let parsed = PhoneNumber(number) else { throw TestFailure("bad phone \(number)") }
        let user = User(
            phone: parsed, firstName: firstName, lastName: lastName, role: role,
            passwordHash: try await app.password.async.hash(Self.password), isActive: active)
        try await user.save(on: db)
        guard active else { return (user, "") }
        let reply = try await send(.POST, "/api/v1/token/", json: ["phone": parsed.e164, "password": Self.password])
        guard let token = reply.string("access") else { throw TestFailure("login failed: \(reply.body)") }
        return (user, token)
    }

    static func randomPhone() -> String {
        "+79" + String(format: "%09d", Int.random(in: 0..<1_000_000_000))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    var intValue: Int? {
        guard case .number(let number) = self else { return nil }
        return NSDecimalNumber(decimal: number).intValue
    }
    var boolValue: Bool? {
        guard case .bool(let flag) = self else { return nil }
        return flag
    }
    var arrayValue: [JSONValue] {
        guard case .array(let items) = self else { return [] }
        return items
    }
    subscript(key: String) -> JSONValue? { objectValue?[key] }
}
