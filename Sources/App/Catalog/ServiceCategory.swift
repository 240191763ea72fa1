import Fluent
import Foundation

/// A group of services («Категория услуг»), ordered by `sort_order`, then name.
final class ServiceCategory: Model, @unchecked Sendable {
    static let schema = "service_categories"

    /// The category a service gets when none is given; created on first use.
    static let fallbackName = "Прочее"
    static let fallbackDescription = "Категория по умолчанию для услуг без категории."

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "description") var details: String
    @Field(key: "sort_order") var sortOrder: Int

    init() {}

    init(name: String, description: String = "", sortOrder: Int = 0) {
        self.name = name
        self.details = description
        self.sortOrder = sortOrder
    }

    /// The category named `name`, created when missing.
    static func named(
        _ name: String, description: String = "", sortOrder: Int = 0, on db: any Database
    ) async throws -> (category: ServiceCategory, created: Bool) {
        if let existing = try await ServiceCategory.query(on: db).filter(\.$name == name).first() {
            return (existing, false)
        }
        let category = ServiceCategory(name: name, description: description, sortOrder: sortOrder)
        try await category.save(on: db)
        return (category, true)
    }
}
