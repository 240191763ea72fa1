import Fluent
import Foundation
import SQLKit
import Vapor

/// Counts attempts per key (a phone and an address, an address alone, …) in `attempt_throttles` and refuses
/// them with 429 and `Retry-After` once a key is over its limit, backing off exponentially.
///
/// An attempt is counted *before* the password is checked, with a compare-and-set on the key's row (its
/// `version`), so parallel requests cannot all pass the check before the first failure is written. The row
/// lives in the database, so this holds for any number of `ringo serve` processes sharing it.
struct AttemptThrottle: Sendable {
    struct Rule: Sendable {
        /// Attempts allowed back to back; each one after that waits for a pause.
        var freeAttempts: Int
        /// The pause after the last free attempt, doubled for every further attempt up to `longestPause`.
        var firstPause: TimeInterval
        var longestPause: TimeInterval
        /// A key left alone this long after its last attempt (or the end of its pause) starts from zero.
        var quietPeriod: TimeInterval
        /// The 429 message for a wait of the given number of seconds.
        var message: @Sendable (Int) -> String

        /// When the attempt after `attempts` may come, or nil when it may come at once.
        func blockedUntil(after attempts: Int, from now: Date) -> Date? {
            guard attempts >= freeAttempts else { return nil }
            let doublings = min(attempts - freeAttempts, 30)
            return now.addingTimeInterval(min(longestPause, firstPause * pow(2, Double(doublings))))
        }
    }

    struct Key: Sendable {
        /// What a successful attempt does to the key: start it over, or give back the one attempt it took.
        enum OnSuccess: Sendable { case reset, refund, keep }

        var name: String
        var rule: Rule
        var onSuccess: OnSuccess
    }

    /// The attempts taken by one request; `succeeded()` applies each key's `onSuccess`.
    struct Reservation: Sendable {
        fileprivate let throttle: AttemptThrottle
        fileprivate let keys: [Key]

        func succeeded() async throws {
            for key in keys { try await throttle.settle(key) }
        }
    }

    let db: any Database
    let serializer: WriteSerializer

    /// A key's row in `attempt_throttles`.
    private struct StoredKey: Decodable {
        var attempts: Int
        var blocked_until: Date?
        var last_attempt_at: Date
        var version: Int
    }

    /// Takes one attempt on every key, or none: when a key refuses, the attempts already taken are given back
    /// and the 429 of that key is thrown.
    func reserve(_ keys: [Key]) async throws -> Reservation {
        var taken: [Key] = []
        for key in keys {
            if let wait = try await take(key) {
                for earlier in taken { try await refund(earlier.name) }
                let seconds = max(1, Int(wait.rounded(.up)))
                throw APIError(
                    status: .tooManyRequests, detail: key.rule.message(seconds),
                    headers: ["Retry-After": String(seconds)])
            }
            taken.append(key)
        }
        return Reservation(throttle: self, keys: taken)
    }

    /// Counts one attempt, or returns how many seconds the key must wait. A lost compare-and-set (another
    /// request changed the row meanwhile) reads the row again; a key that keeps losing is refused briefly.
    private func take(_ key: Key) async throws -> TimeInterval? {
        try await serializer.run {
            let sql = try db.sql()
            for _ in 0..<100 {
                let now = Date()
                let row = try await sql.raw(
                    """
                    SELECT attempts, blocked_until, last_attempt_at, version FROM attempt_throttles
                    WHERE throttle_key = \(bind: key.name)
                    """
                ).first(decoding: StoredKey.self)
                guard let row else {
                    let inserted = try await sql.raw(
                        """
                        INSERT INTO attempt_throttles (throttle_key, attempts, blocked_until, last_attempt_at, version)
                        VALUES (\(bind: key.name), 1, \(bind: key.rule.blockedUntil(after: 1, from: now)),
                                \(bind: now), 1)
                        ON CONFLICT (throttle_key) DO NOTHING RETURNING version
                        """
                    ).all()
                    if inserted.count == 1 { return nil }
                    continue
                }
                var attempts = row.attempts
                var blockedUntil = row.blocked_until
                let lastAttempt = row.last_attempt_at
                let version = row.version
                if now.timeIntervalSince(max(lastAttempt, blockedUntil ?? lastAttempt)) > key.rule.quietPeriod {
                    attempts = 0
                    blockedUntil = nil
                }
                if let blockedUntil, blockedUntil > now { return blockedUntil.timeIntervalSince(now) }
                let updated = try await sql.raw(
                    """
                    UPDATE attempt_throttles
                    SET attempts = \(bind: attempts + 1),
                        blocked_until = \(bind: key.rule.blockedUntil(after: attempts + 1, from: now)),
                        last_attempt_at = \(bind: now), version = \(bind: version + 1)
                    WHERE throttle_key = \(bind: key.name) AND version = \(bind: version)
                    RETURNING version
                    """
                ).all()
                if updated.count == 1 { return nil }
            }
            return 1
        }
    }

