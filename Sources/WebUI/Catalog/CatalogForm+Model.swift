import Domain

/// Add or edit a catalogue entry: POST `Paths.newCatalogItem(kind)` or `Paths.editCatalogItem(kind, id)`.
///
/// Posted fields by kind (plus `_csrf`); money fields are typed text, parse with `RussianFormat.parseMoney`:
/// - equipment: `code`, `name`, `description`, `hourly_rate`, `daily_rate`, `status` (`EquipmentStatus.rawValue`)
/// - services: `name`, `category_id` (only when `serviceCategories` is not empty), `price`, `unit`, `description`
/// - materials: `name`, `category` (`MaterialCategory.rawValue`), `price`, `unit`
/// - attachments: `equipment_id`, `name`, `price`, `status`
public struct CatalogFormModel: Sendable {
    public struct Values: Sendable {
        public var code: String
        public var name: String
        public var description: String
        public var hourlyRate: String
        public var dailyRate: String
        public var price: String
        public var unit: String
        /// `category_id` for services, `MaterialCategory.rawValue` for materials.
        public var category: String
        public var equipmentID: String
        /// `EquipmentStatus.rawValue`.
        public var status: String

        public init(
            code: String = "", name: String = "", description: String = "", hourlyRate: String = "",
            dailyRate: String = "", price: String = "", unit: String = "", category: String = "",
            equipmentID: String = "", status: String = EquipmentStatus.available.rawValue
        ) {
            self.code = code
            self.name = name
            self.description = description
            self.hourlyRate = hourlyRate
            self.dailyRate = dailyRate
            self.price = price
            self.unit = unit
            self.category = category
            self.equipmentID = equipmentID
            self.status = status
        }
    }

    public var context: PageContext
    public var kind: CatalogKind
    /// `nil` = new entry.
    public var id: String?
    public var values: Values
    /// Service categories for `category_id`.
    public var serviceCategories: [Choice]
    /// Machines for `equipment_id` («EX-01 — Экскаватор JCB 3CX»).
    public var equipment: [Choice]
    /// Keys are the field names above.
    public var errors: FormErrors
    public var formError: String?

    public init(
        context: PageContext, kind: CatalogKind, id: String? = nil, values: Values = Values(),
        serviceCategories: [Choice] = [], equipment: [Choice] = [], errors: FormErrors = [:],
        formError: String? = nil
    ) {
        self.context = context
        self.kind = kind
        self.id = id
        self.values = values
        self.serviceCategories = serviceCategories
        self.equipment = equipment
        self.errors = errors
        self.formError = formError
    }
}
