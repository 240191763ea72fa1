import Foundation

/// «Должники»: GET `/debts?q=&sort=&page=` (`&export=csv|xlsx` downloads the table).
public struct DebtListModel: Sendable {
    /// The sortable columns; `?sort=overdue` is ascending, `?sort=-overdue` descending (the default).
    public enum Sort: String, CaseIterable, Sendable {
        case name
        case debt
        case overdue
        case over90
        case lastPayment = "last_payment"

        public static let `default` = "-overdue"
    }

    /// Amounts in kopecks.
    public struct Buckets: Sendable, Equatable {
        public var upTo30: Int64
        public var days31To60: Int64
        public var days61To90: Int64
        public var over90: Int64

        public init(upTo30: Int64 = 0, days31To60: Int64 = 0, days61To90: Int64 = 0, over90: Int64 = 0) {
            self.upTo30 = upTo30
            self.days31To60 = days31To60
            self.days61To90 = days61To90
            self.over90 = over90
        }

        public var overdue: Int64 { days31To60 + days61To90 + over90 }
    }

    public struct Row: Sendable {
        public var clientID: String
        public var name: String
        public var phone: String
        public var debt: Int64
        public var buckets: Buckets
        /// «Акт № 5 от 12.03.2025 (заявка № 000012)» or «Заявка № 000012».
        public var oldestDocument: String?
        public var oldestDate: Date?
        public var oldestURL: String?
        public var lastPayment: Date?
        public var creditLimit: Int64?
        public var isOverLimit: Bool

        public init(
            clientID: String, name: String, phone: String = "", debt: Int64, buckets: Buckets,
            oldestDocument: String? = nil, oldestDate: Date? = nil, oldestURL: String? = nil, lastPayment: Date? = nil,
            creditLimit: Int64? = nil, isOverLimit: Bool = false
        ) {
            self.clientID = clientID
            self.name = name
            self.phone = phone
            self.debt = debt
            self.buckets = buckets
            self.oldestDocument = oldestDocument
            self.oldestDate = oldestDate
            self.oldestURL = oldestURL
            self.lastPayment = lastPayment
            self.creditLimit = creditLimit
            self.isOverLimit = isOverLimit
        }
    }

    public struct Totals: Sendable {
        public var clients: Int
        public var debt: Int64
        public var buckets: Buckets
        public var overLimit: Int

        public init(clients: Int = 0, debt: Int64 = 0, buckets: Buckets = Buckets(), overLimit: Int = 0) {
            self.clients = clients
            self.debt = debt
            self.buckets = buckets
            self.overLimit = overLimit
        }
    }

    public var context: PageContext
    public var q: String
    /// `overdue`, `-debt`, …; the controller keeps only `Sort` values.
    public var sort: String
    /// Of every debtor matching `q`, not only this page.
    public var totals: Totals
    public var rows: [Row]
    public var page: Int
    public var totalPages: Int

    public init(
        context: PageContext, q: String = "", sort: String = Sort.default, totals: Totals, rows: [Row], page: Int = 1,
        totalPages: Int = 1
    ) {
        self.context = context
        self.q = q
        self.sort = sort
        self.totals = totals
        self.rows = rows
        self.page = page
        self.totalPages = totalPages
    }
}
