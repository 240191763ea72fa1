import Foundation

/// The client card: GET `/clients/{id}?from=&to=&orders_page=` (admins, managers, accountants).
public struct ClientCardModel: Sendable {
    /// One line of the ledger: a document billed (debit) or a payment (credit), with the balance after it.
    public struct LedgerRow: Sendable {
        /// `yyyy-MM-dd` in the company's zone.
        public var day: String
        public var document: String
        /// Kopecks.
        public var debit: Int64
        public var credit: Int64
        public var balance: Int64

        public init(day: String, document: String, debit: Int64, credit: Int64, balance: Int64) {
            self.day = day
            self.document = document
            self.debit = debit
            self.credit = credit
            self.balance = balance
        }
    }

    public struct Contacts: Sendable {
        public var contactPerson: String
        public var phone: String
        public var email: String
        public var address: String
        public var inn: String
        public var kpp: String
        public var notes: String

        public init(
            contactPerson: String = "", phone: String = "", email: String = "", address: String = "", inn: String = "",
            kpp: String = "", notes: String = ""
        ) {
            self.contactPerson = contactPerson
            self.phone = phone
            self.email = email
            self.address = address
            self.inn = inn
            self.kpp = kpp
            self.notes = notes
        }
    }

    /// The client's statement today (kopecks).
    public struct Account: Sendable {
        /// billed − paid: positive is the client's debt, negative their advance.
        public var balance: Int64
        public var creditLimit: Int64?
        /// The debt plus the open orders, checked against the limit.
        public var exposure: Int64
        public var isOverLimit: Bool
        public var buckets: DebtListModel.Buckets

        public init(
            balance: Int64, creditLimit: Int64? = nil, exposure: Int64 = 0, isOverLimit: Bool = false,
            buckets: DebtListModel.Buckets = DebtListModel.Buckets()
        ) {
            self.balance = balance
            self.creditLimit = creditLimit
            self.exposure = exposure
            self.isOverLimit = isOverLimit
            self.buckets = buckets
        }
    }

    public var context: PageContext
    public var id: String
    public var name: String
    public var isActive: Bool
    public var contacts: Contacts
    public var account: Account
    /// The ledger's period, `yyyy-MM-dd`, both days included; also the default of «Акт сверки».
    public var from: String
    public var to: String
    /// Kopecks before `from`.
    public var openingBalance: Int64
    public var ledger: [LedgerRow]
    public var orders: [OrderSummary]
    public var ordersCount: Int
    public var ordersPage: Int
    public var ordersTotalPages: Int
    /// «Изменить», «Деактивировать»: admins and managers.
    public var canEdit: Bool

    public init(
        context: PageContext, id: String, name: String, isActive: Bool = true, contacts: Contacts = Contacts(),
        account: Account, from: String, to: String, openingBalance: Int64 = 0, ledger: [LedgerRow] = [],
        orders: [OrderSummary] = [], ordersCount: Int = 0, ordersPage: Int = 1, ordersTotalPages: Int = 1,
        canEdit: Bool = false
    ) {
        self.context = context
        self.id = id
        self.name = name
        self.isActive = isActive
        self.contacts = contacts
        self.account = account
        self.from = from
        self.to = to
        self.openingBalance = openingBalance
        self.ledger = ledger
        self.orders = orders
        self.ordersCount = ordersCount
        self.ordersPage = ordersPage
        self.ordersTotalPages = ordersTotalPages
        self.canEdit = canEdit
    }

    /// The balance after the period's last line.
    public var closingBalance: Int64 { ledger.last?.balance ?? openingBalance }
}
