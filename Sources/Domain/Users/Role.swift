/// A user's role. Stored as its raw value.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin
    case manager
    case `operator`
    case accountant

    /// The Russian label shown to users (`role_display` in the API).
    public var title: String {
        switch self {
        case .admin: "Администратор"
        case .manager: "Менеджер"
        case .operator: "Оператор"
        case .accountant: "Бухгалтер"
        }
    }
}
