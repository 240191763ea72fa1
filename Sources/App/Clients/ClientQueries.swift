import Foundation
import SQLKit
import WebUI

/// The client list of the web UI: active clients matching a search, by name.
enum ClientQueries {
    struct ListRow: Decodable {
        var id: Int
        var name: String
        var contact_person: String
        var phone: String
        var email: String
        var address: String

        var listRow: ClientListModel.Row {
            ClientListModel.Row(
                id: String(id), name: name, contactPerson: contact_person, phone: phone, email: email,
                address: address)
        }
    }

    static func activeList(q: String, on sql: any SQLDatabase) async throws -> [ListRow] {
        var select = sql.select()
            .columns("id", "name", "contact_person", "phone", "email", "address").from("clients")
            .where("is_active", .equal, true)
        for filter in SearchFilter.terms(q) { select = select.where(filter) }
        return try await select.orderBy("name").limit(500).all(decoding: ListRow.self)
    }
}
