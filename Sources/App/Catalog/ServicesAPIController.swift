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
        let service = try await load(req)
        return ServiceItemResponse(service, category: service.category, timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await create(try req.jsonObject(), req: req).encodeResponse(status: .created, for: req)
    }

    /// The API's create for a JSON body (shared with the web form); throws 400 with every field problem.
    func create(_ body: [String: JSONValue], req: Request) async throws -> ServiceItemResponse {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let service = ServiceItem(name: "", categoryID: 0)
        let category = try await apply(&input, to: service, current: nil, required: true, on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
            let category = try await Self.saveCategory(category, audit: audit, on: db)
            service.$category.id = category.id ?? 0
            try await service.save(on: db)
            try await audit.record(
                .create, entity: "service", id: String(service.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(service)))
        }
        return ServiceItemResponse(service, category: category, timeZone: req.application.config.timeZone)
    }

    @Sendable func update(req: Request) async throws -> ServiceItemResponse {
        let service = try await load(req)
        return try await update(service, body: try req.jsonObject(), isPut: req.method == .PUT, req: req)
    }

    /// The API's update (PUT when `isPut`, else PATCH) for a JSON body, shared with the web form.
    func update(_ service: ServiceItem, body: [String: JSONValue], isPut: Bool, req: Request) async throws -> ServiceItemResponse {
        let before = Self.auditFields(service)
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let category = try await apply(
            &input, to: service, current: service.category, required: isPut, on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
            let category = try await Self.saveCategory(category, audit: audit, on: db)
            service.$category.id = category.id ?? 0
            try await service.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(service))
            if !changes.isEmpty {
                try await audit.record(.update, entity: "service", id: String(service.id ?? 0), changes: changes)
            }
        }
        return ServiceItemResponse(service, category: category, timeZone: req.application.config.timeZone)
    }

    /// Deletes a service no order line refers to; otherwise deactivates it.
    @Sendable func delete(req: Request) async throws -> Response {
        let service = try await load(req)
        let id = service.id ?? 0
        let hasHistory = try await OrderReferences.lineExists(ItemType.service.rawValue, ids: [id], on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
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
        var input = try JSONInput(request: req)
        let name = input.string("name", required: true, maxLength: 200, allowBlank: false)
        let description = input.string("description", maxLength: 10_000) ?? ""
        let sortOrder = input.int("sort_order", nullable: false, minimum: 0) ?? 0
        if let name, try await ServiceCategory.query(on: req.db).filter(\.$name == name).count() > 0 {
            input.fail("name", "Категория с таким названием уже существует.")
        }
        try input.validate()
        guard let name else { throw APIError.badRequest("Некорректные данные") }
        let category = ServiceCategory(name: name, description: description, sortOrder: sortOrder)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await category.save(on: db)
            try await AuditRecorder(request: req, db: db).record(
                .create, entity: "service_category", id: String(category.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(category)))
        }
        return try await ServiceCategoryResponse(category, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    // MARK: - Helpers

    func load(_ req: Request) async throws -> ServiceItem {
        guard
            let service = try await ServiceItem.query(on: req.db).filter(\.$id == (try req.intParameter()))
                .with(\.$category).first()
        else { throw APIError.notFound() }
        return service
    }

    /// Reads the writable fields into `service` and returns its category: the one named by `category_id`,
    /// the current one when `category_id` is left out of an update, or «Прочее» (possibly not yet saved).
    private func apply(
        _ input: inout JSONInput, to service: ServiceItem, current: ServiceCategory?, required: Bool,
        on db: any Database
    ) async throws -> ServiceCategory {
        var category = current
        if input.has("category_id") {
            if input.isNull("category_id") {
                category = nil
            } else if let id = input.int("category_id") {
                if let found = try await ServiceCategory.find(id, on: db) {
                    category = found
                } else {
                    input.fail("category_id", FieldMessage.missingObject(String(id)))
                }
            }
        }
        if let value = input.string("name", required: required, maxLength: 200, allowBlank: false) {
            service.name = value
        }
        if let value = input.string("unit", maxLength: 32, allowBlank: false) { service.unit = value }
        if case .value(let value) = input.scaled("price", maxDigits: 10, scale: 2) { service.price = value }
        if case .value(let value) = input.scaled("default_duration", maxDigits: 8, scale: 2) {
            service.defaultDuration = value
        }
        if let value = input.jsonArray("included_items") { service.includedItems = JSONValue.array(value).jsonText }
        if let value = input.bool("is_active") { service.isActive = value }
        try input.validate()
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
}
