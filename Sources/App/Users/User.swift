import Domain
import Fluent
import Foundation

/// A person who signs in: admin, manager, operator or accountant.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "phone") var phone: String
    @Field(key: "email") var email: String
    @Field(key: "first_name") var firstName: String
    @Field(key: "last_name") var lastName: String
    @Field(key: "position") var position: String
    @Field(key: "avatar") var avatar: String
    @Field(key: "locale") var locale: String
    @Field(key: "role") var roleValue: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "password_hash") var passwordHash: String
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    @OptionalField(key: "telegram_chat_id") var telegramChatID: String?
    @Field(key: "search_text") var searchText: String
    /// Written into every access token; raised to make the user's earlier access tokens stop working.
    @Field(key: "token_version") var tokenVersion: Int
    /// Logins (refresh-token families) whose access tokens are refused, with the time the last of them
    /// expires: `RevokedTokenFamilies` as JSON, empty when there are none.
    @Field(key: "revoked_token_families") var revokedTokenFamilies: String

    init() {}

    init(
        phone: PhoneNumber, firstName: String, lastName: String, role: Role, passwordHash: String, isActive: Bool = true
    ) {
        self.phone = phone.e164
        self.email = ""
        self.firstName = firstName
        self.lastName = lastName
        self.position = ""
        self.avatar = ""
        self.locale = "ru"
        self.roleValue = role.rawValue
        self.isActive = isActive
        self.passwordHash = passwordHash
        self.searchText = ""
        self.tokenVersion = 0
        self.revokedTokenFamilies = ""
    }

    var role: Role {
        get { Role(rawValue: roleValue) ?? .operator }
        set { roleValue = newValue.rawValue }
    }

    /// "First Last", or the phone when the user has no names.
    var fullName: String {
        let name = "\(firstName) \(lastName)".trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? phone : name
    }
}

/// Keeps `users.search_text` in step with the searchable fields.
struct UserSearchTextMiddleware: AsyncModelMiddleware {
    func create(model: User, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.firstName, model.lastName, model.phone, model.email)
        try await next.create(model, on: db)
    }

    func update(model: User, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.firstName, model.lastName, model.phone, model.email)
        try await next.update(model, on: db)
    }
}
