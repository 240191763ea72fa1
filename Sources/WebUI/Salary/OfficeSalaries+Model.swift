import Domain
import Foundation

/// The office's «Зарплаты» (admins, accountants): GET `/salaries?user=&status=&from=&to=&page=` (see
/// `Paths.salaryList`). Per-row steps POST `Paths.salaryRecordStatus(id)`; ticked rows (`ids`) POST
/// `Paths.salariesBulk()` with `action` `approved` («Утвердить выбранные») or `paid` («Выплатить выбранные»).
public struct OfficeSalaryModel: Sendable {
    public struct Filter: Sendable, Equatable {
        /// An operator id or "".
        public var userID: String
        public var status: SalaryStatus?
        /// `yyyy-MM-dd` or "", on the work date (the order's start).
        public var from: String
        public var to: String

        public init(userID: String = "", status: SalaryStatus? = nil, from: String = "", to: String = "") {
            self.userID = userID
            self.status = status
            self.from = from
            self.to = to
        }
    }

    public struct Row: Sendable {
        public var id: String
        public var operatorName: String
        public var orderID: String?
        public var orderNumber: String?
        public var workDate: Date
        /// Kopecks.
        public var amount: Int64
        public var status: SalaryStatus
        public var paidAt: Date?

        public init(
            id: String, operatorName: String, orderID: String? = nil, orderNumber: String? = nil, workDate: Date,
            amount: Int64, status: SalaryStatus, paidAt: Date? = nil
        ) {
            self.id = id
            self.operatorName = operatorName
            self.orderID = orderID
            self.orderNumber = orderNumber
            self.workDate = workDate
            self.amount = amount
            self.status = status
            self.paidAt = paidAt
        }
    }

    /// One operator's sums by status over the whole filter (every page).
    public struct OperatorTotal: Sendable, Equatable {
        public var name: String
        public var totals: SalaryModel.Totals

        public init(name: String, totals: SalaryModel.Totals) {
            self.name = name
            self.totals = totals
        }
    }

    public struct Operator: Sendable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var context: PageContext
    public var filter: Filter
    /// Newest first.
    public var rows: [Row]
    public var operatorTotals: [OperatorTotal]
    public var operators: [Operator]
    public var page: Int
    public var totalPages: Int
    public var totalCount: Int

    public init(
        context: PageContext, filter: Filter = Filter(), rows: [Row], operatorTotals: [OperatorTotal] = [],
        operators: [Operator] = [], page: Int = 1, totalPages: Int = 1, totalCount: Int? = nil
    ) {
        self.context = context
        self.filter = filter
        self.rows = rows
        self.operatorTotals = operatorTotals
        self.operators = operators
        self.page = page
        self.totalPages = totalPages
        self.totalCount = totalCount ?? rows.count
    }

    /// The sums of every operator.
    public var grandTotal: SalaryModel.Totals {
        operatorTotals.reduce(into: SalaryModel.Totals()) { sum, row in
            sum.pending += row.totals.pending
            sum.approved += row.totals.approved
            sum.paid += row.totals.paid
        }
    }
}
