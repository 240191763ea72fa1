import Crypto
import Domain
import Foundation
import NIOPosix
import _CryptoExtras

/// Checks a password against a hash imported from the original Django system (docs/import.md#passwords).
/// 600,000 rounds take about a tenth of a second of one core, so callers run it off the event loop.
enum DjangoPasswords {
    static func verify(_ password: String, against stored: String) -> Bool {
        guard let parsed = DjangoPasswordHash(stored) else { return false }
        guard
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8), salt: Array(parsed.salt.utf8), using: .sha256, outputByteCount: 32,
                unsafeUncheckedRounds: parsed.iterations)
        else { return false }
        return parsed.matches(derived: key.withUnsafeBytes { Array($0) })
    }

    /// The same check on a thread of the blocking pool.
    static func verify(_ password: String, against stored: String, on pool: NIOThreadPool) async -> Bool {
        (try? await pool.runIfActive { verify(password, against: stored) }) ?? false
    }
}
