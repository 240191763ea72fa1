import Foundation
import SQLKit
import Vapor

/// Reading the audit trail (`audit_entries`), newest first. Writing it is `AuditRecorder`'s job.
struct AuditService {
    let context: ServiceContext

    /// Which entries a list shows; `from` is inclusive, `to` exclusive.
    struct Filter: Sendable {
        var entityType: String?
        var entityID: String?
        var action: String?
        var actorID: Int?
        var from: Date?
        var to: Date?

        var conditions: [any SQLExpression] {
            var conditions: [any SQLExpression] = []
            func equal(_ column: String, _ value: (any Encodable & Sendable)?) {
                guard let value else { return }
                conditions.append(SQLBinaryExpression(SQLColumn(column), .equal, SQLBind(value)))
            }
            equal("entity_type", entityType)
            equal("entity_id", entityID)
            equal("action", action)
            equal("actor_id", actorID)
            if let from {
                conditions.append(SQLBinaryExpression(SQLColumn("created_at"), .greaterThanOrEqual, SQLBind(from)))
            }
            if let to { conditions.append(SQLBinaryExpression(SQLColumn("created_at"), .lessThan, SQLBind(to))) }
            return conditions
        }
    }

    /// One entry, as stored.
    struct Entry: Decodable, Sendable {
        var id: Int
        var actor_id: Int?
        var actor_name: String
        var action: String
        var entity_type: String
        var entity_id: String
        /// A JSON object, as text.
        var changes: String
        var ip: String
        var request_id: String
        var created_at: Date
    }

    func count(_ filter: Filter) async throws -> Int {
        try await SearchFilter.count(table: "audit_entries", filters: filter.conditions, on: try context.db.sql())
    }

    func entries(_ filter: Filter, limit: Int, offset: Int) async throws -> [Entry] {
        var select = try context.db.sql().select()
            .columns(
                "id", "actor_id", "actor_name", "action", "entity_type", "entity_id", "changes", "ip", "request_id",
                "created_at"
            )
            .from("audit_entries")
        for condition in filter.conditions { select = select.where(condition) }
        return try await select.orderBy("created_at", .descending).orderBy("id", .descending)
            .limit(limit).offset(offset).all(decoding: Entry.self)
    }
}

extension Request {
    var auditTrail: AuditService {
        get throws { AuditService(context: try services) }
    }
}
