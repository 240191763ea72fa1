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
        let attachment = try await load(req)
        return AttachmentResponse(
            attachment, equipment: attachment.equipment, timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await create(try req.jsonObject(), req: req).encodeResponse(status: .created, for: req)
    }

    /// The API's create for a JSON body (shared with the web form); throws 400 with every field problem.
    func create(_ body: [String: JSONValue], req: Request) async throws -> AttachmentResponse {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let attachment = Attachment(name: "", equipmentID: 0)
        let equipment = try await apply(&input, to: attachment, current: nil, required: true, on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await attachment.save(on: db)
            try await AuditRecorder(request: req, db: db).record(
                .create, entity: "attachment", id: String(attachment.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(attachment)))
        }
        return AttachmentResponse(attachment, equipment: equipment, timeZone: req.application.config.timeZone)
    }

    @Sendable func update(req: Request) async throws -> AttachmentResponse {
        let attachment = try await load(req)
        return try await update(attachment, body: try req.jsonObject(), isPut: req.method == .PUT, req: req)
    }

    /// The API's update (PUT when `isPut`, else PATCH) for a JSON body, shared with the web form.
    func update(_ attachment: Attachment, body: [String: JSONValue], isPut: Bool, req: Request) async throws -> AttachmentResponse {
        let before = Self.auditFields(attachment)
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let equipment = try await apply(
            &input, to: attachment, current: attachment.equipment, required: isPut, on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await attachment.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(attachment))
            if !changes.isEmpty {
                try await AuditRecorder(request: req, db: db).record(
                    .update, entity: "attachment", id: String(attachment.id ?? 0), changes: changes)
            }
        }
        return AttachmentResponse(attachment, equipment: equipment, timeZone: req.application.config.timeZone)
    }

    /// Deletes an attachment no order line refers to; otherwise marks it `inactive`.
    @Sendable func delete(req: Request) async throws -> Response {
        let attachment = try await load(req)
        let id = attachment.id ?? 0
        let hasHistory = try await OrderReferences.lineExists(ItemType.attachment.rawValue, ids: [id], on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
            let before = Self.auditFields(attachment)
            if hasHistory {
                attachment.status = .inactive
                try await attachment.save(on: db)
                var changes = AuditRecorder.diff(before: before, after: Self.auditFields(attachment))
                changes["reason"] = .string("deleted with history")
                try await audit.record(.update, entity: "attachment", id: String(id), changes: changes)
            } else {
                try await attachment.delete(on: db)
                try await audit.record(
                    .delete, entity: "attachment", id: String(id),
                    changes: AuditRecorder.diff(before: before, after: [:]))
            }
        }
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    func load(_ req: Request) async throws -> Attachment {
        guard
            let attachment = try await Attachment.query(on: req.db).filter(\.$id == (try req.intParameter()))
                .with(\.$equipment).first()
        else { throw APIError.notFound() }
        return attachment
    }

    /// Reads the writable fields into `attachment` and returns its machine.
    private func apply(
        _ input: inout JSONInput, to attachment: Attachment, current: Equipment?, required: Bool, on db: any Database
    ) async throws -> Equipment {
        var equipment = current
        if let id = input.int("equipment", required: required, nullable: false) {
            if let found = try await Equipment.find(id, on: db) {
                equipment = found
                attachment.$equipment.id = id
            } else {
                input.fail("equipment", FieldMessage.missingObject(String(id)))
            }
        }
        if let value = input.string("name", required: required, maxLength: 200, allowBlank: false) {
            attachment.name = value
        }
        if case .value(let value?) = input.scaled("price", nullable: false, maxDigits: 10, scale: 2) {
            attachment.price = value
        }
        if let value = input.choice("status", as: EquipmentStatus.self) { attachment.status = value }
        if let value = input.jsonObject("metadata") { attachment.metadata = JSONValue.object(value).jsonText }
        try input.validate()
        guard let equipment else { throw FieldErrors("equipment", FieldMessage.required) }
        return equipment
    }

    static func auditFields(_ attachment: Attachment) -> [String: JSONValue] {
        [
            "equipment": .number(Decimal(attachment.$equipment.id)), "name": .string(attachment.name),
            "price": StoredJSON.scaled(attachment.price), "status": .string(attachment.statusValue),
            "metadata": StoredJSON.value(attachment.metadata, fallback: .object([:])),
        ]
    }
}
