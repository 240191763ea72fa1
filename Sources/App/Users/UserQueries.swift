import Domain
import Foundation
import SQLKit
import WebUI

/// The user list of the admin pages: matching a search, by name.
enum UserQueries {
    struct ListRow: Decodable {
        var id: Int
        var first_name: String
        var last_name: String
        var phone: String
        var email: String
        var role: String
        var is_active: Bool

        var listRow: UserListModel.Row {
            UserListModel.Row(
                id: String(id), fullName: OrderPageData.fullName(first_name, last_name, phone: phone), phone: phone,
                email: email, role: Role(rawValue: role) ?? .operator, isActive: is_active)
        }
    }

    static func list(q: String, on sql: any SQLDatabase) async throws -> [ListRow] {
        var select = sql.select()
            .columns("id", "first_name", "last_name", "phone", "email", "role", "is_active").from("users")
        for filter in SearchFilter.terms(q) { select = select.where(filter) }
        return try await select.orderBy("first_name").orderBy("last_name").orderBy("id").limit(500)
            .all(decoding: ListRow.self)
    }
}
