import Domain
import Fluent
import Foundation
import Vapor

/// A client as the service accepts it. Coordinates in millionths of a degree, the credit limit in kopecks.
/// The API reads it from JSON (`ClientsAPIController`), the web from the client form (`ClientsWebController`).
struct ClientInput: Sendable {
    var name: Patch<String> = .keep
    var contactPerson: Patch<String> = .keep
    /// As typed; the service checks and normalises it to E.164.
    var phone: Patch<String> = .keep
    var email: Patch<String> = .keep
    var address: Patch<String> = .keep
    var city: Patch<String> = .keep
    var geoLat: Patch<Int64?> = .keep
    var geoLng: Patch<Int64?> = .keep
    var billingDetails: Patch<[String: JSONValue]> = .keep
    var inn: Patch<String> = .keep
    var kpp: Patch<String> = .keep
    var notes: Patch<String> = .keep
    var isActive: Patch<Bool> = .keep
    var creditLimit: Patch<Int64?> = .keep
    /// Problems the edge found while reading the input, reported with the service's own.
    var unreadable: [String: [String]] = [:]
}

/// What the client service refuses.
enum ClientError: APIMappedError {
    case notFound
    case invalid([String: [String]])

    var apiError: any Error {
        switch self {
        case .notFound: APIError.notFound()
        case .invalid(let problems): FieldErrors(problems)
        }
    }
}

/// Customers. Admins, managers and accountants read; admins and managers write (`CatalogRoutes.swift`).
/// A client with orders is never deleted, only deactivated.
struct ClientService {
    let context: ServiceContext

    var db: any Database { context.db }

    func client(_ id: Int) async throws -> Client {
        guard let client = try await Client.find(id, on: db) else { throw ClientError.notFound }
        return client
    }

    /// The active clients matching the search (all of them for ""), by name, at most 500.
    func activeClients(matching q: String = "") async throws -> [ClientQueries.ListRow] {
        try await ClientQueries.activeList(q: q, on: try db.sql())
    }

    func create(_ input: ClientInput) async throws -> Client {
        let client = Client(name: "", phone: "")
        try apply(input, to: client, requireAll: true)
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            try await client.save(on: db)
            try await context.audit(on: db).record(
                .create, entity: "client", id: String(client.id ?? 0),
                changes: AuditRecorder.created(Self.auditFields(client)))
        }
        return client
    }

    /// Changes a client; `requireAll` (PUT) requires the name and the phone.
    func update(_ id: Int, _ input: ClientInput, requireAll: Bool = false) async throws -> Client {
        let client = try await client(id)
        let before = Self.auditFields(client)
        try apply(input, to: client, requireAll: requireAll)
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            try await client.save(on: db)
            let changes = AuditRecorder.diff(before: before, after: Self.auditFields(client))
            if !changes.isEmpty {
                try await context.audit(on: db).record(
                    .update, entity: "client", id: String(client.id ?? 0), changes: changes)
            }
        }
        return client
    }

    /// Deletes a client without history; a client with orders (or other records) is deactivated instead.
    func delete(_ id: Int) async throws {
        let client = try await client(id)
        let hasHistory = try await ClientHistory.exists(id, on: db)
        let context = context
        try await context.writes.transaction(on: context.db) { db in
            let audit = context.audit(on: db)
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
    }

    /// A client needs a name and a valid phone; ИНН and КПП, when given, have the right shape.
    func apply(_ input: ClientInput, to client: Client, requireAll: Bool) throws {
        var check = FieldCheck(input.unreadable)
        if let value = check.text("name", input.name, required: requireAll, maxLength: 255, allowBlank: false) {
            client.name = value
        }
        if let value = check.text("contact_person", input.contactPerson, required: false, maxLength: 255) {
            client.contactPerson = value
        }
        check.require("phone", input.phone, if: requireAll)
        if case .set(let text) = input.phone, let phone = check.phone("phone", text) { client.phone = phone.e164 }
        if case .set(let text) = input.email, let email = check.email("email", text) { client.email = email }
        if let value = check.text("address", input.address, required: false, maxLength: 500) { client.address = value }
        if let value = check.text("city", input.city, required: false, maxLength: 120) { client.city = value }
        check.coordinate("geo_lat", input.geoLat, limit: 90).apply(to: &client.geoLat)
        check.coordinate("geo_lng", input.geoLng, limit: 180).apply(to: &client.geoLng)
        if case .set(let details) = input.billingDetails { client.billingDetails = JSONValue.object(details).jsonText }
        if let value = check.text("inn", input.inn, required: false, maxLength: 20) {
            if value.isEmpty || TaxID.isINN(value) { client.inn = value } else { check.fail("inn", TaxID.innMessage) }
        }
        if let value = check.text("kpp", input.kpp, required: false, maxLength: 20) {
            if value.isEmpty || TaxID.isKPP(value) { client.kpp = value } else { check.fail("kpp", TaxID.kppMessage) }
        }
        if let value = check.text("notes", input.notes, required: false, maxLength: 10_000) { client.notes = value }
        input.isActive.apply(to: &client.isActive)
        check.scaled("credit_limit", input.creditLimit, maxDigits: 12).apply(to: &client.creditLimit)
        guard check.isEmpty else { throw ClientError.invalid(check.problems) }
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

extension FieldCheck {
    /// Degrees in millionths, within ±`limit`.
    fileprivate mutating func coordinate(_ key: String, _ patch: Patch<Int64?>, limit: Int64) -> Patch<Int64?> {
        guard case .set(let value?) = patch else { return patch }
        if value < -limit * 1_000_000 {
            fail(key, FieldMessage.minValue(String(-limit)))
            return .keep
        }
        if value > limit * 1_000_000 {
            fail(key, FieldMessage.maxValue(String(limit)))
            return .keep
        }
        return patch
    }
}

extension Request {
    /// Clients, as the signed-in caller.
    var clients: ClientService { get throws { ClientService(context: try services) } }
}
