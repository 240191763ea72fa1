import Domain
import Foundation

/// «Счета»: GET `/invoices?status=&client=&from=&to=&sort=&page=` (docs/ui.md#invoices-and-payments).
public struct InvoiceListModel: Sendable {
    public struct Filter: Sendable, Equatable {
        public var state: InvoiceState?
        /// A client id, "" for every client.
        public var client: String
        /// Issue days, `yyyy-MM-dd` or "".
        public var from: String
        public var to: String
        /// `issued_at`, `-amount`…; "" for newest first.
        public var sort: String

        public init(
            state: InvoiceState? = nil, client: String = "", from: String = "", to: String = "", sort: String = ""
        ) {
            self.state = state
            self.client = client
            self.from = from
            self.to = to
            self.sort = sort
        }
    }

    public struct Row: Sendable {
        public var id: String
        public var number: String
        public var state: InvoiceState
        public var clientID: String?
        public var clientName: String?
        public var orderID: String
        public var orderNumber: String
        /// Kopecks.
        public var amount: Int64
        public var paid: Int64
        public var issuedAt: Date
        /// `yyyy-MM-dd`, or nil without a due day.
        public var dueDate: String?

        public init(
            id: String, number: String, state: InvoiceState, clientID: String?, clientName: String?,
            orderID: String, orderNumber: String, amount: Int64, paid: Int64, issuedAt: Date, dueDate: String?
        ) {
            self.id = id
            self.number = number
            self.state = state
            self.clientID = clientID
            self.clientName = clientName
            self.orderID = orderID
            self.orderNumber = orderNumber
            self.amount = amount
            self.paid = paid
            self.issuedAt = issuedAt
            self.dueDate = dueDate
        }
    }

    public var context: PageContext
    public var filter: Filter
    /// The client filter's choices (id → name).
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

extension InvoiceListModel.Filter {
    func url(sort: String? = nil, page: Int = 1, export: String? = nil) -> String {
        Paths.invoices(
            state: state?.rawValue ?? "", client: client, from: from, to: to, sort: sort ?? self.sort, page: page,
            export: export)
    }
}
