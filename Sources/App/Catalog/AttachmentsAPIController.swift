import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/attachments/…`: tools mounted on one machine («навеска»).
struct AttachmentsAPIController {
    static let orderingFields: [String: String] = [
        "name": "name", "equipment__code": "equipment__code", "status": "status", "id": "id",
    ]

    /// `?ordering=equipment__code` sorts by the machine's code.
    static let equipmentCode: any SQLExpression = SQLRaw(
        "(SELECT equipment.code FROM equipment WHERE equipment.id = attachments.equipment_id)")

    @Sendable func list(req: Request) async throws -> Page<AttachmentResponse> {
        var filters = ListFilters(request: req)
        filters.choice("status", as: EquipmentStatus.self)
        filters.id("equipment", column: "equipment_id")
        filters.search()
        try filters.validate()
        let listing = try await ListPage.load(
            table: Attachment.schema, filters: filters.expressions,
            ordering: ListPage.ordering(
                req, table: Attachment.schema, allowed: Self.orderingFields, fallback: ["id"],
                special: ["equipment__code": Self.equipmentCode]),
            for: req)
        let rows = try await Attachment.query(on: req.db).filter(\.$id ~~ listing.ids).with(\.$equipment).all()
        let timeZone = req.application.config.timeZone
        return listing.page(
            rows.map { AttachmentResponse($0, equipment: $0.equipment, timeZone: timeZone) }, id: \.id)
    }

    @Sendable func show(req: Request) async throws -> AttachmentResponse {
        let attachment = try await req.catalog.attachment(try req.intParameter())
        return AttachmentResponse(
            attachment, equipment: attachment.equipment, timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = AttachmentInput(json: try JSONInput(request: req))
        let (attachment, equipment) = try await req.catalog.createAttachment(input)
        return try await AttachmentResponse(attachment, equipment: equipment, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    /// PUT requires every field a create requires; PATCH changes the fields given.
    @Sendable func update(req: Request) async throws -> AttachmentResponse {
        let id = try req.intParameter()
        let input = AttachmentInput(json: try JSONInput(request: req))
        let (attachment, equipment) = try await req.catalog.updateAttachment(id, input, requireAll: req.method == .PUT)
        return AttachmentResponse(attachment, equipment: equipment, timeZone: req.application.config.timeZone)
    }

    /// Deletes an attachment no order line refers to; otherwise marks it `inactive`.
    @Sendable func delete(req: Request) async throws -> Response {
        try await req.catalog.deleteAttachment(try req.intParameter())
        return Response(status: .noContent)
    }
}

extension AttachmentInput {
    /// The fields present in a JSON body; wrong types and malformed numbers are kept in `unreadable`.
    init(json: JSONInput) {
        var json = json
        if let value = json.int("equipment", nullable: false) { equipment = .set(value) }
        if let value = json.string("name", maxLength: .max) { name = .set(value) }
        if case .value(let value?) = json.scaled("price", nullable: false, maxDigits: 10, scale: 2) {
            price = .set(value)
        }
        if let value = json.choice("status", as: EquipmentStatus.self) { status = .set(value) }
        if let value = json.jsonObject("metadata") { metadata = .set(value) }
        unreadable = json.errors
    }
}
