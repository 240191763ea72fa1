import Foundation

/// «Зарплата операторам» of a completed order (admin, manager): GET/POST `Paths.editOrder(id)` while the order is
/// COMPLETED. Posted fields: `_csrf`, `pay[i][operator_id]`, `pay[i][amount]` (money; blank = leave as is).
public struct OrderPayModel: Sendable {
    public var context: PageContext
    public var orderID: String
    public var number: String
    public var clientName: String?
    /// Kopecks.
    public var total: Int64
    public var pay: [OrderCompleteModel.OperatorPay]
    /// Keys: `pay[0][amount]`…
    public var errors: FormErrors
    public var formError: String?

    public init(
        context: PageContext, orderID: String, number: String, clientName: String? = nil, total: Int64 = 0,
        pay: [OrderCompleteModel.OperatorPay], errors: FormErrors = [:], formError: String? = nil
    ) {
        self.context = context
        self.orderID = orderID
        self.number = number
        self.clientName = clientName
        self.total = total
        self.pay = pay
        self.errors = errors
        self.formError = formError
    }
}
