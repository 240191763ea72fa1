import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/equipment/…`: the fleet. Reading is open to every signed-in role; writing to admins and managers.
struct EquipmentAPIController {
    static let orderingFields: [String: String] = [
        "name": "name", "code": "code", "hourly_rate": "hourly_rate", "status": "status", "id": "id",
    ]

    @Sendable func list(req: Request) async throws -> Page<EquipmentResponse> {
        var filters = ListFilters(request: req)
        filters.choice("status", as: EquipmentStatus.self)
        filters.search()
        try filters.validate()
        let listing = try await ListPage.load(
            table: Equipment.schema, filters: filters.expressions,
            ordering: ListPage.ordering(req, table: Equipment.schema, allowed: Self.orderingFields, fallback: ["code"]),
            for: req)
        let rows = try await Equipment.query(on: req.db).filter(\.$id ~~ listing.ids).all()
        let timeZone = req.application.config.timeZone
        return listing.page(rows.map { EquipmentResponse($0, timeZone: timeZone) }, id: \.id)
    }

    @Sendable func show(req: Request) async throws -> EquipmentResponse {
        EquipmentResponse(try await load(req), timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await create(try req.jsonObject(), req: req).encodeResponse(status: .created, for: req)
    }

    /// The API's create for a JSON body (shared with the web form); throws 400 with every field problem.
    func create(_ body: [String: JSONValue], req: Request) async throws -> EquipmentResponse {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let equipment = Equipment(code: "", name: "", hourlyRate: 0)
        try await apply(&input, to: equipment, required: true, on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await equipment.save(on: db)
            try await AuditRecorder(request: req, db: db).record(
                .create, entity: "equipment", id: String(equipment.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(equipment)))
        }
        return EquipmentResponse(equipment, timeZone: req.application.config.timeZone)
    }

    @Sendable func update(req: Request) async throws -> EquipmentResponse {
        let equipment = try await load(req)
        return try await update(equipment, body: try req.jsonObject(), isPut: req.method == .PUT, req: req)
    }

    /// The API's update (PUT when `isPut`, else PATCH) for a JSON body, shared with the web form.
    func update(_ equipment: Equipment, body: [String: JSONValue], isPut: Bool, req: Request) async throws -> EquipmentResponse {
        let before = Self.auditFields(equipment)
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        try await apply(&input, to: equipment, required: isPut, on: req.db)
        let renamed = before["code"] != .string(equipment.code) || before["name"] != .string(equipment.name)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await equipment.save(on: db)
            if renamed { try await Self.refreshAttachmentSearch(of: equipment, on: db) }
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(equipment))
            if !changes.isEmpty {
                try await AuditRecorder(request: req, db: db).record(
                    .update, entity: "equipment", id: String(equipment.id ?? 0), changes: changes)
            }
        }
        return EquipmentResponse(equipment, timeZone: req.application.config.timeZone)
    }

    /// Deletes a machine (and its attachments) that no order, expense or booking refers to;
    /// otherwise marks it `inactive`, so history keeps pointing at it.
    @Sendable func delete(req: Request) async throws -> Response {
        let equipment = try await load(req)
        let id = equipment.id ?? 0
        let attachmentIDs = try await Attachment.query(on: req.db).filter(\.$equipment.$id == id).all(\.$id)
        var hasHistory = try await OrderReferences.lineExists(ItemType.equipment.rawValue, ids: [id], on: req.db)
        if !hasHistory {
            hasHistory = try await OrderReferences.lineExists(
                ItemType.attachment.rawValue, ids: attachmentIDs, on: req.db)
        }
        if !hasHistory {
            hasHistory = try await OrderReferences.rowExists(
                table: "expenses", column: "equipment_id", id: id, on: req.db)
        }
        let deactivate = hasHistory
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
            if deactivate {
                let before = Self.auditFields(equipment)
                equipment.status = .inactive
                try await equipment.save(on: db)
                var changes = AuditRecorder.diff(before: before, after: Self.auditFields(equipment))
                changes["reason"] = .string("deleted with history")
                try await audit.record(.update, entity: "equipment", id: String(id), changes: changes)
            } else {
                try await equipment.delete(on: db)
                var changes = AuditRecorder.diff(before: Self.auditFields(equipment), after: [:])
                if !attachmentIDs.isEmpty {
                    changes["attachments_deleted"] = .array(attachmentIDs.map { .number(Decimal($0)) })
                }
                try await audit.record(.delete, entity: "equipment", id: String(id), changes: changes)
            }
        }
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    func load(_ req: Request) async throws -> Equipment {
        guard let equipment = try await Equipment.find(try req.intParameter(), on: req.db) else {
            throw APIError.notFound()
        }
        return equipment
    }

    /// Reads the writable fields into `equipment`; throws 400 with every problem found.
    private func apply(_ input: inout JSONInput, to equipment: Equipment, required: Bool, on db: any Database)
        async throws
    {
        if let value = input.string("code", required: required, maxLength: 50, allowBlank: false) {
            equipment.code = value
            let sameCode = try await Equipment.query(on: db).filter(\.$code == value).all()
            if sameCode.contains(where: { $0.id != equipment.id }) {
                input.fail("code", "Техника с таким кодом уже существует.")
            }
        }
        if let value = input.string("name", required: required, maxLength: 255, allowBlank: false) {
            equipment.name = value
        }
        if let value = input.string("description", maxLength: 10_000) { equipment.details = value }
        if case .value(let value?) = input.scaled(
            "hourly_rate", required: required, nullable: false, maxDigits: 10, scale: 2)
        {
            equipment.hourlyRate = value
        }
        if case .value(let value) = input.scaled("daily_rate", maxDigits: 10, scale: 2) { equipment.dailyRate = value }
        if case .value(let value) = input.scaled("fuel_consumption", maxDigits: 6, scale: 2) {
            equipment.fuelConsumption = value
        }
        if let value = input.choice("status", as: EquipmentStatus.self) { equipment.status = value }
        if let value = input.jsonArray("photos", stringsOnly: true) {
            equipment.photos = JSONValue.array(value).jsonText
        }
        if input.isNull("last_maintenance_date") {
            equipment.lastMaintenanceDate = nil
        } else if let value = input.day("last_maintenance_date") {
            equipment.lastMaintenanceDate = value
        }
        if let value = input.jsonObject("attributes") { equipment.attributes = JSONValue.object(value).jsonText }
        try input.validate()
    }

    /// Attachments are searched by their machine's code and name too.
    private static func refreshAttachmentSearch(of equipment: Equipment, on db: any Database) async throws {
        let attachments = try await Attachment.query(on: db).filter(\.$equipment.$id == (equipment.id ?? 0)).all()
        for attachment in attachments {
            attachment.searchText = Attachment.searchText(name: attachment.name, equipment: equipment)
            try await attachment.save(on: db)
        }
    }

    static func auditFields(_ equipment: Equipment) -> [String: JSONValue] {
        [
            "code": .string(equipment.code), "name": .string(equipment.name), "description": .string(equipment.details),
            "hourly_rate": StoredJSON.scaled(equipment.hourlyRate),
            "daily_rate": StoredJSON.scaled(equipment.dailyRate),
            "fuel_consumption": StoredJSON.scaled(equipment.fuelConsumption), "status": .string(equipment.statusValue),
            "photos": StoredJSON.value(equipment.photos, fallback: .array([])),
            "last_maintenance_date": equipment.lastMaintenanceDate.map(JSONValue.string) ?? .null,
            "attributes": StoredJSON.value(equipment.attributes, fallback: .object([:])),
        ]
    }
}
