/// Who may change what a client pays and who may see other people's orders: one answer for the web and
/// the API (docs/security.md).
public enum AccessPolicy {
    /// Typing a price, a tax rate or a discount changes what the client pays: admins and managers only.
    /// Everyone else gets the catalog's price or the one already on the order.
    public static func maySetPrices(_ role: Role) -> Bool {
        role == .admin || role == .manager
    }

    /// Numbers, clients and addresses of any order. Operators see only the orders they are assigned to; of
    /// the others they learn at most that a machine is busy.
    public static func maySeeAllOrders(_ role: Role) -> Bool {
        role != .operator
    }

    /// A client's money documents — invoices, acts, reconciliation statements, and letters carrying them:
    /// admins, managers and accountants; never operators.
    public static func mayIssueClientDocuments(_ role: Role) -> Bool {
        role == .admin || role == .manager || role == .accountant
    }
}
