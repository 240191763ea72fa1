import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/api/v1/clients/…`: customers. Admins, managers and accountants read; admins and managers write.
struct ClientsAPIController {
    static let orderingFields: [String: String] = ["name": "name", "city": "city", "id": "id"]

    @Sendable func list(req: Request) async throws -> Page<ClientResponse> {
        var filters = ListFilters(request: req)
        filters.flag("is_active")
        filters.exact("city")
        filters.search()
        try filters.validate()
        let listing = try await ListPage.load(
            table: Client.schema, filters: filters.expressions,
            ordering: ListPage.ordering(req, table: Client.schema, allowed: Self.orderingFields, fallback: ["name"]),
            for: req)
        let rows = try await Client.query(on: req.db).filter(\.$id ~~ listing.ids).all()
        let timeZone = req.application.config.timeZone
        return listing.page(rows.map { ClientResponse($0, timeZone: timeZone) }, id: \.id)
    }

    @Sendable func show(req: Request) async throws -> ClientResponse {
        ClientResponse(try await req.clients.client(try req.intParameter()), timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let client = try await req.clients.create(ClientInput(json: try JSONInput(request: req)))
        return try await ClientResponse(client, timeZone: req.application.config.timeZone)
            .encodeResponse(status: .created, for: req)
    }

    /// PUT requires the name and the phone; PATCH changes the fields given.
    @Sendable func update(req: Request) async throws -> ClientResponse {
        let id = try req.intParameter()
        let input = ClientInput(json: try JSONInput(request: req))
        let client = try await req.clients.update(id, input, requireAll: req.method == .PUT)
        return ClientResponse(client, timeZone: req.application.config.timeZone)
    }

    /// Deletes a client without history; a client with orders (or other records) is deactivated instead.
    @Sendable func delete(req: Request) async throws -> Response {
        try await req.clients.delete(try req.intParameter())
        return Response(status: .noContent)
    }
}

extension ClientInput {
    /// The fields present in a JSON body; wrong types and malformed numbers are kept in `unreadable`.
    init(json: JSONInput) {
        var json = json
        if let value = json.string("name", maxLength: .max) { name = .set(value) }
        if let value = json.string("contact_person", maxLength: .max) { contactPerson = .set(value) }
        if let value = json.string("phone", maxLength: .max) { phone = .set(value) }
        if let value = json.string("email", maxLength: .max, nullable: true) { email = .set(value) }
        if let value = json.string("address", maxLength: .max) { address = .set(value) }
        if let value = json.string("city", maxLength: .max) { city = .set(value) }
        if case .value(let value) = json.scaled("geo_lat", maxDigits: 9, scale: 6, minimum: -90, maximum: 90) {
            geoLat = .set(value)
        }
        if case .value(let value) = json.scaled("geo_lng", maxDigits: 9, scale: 6, minimum: -180, maximum: 180) {
            geoLng = .set(value)
        }
        if let value = json.jsonObject("billing_details") { billingDetails = .set(value) }
        if let value = json.string("inn", maxLength: .max) { inn = .set(value) }
        if let value = json.string("kpp", maxLength: .max) { kpp = .set(value) }
        if let value = json.string("notes", maxLength: .max) { notes = .set(value) }
        if let value = json.bool("is_active") { isActive = .set(value) }
        if case .value(let value) = json.scaled("credit_limit", maxDigits: 12, scale: 2) { creditLimit = .set(value) }
        unreadable = json.errors
    }
}

/// Whether a client appears in records that must keep pointing at it (orders; finance adds its tables here).
enum ClientHistory {
    static let references: [(table: String, column: String)] = [("orders", "client_id")]

    static func exists(_ clientID: Int, on db: any Database) async throws -> Bool {
        for reference in references {
            if try await OrderReferences.rowExists(
                table: reference.table, column: reference.column, id: clientID, on: db)
            {
                return true
            }
        }
        return false
    }
}
