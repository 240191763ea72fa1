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
        ClientResponse(try await load(req), timeZone: req.application.config.timeZone)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try await create(try req.jsonObject(), req: req).encodeResponse(status: .created, for: req)
    }

    /// The API's create for a JSON body (shared with the web form); throws 400 with every field problem.
    func create(_ body: [String: JSONValue], req: Request) async throws -> ClientResponse {
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        let client = Client(name: "", phone: "")
        try apply(&input, to: client, required: true)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await client.save(on: db)
            try await AuditRecorder(request: req, db: db).record(
                .create, entity: "client", id: String(client.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(client)))
        }
        return ClientResponse(client, timeZone: req.application.config.timeZone)
    }

    @Sendable func update(req: Request) async throws -> ClientResponse {
        let client = try await load(req)
        return try await update(client, body: try req.jsonObject(), isPut: req.method == .PUT, req: req)
    }

    /// The API's update (PUT when `isPut`, else PATCH) for a JSON body, shared with the web form.
    func update(_ client: Client, body: [String: JSONValue], isPut: Bool, req: Request) async throws -> ClientResponse {
        let before = Self.auditFields(client)
        var input = JSONInput(body, timeZone: req.application.config.timeZone)
        try apply(&input, to: client, required: isPut)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            try await client.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(client))
            if !changes.isEmpty {
                try await AuditRecorder(request: req, db: db).record(
                    .update, entity: "client", id: String(client.id ?? 0), changes: changes)
            }
        }
        return ClientResponse(client, timeZone: req.application.config.timeZone)
    }

    /// Deletes a client without history; a client with orders (or other records) is deactivated instead.
    @Sendable func delete(req: Request) async throws -> Response {
        let client = try await load(req)
        let id = client.id ?? 0
        let hasHistory = try await ClientHistory.exists(id, on: req.db)
        try await req.application.writeSerializer.transaction(on: req.db) { db in
            let audit = AuditRecorder(request: req, db: db)
            let before = Self.auditFields(client)
            if hasHistory {
                client.isActive = false
                try await client.save(on: db)
                var changes = AuditRecorder.diff(before: before, after: Self.auditFields(client))
                changes["reason"] = .string("deleted with history")
                try await audit.record(.update, entity: "client", id: String(id), changes: changes)
            } else {
                try await client.delete(on: db)
                try await audit.record(
                    .delete, entity: "client", id: String(id), changes: AuditRecorder.diff(before: before, after: [:]))
            }
        }
        return Response(status: .noContent)
    }

    // MARK: - Helpers

    func load(_ req: Request) async throws -> Client {
        guard let client = try await Client.find(try req.intParameter(), on: req.db) else { throw APIError.notFound() }
        return client
    }

    private func apply(_ input: inout JSONInput, to client: Client, required: Bool) throws {
        if let value = input.string("name", required: required, maxLength: 255, allowBlank: false) {
            client.name = value
        }
        if let value = input.string("contact_person", maxLength: 255) { client.contactPerson = value }
        if let phone = input.phone("phone", required: required) { client.phone = phone.e164 }
        if let value = input.email("email") { client.email = value }
        if let value = input.string("address", maxLength: 500) { client.address = value }
        if let value = input.string("city", maxLength: 120) { client.city = value }
        if case .value(let value) = input.scaled("geo_lat", maxDigits: 9, scale: 6, minimum: -90, maximum: 90) {
            client.geoLat = value
        }
        if case .value(let value) = input.scaled("geo_lng", maxDigits: 9, scale: 6, minimum: -180, maximum: 180) {
            client.geoLng = value
        }
        if let value = input.jsonObject("billing_details") { client.billingDetails = JSONValue.object(value).jsonText }
        if let value = input.string("inn", maxLength: 20) {
            if value.isEmpty || TaxID.isINN(value) { client.inn = value } else { input.fail("inn", TaxID.innMessage) }
        }
        if let value = input.string("kpp", maxLength: 20) {
            if value.isEmpty || TaxID.isKPP(value) { client.kpp = value } else { input.fail("kpp", TaxID.kppMessage) }
        }
        if let value = input.string("notes", maxLength: 10_000) { client.notes = value }
        if let value = input.bool("is_active") { client.isActive = value }
        if case .value(let value) = input.scaled("credit_limit", maxDigits: 12, scale: 2) { client.creditLimit = value }
        try input.validate()
    }

    static func auditFields(_ client: Client) -> [String: JSONValue] {
        [
            "name": .string(client.name), "contact_person": .string(client.contactPerson),
            "phone": .string(client.phone),
            "email": .string(client.email), "address": .string(client.address), "city": .string(client.city),
            "geo_lat": StoredJSON.scaled(client.geoLat, scale: 6),
            "geo_lng": StoredJSON.scaled(client.geoLng, scale: 6),
            "billing_details": StoredJSON.value(client.billingDetails, fallback: .object([:])),
            "inn": .string(client.inn), "kpp": .string(client.kpp), "notes": .string(client.notes),
            "is_active": .bool(client.isActive), "credit_limit": StoredJSON.scaled(client.creditLimit),
        ]
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
