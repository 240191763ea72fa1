import Fluent
import Foundation

/// A service sold by the hour or by the job («Услуга»). Price in kopecks (may be absent);
/// default duration in hundredths of an hour.
final class ServiceItem: Model, @unchecked Sendable {
    static let schema = "services"

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "unit") var unit: String
    @OptionalField(key: "price") var price: Int64?
    @OptionalField(key: "default_duration") var defaultDuration: Int64?
    @Field(key: "included_items") var includedItems: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "search_text") var searchText: String

    // relationships
    @Parent(key: "category_id") var category: ServiceCategory

    init() {}

    init(name: String, categoryID: Int, unit: String = "hour", price: Int64? = nil) {
        self.name = name
        self.$category.id = categoryID
        self.unit = unit
        self.price = price
        self.includedItems = "[]"
        self.isActive = true
        self.searchText = ""
    }
}

/// Keeps `services.search_text` in step with the name and the category's name.
struct ServiceItemSearchTextMiddleware: AsyncModelMiddleware {
    func create(model: ServiceItem, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = try await Self.text(model, on: db)
        try await next.create(model, on: db)
    }

    func update(model: ServiceItem, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = try await Self.text(model, on: db)
        try await next.update(model, on: db)
    }

    private static func text(_ model: ServiceItem, on db: any Database) async throws -> String {
        let category = try await ServiceCategory.find(model.$category.id, on: db)
        return SearchFilter.text(model.name, category?.name)
    }
}
