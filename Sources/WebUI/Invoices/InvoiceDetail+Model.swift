import Domain
import Foundation

/// One invoice: GET `/invoices/{id}` with its figures, its payments and «Внести оплату»
/// (POST `Paths.invoicePayments`).
public struct InvoiceDetailModel: Sendable {
    public struct Payment: Sendable {
        public var id: String
        public var paidAt: Date?
        /// Kopecks.
        public var amount: Int64
        public var method: PaymentMethod
        public var status: PaymentStatus
        public var comment: String
        public var recordedBy: String

        public init(
            id: String, paidAt: Date?, amount: Int64, method: PaymentMethod, status: PaymentStatus = .success,
            comment: String = "", recordedBy: String = ""
        ) {
            self.id = id
            self.paidAt = paidAt
            self.amount = amount
            self.method = method
            self.status = status
            self.comment = comment
            self.recordedBy = recordedBy
        }
    }

    /// «Внести оплату» as typed: `amount` (money text), `paid_at` (`yyyy-MM-dd`), `method`, `comment`.
    public struct Entry: Sendable {
        public var amount: String
        public var paidAt: String
        public var method: String
        public var comment: String

        public init(amount: String = "", paidAt: String = "", method: String = "cash", comment: String = "") {
            self.amount = amount
            self.paidAt = paidAt
            self.method = method
            self.comment = comment
        }
    }

    public var context: PageContext
    public var id: String
    public var number: String
    public var state: InvoiceState
    public var issuedAt: Date
    /// `yyyy-MM-dd`, nil without a due day.
    public var dueDate: String?
    /// Kopecks: the invoice, its order's successful payments.
    public var amount: Int64
    public var paid: Int64
    public var clientID: String?
    public var clientName: String?
    public var orderID: String
    public var orderNumber: String
    /// What the client holds in advance across all their orders (the ledger's credit), kopecks.
    public var clientCredit: Int64
    public var payments: [Payment]
    public var entry: Entry
    public var errors: FormErrors
    public var formError: String?
    /// «Отправить клиенту» is shown when mail is configured.
    public var canEmail: Bool

    public init(
        context: PageContext, id: String, number: String, state: InvoiceState, issuedAt: Date, dueDate: String? = nil,
        amount: Int64, paid: Int64, clientID: String?, clientName: String?, orderID: String, orderNumber: String,
        clientCredit: Int64 = 0, payments: [Payment] = [], entry: Entry = Entry(), errors: FormErrors = [:],
        formError: String? = nil, canEmail: Bool = false
    ) {
        self.context = context
        self.id = id
        self.number = number
        self.state = state
        self.issuedAt = issuedAt
        self.dueDate = dueDate
        self.amount = amount
        self.paid = paid
        self.clientID = clientID
        self.clientName = clientName
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.clientCredit = clientCredit
        self.payments = payments
        self.entry = entry
        self.errors = errors
        self.formError = formError
        self.canEmail = canEmail
    }

    /// What is left to pay (0 once paid).
    public var remaining: Int64 { max(amount - paid, 0) }
    /// Paid beyond the amount: the advance («переплата») this invoice brought.
    public var overpaid: Int64 { max(paid - amount, 0) }
}
