import Foundation
import SQLKit
import Vapor

/// `GET /api/v1/audit/` (admin): the audit trail, newest first, filtered by entity, actor, action and period.
struct AuditAPIController {
    @Sendable func list(req: Request) async throws -> Response {
        let page = try PageRequest(request: req)
        let timeZone = req.application.config.timeZone
        var filters: [any SQLExpression] = []
        var errors: [String: [String]] = [:]
        if let entity: String = req.queryValues["entity"] ?? req.queryValues["entity_type"], !entity.isEmpty {
            filters.append(SQLBinaryExpression(SQLColumn("entity_type"), .equal, SQLBind(entity)))
        }
        if let entityID: String = req.queryValues["entity_id"], !entityID.isEmpty {
            filters.append(SQLBinaryExpression(SQLColumn("entity_id"), .equal, SQLBind(entityID)))
        }
        if let action: String = req.queryValues["action"], !action.isEmpty {
            filters.append(SQLBinaryExpression(SQLColumn("action"), .equal, SQLBind(action)))
        }
        if let actor: String = req.queryValues["actor"], !actor.isEmpty {
            if let actorID = Int(actor) {
                filters.append(SQLBinaryExpression(SQLColumn("actor_id"), .equal, SQLBind(actorID)))
            } else {
                errors["actor", default: []].append(FieldMessage.integer)
            }
        }
        if let from = try DayBound.parse(req.queryValues["from"], key: "from", end: false, timeZone: timeZone, errors: &errors) {
            filters.append(SQLBinaryExpression(SQLColumn("created_at"), .greaterThanOrEqual, SQLBind(from)))
        }
        if let to = try DayBound.parse(req.queryValues["to"], key: "to", end: true, timeZone: timeZone, errors: &errors) {
            filters.append(SQLBinaryExpression(SQLColumn("created_at"), .lessThan, SQLBind(to)))
        }
        if !errors.isEmpty { throw FieldErrors(errors) }
        let sql = try req.db.sql()
        let count = try await SearchFilter.count(table: "audit_entries", filters: filters, on: sql)
        try PageLinks.checkInRange(page, count: count)
        var select = sql.select()
            .columns("id", "actor_id", "actor_name", "action", "entity_type", "entity_id", "changes", "ip", "request_id", "created_at")
            .from("audit_entries")
        for filter in filters { select = select.where(filter) }
        let rows = try await select.orderBy("created_at", .descending).orderBy("id", .descending)
            .limit(page.size).offset(page.offset).all()
        let links = PageLinks.links(for: req, page: page, count: count)
        var writer = JSONWriter()
        writer.beginPage(count: count, links: links)
        for row in rows {
            writer.beginObject()
            writer.field("id", try row.decode(column: "id", as: Int.self))
            writer.field("actor", try row.decode(column: "actor_id", as: Int?.self))
            writer.field("actor_name", try row.decode(column: "actor_name", as: String.self))
            writer.field("action", try row.decode(column: "action", as: String.self))
            writer.field("entity_type", try row.decode(column: "entity_type", as: String.self))
            writer.field("entity_id", try row.decode(column: "entity_id", as: String.self))
            writer.rawField("changes", try row.decode(column: "changes", as: String.self), fallback: "{}")
            writer.field("ip", try row.decode(column: "ip", as: String.self))
            writer.field("request_id", try row.decode(column: "request_id", as: String.self))
            writer.field("created_at", ISOTime.format(try row.decode(column: "created_at", as: Date.self), in: timeZone))
            writer.endObject()
        }
        writer.endPage()
        let response = Response(status: .ok, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }
}
