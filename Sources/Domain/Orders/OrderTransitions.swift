/// The answer to "may this actor make this change?": allowed, or rejected with a Russian message for the user.
public enum TransitionDecision: Sendable, Hashable {
    case allowed
    /// `isPermission`: `true` when the actor lacks the right (HTTP 403), `false` when the change itself is not
    /// possible from the current state (HTTP 400).
    case rejected(reason: String, isPermission: Bool)

    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }

    /// The user-facing message of a rejection, `nil` when allowed.
    public var reason: String? {
        if case .rejected(let reason, _) = self { return reason }
        return nil
    }

    public var isPermissionDenied: Bool {
        if case .rejected(_, true) = self { return true }
        return false
    }
}

/// Who may move an order between statuses (docs/domain-rules.md#transitions).
///
/// Through `PATCH /orders/{id}/status/`:
/// - DRAFT → CREATED, DRAFT → CANCELLED, CREATED → CANCELLED, APPROVED → CANCELLED, IN_PROGRESS → CANCELLED:
///   admin and manager;
/// - CREATED → APPROVED («Одобрить») and APPROVED → IN_PROGRESS («Начать работу»): admin, manager and an
///   operator assigned to the order.
///
/// IN_PROGRESS → COMPLETED only through `POST /orders/{id}/complete/` (admin, manager, assigned operator), because
/// completion books money (docs/domain-rules.md#completion). Same-state requests and every other pair are
/// rejected; COMPLETED and CANCELLED are terminal. An accountant never changes order status.
public enum OrderTransitions {
    /// The changes the status endpoint accepts, and whether an assigned operator may make them.
    public static let statusChanges: [OrderStatus: [OrderStatus: OperatorRight]] = [
        .draft: [.created: .denied, .cancelled: .denied],
        .created: [.approved: .allowed, .cancelled: .denied],
        .approved: [.inProgress: .allowed, .cancelled: .denied],
        .inProgress: [.cancelled: .denied],
    ]

    /// Whether an assigned operator may make a listed change (admin and manager always may).
    public enum OperatorRight: Sendable, Hashable {
        case allowed
        case denied
    }

    /// Checks a change through the status endpoint. `isAssigned`: the actor is among the order's operators
    /// (only matters for operators; the App hides other operators' orders with 404 before asking).
    public static func checkStatusChange(
        from current: OrderStatus, to target: OrderStatus, actor: Role, isAssigned: Bool
    ) -> TransitionDecision {
        switch actor {
        case .accountant:
            return .rejected(reason: "Бухгалтер не может менять статус заявки", isPermission: true)
        case .operator where !isAssigned:
            return .rejected(
                reason: "Менять статус заявки может только назначенный на неё оператор", isPermission: true)
        case .admin, .manager, .operator:
            break
        }
        if current == target {
            return .rejected(reason: "Заявка уже в статусе «\(current.title)»", isPermission: false)
        }
        if current == .inProgress, target == .completed {
            return .rejected(
                reason: "Для завершения заявки используйте endpoint /complete/ с указанием элементов номенклатуры",
                isPermission: false)
        }
        guard let operatorRight = statusChanges[current]?[target] else {
            return .rejected(
                reason: "Нельзя перевести заявку из статуса «\(current.title)» в «\(target.title)»",
                isPermission: false)
        }
        if actor == .operator, operatorRight == .denied {
            let reason =
                target == .cancelled
                ? "Отменить заявку может только администратор или менеджер"
                : "Перевести заявку из статуса «\(current.title)» в «\(target.title)» "
                    + "может только администратор или менеджер"
            return .rejected(reason: reason, isPermission: true)
        }
        return .allowed
    }

    /// Checks `POST /orders/{id}/complete/`: admin, manager or an assigned operator, from IN_PROGRESS only.
    public static func checkCompletion(from current: OrderStatus, actor: Role, isAssigned: Bool) -> TransitionDecision {
        switch actor {
        case .accountant:
            return .rejected(reason: "Бухгалтер не может завершать заявки", isPermission: true)
        case .operator where !isAssigned:
            return .rejected(
                reason: "Завершить заявку может только назначенный на неё оператор", isPermission: true)
        case .admin, .manager, .operator:
            break
        }
        guard current == .inProgress else {
            return .rejected(
                reason: "Заявка должна быть в статусе «В работе» для завершения. Текущий статус: «\(current.title)»",
                isPermission: false)
        }
        return .allowed
    }

    /// The statuses the actor may move the order to through the status endpoint, in `OrderStatus.allCases`
    /// order (for the buttons on the order page). Completion is separate: see `checkCompletion`.
    public static func allowedStatusChanges(from current: OrderStatus, actor: Role, isAssigned: Bool) -> [OrderStatus] {
        OrderStatus.allCases.filter {
            checkStatusChange(from: current, to: $0, actor: actor, isAssigned: isAssigned).isAllowed
        }
    }
}
