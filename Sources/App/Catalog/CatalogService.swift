import Domain
import Fluent
import Foundation
import Vapor

/// The catalog: equipment, services and their categories, materials, attachments. Reading is open to every
/// signed-in role, writing to admins and managers (route groups in `CatalogRoutes.swift`). Every write is
/// serialised, audited, and a delete with history only deactivates the row, so orders keep pointing at it.
struct CatalogService {
    let context: ServiceContext

    var db: any Database { context.db }

    /// Runs `work` as one serialised transaction with an audit recorder on it.
    func write<T: Sendable>(
        _ work: @escaping @Sendable (any Database, AuditRecorder) async throws -> T
    ) async throws -> T {
        let context = context
        return try await context.writes.transaction(on: context.db) { db in
            try await work(db, context.audit(on: db))
        }
    }

    // MARK: - Equipment

    func equipment(_ id: Int) async throws -> Equipment {
        guard let equipment = try await Equipment.find(id, on: db) else { throw CatalogError.notFound }
        return equipment
    }

    func createEquipment(_ input: EquipmentInput) async throws -> Equipment {
        let equipment = Equipment(code: "", name: "", hourlyRate: 0)
        try await apply(input, to: equipment, requireAll: true)
        try await write { db, audit in
            try await equipment.save(on: db)
            try await audit.record(
                .create, entity: "equipment", id: String(equipment.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(equipment)))
        }
        return equipment
    }

