import Fluent
import Foundation

/// A customer («Клиент»): a company or a person. Coordinates in millionths of a degree,
/// credit limit in kopecks (none when nil).
final class Client: Model, @unchecked Sendable {
    static let schema = "clients"

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "contact_person") var contactPerson: String
    @Field(key: "phone") var phone: String
    @Field(key: "email") var email: String
    @Field(key: "address") var address: String
    @Field(key: "city") var city: String
    @OptionalField(key: "geo_lat") var geoLat: Int64?
    @OptionalField(key: "geo_lng") var geoLng: Int64?
    @Field(key: "billing_details") var billingDetails: String
    @Field(key: "inn") var inn: String
    @Field(key: "kpp") var kpp: String
    @Field(key: "notes") var notes: String
    @Field(key: "is_active") var isActive: Bool
    @OptionalField(key: "credit_limit") var creditLimit: Int64?
    @Field(key: "search_text") var searchText: String

    init() {}

    init(name: String, phone: String) {
        self.name = name
        self.contactPerson = ""
        self.phone = phone
        self.email = ""
        self.address = ""
        self.city = ""
        self.billingDetails = "{}"
        self.inn = ""
        self.kpp = ""
        self.notes = ""
        self.isActive = true
        self.searchText = ""
    }
}

/// Keeps `clients.search_text` in step with name, contact person, phone and e-mail.
struct ClientSearchTextMiddleware: AsyncModelMiddleware {
    func create(model: Client, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.name, model.contactPerson, model.phone, model.email)
        try await next.create(model, on: db)
    }

    func update(model: Client, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.name, model.contactPerson, model.phone, model.email)
        try await next.update(model, on: db)
    }
}
