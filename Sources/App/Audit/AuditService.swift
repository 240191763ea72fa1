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
            .map { entry in
                // Entries written before the recorder's rule was this strict are cleaned on the way out too.
                var entry = entry
                if let changes = JSONValue.parse(entry.changes)?.objectValue {
                    entry.changes = JSONValue.object(AuditRecorder.redacted(changes)).jsonText
                }
                return entry
            }
    }

    /// The names the log's entities go by now — an order's and an invoice's number, a client's and a user's
    /// name — keyed `"type:id"`, for the entries of one page (one query per type).
    func names(of entries: [Entry]) async throws -> [String: String] {
        let sql = try context.db.sql()
        var names: [String: String] = [:]
        func ids(_ type: String) -> [String] { Array(Set(entries.filter { $0.entity_type == type }.map(\.entity_id))) }
        let orders = ids("order")
        if !orders.isEmpty {
            for row in try await sql.select().columns("id", "number").from("orders").where("id", .in, orders).all() {
                let id = try row.decode(column: "id", as: String.self)
                names["order:" + id] = try row.decode(column: "number", as: String.self)
            }
        }
        for (type, table, column) in [("invoice", "invoices", "number"), ("client", "clients", "name")] {
            let numeric = ids(type).compactMap(Int.init)
            guard !numeric.isEmpty else { continue }
            for row in try await sql.select().columns("id", column).from(table).where("id", .in, numeric).all() {
                let id = try row.decode(column: "id", as: Int.self)
                names["\(type):\(id)"] = try row.decode(column: column, as: String.self)
            }
        }
        let users = ids("user").compactMap(Int.init)
        if !users.isEmpty {
            let rows = try await sql.select().columns("id", "first_name", "last_name", "phone").from("users")
                .where("id", .in, users).all(decoding: Person.self)
            for user in rows { names["user:\(user.id)"] = user.name }
        }
        return names
    }

    /// A user the log can be filtered by.
    struct Person: Decodable, Sendable {
        var id: Int
        var first_name: String
        var last_name: String
        var phone: String

        var name: String {
            let name = "\(first_name) \(last_name)".trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? phone : name
        }
    }

    /// Every user, by name, for the «Пользователь» filter.
    func actors() async throws -> [Person] {
        try await context.db.sql().select().columns("id", "first_name", "last_name", "phone").from("users")
            .orderBy("first_name").orderBy("last_name").orderBy("id").limit(1000).all(decoding: Person.self)
    }
}

extension Request {
    var auditTrail: AuditService {
        get throws { AuditService(context: try services) }
    }
}
