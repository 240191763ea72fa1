import Domain

/// «Заявки». GET `/orders?status=&from=&to=&q=&page=`.
public struct OrderListModel: Sendable {
    public struct Filter: Sendable, Equatable {
        /// `nil` = «Все».
        public var status: OrderStatus?
        /// `yyyy-MM-dd` as typed (start date from), "" = open.
        public var from: String
        /// `yyyy-MM-dd`, "" = open.
        public var to: String
        /// Search by number, client, address.
        public var q: String

        public init(status: OrderStatus? = nil, from: String = "", to: String = "", q: String = "") {
            self.status = status
            self.from = from
            self.to = to
            self.q = q
        }
    }

    public var context: PageContext
    public var filter: Filter
    /// This page's orders (the controller pages them, 50 per page is the original's size).
    public var orders: [OrderSummary]
    /// 1-based.
    public var page: Int
    public var totalPages: Int
    /// Orders matching the filter on all pages.
    public var totalCount: Int

    public init(
        context: PageContext, filter: Filter = Filter(), orders: [OrderSummary], page: Int = 1,
        totalPages: Int = 1, totalCount: Int? = nil
    ) {
        self.context = context
        self.filter = filter
        self.orders = orders
        self.page = page
        self.totalPages = totalPages
        self.totalCount = totalCount ?? orders.count
    }
}
