import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/services/…` and `/api/v1/service-categories/`: services grouped by category.
struct ServicesAPIController {
    static let orderingFields: [String: String] = ["name": "name", "price": "price", "id": "id"]

    // MARK: - Services

    @Sendable func list(req: Request) async throws -> Page<ServiceItemResponse> {
        var filters = ListFilters(request: req)
        filters.id("category", column: "category_id")
        filters.flag("is_active")
        filters.search()
        try filters.validate()
        let listing = try await ListPage.load(
            table: ServiceItem.schema, filters: filters.expressions,
            ordering: ListPage.ordering(
                req, table: ServiceItem.schema, allowed: Self.orderingFields, fallback: ["name"]),
            for: req)
        let rows = try await ServiceItem.query(on: req.db).filter(\.$id ~~ listing.ids).with(\.$category).all()
        let timeZone = req.application.config.timeZone
        return listing.page(rows.map { ServiceItemResponse($0, category: $0.category, timeZone: timeZone) }, id: \.id)
    }

    @Sendable func show(req: Request) async throws -> ServiceItemResponse {
        let service = try await req.catalog.service(try req.intParameter())
        return ServiceItemResponse(service, category: service.category, timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = ServiceItemInput(json: try JSONInput(request: req))
        let (service, category) = try await req.catalog.createService(input)
        return try await ServiceItemResponse(service, category: category, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    /// PUT requires every field a create requires; PATCH changes the fields given.
    @Sendable func update(req: Request) async throws -> ServiceItemResponse {
        let id = try req.intParameter()
        let input = ServiceItemInput(json: try JSONInput(request: req))
        let (service, category) = try await req.catalog.updateService(id, input, requireAll: req.method == .PUT)
        return ServiceItemResponse(service, category: category, timeZone: req.application.config.timeZone)
    }

    /// Deletes a service no order line refers to; otherwise deactivates it.
    @Sendable func delete(req: Request) async throws -> Response {
        try await req.catalog.deleteService(try req.intParameter())
        return Response(status: .noContent)
    }

    // MARK: - Categories

    @Sendable func listCategories(req: Request) async throws -> Page<ServiceCategoryResponse> {
        let listing = try await ListPage.load(
            table: ServiceCategory.schema, filters: [],
            ordering: ListPage.ordering(
                req, table: ServiceCategory.schema, allowed: ["name": "name", "sort_order": "sort_order", "id": "id"],
                fallback: ["sort_order", "name"]),
            for: req)
        let rows = try await ServiceCategory.query(on: req.db).filter(\.$id ~~ listing.ids).all()
        let timeZone = req.application.config.timeZone
        return listing.page(rows.map { ServiceCategoryResponse($0, timeZone: timeZone) }, id: \.id)
    }

    @Sendable func createCategory(req: Request) async throws -> Response {
        var json = try JSONInput(request: req)
        var input = ServiceCategoryInput()
        input.name = json.string("name", maxLength: .max)
        if let value = json.string("description", maxLength: .max) { input.description = value }
        input.sortOrder = json.int("sort_order", nullable: false, minimum: 0) ?? 0
        input.unreadable = json.errors
        let category = try await req.catalog.createCategory(input)
        return try await ServiceCategoryResponse(category, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }
}

extension ServiceItemInput {
    /// The fields present in a JSON body; wrong types and malformed numbers are kept in `unreadable`.
    init(json: JSONInput) {
        var json = json
        if json.isNull("category_id") {
            category = .set(nil)
        } else if let id = json.int("category_id") {
            category = .set(id)
        }
        if let value = json.string("name", maxLength: .max) { name = .set(value) }
        if let value = json.string("unit", maxLength: .max) { unit = .set(value) }
        if case .value(let value) = json.scaled("price", maxDigits: 10, scale: 2) { price = .set(value) }
        if case .value(let value) = json.scaled("default_duration", maxDigits: 8, scale: 2) {
            defaultDuration = .set(value)
        }
        if let value = json.jsonArray("included_items") { includedItems = .set(value) }
        if let value = json.bool("is_active") { isActive = .set(value) }
        unreadable = json.errors
    }
}