    private func settle(_ key: Key) async throws {
        switch key.onSuccess {
        case .reset:
            try await serializer.run {
                try await db.sql().raw("DELETE FROM attempt_throttles WHERE throttle_key = \(bind: key.name)").run()
            }
        case .refund: try await refund(key.name)
        case .keep: break
        }
    }

    /// Gives back one attempt; a pause already started stays.
    private func refund(_ name: String) async throws {
        try await serializer.run {
            try await db.sql().raw(
                """
                UPDATE attempt_throttles SET attempts = attempts - 1, version = version + 1
                WHERE throttle_key = \(bind: name) AND attempts > 0
                """
            ).run()
        }
    }
}

// MARK: - The keys of sign-in, password change and registration

extension AttemptThrottle.Key {
    /// One account from one address: `loginFailureLimit` guesses back to back, then 30 s, 1 min, 2 min, … up
    /// to an hour. This is the limit an attacker meets; the owner on another address is not affected.
    static func login(phone: String, address: String, config: AppConfig) -> Self {
        Self(name: "login:\(phone)|\(address)", rule: .signIn(config, scale: 1), onSuccess: .reset)
    }

    /// One account from every address together, far above the per-address limit: slows a guess spread over
    /// many addresses without letting a single address lock the owner out.
    static func account(phone: String, config: AppConfig) -> Self {
        Self(name: "account:\(phone)", rule: .signIn(config, scale: 5), onSuccess: .refund)
    }

    /// One address against every account (password spraying).
    static func address(_ address: String, config: AppConfig) -> Self {
        Self(name: "address:\(address)", rule: .signIn(config, scale: 5), onSuccess: .refund)
    }

    /// The current password asked by the password-change forms, per user and address.
    static func passwordChange(userID: Int, address: String, config: AppConfig) -> Self {
        var rule = AttemptThrottle.Rule.signIn(config, scale: 1)
        rule.message = { "Слишком много неверных попыток ввода текущего пароля. Повторите через \($0) с." }
        return Self(name: "password:\(userID)|\(address)", rule: rule, onSuccess: .reset)
    }

    /// Self-registration from one address: every request counts, success or not.
    static func registration(address: String) -> Self {
        Self(
            name: "register:\(address)",
            rule: AttemptThrottle.Rule(
                freeAttempts: 5, firstPause: 60, longestPause: 3600, quietPeriod: 3600,
                message: { "Слишком много заявок на регистрацию с этого адреса. Повторите через \($0) с." }),
            onSuccess: .keep)
    }
}

extension AttemptThrottle.Rule {
    static func signIn(_ config: AppConfig, scale: Int) -> Self {
        Self(
            freeAttempts: config.loginFailureLimit * scale, firstPause: config.loginFirstPause, longestPause: 3600,
            quietPeriod: config.loginFailureWindow,
            message: { "Слишком много неудачных попыток входа. Повторите через \($0) с." })
    }
}

extension Request {
    var attemptThrottle: AttemptThrottle {
        AttemptThrottle(db: db, serializer: application.writeSerializer)
    }
}
