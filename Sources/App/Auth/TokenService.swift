import Domain
import Fluent
import Foundation
import JWT
import SQLKit
import Vapor

/// Issues, rotates and revokes JWT pairs. Refresh tokens are rows, so revocation holds across instances.
struct TokenService {
    let request: Request

    private var config: AppConfig { request.application.config }

    struct Pair: Content {
        var access: String
        var refresh: String
    }

    func issue(for user: User, on db: any Database) async throws -> Pair {
        guard let userID = user.id else { throw Abort(.internalServerError) }
        let now = Date()
        let refreshID = UUID().uuidString.lowercased()
        let access = TokenPayload(
            token_type: .access, exp: .init(value: now.addingTimeInterval(config.accessTokenLifetime)),
            iat: .init(value: now), jti: .init(value: UUID().uuidString.lowercased()), user_id: userID,
            role: user.roleValue)
        let refresh = TokenPayload(
            token_type: .refresh, exp: .init(value: now.addingTimeInterval(config.refreshTokenLifetime)),
            iat: .init(value: now), jti: .init(value: refreshID), user_id: userID, role: user.roleValue)
        try await (try db.sql()).insert(into: "refresh_tokens")
            .columns("id", "user_id", "expires_at", "created_at")
            .values(SQLBind(refreshID), SQLBind(userID), SQLBind(refresh.exp.value), SQLBind(now))
            .run()
        return Pair(access: try await request.jwt.sign(access), refresh: try await request.jwt.sign(refresh))
    }

    /// Verifies a refresh token and marks it used. Exactly one caller can use a given token.
    func consume(_ token: String) async throws -> User {
        let payload = try await verifiedRefresh(token)
        let sql = try request.db.sql()
        let rows = try await sql.raw(
            """
            UPDATE refresh_tokens SET revoked_at = \(bind: Date())
            WHERE id = \(bind: payload.jti.value) AND revoked_at IS NULL AND expires_at > \(bind: Date())
            RETURNING user_id
            """
        ).all()
        guard rows.count == 1, let user = try await User.find(payload.user_id, on: request.db), user.isActive else {
            throw Self.invalidToken(kind: "RefreshToken")
        }
        return user
    }

    func revoke(_ token: String) async throws {
        let payload = try await verifiedRefresh(token)
        let sql = try request.db.sql()
        try await sql.raw(
            "UPDATE refresh_tokens SET revoked_at = \(bind: Date()) WHERE id = \(bind: payload.jti.value) AND revoked_at IS NULL"
        ).run()
    }

    /// Revokes every refresh token of a user, except optionally one.
    static func revokeAll(of userID: Int, except keptID: String? = nil, on db: any Database) async throws {
        let sql = try db.sql()
        if let keptID {
            try await sql.raw(
                "UPDATE refresh_tokens SET revoked_at = \(bind: Date()) WHERE user_id = \(bind: userID) AND revoked_at IS NULL AND id <> \(bind: keptID)"
            ).run()
        } else {
            try await sql.raw(
                "UPDATE refresh_tokens SET revoked_at = \(bind: Date()) WHERE user_id = \(bind: userID) AND revoked_at IS NULL"
            ).run()
        }
    }

    func verifiedRefresh(_ token: String) async throws -> TokenPayload {
        let payload: TokenPayload
        do {
            payload = try await request.jwt.verify(token, as: TokenPayload.self)
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
