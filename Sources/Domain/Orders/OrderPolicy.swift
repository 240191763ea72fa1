/// Who may do what with an order, in one place for the API, the pages and their buttons
/// (docs/domain-rules.md, docs/security.md). Status changes are `OrderTransitions`' rules and prices and other
/// people's orders are `AccessPolicy`'s; this type only gathers them with the edit and delete rules.
public enum OrderPolicy {
    /// Creating, editing and deleting orders and setting operators' pay: admins and managers.
    public static func mayManage(_ actor: Role) -> Bool {
        actor == .admin || actor == .manager
    }

    /// A completed order is in the books and a cancelled one is over: neither is edited.
    public static func isEditable(_ status: OrderStatus) -> Bool {
        status != .completed && status != .cancelled
    }

    /// The message for an order that is not edited in `status`; nil when it is.
    public static func editRefusal(_ status: OrderStatus) -> String? {
        isEditable(status) ? nil : "Заявка в статусе «\(status.title)» не редактируется."
    }

    /// Whether the actor may change the order's fields now.
    public static func mayEdit(_ status: OrderStatus, actor: Role) -> Bool {
        mayManage(actor) && isEditable(status)
    }

    /// «Редактировать» on the order page: the fields until completion, then the operators' pay; never for a
    /// cancelled order.
    public static func mayOpenEditor(_ status: OrderStatus, actor: Role) -> Bool {
        mayManage(actor) && status != .cancelled
    }

    /// A completed order holds money and is never deleted; any other may be, by staff.
    public static func isDeletable(_ status: OrderStatus) -> Bool {
        status != .completed
    }

    public static func mayDelete(_ status: OrderStatus, actor: Role) -> Bool {
        mayManage(actor) && isDeletable(status)
    }

    /// Operators' pay is set by staff, in any status.
    public static func maySetPay(_ actor: Role) -> Bool {
        mayManage(actor)
    }

    /// See `OrderTransitions.checkStatusChange`.
    public static func checkStatusChange(
        from current: OrderStatus, to target: OrderStatus, actor: Role, isAssigned: Bool
    ) -> TransitionDecision {
        OrderTransitions.checkStatusChange(from: current, to: target, actor: actor, isAssigned: isAssigned)
    }

    /// See `OrderTransitions.checkCompletion`.
    public static func checkCompletion(from current: OrderStatus, actor: Role, isAssigned: Bool) -> TransitionDecision {
        OrderTransitions.checkCompletion(from: current, actor: actor, isAssigned: isAssigned)
    }

    /// See `OrderTransitions.allowedStatusChanges`.
    public static func allowedStatusChanges(from current: OrderStatus, actor: Role, isAssigned: Bool) -> [OrderStatus] {
        OrderTransitions.allowedStatusChanges(from: current, actor: actor, isAssigned: isAssigned)
    }

    /// Typed prices, tax rates and discounts count only from these roles (`AccessPolicy.maySetPrices`).
    public static func maySetPrices(_ actor: Role) -> Bool {
        AccessPolicy.maySetPrices(actor)
    }

    /// Numbers, clients and addresses of orders the actor is not assigned to (`AccessPolicy.maySeeAllOrders`).
    public static func maySeeAllOrders(_ actor: Role) -> Bool {
        AccessPolicy.maySeeAllOrders(actor)
    }

    /// Prices and totals on the order page: everyone but operators, who see the work and not the money.
    public static func maySeeMoney(_ actor: Role) -> Bool {
        AccessPolicy.maySeeAllOrders(actor)
    }

    /// Photos come from staff and from the order's own operators.
    public static func mayUploadPhotos(_ actor: Role, isAssigned: Bool) -> Bool {
        mayManage(actor) || (actor == .operator && isAssigned)
    }
}
