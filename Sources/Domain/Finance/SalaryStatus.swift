/// Where a salary record is in its payout (`status`). Stored as its raw value.
///
/// `pending → approved → paid`; an approval may be withdrawn (`approved → pending`); `paid` is final: a paid
/// record is never reset or changed, not even by re-submitting salaries at completion (fix for
/// docs/original-bugs.md, 7.15).
public enum SalaryStatus: String, CaseIterable, Codable, Sendable {
    case pending
    case approved
    case paid

    /// The Russian label shown to users: the book-keeper's words, «начислена → утверждена → выплачена».
    public var title: String {
        switch self {
        case .pending: "Начислена"
        case .approved: "Утверждена"
        case .paid: "Выплачена"
        }
    }

    /// The label the original's API sent as `status_display`, kept on the wire for its clients.
    public var apiTitle: String {
        switch self {
        case .pending: "Ожидает"
        case .approved: "Одобрена"
        case .paid: "Выплачена"
        }
    }

    /// A paid record can no longer change (status, amount or rate).
    public var isFinal: Bool {
        self == .paid
    }

    /// The statuses this one may move to.
    public var allowedNextStatuses: [SalaryStatus] {
        switch self {
        case .pending: [.approved]
        case .approved: [.paid, .pending]
        case .paid: []
        }
    }

    /// Checks a status change; a rejection carries a Russian message (never a permission problem: who may
    /// approve or pay is decided by the route's role guard).
    public func checkTransition(to target: SalaryStatus) -> TransitionDecision {
        if self == .paid {
            return .rejected(reason: "Выплаченную зарплату изменить нельзя", isPermission: false)
        }
        if self == target {
            return .rejected(reason: "Запись зарплаты уже в статусе «\(title)»", isPermission: false)
        }
        guard allowedNextStatuses.contains(target) else {
            return .rejected(
                reason: "Нельзя перевести запись зарплаты из статуса «\(title)» в «\(target.title)»",
                isPermission: false)
        }
        return .allowed
    }
}
