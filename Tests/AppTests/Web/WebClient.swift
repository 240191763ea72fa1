import Domain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// A browser stand-in for the web UI: keeps cookies, reads the page's CSRF token, posts forms.
/// Requests go through the in-memory tester, so redirects are seen as they are (not followed).
final class WebClient: @unchecked Sendable {
    let t: TestApp
    var cookies: [String: String] = [:]
    /// The CSRF token of the last page that had one.
    var csrf = ""

    init(_ t: TestApp) { self.t = t }

    struct Page {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: String

        var location: String? { headers.first(name: .location) }
        var json: [String: JSONValue] { JSONValue.parse(body)?.objectValue ?? [:] }
        func contains(_ text: String) -> Bool { body.contains(text) }
        /// Set-Cookie lines for one cookie name.
        func setCookie(_ name: String) -> String? {
            headers[.setCookie].first { $0.hasPrefix(name + "=") }
        }
    }

    @discardableResult
    func get(_ path: String, headers extra: [String: String] = [:]) async throws -> Page {
        try await send(.GET, path, body: nil, headers: extra)
    }

    /// Posts a form; `_csrf` is added from the last page unless the fields carry one.
    @discardableResult
    func post(
        _ path: String, _ fields: [(String, String)], json: Bool = false, idempotencyKey: String? = nil,
        addToken: Bool = true, headers extra: [String: String] = [:]
    ) async throws -> Page {
        var all = fields
        if addToken, !all.contains(where: { $0.0 == "_csrf" }) { all.insert(("_csrf", csrf), at: 0) }
        var headers = extra
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json { headers["Accept"] = "application/json" }
        if let idempotencyKey { headers["Idempotency-Key"] = idempotencyKey }
        return try await send(.POST, path, body: Self.encode(all), headers: headers)
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }

    func send(_ method: HTTPMethod, _ path: String, body: String?, headers extra: [String: String]) async throws -> Page
    {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "))
        }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let response = try await t.app.testing(method: .inMemory)
            .sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let page = Page(status: response.status, headers: response.headers, body: response.body.string)
        for line in response.headers[.setCookie] {
            let pair = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[1].isEmpty || line.contains("Max-Age=0") {
                cookies.removeValue(forKey: parts[0])
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
        if let token = Self.csrfToken(in: page.body) { csrf = token }
        return page
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "data-csrf=\"") else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let token = String(rest[..<end])
        return token.isEmpty ? nil : token
    }

    /// Opens the login page and signs in; expects the redirect.
    @discardableResult
    func login(_ phone: String, password: String = TestApp.password, next: String? = nil) async throws -> Page {
        try await get("/login")
        var fields = [("phone", phone), ("password", password)]
        if let next { fields.append(("next", next)) }
        let page = try await post("/login", fields)
        try #require(page.status == .seeOther, "login failed: \(page.status) \(page.body.prefix(300))")
        return page
    }

    /// A signed-in user of that role, with this client logged in as them.
    static func signedIn(
        _ t: TestApp, _ role: Role, phone: String? = nil, firstName: String = "Имя", lastName: String = "Фамилия"
    ) async throws -> (client: WebClient, user: User, token: String) {
        let (user, token) = try await t.user(role, phone: phone, firstName: firstName, lastName: lastName)
        let client = WebClient(t)
        try await client.login(user.phone)
        return (client, user, token)
    }
}

extension TestApp {
    /// Status-log rows of an order that reached `status`.
    func logCount(order: String, to status: OrderStatus) async throws -> Int {
        let rows = try await db.sql().select().column("id").from("order_status_logs")
            .where("order_id", .equal, order).where("to_status", .equal, status.rawValue).all()
        return rows.count
    }
}
