import Domain
import Fluent
import Foundation
import JWT
import NIOConcurrencyHelpers
import Vapor

/// Reads `Authorization: Bearer <access JWT>` and logs the caller in.
///
/// The role, active flag, token version and revoked logins come from the database (cached for a few seconds per
/// process, and dropped from the cache by this process's own changes), so a deactivated or demoted user, or one whose
/// password changed, loses access without a query on every request: at once on the process that made the
/// change, within the cache lifetime on the others.
struct BearerTokenAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            let payload: TokenPayload
            do {
                payload = try await request.jwt.verify(bearer.token, as: TokenPayload.self)
            } catch {
                throw TokenService.invalidToken(kind: "AccessToken")
            }
            guard payload.token_type == .access,
                let user = try await request.application.userDirectory.lookup(payload.user_id, on: request.db),
                user.isActive, (payload.ver ?? 0) == user.tokenVersion,
                payload.fam.map({ !user.revokedFamilies.contains($0) }) ?? true
            else { throw TokenService.invalidToken(kind: "AccessToken") }
            request.auth.login(Caller(id: payload.user_id, role: user.role, fullName: user.fullName))
        }
        return try await next.respond(to: request)
    }
}

/// Rejects callers that are not signed in with 401.
struct RequireUser: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(Caller.self) else { throw APIError.unauthorized() }
        return try await next.respond(to: request)
    }
}

/// Lets only the given roles through: others get 403.
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>
    var message: String = "У вас недостаточно прав для выполнения данного действия."

    init(_ roles: Role..., message: String? = nil) {
        self.roles = Set(roles)
        if let message { self.message = message }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.auth.get(Caller.self) else { throw APIError.unauthorized() }
        guard roles.contains(user.role) else { throw APIError.forbidden(message) }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The signed-in caller; 401 when there is none.
    var caller: Caller {
        get throws {
            guard let user = auth.get(Caller.self) else { throw APIError.unauthorized() }
            return user
        }
    }
}

/// A short-lived per-process cache of each user's role, name, active flag, token version and revoked logins.
final class UserDirectory: Sendable {
    struct Entry: Sendable {
        var role: Role
        var isActive: Bool
        var fullName: String
        var tokenVersion: Int
        var revokedFamilies: Set<String>
        var loadedAt: Date
    }

    private let entries = NIOLockedValueBox<[Int: Entry]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 5) { self.lifetime = lifetime }

    func lookup(_ id: Int, on db: any Database) async throws -> Entry? {
        let now = Date()
        if let cached = entries.withLockedValue({ $0[id] }), now.timeIntervalSince(cached.loadedAt) < lifetime {
            return cached
        }
        guard let user = try await User.find(id, on: db) else {
            forget(id)
            return nil
        }
        let entry = Entry(
            role: user.role, isActive: user.isActive, fullName: user.fullName, tokenVersion: user.tokenVersion,
            revokedFamilies: Set(RevokedTokenFamilies.decode(user.revokedTokenFamilies, at: now).keys), loadedAt: now)
        entries.withLockedValue { $0[id] = entry }
        return entry
    }

    /// Drops a cached entry after a change made by this process.
    func forget(_ id: Int) {
        entries.withLockedValue { _ = $0.removeValue(forKey: id) }
    }
}
