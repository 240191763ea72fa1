import Domain
import Foundation
import SQLKit

/// The order form's inline «новый клиент»: the client is created just before its order (an active client with the
/// same phone is reused instead), audited once the order is saved, and removed again when the order is refused.
extension ClientService {
    struct NewClient: Sendable {
        var name: String
        var phone: PhoneNumber
        var email: String
        var address: String
    }

    /// The id of the active client with this phone, or of a new one; `created` when a row was inserted.
    func findOrCreate(_ client: NewClient) async throws -> (id: Int, created: Bool) {
        let sql = try db.sql()
        let existing = try await sql.select().column("id").from("clients")
            .where("phone", .equal, client.phone.e164).where("is_active", .equal, true).orderBy("id")
            .first(decoding: IDRow.self)
        if let existing { return (existing.id, false) }
        let now = context.now()
        let row = try await sql.insert(into: "clients")
            .columns("name", "phone", "email", "address", "is_active", "search_text", "created_at", "updated_at")
            .values(
                SQLBind(client.name), SQLBind(client.phone.e164), SQLBind(client.email), SQLBind(client.address),
                SQLBind(true), SQLBind(SearchFilter.text(client.name, client.phone.e164, client.email)),
                SQLBind(now), SQLBind(now)
            )
            .returning("id")
            .first(decoding: IDRow.self)
        guard let row else { throw ClientError.notFound }
        return (row.id, true)
    }

    /// The audit entry of a new client whose order was saved.
    func recordCreated(_ id: Int, _ client: NewClient) async throws {
        try await context.audit().record(
            .create, entity: "client", id: String(id),
            changes: AuditRecorder.created(["name": .string(client.name), "phone": .string(client.phone.e164)]))
    }

    /// Removes a client created for an order that was refused, unless some order uses it after all.
    func removeIfUnused(_ id: Int) async throws {
        let sql = try db.sql()
        let used = try await sql.select().column("id").from("orders").where("client_id", .equal, id).first()
        guard used == nil else { return }
        try await sql.delete(from: "clients").where("id", .equal, id).run()
    }

    private struct IDRow: Decodable { var id: Int }
}
