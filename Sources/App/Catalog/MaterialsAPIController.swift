import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/materials/…`: soil, tools and catalog attachments priced per unit.
///
/// Unlike the original, inactive rows are listed (unless `?is_active=` says otherwise) and readable and
/// editable by id, so a deactivated material can be found and switched back on (docs/original-bugs.md, 7.34).
struct MaterialsAPIController {
    static let orderingFields: [String: String] = ["name": "name", "price": "price", "id": "id"]

    @Sendable func list(req: Request) async throws -> Page<MaterialItemResponse> {
        var filters = ListFilters(request: req)
        filters.flag("is_active")
        filters.choice("category", as: MaterialCategory.self)
        filters.search()
        try filters.validate()
        let listing = try await ListPage.load(
            table: MaterialItem.schema, filters: filters.expressions,
            ordering: ListPage.ordering(
                req, table: MaterialItem.schema, allowed: Self.orderingFields, fallback: ["name"]),
            for: req)
        let rows = try await MaterialItem.query(on: req.db).filter(\.$id ~~ listing.ids).all()
        let timeZone = req.application.config.timeZone
        return listing.page(rows.map { MaterialItemResponse($0, timeZone: timeZone) }, id: \.id)
    }

    @Sendable func show(req: Request) async throws -> MaterialItemResponse {
        MaterialItemResponse(try await load(req), timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await create(try req.jsonObject(), req: req).encodeResponse(status: .created, for: req)
    }

    /// The API's create for a JSON body (shared with the web form); throws 400 with every field problem.
    func create(_ body: [String: JSONValue], req: Request) async throws -> MaterialItemResponse {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let material = MaterialItem(name: "", category: .soil, unit: "m3", price: 0)
        try apply(&input, to: material, required: true)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await material.save(on: db)
            try await AuditRecorder(request: req, db: db).record(
                .create, entity: "material", id: String(material.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(material)))
        }
        return MaterialItemResponse(material, timeZone: req.application.config.timeZone)
    }

    @Sendable func update(req: Request) async throws -> MaterialItemResponse {
        let material = try await load(req)
        return try await update(material, body: try req.jsonObject(), isPut: req.method == .PUT, req: req)
    }

    /// The API's update (PUT when `isPut`, else PATCH) for a JSON body, shared with the web form.
    func update(_ material: MaterialItem, body: [String: JSONValue], isPut: Bool, req: Request) async throws -> MaterialItemResponse {
        let before = Self.auditFields(material)
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        try apply(&input, to: material, required: isPut)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await material.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(material))
            if !changes.isEmpty {
                try await AuditRecorder(request: req, db: db).record(
                    .update, entity: "material", id: String(material.id ?? 0), changes: changes)
            }
        }
        return MaterialItemResponse(material, timeZone: req.application.config.timeZone)
    }

    /// Deletes a material no order line refers to; otherwise deactivates it.
    @Sendable func delete(req: Request) async throws -> Response {
        let material = try await load(req)
        let id = material.id ?? 0
        let hasHistory = try await OrderReferences.lineExists(ItemType.material.rawValue, ids: [id], on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
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
                    .delete, entity: "material", id: String(id), changes: AuditRecorder.diff(before: before, after: [:])
                )
            }
        }
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    func load(_ req: Request) async throws -> MaterialItem {
        guard let material = try await MaterialItem.find(try req.intParameter(), on: req.db) else {
            throw APIError.notFound()
        }
        return material
    }

    private func apply(_ input: inout JSONInput, to material: MaterialItem, required: Bool) throws {
        if let value = input.string("name", required: required, maxLength: 200, allowBlank: false) {
            material.name = value
        }
        if let value = input.choice("category", as: MaterialCategory.self) { material.category = value }
        if let value = input.string("unit", maxLength: 32, allowBlank: false) { material.unit = value }
        if case .value(let value?) = input.scaled("price", required: required, nullable: false, maxDigits: 10, scale: 2)
        {
            material.price = value
        }
        if case .value(let value) = input.scaled("density", maxDigits: 6, scale: 2) { material.density = value }
        if let value = input.string("supplier", maxLength: 255) { material.supplier = value }
        if let value = input.bool("is_active") { material.isActive = value }
        try input.validate()
    }

    static func auditFields(_ material: MaterialItem) -> [String: JSONValue] {
        [
            "name": .string(material.name), "category": .string(material.categoryValue), "unit": .string(material.unit),
            "price": StoredJSON.scaled(material.price), "density": StoredJSON.scaled(material.density),
            "supplier": .string(material.supplier), "is_active": .bool(material.isActive),
        ]
    }
}
