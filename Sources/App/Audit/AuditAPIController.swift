import Foundation
import SQLKit
import Vapor

/// `GET /api/v1/audit/` (admin): the audit trail, newest first, filtered by entity, actor, action and period.
struct AuditAPIController {
    @Sendable func list(req: Request) async throws -> Response {
        let service = try req.auditTrail
        let page = try PageRequest(request: req)
        let filter = try Self.filter(req)
        let count = try await service.count(filter)
        try PageLinks.checkInRange(page, count: count)
        let rows = try await service.entries(filter, limit: page.size, offset: page.offset)
        let links = PageLinks.links(for: req, page: page, count: count)
        let timeZone = req.application.config.timeZone
        var writer = JSONWriter()
        writer.beginPage(count: count, links: links)
        for row in rows {
            writer.beginObject()
            writer.field("id", row.id)
            writer.field("actor", row.actor_id)
            writer.field("actor_name", row.actor_name)
            writer.field("action", row.action)
            writer.field("entity_type", row.entity_type)
            writer.field("entity_id", row.entity_id)
            writer.rawField("changes", row.changes, fallback: "{}")
            writer.field("ip", row.ip)
            writer.field("request_id", row.request_id)
            writer.field("created_at", ISOTime.format(row.created_at, in: timeZone))
            writer.endObject()
        }
        writer.endPage()
        let response = Response(status: .ok, body: .init(data: Data(writer.bytes)))
        response.headers.contentType = .json
        return response
    }

    private static func filter(_ req: Request) throws -> AuditService.Filter {
        let timeZone = req.application.config.timeZone
        var filter = AuditService.Filter()
        var errors: [String: [String]] = [:]
        func text(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
        filter.entityType = text(req.queryValues["entity"] ?? req.queryValues["entity_type"])
        filter.entityID = text(req.queryValues["entity_id"])
        filter.action = text(req.queryValues["action"])
        if let actor = text(req.queryValues["actor"]) {
            if let actorID = Int(actor) {
                filter.actorID = actorID
            } else {
                errors["actor", default: []].append(FieldMessage.integer)
            }
        }
        filter.from = try DayBound.parse(
            req.queryValues["from"], key: "from", end: false, timeZone: timeZone, errors: &errors)
        filter.to = try DayBound.parse(req.queryValues["to"], key: "to", end: true, timeZone: timeZone, errors: &errors)
        if !errors.isEmpty { throw FieldErrors(errors) }
        return filter
    }
}
