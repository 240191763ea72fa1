import Foundation

/// A password hash as the original Django system stored it: `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`
/// (docs/import.md#passwords). The salt is used as its UTF-8 text, not base64-decoded.
public struct DjangoPasswordHash: Sendable, Equatable {
    public static let prefix = "pbkdf2_sha256$"
    /// Fewer rounds than this is not a hash Django ever wrote; more is a denial of service at sign-in.
    public static let iterationRange = 1_000...10_000_000

    public let iterations: Int
    public let salt: String
    /// The 32 bytes of PBKDF2-HMAC-SHA256.
    public let hash: [UInt8]

    /// Nil for anything that is not a well-formed Django `pbkdf2_sha256` hash.
    public init?(_ stored: String) {
        guard stored.hasPrefix(Self.prefix) else { return nil }
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, let iterations = Int(parts[1]), Self.iterationRange.contains(iterations),
            !parts[2].isEmpty, let hash = Data(base64Encoded: String(parts[3])), hash.count == 32
        else { return nil }
        self.iterations = iterations
        self.salt = String(parts[2])
        self.hash = Array(hash)
    }

    public static func isDjango(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    /// Compares a derived key with the stored one in time that does not depend on where they differ.
    public func matches(derived: [UInt8]) -> Bool {
        guard derived.count == hash.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(derived, hash) { difference |= left ^ right }
        return difference == 0
    }
}
