import Domain
import Fluent
import Foundation

/// A machine of the fleet («Техника»). Rates are kopecks; fuel consumption is hundredths of a litre per hour.
final class Equipment: Model, @unchecked Sendable {
    static let schema = "equipment"

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "description") var details: String
    @Field(key: "hourly_rate") var hourlyRate: Int64
    @OptionalField(key: "daily_rate") var dailyRate: Int64?
    @OptionalField(key: "fuel_consumption") var fuelConsumption: Int64?
    @Field(key: "status") var statusValue: String
    @Field(key: "photos") var photos: String
    @OptionalField(key: "last_maintenance_date") var lastMaintenanceDate: String?
    @Field(key: "attributes") var attributes: String
    @Field(key: "search_text") var searchText: String

    init() {}

    init(code: String, name: String, hourlyRate: Int64) {
        self.code = code
        self.name = name
        self.details = ""
        self.hourlyRate = hourlyRate
        self.statusValue = EquipmentStatus.available.rawValue
        self.photos = "[]"
        self.attributes = "{}"
        self.searchText = ""
    }

    var status: EquipmentStatus {
        get { EquipmentStatus(rawValue: statusValue) ?? .available }
        set { statusValue = newValue.rawValue }
    }
}

/// Keeps `equipment.search_text` in step with code, name and description.
struct EquipmentSearchTextMiddleware: AsyncModelMiddleware {
    func create(model: Equipment, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.code, model.name, model.details)
        try await next.create(model, on: db)
    }

    func update(model: Equipment, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        model.searchText = SearchFilter.text(model.code, model.name, model.details)
        try await next.update(model, on: db)
    }
}
