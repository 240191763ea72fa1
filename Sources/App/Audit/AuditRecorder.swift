import Fluent
import Foundation
import SQLKit
import Vapor

/// Writes the audit trail: who changed what, from where, with the before → after of changed fields.
struct AuditRecorder {
    enum Action: String {
        case create, update, delete, statusChange = "status_change", login, payment, roleChange = "role_change"
        case fileUpload = "file_upload", export, email
    }

    var db: any Database
    let actorID: Int?
    let actorName: String
    let ip: String
    let requestID: String
    let userAgent: String

    /// Entries written by `caller` (nil for the system) on `db`.
    init(db: any Database, caller: Caller?, origin: RequestOrigin) {
        self.db = db
        actorID = caller?.id
        actorName = caller?.fullName ?? ""
        ip = origin.ip
        requestID = origin.requestID
        userAgent = origin.userAgent
    }

    /// The same caller's entries written on `db` (a transaction).
    func on(_ db: any Database) -> AuditRecorder {
        var recorder = self
        recorder.db = db
        return recorder
    }

    /// The words of a key that mark a secret (docs/ui.md#audit-log): `password_hash`, `refresh`, `jwt_secret`,
    /// `telegram_bot_token`, `vapid_private_key`, `accessToken`… A key is split into words at `_`, `-`, `.` and
    /// lower-to-upper case changes, so `token` matches `bot_token` but not `tokenizer`-like words of other fields.
    static let secretWords: Set<String> = [
        "password", "passwd", "pwd", "hash", "token", "tokens", "secret", "refresh", "access", "private", "salt",
        "jwt", "credential", "credentials", "otp", "cookie", "apikey", "auth", "authorization", "p256dh",
    ]

    /// Whether a change's key names a secret. `password_changed: true` says that a password changed, not what
    /// it is: a flag (a boolean) under such a key is kept.
    static func isSecret(key: String) -> Bool {
        var words: [String] = []
        var current = ""
        var previousLower = false
        for character in key {
            if character == "_" || character == "-" || character == "." || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousLower = false
                continue
            }
            if character.isUppercase, previousLower, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current += character.lowercased()
            previousLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words.contains { secretWords.contains($0) } || key.lowercased().hasSuffix("apikey")
    }

    /// Whether a stored string looks like a secret whatever its key: a bcrypt or argon2 hash, or a JWT.
    static func looksSecret(_ text: String) -> Bool {
        if text.hasPrefix("$2a$") || text.hasPrefix("$2b$") || text.hasPrefix("$2y$") || text.hasPrefix("$argon2") {
            return true
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return text.hasPrefix("eyJ") && parts.count == 3 && parts.allSatisfy { !$0.isEmpty }
    }

    /// `changes` without secrets, at any depth: a secret key's value is dropped (a boolean flag stays), and so is
    /// any value that looks like a hash or a token. Every entry goes through this before it is stored.
    static func redacted(_ changes: [String: JSONValue]) -> [String: JSONValue] {
        var clean: [String: JSONValue] = [:]
        for (key, value) in changes {
            if isSecret(key: key) {
                if case .bool = value { clean[key] = value }
                continue
            }
            if let value = redacted(value) { clean[key] = value }
        }
        return clean
    }

    private static func redacted(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .string(let text): looksSecret(text) ? nil : value
        case .object(let object): .object(redacted(object))
        case .array(let items): .array(items.compactMap { redacted($0) })
        default: value
        }
    }

    func record(_ action: Action, entity: String, id: String, changes: [String: JSONValue] = [:]) async throws {
        let clean = Self.redacted(changes)
        try await (try db.sql()).insert(into: "audit_entries")
            .columns(
                "actor_id", "actor_name", "action", "entity_type", "entity_id", "changes", "ip", "request_id",
                "user_agent", "created_at"
            )
            .values(
                SQLBind(actorID), SQLBind(actorName), SQLBind(action.rawValue), SQLBind(entity), SQLBind(id),
                SQLBind(JSONValue.object(clean).jsonText), SQLBind(ip), SQLBind(requestID), SQLBind(userAgent),
                SQLBind(Date())
            )
            .run()
    }

    /// `{"field": {"from": old, "to": new}}` for every field whose value differs.
    static func diff(before: [String: JSONValue], after: [String: JSONValue]) -> [String: JSONValue] {
        var changes: [String: JSONValue] = [:]
        for key in Set(before.keys).union(after.keys) where !isSecret(key: key) {
            let old = before[key] ?? .null
            let new = after[key] ?? .null
            if old != new { changes[key] = .object(["from": old, "to": new]) }
        }
        return changes
    }

    /// `{"field": {"to": value}}` for a created entity.
    static func created(_ values: [String: JSONValue]) -> [String: JSONValue] {
        diff(before: [:], after: values)
    }
}
