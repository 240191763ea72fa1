import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Fixtures and checks shared by the catalog and client tests.
extension TestApp {
    /// A bare order row (straight in SQL) whose lines point at catalog rows, optionally for a client.
    func insertOrder(clientID: Int? = nil, lines: [(type: String, refID: Int)] = []) async throws {
        let sql = try db.sql()
        let id = UUID().uuidString.lowercased()
        let now = Date()
        try await sql.insert(into: "orders")
            .columns("id", "number", "client_id", "address", "start_at", "status", "created_at", "updated_at")
            .values(
                SQLBind(id), SQLBind(String(Int.random(in: 100_000...999_999))), SQLBind(clientID),
                SQLBind("ул. Садовая, 5"),
                SQLBind(now), SQLBind("CREATED"), SQLBind(now), SQLBind(now)
            )
            .run()
        for line in lines {
            try await sql.insert(into: "order_items")
                .columns("order_id", "item_type", "ref_id", "name_snapshot")
                .values(SQLBind(id), SQLBind(line.type), SQLBind(line.refID), SQLBind("позиция"))
                .run()
        }
    }

    struct AuditRow {
        var action: String
        var entityID: String
        var changes: JSONValue
    }

    /// Audit entries of one entity type, oldest first.
    func auditEntries(_ entity: String) async throws -> [AuditRow] {
        try await db.sql().raw(
            "SELECT action, entity_id, changes FROM audit_entries WHERE entity_type = \(bind: entity) ORDER BY id"
        ).all().map { row in
            AuditRow(
                action: try row.decode(column: "action", as: String.self),
                entityID: try row.decode(column: "entity_id", as: String.self),
                changes: JSONValue.parse(try row.decode(column: "changes", as: String.self)) ?? .null)
        }
    }

    /// Row count of a table.
    func count(_ table: String) async throws -> Int {
        let row = try await db.sql().raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}

extension TestApp.Reply {
    /// The messages of one field in a 400 answer.
    func fieldErrors(_ field: String) -> [String] {
        object[field]?.arrayValue.compactMap(\.stringValue) ?? []
    }

    var id: Int? { self["id"]?.intValue }
}

/// Percent-encodes a query value as browsers do (Cyrillic and spaces included).
func q(_ text: String) -> String {
    let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
    return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
}

/// A 400 that names `field` (and is not a crash).
func expectFieldError(
    _ reply: TestApp.Reply, _ field: String, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(reply.status == .badRequest, "\(context): \(reply.status) \(reply.body)", sourceLocation: sourceLocation)
    #expect(
        !reply.fieldErrors(field).isEmpty, "\(context): no error for \(field) in \(reply.body)",
        sourceLocation: sourceLocation)
}
