import Domain
import Fluent
import Foundation

/// A material or tool priced per unit («Материал»). Price in kopecks; density in hundredths.
final class MaterialItem: Model, @unchecked Sendable {
    static let schema = "materials"

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "category") var categoryValue: String
    @Field(key: "unit") var unit: String
    @Field(key: "price") var price: Int64
    @OptionalField(key: "density") var density: Int64?
    @Field(key: "supplier") var supplier: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "search_text") var searchText: String

    init() {}

    init(name: String, category: MaterialCategory, unit: String, price: Int64) {
        self.name = name
        self.categoryValue = category.rawValue
        self.unit = unit
        self.price = price
        self.supplier = ""
        self.isActive = true
        self.searchText = ""
    }

    var category: MaterialCategory {
        get { MaterialCategory(rawValue: categoryValue) ?? .soil }
        set { categoryValue = newValue.rawValue }
    }
}

/// Keeps `materials.search_text` in step with name and supplier.
struct MaterialItemSearchTextMiddleware: AsyncModelMiddleware {
    func create(model: MaterialItem, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.name, model.supplier)
        try await next.create(model, on: db)
    }

    func update(model: MaterialItem, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.name, model.supplier)
        try await next.update(model, on: db)
    }
}
