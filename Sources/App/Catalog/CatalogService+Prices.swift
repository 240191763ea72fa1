import Domain
import Fluent
import Foundation
import Vapor

// Services (with their categories) and materials: the catalog rows priced per unit.
extension CatalogService {
    // MARK: - Services

    /// A service with its category loaded.
    func service(_ id: Int) async throws -> ServiceItem {
        guard let service = try await ServiceItem.query(on: db).filter(\.$id == id).with(\.$category).first()
        else { throw CatalogError.notFound }
        return service
    }

    /// Creates a service; returns it with its category.
    func createService(_ input: ServiceItemInput) async throws -> (ServiceItem, ServiceCategory) {
        let service = ServiceItem(name: "", categoryID: 0)
        let category = try await apply(input, to: service, current: nil, requireAll: true)
        let saved = try await write { db, audit in
            let category = try await Self.saveCategory(category, audit: audit, on: db)
            service.$category.id = category.id ?? 0
            try await service.save(on: db)
            try await audit.record(
                .create, entity: "service", id: String(service.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(service)))
            return category
        }
        return (service, saved)
    }

    func updateService(
        _ id: Int, _ input: ServiceItemInput, requireAll: Bool = false
    ) async throws -> (ServiceItem, ServiceCategory) {
        let service = try await service(id)
        let before = Self.auditFields(service)
        let category = try await apply(input, to: service, current: service.category, requireAll: requireAll)
        let saved = try await write { db, audit in
            let category = try await Self.saveCategory(category, audit: audit, on: db)
            service.$category.id = category.id ?? 0
            try await service.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(service))
            if !changes.isEmpty {
                try await audit.record(.update, entity: "service", id: String(service.id ?? 0), changes: changes)
            }
            return category
        }
        return (service, saved)
    }

    /// Deletes a service no order line refers to; otherwise deactivates it.
    func deleteService(_ id: Int) async throws {
        let service = try await service(id)
        let hasHistory = try await OrderReferences.lineExists(ItemType.service.rawValue, ids: [id], on: db)
        try await write { db, audit in
            let before = Self.auditFields(service)
            if hasHistory {
                service.isActive = false
                try await service.save(on: db)
                var changes = AuditRecorder.diff(before: before, after: Self.auditFields(service))
                changes["reason"] = .string("deleted with history")
                try await audit.record(.update, entity: "service", id: String(id), changes: changes)
            } else {
                try await service.delete(on: db)
                try await audit.record(
                    .delete, entity: "service", id: String(id), changes: AuditRecorder.diff(before: before, after: [:]))
            }
        }
    }

    /// A category's name is unique.
    func createCategory(_ input: ServiceCategoryInput) async throws -> ServiceCategory {
        var check = FieldCheck(input.unreadable)
        var name: String?
        if let given = input.name {
            name = check.text("name", given, maxLength: 200, allowBlank: false)
        } else if check.problems["name"] == nil {
            check.fail("name", FieldMessage.required)
        }
        let description = check.text("description", input.description, maxLength: 10_000) ?? ""
        if let name, try await ServiceCategory.query(on: db).filter(\.$name == name).count() > 0 {
            check.fail("name", "Категория с таким названием уже существует.")
        }
        guard check.isEmpty, let name else { throw CatalogError.invalid(check.problems) }
        let category = ServiceCategory(name: name, description: description, sortOrder: input.sortOrder)
        try await write { db, audit in
            try await category.save(on: db)
            try await audit.record(
                .create, entity: "service_category", id: String(category.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(category)))
        }
        return category
    }

    /// Reads the writable fields into `service` and returns its category: the one named by `category`, the current
    /// one when it is kept, or «Прочее» (possibly not yet saved).
    func apply(
        _ input: ServiceItemInput, to service: ServiceItem, current: ServiceCategory?, requireAll: Bool
    ) async throws -> ServiceCategory {
        var check = FieldCheck(input.unreadable)
        var category = current
        switch input.category {
        case .keep: break
        case .set(nil): category = nil
        case .set(let id?):
            if let found = try await ServiceCategory.find(id, on: db) {
                category = found
            } else {
                check.fail("category_id", FieldMessage.missingObject(String(id)))
            }
        }
        if let value = check.text("name", input.name, required: requireAll, maxLength: 200, allowBlank: false) {
            service.name = value
        }
        if let value = check.text("unit", input.unit, required: false, maxLength: 32, allowBlank: false) {
            service.unit = value
        }
        check.scaled("price", input.price, maxDigits: 10).apply(to: &service.price)
        check.scaled("default_duration", input.defaultDuration, maxDigits: 8).apply(to: &service.defaultDuration)
        if case .set(let items) = input.includedItems { service.includedItems = JSONValue.array(items).jsonText }
        input.isActive.apply(to: &service.isActive)
        guard check.isEmpty else { throw CatalogError.invalid(check.problems) }
        if let category { return category }
        if let fallback = try await ServiceCategory.query(on: db).filter(\.$name == ServiceCategory.fallbackName)
            .first()
        {
            return fallback
        }
        return ServiceCategory(name: ServiceCategory.fallbackName, description: ServiceCategory.fallbackDescription)
    }

    /// Saves a category made on demand («Прочее»), with its own audit entry.
    private static func saveCategory(
        _ category: ServiceCategory, audit: AuditRecorder, on db: any Database
    ) async throws -> ServiceCategory {
        guard category.id == nil else { return category }
        try await category.save(on: db)
        try await audit.record(
            .create, entity: "service_category", id: String(category.id ?? 0),
            changes: AuditRecorder.created(auditFields(category)))
        return category
    }

    static func auditFields(_ service: ServiceItem) -> [String: JSONValue] {
        [
            "name": .string(service.name), "category_id": .number(Decimal(service.$category.id)),
            "unit": .string(service.unit), "price": StoredJSON.scaled(service.price),
            "default_duration": StoredJSON.scaled(service.defaultDuration),
            "included_items": StoredJSON.value(service.includedItems, fallback: .array([])),
            "is_active": .bool(service.isActive),
        ]
    }

    static func auditFields(_ category: ServiceCategory) -> [String: JSONValue] {
        [
            "name": .string(category.name), "description": .string(category.details),
            "sort_order": .number(Decimal(category.sortOrder)),
        ]
    }

    // MARK: - Materials

    func material(_ id: Int) async throws -> MaterialItem {
        guard let material = try await MaterialItem.find(id, on: db) else { throw CatalogError.notFound }
        return material
    }

    func createMaterial(_ input: MaterialInput) async throws -> MaterialItem {
        let material = MaterialItem(name: "", category: .soil, unit: CatalogUnit.materialDefault, price: 0)
        try apply(input, to: material, requireAll: true)
        try await write { db, audit in
            try await material.save(on: db)
            try await audit.record(
                .create, entity: "material", id: String(material.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(material)))
        }
        return material
    }

    func updateMaterial(_ id: Int, _ input: MaterialInput, requireAll: Bool = false) async throws -> MaterialItem {
        let material = try await material(id)
        let before = Self.auditFields(material)
        try apply(input, to: material, requireAll: requireAll)
        try await write { db, audit in
            try await material.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(material))
            if !changes.isEmpty {
                try await audit.record(.update, entity: "material", id: String(material.id ?? 0), changes: changes)
            }
        }
        return material
    }

    /// Deletes a material no order line refers to; otherwise deactivates it.
    func deleteMaterial(_ id: Int) async throws {
        let material = try await material(id)
        let hasHistory = try await OrderReferences.lineExists(ItemType.material.rawValue, ids: [id], on: db)
        try await write { db, audit in
            let before = Self.auditFields(material)
            if hasHistory {
                material.isActive = false
                try await material.save(on: db)
                var changes = AuditRecorder.diff(before: before, after: Self.auditFields(material))
                changes["reason"] = .string("deleted with history")
                try await audit.record(.update, entity: "material", id: String(id), changes: changes)
            } else {
                try await material.delete(on: db)
                try await audit.record(
                    .delete, entity: "material", id: String(id),
                    changes: AuditRecorder.diff(before: before, after: [:]))
            }
        }
    }

    func apply(_ input: MaterialInput, to material: MaterialItem, requireAll: Bool) throws {
        var check = FieldCheck(input.unreadable)
        if let value = check.text("name", input.name, required: requireAll, maxLength: 200, allowBlank: false) {
            material.name = value
        }
        if case .set(let category) = input.category { material.category = category }
        if let value = check.text("unit", input.unit, required: false, maxLength: 32, allowBlank: false) {
            material.unit = value
        }
        check.require("price", input.price, if: requireAll)
        check.scaled("price", input.price, maxDigits: 10).apply(to: &material.price)
        check.scaled("density", input.density, maxDigits: 6).apply(to: &material.density)
        if let value = check.text("supplier", input.supplier, required: false, maxLength: 255) {
            material.supplier = value
        }
        input.isActive.apply(to: &material.isActive)
        guard check.isEmpty else { throw CatalogError.invalid(check.problems) }
    }

    static func auditFields(_ material: MaterialItem) -> [String: JSONValue] {
        [
            "name": .string(material.name), "category": .string(material.categoryValue), "unit": .string(material.unit),
            "price": StoredJSON.scaled(material.price), "density": StoredJSON.scaled(material.density),
            "supplier": .string(material.supplier), "is_active": .bool(material.isActive),
        ]
    }
}
