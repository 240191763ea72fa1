import Crypto
import Domain
import Fluent
import Foundation
import JWT
import SQLKit
import Vapor
import WebUI

/// The claims of the web session cookie: a signed JWT naming a server-side session row.
///
/// The row lives in `refresh_tokens` (id = `sid`), so logout, a password change or deactivation revokes the
/// session everywhere. The claim set differs from `TokenPayload`, so a cookie cannot be used as a bearer token
/// and an API token cannot be used as a cookie.
struct WebSessionPayload: JWTPayload {
    static let kind = "web"

    var typ: String
    var sid: String
    var uid: Int
    var exp: ExpirationClaim
    var iat: IssuedAtClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Cookie names, lifetimes and the session rows behind them.
enum WebSession {
    static let cookieName = "ringo_session"
    /// A random nonce for signed-out visitors, so the login form carries a CSRF token too.
    static let preSessionCookie = "ringo_pre"
    static let flashCookie = "ringo_flash"
    /// «12 h» of the issue: a working day, and a phone closed at lunch stays signed in.
    static let lifetime: TimeInterval = 12 * 3600

    /// Creates the session row and returns the cookie to set.
    static func start(for user: User, on req: Request) async throws -> HTTPCookies.Value {
        guard let userID = user.id else { throw Abort(.internalServerError) }
        let now = Date()
        let sid = UUID().uuidString.lowercased()
        let expires = now.addingTimeInterval(lifetime)
        try await (try req.db.sql()).insert(into: "refresh_tokens")
            .columns("id", "user_id", "expires_at", "created_at")
            .values(SQLBind(sid), SQLBind(userID), SQLBind(expires), SQLBind(now))
            .run()
        let payload = WebSessionPayload(
            typ: WebSessionPayload.kind, sid: sid, uid: userID, exp: .init(value: expires), iat: .init(value: now))
        let token = try await req.jwt.sign(payload)
        req.webSessionID = sid
        return cookie(token, maxAge: Int(lifetime), on: req)
    }

    /// Revokes the current session row (logout).
    static func end(_ req: Request) async throws {
        guard let sid = req.webSessionID else { return }
        try await (try req.db.sql()).update("refresh_tokens")
            .set("revoked_at", to: SQLBind(Date()))
            .where("id", .equal, sid)
            .run()
    }

    /// Whether the row is still valid for that user.
    static func isLive(_ sid: String, userID: Int, on db: any Database) async throws -> Bool {
        let row = try await (try db.sql()).select().column("id").from("refresh_tokens")
            .where("id", .equal, sid).where("user_id", .equal, userID)
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, Date())
            .first()
        return row != nil
    }

    /// An HttpOnly, SameSite=Lax cookie; Secure when the site is served over HTTPS.
    static func cookie(_ value: String, maxAge: Int, on req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value,
            expires: maxAge > 0 ? Date().addingTimeInterval(TimeInterval(maxAge)) : Date(timeIntervalSince1970: 0),
            maxAge: maxAge, path: "/", isSecure: req.publicScheme == "https", isHTTPOnly: true, sameSite: .lax)
    }

    static func expired(on req: Request) -> HTTPCookies.Value {
        cookie("", maxAge: 0, on: req)
    }
}

extension Request {
    private struct WebSessionIDKey: StorageKey { typealias Value = String }
    private struct PreSessionKey: StorageKey { typealias Value = String }

    /// The session row id when the caller signed in with the web cookie.
    var webSessionID: String? {
        get { storage[WebSessionIDKey.self] }
        set { storage[WebSessionIDKey.self] = newValue }
    }

    /// The pre-session nonce of a signed-out visitor (from the cookie, or new on this request).
    var preSessionNonce: String? {
        get { storage[PreSessionKey.self] ?? cookies[WebSession.preSessionCookie]?.string.nonEmpty }
        set { storage[PreSessionKey.self] = newValue }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// Logs in `Caller` from the session cookie. A missing, expired, forged or revoked cookie leaves the request
/// signed out (the guards decide what that means); role and active flag come from `UserDirectory`.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.auth.has(Caller.self), let token = request.cookies[WebSession.cookieName]?.string, !token.isEmpty,
            let payload = try? await request.jwt.verify(token, as: WebSessionPayload.self),
            payload.typ == WebSessionPayload.kind,
            try await WebSession.isLive(payload.sid, userID: payload.uid, on: request.db),
            let entry = try await request.application.userDirectory.lookup(payload.uid, on: request.db), entry.isActive
        {
            request.auth.login(Caller(id: payload.uid, role: entry.role, fullName: entry.fullName))
            request.webSessionID = payload.sid
        }
        return try await next.respond(to: request)
    }
}

