import Domain
import Foundation

/// «Платежи»: GET `/payments?client=&method=&from=&to=&sort=&page=` (docs/ui.md#invoices-and-payments).
public struct PaymentListModel: Sendable {
    public struct Filter: Sendable, Equatable {
        /// A client id, "" for every client.
        public var client: String
        /// A `PaymentMethod.rawValue`, "" for every method.
        public var method: String
        /// Payment days, `yyyy-MM-dd` or "".
        public var from: String
        public var to: String
        /// `paid_at`, `-amount`…; "" for newest first.
        public var sort: String

        public init(client: String = "", method: String = "", from: String = "", to: String = "", sort: String = "") {
            self.client = client
            self.method = method
            self.from = from
            self.to = to
            self.sort = sort
        }

        func url(sort: String? = nil, page: Int = 1, export: String? = nil) -> String {
            Paths.payments(
                client: client, method: method, from: from, to: to, sort: sort ?? self.sort, page: page,
                export: export)
        }
    }

    public struct Row: Sendable {
        public var id: String
        public var paidAt: Date?
        public var clientID: String?
        public var clientName: String?
        public var invoiceID: String?
        public var invoiceNumber: String?
        public var orderID: String
        public var orderNumber: String
        /// Kopecks.
        public var amount: Int64
        public var method: PaymentMethod
        public var status: PaymentStatus
        public var comment: String
        public var recordedBy: String
        /// What the payment's order received beyond its bill (the client's advance), kopecks; 0 when none.
        public var advance: Int64

        public init(
            id: String, paidAt: Date?, clientID: String?, clientName: String?, invoiceID: String?,
            invoiceNumber: String?, orderID: String, orderNumber: String, amount: Int64, method: PaymentMethod,
            status: PaymentStatus = .success, comment: String = "", recordedBy: String = "", advance: Int64 = 0
        ) {
            self.id = id
            self.paidAt = paidAt
            self.clientID = clientID
            self.clientName = clientName
            self.invoiceID = invoiceID
            self.invoiceNumber = invoiceNumber
            self.orderID = orderID
            self.orderNumber = orderNumber
            self.amount = amount
            self.method = method
            self.status = status
            self.comment = comment
            self.recordedBy = recordedBy
            self.advance = advance
        }
    }

    public var context: PageContext
    public var filter: Filter
    public var clients: [Choice]
    public var rows: [Row]
    public var page: Int
    public var totalPages: Int
    public var totalCount: Int

    public init(
        context: PageContext, filter: Filter = Filter(), clients: [Choice] = [], rows: [Row], page: Int = 1,
        totalPages: Int = 1, totalCount: Int = 0
    ) {
        self.context = context
        self.filter = filter
        self.clients = clients
        self.rows = rows
        self.page = page
        self.totalPages = totalPages
        self.totalCount = totalCount
    }
}

/// «Новый платёж» (POST `Paths.newPayment()`) or «Платёж» edit (POST `Paths.editPayment`).
/// Posted fields: `_csrf`, `client`, `invoice`, `order`, `amount`, `paid_at`, `method`, `comment`.
public struct PaymentFormModel: Sendable {
    public struct Values: Sendable, Equatable {
        public var client: String
        public var invoice: String
        public var order: String
        public var amount: String
        public var paidAt: String
        public var method: String
        public var comment: String

        public init(
            client: String = "", invoice: String = "", order: String = "", amount: String = "", paidAt: String = "",
            method: String = "cash", comment: String = ""
        ) {
            self.client = client
            self.invoice = invoice
            self.order = order
            self.amount = amount
            self.paidAt = paidAt
            self.method = method
            self.comment = comment
        }
    }

    public var context: PageContext
    /// nil: a new payment.
    public var id: String?
    public var values: Values
    public var clients: [Choice]
    /// The unpaid invoices (of the chosen client when one is chosen), and the one already chosen.
    public var invoices: [Choice]
    /// The chosen client's orders.
    public var orders: [Choice]
    public var errors: FormErrors
    public var formError: String?
    /// The advance the payment's order holds (edit form), kopecks.
    public var advance: Int64

    public init(
        context: PageContext, id: String? = nil, values: Values = Values(), clients: [Choice] = [],
        invoices: [Choice] = [], orders: [Choice] = [], errors: FormErrors = [:], formError: String? = nil,
        advance: Int64 = 0
    ) {
        self.context = context
        self.id = id
        self.values = values
        self.clients = clients
        self.invoices = invoices
        self.orders = orders
        self.errors = errors
        self.formError = formError
        self.advance = advance
    }
}
