/// What an order line is («тип позиции»). Stored as its raw value (`item_type`).
public enum ItemType: String, CaseIterable, Codable, Sendable {
    case equipment
    case service
    case material
    case attachment

    /// The Russian label shown to users.
    public var title: String {
        switch self {
        case .equipment: "Техника"
        case .service: "Услуга"
        case .material: "Материал"
        case .attachment: "Навеска"
        }
    }
}
