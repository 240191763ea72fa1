import Domain
import Foundation

/// «Расходы»: GET `/expenses?from=&to=&category=&equipment=&sort=&page=` (see `Paths.expenseList`).
public struct ExpenseListModel: Sendable {
    /// The list's default order: the latest day first.
    public static let defaultSort = "-date"
    /// The columns a header click may sort by.
    public static let sortFields = ["date", "amount", "category"]

    public struct Filter: Sendable, Equatable {
        /// `yyyy-MM-dd` or "".
        public var from: String
        public var to: String
        public var category: ExpenseCategory?
        /// A machine id or "".
        public var equipmentID: String
        /// One of `sortFields`, `-` first for descending.
        public var sort: String

        public init(
            from: String = "", to: String = "", category: ExpenseCategory? = nil, equipmentID: String = "",
            sort: String = ExpenseListModel.defaultSort
        ) {
            self.from = from
            self.to = to
            self.category = category
            self.equipmentID = equipmentID
            self.sort = sort
        }
    }

    public struct Row: Sendable {
        public var id: String
        /// `yyyy-MM-dd`.
        public var day: String
        public var category: ExpenseCategory
        /// Kopecks.
        public var amount: Int64
        public var equipmentName: String?
        public var orderID: String?
        public var orderNumber: String?
        public var comment: String
        /// The receipt's photo as an external http(s) link, or "".
        public var attachmentURL: String
        /// Whether the receipt's photo was uploaded (shown at `Paths.expenseReceipt`).
        public var hasReceipt: Bool = false
        public var reportedBy: String?
        /// Booked by an order's completion (fuel, repair).
        public var bookedAtCompletion: Bool

        public init(
            id: String, day: String, category: ExpenseCategory, amount: Int64, equipmentName: String? = nil,
            orderID: String? = nil, orderNumber: String? = nil, comment: String = "", attachmentURL: String = "",
            reportedBy: String? = nil, bookedAtCompletion: Bool = false
        ) {
            self.id = id
            self.day = day
            self.category = category
            self.amount = amount
            self.equipmentName = equipmentName
            self.orderID = orderID
            self.orderNumber = orderNumber
            self.comment = comment
            self.attachmentURL = attachmentURL
            self.reportedBy = reportedBy
            self.bookedAtCompletion = bookedAtCompletion
        }
    }

    /// A machine of the catalogue, for the filter and the form.
    public struct Machine: Sendable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public var context: PageContext
    public var filter: Filter
    public var rows: [Row]
    /// Kopecks by category for the period and machine of the filter (every category, whatever `filter.category`).
    public var totals: [ExpenseCategory: Int64]
    public var machines: [Machine]
    public var page: Int
    public var totalPages: Int
    public var totalCount: Int
    /// Add, edit and delete (the API's roles).
    public var canEdit: Bool

    public init(
        context: PageContext, filter: Filter = Filter(), rows: [Row], totals: [ExpenseCategory: Int64] = [:],
        machines: [Machine] = [], page: Int = 1, totalPages: Int = 1, totalCount: Int? = nil, canEdit: Bool = true
    ) {
        self.context = context
        self.filter = filter
        self.rows = rows
        self.totals = totals
        self.machines = machines
        self.page = page
        self.totalPages = totalPages
        self.totalCount = totalCount ?? rows.count
        self.canEdit = canEdit
    }

    public var total: Int64 { totals.values.reduce(0, +) }
}

/// «Новый расход» (`/expenses/new`) or «Редактирование расхода» (`/expenses/{id}/edit`).
/// Posted fields: `_csrf`, `category`, `equipment_id` ("" = none), `amount` (roubles as typed), `date`
/// (`yyyy-MM-dd`), `comment`, `attachment_url` (the receipt's photo, an http(s) link).
public struct ExpenseFormModel: Sendable {
    public struct Values: Sendable, Equatable {
        public var category: String
        public var equipmentID: String
        public var amount: String
        public var date: String
        public var comment: String
        public var attachmentURL: String

        public init(
            category: String = "", equipmentID: String = "", amount: String = "", date: String = "",
            comment: String = "", attachmentURL: String = ""
        ) {
            self.category = category
            self.equipmentID = equipmentID
            self.amount = amount
            self.date = date
            self.comment = comment
            self.attachmentURL = attachmentURL
        }
    }

    public var context: PageContext
    /// `nil` = a new expense.
    public var id: String?
    public var values: Values
    public var machines: [ExpenseListModel.Machine]
    public var errors: FormErrors
    public var formError: String?
    /// The order the expense belongs to (kept as it is by the form).
    public var orderID: String?
    public var orderNumber: String?
    public var bookedAtCompletion: Bool
    /// Whether the expense has an uploaded receipt's photo (an existing expense only).
    public var hasReceipt: Bool

    public init(
        context: PageContext, id: String? = nil, values: Values = Values(), machines: [ExpenseListModel.Machine] = [],
        errors: FormErrors = [:], formError: String? = nil, orderID: String? = nil, orderNumber: String? = nil,
        bookedAtCompletion: Bool = false, hasReceipt: Bool = false
    ) {
        self.hasReceipt = hasReceipt
        self.context = context
        self.id = id
        self.values = values
        self.machines = machines
        self.errors = errors
        self.formError = formError
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.bookedAtCompletion = bookedAtCompletion
    }
}
