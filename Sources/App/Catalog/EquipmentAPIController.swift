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
        let equipment = try await req.catalog.equipment(try req.intParameter())
        return EquipmentResponse(equipment, timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = EquipmentInput(json: try JSONInput(request: req))
        let equipment = try await req.catalog.createEquipment(input)
        return try await EquipmentResponse(equipment, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    /// PUT requires every field a create requires; PATCH changes the fields given.
    @Sendable func update(req: Request) async throws -> EquipmentResponse {
        let id = try req.intParameter()
        let input = EquipmentInput(json: try JSONInput(request: req))
        let equipment = try await req.catalog.updateEquipment(id, input, requireAll: req.method == .PUT)
        return EquipmentResponse(equipment, timeZone: req.application.config.timeZone)
    }

    /// Deletes a machine without history; one with history is only marked `inactive`.
    @Sendable func delete(req: Request) async throws -> Response {
        try await req.catalog.deleteEquipment(try req.intParameter())
        return Response(status: .noContent)
    }
}

extension EquipmentInput {
    /// The fields present in a JSON body; wrong types and malformed numbers are kept in `unreadable`.
    init(json: JSONInput) {
        var json = json
        if let value = json.string("code", maxLength: .max) { code = .set(value) }
        if let value = json.string("name", maxLength: .max) { name = .set(value) }
        if let value = json.string("description", maxLength: .max) { description = .set(value) }
        if case .value(let value?) = json.scaled("hourly_rate", nullable: false, maxDigits: 10, scale: 2) {
            hourlyRate = .set(value)
        }
        if case .value(let value) = json.scaled("daily_rate", maxDigits: 10, scale: 2) { dailyRate = .set(value) }
        if case .value(let value) = json.scaled("fuel_consumption", maxDigits: 6, scale: 2) {
            fuelConsumption = .set(value)
        }
        if let value = json.choice("status", as: EquipmentStatus.self) { status = .set(value) }
        if let value = json.jsonArray("photos", stringsOnly: true) { photos = .set(value) }
        if json.isNull("last_maintenance_date") {
            lastMaintenanceDate = .set(nil)
        } else if let value = json.day("last_maintenance_date") {
            lastMaintenanceDate = .set(value)
        }
        if let value = json.jsonObject("attributes") { attributes = .set(value) }
        unreadable = json.errors
    }
}