    /// Changes a machine; `requireAll` (PUT) requires every field a create requires.
    func updateEquipment(_ id: Int, _ input: EquipmentInput, requireAll: Bool = false) async throws -> Equipment {
        let equipment = try await equipment(id)
        let before = Self.auditFields(equipment)
        try await apply(input, to: equipment, requireAll: requireAll)
        let renamed = before["code"] != .string(equipment.code) || before["name"] != .string(equipment.name)
        try await write { db, audit in
            try await equipment.save(on: db)
            if renamed { try await Self.refreshAttachmentSearch(of: equipment, on: db) }
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(equipment))
            if !changes.isEmpty {
                try await audit.record(.update, entity: "equipment", id: String(equipment.id ?? 0), changes: changes)
            }
        }
        return equipment
    }

    /// Deletes a machine (and its attachments) that no order, expense or booking refers to;
    /// otherwise marks it `inactive`, so history keeps pointing at it.
    func deleteEquipment(_ id: Int) async throws {
        let equipment = try await equipment(id)
        let attachmentIDs = try await Attachment.query(on: db).filter(\.$equipment.$id == id).all(\.$id)
        var hasHistory = try await OrderReferences.lineExists(ItemType.equipment.rawValue, ids: [id], on: db)
        if !hasHistory {
            hasHistory = try await OrderReferences.lineExists(ItemType.attachment.rawValue, ids: attachmentIDs, on: db)
        }
        if !hasHistory {
            hasHistory = try await OrderReferences.rowExists(table: "expenses", column: "equipment_id", id: id, on: db)
        }
        let deactivate = hasHistory
        try await write { db, audit in
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
    }

    /// A machine's code is unique; names and codes must not be blank.
    func apply(_ input: EquipmentInput, to equipment: Equipment, requireAll: Bool) async throws {
        var check = FieldCheck(input.unreadable)
        if let value = check.text("code", input.code, required: requireAll, maxLength: 50, allowBlank: false) {
            equipment.code = value
            let sameCode = try await Equipment.query(on: db).filter(\.$code == value).all()
            if sameCode.contains(where: { $0.id != equipment.id }) {
                check.fail("code", "Техника с таким кодом уже существует.")
            }
        }
        if let value = check.text("name", input.name, required: requireAll, maxLength: 255, allowBlank: false) {
            equipment.name = value
        }
        if let value = check.text("description", input.description, required: false, maxLength: 10_000) {
            equipment.details = value
        }
        check.require("hourly_rate", input.hourlyRate, if: requireAll)
        check.scaled("hourly_rate", input.hourlyRate, maxDigits: 10).apply(to: &equipment.hourlyRate)
        check.scaled("daily_rate", input.dailyRate, maxDigits: 10).apply(to: &equipment.dailyRate)
        check.scaled("fuel_consumption", input.fuelConsumption, maxDigits: 6).apply(to: &equipment.fuelConsumption)
        if case .set(let status) = input.status { equipment.status = status }
        if case .set(let photos) = input.photos { equipment.photos = JSONValue.array(photos).jsonText }
        input.lastMaintenanceDate.apply(to: &equipment.lastMaintenanceDate)
        if case .set(let attributes) = input.attributes { equipment.attributes = JSONValue.object(attributes).jsonText }
        guard check.isEmpty else { throw CatalogError.invalid(check.problems) }
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

    // MARK: - Attachments

    /// An attachment with its machine loaded.
    func attachment(_ id: Int) async throws -> Attachment {
        guard let attachment = try await Attachment.query(on: db).filter(\.$id == id).with(\.$equipment).first()
        else { throw CatalogError.notFound }
        return attachment
    }

    /// Creates an attachment; returns it with its machine.
    func createAttachment(_ input: AttachmentInput) async throws -> (Attachment, Equipment) {
        let attachment = Attachment(name: "", equipmentID: 0)
        let equipment = try await apply(input, to: attachment, current: nil, requireAll: true)
        try await write { db, audit in
            try await attachment.save(on: db)
            try await audit.record(
                .create, entity: "attachment", id: String(attachment.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(attachment)))
        }
        return (attachment, equipment)
    }

    func updateAttachment(
        _ id: Int, _ input: AttachmentInput, requireAll: Bool = false
    ) async throws -> (Attachment, Equipment) {
        let attachment = try await attachment(id)
        let before = Self.auditFields(attachment)
        let equipment = try await apply(input, to: attachment, current: attachment.equipment, requireAll: requireAll)
        try await write { db, audit in
            try await attachment.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(attachment))
            if !changes.isEmpty {
                try await audit.record(.update, entity: "attachment", id: String(attachment.id ?? 0), changes: changes)
            }
        }
        return (attachment, equipment)
    }

    /// Deletes an attachment no order line refers to; otherwise marks it `inactive`.
    func deleteAttachment(_ id: Int) async throws {
        let attachment = try await attachment(id)
        let hasHistory = try await OrderReferences.lineExists(ItemType.attachment.rawValue, ids: [id], on: db)
        try await write { db, audit in
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
    }

    /// An attachment hangs on an existing machine.
    private func apply(
        _ input: AttachmentInput, to attachment: Attachment, current: Equipment?, requireAll: Bool
    ) async throws -> Equipment {
        var check = FieldCheck(input.unreadable)
        var equipment = current
        check.require("equipment", input.equipment, if: requireAll)
        if case .set(let id) = input.equipment {
            if let found = try await Equipment.find(id, on: db) {
                equipment = found
                attachment.$equipment.id = id
            } else {
                check.fail("equipment", FieldMessage.missingObject(String(id)))
            }
        }
        if let value = check.text("name", input.name, required: requireAll, maxLength: 200, allowBlank: false) {
            attachment.name = value
        }
        check.scaled("price", input.price, maxDigits: 10).apply(to: &attachment.price)
        if case .set(let status) = input.status { attachment.status = status }
        if case .set(let metadata) = input.metadata { attachment.metadata = JSONValue.object(metadata).jsonText }
        guard check.isEmpty else { throw CatalogError.invalid(check.problems) }
        guard let equipment else { throw CatalogError.invalid(["equipment": [FieldMessage.required]]) }
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

extension Request {
    /// The catalog, as the signed-in caller.
    var catalog: CatalogService { get throws { CatalogService(context: try services) } }
}
