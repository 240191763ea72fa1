import Domain
import Fluent
import Foundation
import JWT
import SQLKit
import Vapor

/// Issues, rotates and revokes JWT pairs. Refresh tokens are rows, so revocation holds across instances.
struct TokenService {
    let db: any Database
    let app: Application
    let logger: Logger

    private var config: AppConfig { app.config }

    struct Pair: Content {
        var access: String
        var refresh: String
    }

    /// A new pair. A login starts a new family; a refresh passes the family of the token it consumed.
    func issue(for user: User, family: String? = nil, on db: any Database) async throws -> Pair {
        guard let userID = user.id else { throw Abort(.internalServerError) }
        let now = Date()
        let refreshID = UUID().uuidString.lowercased()
        let access = TokenPayload(
            token_type: .access, exp: .init(value: now.addingTimeInterval(config.accessTokenLifetime)),
            iat: .init(value: now), jti: .init(value: UUID().uuidString.lowercased()), user_id: userID,
            role: user.roleValue, ver: user.tokenVersion, fam: family ?? refreshID)
        let refresh = TokenPayload(
            token_type: .refresh, exp: .init(value: now.addingTimeInterval(config.refreshTokenLifetime)),
            iat: .init(value: now), jti: .init(value: refreshID), user_id: userID, role: user.roleValue)
        try await (try db.sql()).insert(into: "refresh_tokens")
            .columns("id", "user_id", "expires_at", "created_at", "family_id")
            .values(
                SQLBind(refreshID), SQLBind(userID), SQLBind(refresh.exp.value), SQLBind(now),
                SQLBind(family ?? refreshID)
            )
            .run()
        return Pair(access: try await app.jwt.keys.sign(access), refresh: try await app.jwt.keys.sign(refresh))
    }

    /// Verifies a refresh token and marks it used; returns its user and family. Exactly one caller can use a
    /// given token. Presenting a token that was already used means that it was copied: the whole family
    /// (every refresh and access token of that login) is revoked; the user's other logins go on.
    func consume(_ token: String) async throws -> (user: User, family: String) {
        let payload = try await verifiedRefresh(token)
        let sql = try db.sql()
        let now = Date()
        let rows = try await sql.raw(
            """
            UPDATE refresh_tokens SET revoked_at = \(bind: now), used_at = \(bind: now)
            WHERE id = \(bind: payload.jti.value) AND revoked_at IS NULL AND expires_at > \(bind: now)
            RETURNING user_id, COALESCE(family_id, id) AS family
            """
        ).all()
        guard rows.count == 1 else {
            try await revokeFamilyIfReused(payload)
            throw Self.invalidToken(kind: "RefreshToken")
        }
        let family = try rows[0].decode(column: "family", as: String.self)
        guard let user = try await User.find(payload.user_id, on: db), user.isActive else {
            throw Self.invalidToken(kind: "RefreshToken")
        }
        return (user, family)
    }

    /// A used refresh token's owner and login.
    private struct UsedToken: Decodable {
        var user_id: Int
        var family: String
    }

    private func revokeFamilyIfReused(_ payload: TokenPayload) async throws {
        let sql = try db.sql()
        guard
            let used = try await sql.raw(
                """
                SELECT user_id, COALESCE(family_id, id) AS family FROM refresh_tokens
                WHERE id = \(bind: payload.jti.value) AND used_at IS NOT NULL
                """
            ).first(decoding: UsedToken.self)
        else { return }
        let userID = used.user_id
        let family = used.family
        try await (try db.sql()).raw(
            """
            UPDATE refresh_tokens SET revoked_at = \(bind: Date())
            WHERE (family_id = \(bind: family) OR id = \(bind: family)) AND revoked_at IS NULL
            """
        ).run()
        let accessTokensExpire = Date().addingTimeInterval(config.accessTokenLifetime)
        try await RevokedTokenFamilies.add(family, until: accessTokensExpire, userID: userID, on: db)
        app.userDirectory.forget(userID)
        logger.warning("reused refresh token, login revoked", metadata: ["user_id": "\(userID)"])
    }

