/// What an invoice's list and page say about it (docs/ui.md#invoices-and-payments): paid in full, overdue (not
/// paid in full and its due day has passed in the company's calendar), partly paid, or only issued.
public enum InvoiceState: String, CaseIterable, Sendable {
    case issued
    case partial
    case paid
    case overdue

    public var title: String {
        switch self {
        case .issued: "Выставлен"
        case .partial: "Частично оплачен"
        case .paid: "Оплачен"
        case .overdue: "Просрочен"
        }
    }

    /// Calendar days a client has to pay an invoice: its due day is this many days after the day of issue
    /// (docs/domain-rules.md#invoice-numbering). The original never set a due day, so nothing was ever overdue.
    public static let paymentDays = 10

    /// - Parameters:
    ///   - isPaid: the stored status is `success` (successful payments cover the amount).
    ///   - paid: Σ successful payments of the invoice's order, kopecks.
    ///   - dueDate: the due day (`YYYY-MM-DD…`), if the invoice has one.
    ///   - today: today in the company's calendar, `YYYY-MM-DD`.
    public static func of(isPaid: Bool, paid: Int64, dueDate: String?, today: String) -> InvoiceState {
        if isPaid { return .paid }
        if let dueDate, dueDate.count >= 10, String(dueDate.prefix(10)) < today { return .overdue }
        return paid > 0 ? .partial : .issued
    }
}
