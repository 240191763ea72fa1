import Domain
import Foundation

/// «Мои зарплаты» (operators): GET `/salary?from=&to=` (`yyyy-MM-dd`).
public struct SalaryModel: Sendable {
    public struct Record: Sendable {
        public var orderID: String?
        public var orderNumber: String?
        /// The order's start (or the record's date when there is no order).
        public var date: Date
        public var clientName: String?
        public var address: String
        /// Kopecks.
        public var amount: Int64
        public var status: SalaryStatus

        public init(
            orderID: String? = nil, orderNumber: String? = nil, date: Date, clientName: String? = nil,
            address: String = "", amount: Int64, status: SalaryStatus
        ) {
            self.orderID = orderID
            self.orderNumber = orderNumber
            self.date = date
            self.clientName = clientName
            self.address = address
            self.amount = amount
            self.status = status
        }
    }

    public struct Totals: Sendable, Equatable {
        public var pending: Int64
        public var approved: Int64
        public var paid: Int64

        public init(pending: Int64 = 0, approved: Int64 = 0, paid: Int64 = 0) {
            self.pending = pending
            self.approved = approved
            self.paid = paid
        }

        public var all: Int64 { pending + approved + paid }
    }

    public var context: PageContext
    public var from: String
    public var to: String
    /// Newest first.
    public var records: [Record]
    public var totals: Totals

    /// `totals` defaults to the sums over `records`.
    public init(context: PageContext, from: String = "", to: String = "", records: [Record], totals: Totals? = nil) {
        self.context = context
        self.from = from
        self.to = to
        self.records = records
        self.totals = totals ?? Self.sum(records)
    }

    static func sum(_ records: [Record]) -> Totals {
        var totals = Totals()
        for record in records {
            switch record.status {
            case .pending: totals.pending += record.amount
            case .approved: totals.approved += record.amount
            case .paid: totals.paid += record.amount
            }
        }
        return totals
    }
}
