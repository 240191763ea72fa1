/// The order's stored vocabularies besides its status (`OrderStatus`): one definition for the database, the API's
/// validation and the pages.

/// Prepayment status of an order; shown translated, never raw (docs/original-bugs.md, 12.27).
public enum PrepaymentStatus: String, CaseIterable, Sendable {
    case pending
    case paid
    case refunded

    public var title: String {
        switch self {
        case .pending: "Ожидается"
        case .paid: "Оплачена"
        case .refunded: "Возвращена"
        }
    }
}

/// Kind of a photo attached to an order: the stored and API value (`photo_type`) and its Russian title.
public enum PhotoKind: String, CaseIterable, Sendable {
    case before
    case after
    case incident

    public var title: String {
        switch self {
        case .before: "До работ"
        case .after: "После работ"
        case .incident: "Инцидент"
        }
    }
}
