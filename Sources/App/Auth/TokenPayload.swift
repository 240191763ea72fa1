import Domain
import Foundation
import JWT
import Vapor

/// The claims of both token kinds (SimpleJWT-compatible names, plus the role).
struct TokenPayload: JWTPayload {
    enum Kind: String, Codable { case access, refresh }

    var token_type: Kind
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var jti: IDClaim
    var user_id: Int
    var role: String
    /// Access tokens: the user's `token_version` when issued (absent in tokens issued before it existed).
    var ver: Int? = nil
    /// Access tokens: the login (refresh-token family) they were issued to.
    var fam: String? = nil

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// The signed-in caller, as seen by route handlers.
struct Caller: Authenticatable, Sendable {
    var id: Int
    var role: Role
    var fullName: String

    var isStaff: Bool { role == .admin || role == .manager }
}
