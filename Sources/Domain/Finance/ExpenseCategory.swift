/// What an expense was for (`category`). Stored as its raw value; the default is `other`.
public enum ExpenseCategory: String, CaseIterable, Codable, Sendable {
    case fuel
    case repair
    case rent
    case other

    /// The Russian label shown to users.
    public var title: String {
        switch self {
        case .fuel: "Топливо"
        case .repair: "Ремонт"
        case .rent: "Аренда техники"
        case .other: "Прочее"
        }
    }

    /// The comment written on the fuel and repair expenses booked at completion (docs/domain-rules.md#expenses):
    /// «Расходы на топливо для техники МСТ 644 (заказ 000123)». `nil` for categories completion never books.
    public func completionComment(equipmentName: String, orderNumber: String) -> String? {
        switch self {
        case .fuel: "Расходы на топливо для техники \(equipmentName) (заказ \(orderNumber))"
        case .repair: "Расходы на ремонт техники \(equipmentName) (заказ \(orderNumber))"
        case .rent, .other: nil
        }
    }
}
