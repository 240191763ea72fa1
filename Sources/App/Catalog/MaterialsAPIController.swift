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
        let material = try await req.catalog.material(try req.intParameter())
        return MaterialItemResponse(material, timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let material = try await req.catalog.createMaterial(MaterialInput(json: try JSONInput(request: req)))
        return try await MaterialItemResponse(material, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    /// PUT requires every field a create requires; PATCH changes the fields given.
    @Sendable func update(req: Request) async throws -> MaterialItemResponse {
        let id = try req.intParameter()
        let input = MaterialInput(json: try JSONInput(request: req))
        let material = try await req.catalog.updateMaterial(id, input, requireAll: req.method == .PUT)
        return MaterialItemResponse(material, timeZone: req.application.config.timeZone)
    }

    /// Deletes a material no order line refers to; otherwise deactivates it.
    @Sendable func delete(req: Request) async throws -> Response {
        try await req.catalog.deleteMaterial(try req.intParameter())
        return Response(status: .noContent)
    }
}

extension MaterialInput {
    /// The fields present in a JSON body; wrong types, unknown categories and malformed numbers are kept in
    /// `unreadable`.
    init(json: JSONInput) {
        var json = json
        if let value = json.string("name", maxLength: .max) { name = .set(value) }
        if let value = json.choice("category", as: MaterialCategory.self) { category = .set(value) }
        if let value = json.string("unit", maxLength: .max) { unit = .set(value) }
        if case .value(let value?) = json.scaled("price", nullable: false, maxDigits: 10, scale: 2) {
            price = .set(value)
        }
        if case .value(let value) = json.scaled("density", maxDigits: 6, scale: 2) { density = .set(value) }
        if let value = json.string("supplier", maxLength: .max) { supplier = .set(value) }
        if let value = json.bool("is_active") { isActive = .set(value) }
        unreadable = json.errors
    }
}
