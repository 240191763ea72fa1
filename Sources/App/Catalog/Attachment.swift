import Domain
import Fluent
import Foundation

/// A tool mounted on one machine («Навеска»). Price in kopecks; deleted together with its machine.
final class Attachment: Model, @unchecked Sendable {
    static let schema = "attachments"

    // managed fields
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "price") var price: Int64
    @Field(key: "status") var statusValue: String
    @Field(key: "metadata") var metadata: String
    @Field(key: "search_text") var searchText: String

    // relationships
    @Parent(key: "equipment_id") var equipment: Equipment

    init() {}

    init(name: String, equipmentID: Int, price: Int64 = 0) {
        self.name = name
        self.$equipment.id = equipmentID
        self.price = price
        self.statusValue = EquipmentStatus.available.rawValue
        self.metadata = "{}"
        self.searchText = ""
    }

    var status: EquipmentStatus {
        get { EquipmentStatus(rawValue: statusValue) ?? .available }
        set { statusValue = newValue.rawValue }
    }

    /// Searchable text: the attachment's name plus its machine's code and name.
    static func searchText(name: String, equipment: Equipment?) -> String {
        SearchFilter.text(name, equipment?.code, equipment?.name)
    }
}

/// Keeps `attachments.search_text` in step with the name and the machine's code and name.
/// (A machine's rename refreshes its attachments in `EquipmentAPIController`.)
struct AttachmentSearchTextMiddleware: AsyncModelMiddleware {
    func create(model: Attachment, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        let equipment = try await Equipment.find(model.$equipment.id, on: db)
        model.searchText = Attachment.searchText(name: model.name, equipment: equipment)
        try await next.create(model, on: db)
    }

    func update(model: Attachment, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        let equipment = try await Equipment.find(model.$equipment.id, on: db)
        model.searchText = Attachment.searchText(name: model.name, equipment: equipment)
        try await next.update(model, on: db)
    }
}