    func revoke(_ token: String) async throws {
        let payload = try await verifiedRefresh(token)
        let sql = try db.sql()
        try await sql.raw(
            """
            UPDATE refresh_tokens SET revoked_at = \(bind: Date())
            WHERE id = \(bind: payload.jti.value) AND revoked_at IS NULL
            """
        ).run()
    }

    /// Revokes every refresh token and web session of a user, except optionally one, and every access token
    /// (`invalidateAccessTokens`). The caller drops the user from `userDirectory` after committing.
    static func revokeAll(of userID: Int, except keptID: String? = nil, on db: any Database) async throws {
        let sql = try db.sql()
        if let keptID {
            try await sql.raw(
                """
                UPDATE refresh_tokens SET revoked_at = \(bind: Date())
                WHERE user_id = \(bind: userID) AND revoked_at IS NULL AND id <> \(bind: keptID)
                """
            ).run()
        } else {
            try await sql.raw(
                """
                UPDATE refresh_tokens SET revoked_at = \(bind: Date())
                WHERE user_id = \(bind: userID) AND revoked_at IS NULL
                """
            ).run()
        }
        try await invalidateAccessTokens(of: userID, on: db)
    }

    /// Access tokens issued before this stop working (`BearerTokenAuthenticator` compares `ver`). A version
    /// rather than a time: `iat` has whole seconds only, so a time could not tell a token issued just
    /// before a password change from one issued just after it.
    static func invalidateAccessTokens(of userID: Int, on db: any Database) async throws {
        try await (try db.sql()).raw(
            "UPDATE users SET token_version = token_version + 1 WHERE id = \(bind: userID)"
        ).run()
    }

    func verifiedRefresh(_ token: String) async throws -> TokenPayload {
        let payload: TokenPayload
        do {
            payload = try await app.jwt.keys.verify(token, as: TokenPayload.self)
        } catch {
            throw Self.invalidToken(kind: "RefreshToken")
        }
        guard payload.token_type == .refresh else { throw Self.invalidToken(kind: "RefreshToken") }
        return payload
    }

    static func invalidToken(kind: String) -> APIError {
        let message = "Токен недействителен или просрочен"
        return APIError(
            status: .unauthorized, detail: message,
            extra: [
                "code": .string("token_not_valid"),
                "messages": .array([
                    .object([
                        "token_class": .string(kind),
                        "token_type": .string(kind == "AccessToken" ? "access" : "refresh"),
                        "message": .string(message),
                    ])
                ]),
            ],
            headers: ["WWW-Authenticate": "Bearer realm=\"api\""])
    }
}

/// The logins of a user whose access tokens are refused (`users.revoked_token_families`): family id → when the
/// last access token of that family expires. Entries past that time are dropped on the next change, so the
/// list stays as short as the number of logins revoked within one access-token lifetime.
enum RevokedTokenFamilies {
    static func decode(_ stored: String, at now: Date = Date()) -> [String: Date] {
        guard !stored.isEmpty, let seconds = try? JSONDecoder().decode([String: Double].self, from: Data(stored.utf8))
        else { return [:] }
        return seconds.mapValues { Date(timeIntervalSince1970: $0) }.filter { $0.value > now }
    }

    /// Adds a family with a compare-and-set on the stored text, so that two revocations at once both stay.
    static func add(_ family: String, until expiry: Date, userID: Int, on db: any Database) async throws {
        let sql = try db.sql()
        for _ in 0..<10 {
            guard
                let row = try await sql.raw("SELECT revoked_token_families FROM users WHERE id = \(bind: userID)")
                    .first()
            else { return }
            let stored = try row.decode(column: "revoked_token_families", as: String.self)
            var families = decode(stored)
            families[family] = expiry
            let encoded = try JSONEncoder().encode(families.mapValues(\.timeIntervalSince1970))
            let updated = try await sql.raw(
                """
                UPDATE users SET revoked_token_families = \(bind: String(decoding: encoded, as: UTF8.self))
                WHERE id = \(bind: userID) AND revoked_token_families = \(bind: stored)
                RETURNING id
                """
            ).all()
            if updated.count == 1 { return }
        }
    }
}

extension Request {
    /// Token issuing and revocation on this request's database.
    var tokens: TokenService { TokenService(db: db, app: application, logger: logger) }
}
