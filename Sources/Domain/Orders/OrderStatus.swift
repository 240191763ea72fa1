/// The lifecycle state of an order («заявка»). Stored as its raw value.
public enum OrderStatus: String, CaseIterable, Codable, Sendable {
    case draft = "DRAFT"
    case created = "CREATED"
    case approved = "APPROVED"
    case inProgress = "IN_PROGRESS"
    case completed = "COMPLETED"
    case cancelled = "CANCELLED"

    /// The Russian label shown to users.
    public var title: String {
        switch self {
        case .draft: "Черновик"
        case .created: "Создан"
        case .approved: "Одобрен"
        case .inProgress: "В работе"
        case .completed: "Завершён"
        case .cancelled: "Отменён"
        }
    }

    /// Active orders hold their machines and operators: they take part in double-booking checks.
    public var holdsResources: Bool {
        switch self {
        case .created, .approved, .inProgress: true
        case .draft, .completed, .cancelled: false
        }
    }
}
