import Domain

/// A catalogue section: GET `/catalog/{kind}?q=&inactive=1`.
public struct CatalogListModel: Sendable {
    /// One catalogue entry; fields a kind does not have stay nil.
    public struct Row: Sendable {
        public var id: String
        public var name: String
        /// Equipment code.
        public var code: String?
        /// Category title (services, materials) or the machine («EX-01 — Экскаватор») for attachments.
        public var group: String?
        public var unit: String
        /// Kopecks: hourly rate for equipment, unit price otherwise.
        public var price: Int64?
        /// Kopecks per shift (equipment).
        public var dailyRate: Int64?
        /// Equipment and attachments.
        public var status: EquipmentStatus?
        public var isActive: Bool

        public init(
            id: String, name: String, code: String? = nil, group: String? = nil, unit: String = "",
            price: Int64? = nil, dailyRate: Int64? = nil, status: EquipmentStatus? = nil,
            isActive: Bool = true
        ) {
            self.id = id
            self.name = name
            self.code = code
            self.group = group
            self.unit = unit
            self.price = price
            self.dailyRate = dailyRate
            self.status = status
            self.isActive = isActive
        }
    }

    public var context: PageContext
    public var kind: CatalogKind
    public var q: String
    public var showInactive: Bool
    public var rows: [Row]
    /// Add/edit/deactivate buttons (admin; manager if the business agrees).
    public var canEdit: Bool

    public init(
        context: PageContext, kind: CatalogKind, q: String = "", showInactive: Bool = false, rows: [Row],
        canEdit: Bool
    ) {
        self.context = context
        self.kind = kind
        self.q = q
        self.showInactive = showInactive
        self.rows = rows
        self.canEdit = canEdit
    }
}