/// Signed-out visitors of a page go to `/login?next=…`; a script (Accept: JSON) gets 401 so the offline
/// queue keeps its item and retries after the user signs in again.
struct RequireWebUser: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(Caller.self) else {
            if request.wantsJSON {
                throw APIError(status: .unauthorized, detail: "Требуется авторизация. Войдите в систему заново.")
            }
            let target = request.method == .GET ? request.url.string : nil
            return request.redirect(to: Paths.login(next: target.flatMap(WebSafety.localPath)), redirectType: .normal)
        }
        return try await next.respond(to: request)
    }
}

/// Lets only the roles that see a navigation section through; others get the 403 page.
struct RequireSection: AsyncMiddleware {
    let section: NavSection

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try request.caller
        guard Navigation.isVisible(section, for: user.role) else {
            throw APIError.forbidden("У вас нет доступа к этому разделу.")
        }
        return try await next.respond(to: request)
    }
}

// MARK: - CSRF

/// CSRF tokens: an HMAC (with the JWT secret) of the session id, or of the pre-session nonce when signed out.
/// Checked on every web POST (`_csrf` field or `X-CSRF-Token` header).
enum CSRF {
    static func token(for req: Request) -> String {
        if let sid = req.webSessionID { return mac("session:" + sid, req: req) }
        if let nonce = req.preSessionNonce { return mac("pre:" + nonce, req: req) }
        return ""
    }

    static func isValid(_ sent: String, for req: Request) -> Bool {
        let expected = token(for: req)
        guard !expected.isEmpty, sent.utf8.count == expected.utf8.count else { return false }
        // Constant-time comparison.
        var difference: UInt8 = 0
        for (a, b) in zip(sent.utf8, expected.utf8) { difference |= a ^ b }
        return difference == 0
    }

    static func newNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64URLEncodedString()
    }

    private static func mac(_ message: String, req: Request) -> String {
        let key = SymmetricKey(data: Data(req.application.config.jwtSecret.utf8))
        let code = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)
        return Data(code).base64URLEncodedString()
    }
}

/// Rejects a POST whose CSRF token is missing or wrong with 403.
struct CSRFGuard: AsyncMiddleware {
    /// On API routes only callers signed in with the cookie are checked: another site cannot send a bearer token.
    var onlySessions = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .POST, !onlySessions || request.webSessionID != nil else {
            return try await next.respond(to: request)
        }
        var sent = request.headers.first(name: "X-CSRF-Token") ?? ""
        if sent.isEmpty, WebForm.isForm(request) {
            sent = try await WebForm(request: request).raw("_csrf") ?? ""
        } else if sent.isEmpty, request.headers.contentType?.type == "multipart" {
            // A file form (the order photo): the body is collected up to the upload limit to read `_csrf`.
            let limit = request.application.config.uploadMaxBytes + 256 * 1024
            _ = try await request.body.collect(upTo: limit)
            sent = (try? request.content.get(String.self, at: "_csrf")) ?? ""
        }
        guard CSRF.isValid(sent, for: request) else {
            request.logger.info("csrf check failed", metadata: ["path": .string(request.url.path)])
            throw APIError.forbidden(
                "Сессия устарела или форма открыта в другой вкладке. Обновите страницу и повторите действие.")
        }
        return try await next.respond(to: request)
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Request {
    /// The client asked for JSON by name (app.js sends `Accept: application/json`). `HTTPMediaType`'s `==` treats
    /// `*/*` as equal to anything, so a browser's navigation `Accept` would pass an `== .json` test.
    var wantsJSON: Bool {
        headers.accept.contains { preference in
            preference.mediaType.type.lowercased() == "application"
                && preference.mediaType.subType.lowercased() == "json"
        }
    }
}

/// Only same-site paths are followed after login: `/orders/1?tab=x`, never `//evil.example`, `/\evil.example`,
/// `https://…` or `/%09/evil.example` (browsers drop tabs and newlines from a URL, and some read `\` as `/`).
enum WebSafety {
    static func localPath(_ raw: String) -> String? {
        guard raw.utf8.count <= 1000, isLocalPath(raw), let decoded = raw.removingPercentEncoding, isLocalPath(decoded)
        else { return nil }
        return raw
    }

    /// One leading `/`, no `//` or `\` anywhere, no control characters.
    private static func isLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.contains("//") && !path.contains("\\")
            && !path.unicodeScalars.contains {
                $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
            }
    }
}
