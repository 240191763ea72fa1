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

    /// Keys whose values are never written to the audit trail.
    static let secretKeys: Set<String> = [
        "password", "password_hash", "new_password", "old_password", "token", "refresh", "access",
    ]

    func record(_ action: Action, entity: String, id: String, changes: [String: JSONValue] = [:]) async throws {
        let clean = changes.filter { !Self.secretKeys.contains($0.key) }
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
        for key in Set(before.keys).union(after.keys) where !secretKeys.contains(key) {
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
