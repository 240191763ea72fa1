/// Who uses which part of planning (docs/planning.md): the same answer for the pages, the API and the feed.
public enum PlanningPolicy {
    /// Sees every row of the board and moves orders on it: those who manage orders.
    public static func mayPlan(_ role: Role) -> Bool { OrderPolicy.mayManage(role) }

    /// Has «Мои смены» and may keep a calendar feed of his assignments: the operators.
    public static func keepsShifts(_ role: Role) -> Bool { role == .operator }
}
