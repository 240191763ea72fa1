import Domain
import Foundation

/// Create (`POST /orders/new`) or edit (`POST /orders/{id}/edit`) an order.
///
/// Posted fields: `_csrf`, `client_id` ("" = new client), `new_client_name`, `new_client_phone`, `new_client_email`,
/// `address`, `start`, `end` (`datetime-local` in company time, parse with `RussianFormat.parseDateTimeLocal`),
/// `description`, `estimated_total`, `prepayment` (money, parse with `RussianFormat.parseMoney`),
/// `prepayment_status` (`PrepaymentStatus.rawValue`), `is_delayed` (`true` when ticked: the late penalty), `approve`
/// (`true` when ticked, create only), `operator_ids[]` (repeated), and item rows
/// `items[i][line_id]`, `items[i][type]` (`ItemType.rawValue`), `items[i][ref_id]`, `items[i][quantity]`,
/// `items[i][shifts]`, `items[i][hours]` with i = 0, 1, 2… without gaps. Rows with an empty `ref_id` are blank and
/// must be ignored. The same fields go to `Paths.orderPreviewAPI()` for the price preview.
public struct OrderFormModel: Sendable {
    public enum Mode: Sendable, Equatable {
        case create
        case edit(id: String, number: String)
    }

    /// What the form shows: the saved order (edit) or what the user posted (after a validation error).
    public struct Values: Sendable {
        public var clientID: String
        public var newClientName: String
        public var newClientPhone: String
        public var newClientEmail: String
        public var address: String
        /// `datetime-local` value in company time, see `RussianFormat.dateTimeLocalInput`.
        public var start: String
        public var end: String
        public var description: String
        /// Money input text, see `RussianFormat.moneyInput`.
        public var estimatedTotal: String
        public var prepayment: String
        /// `PrepaymentStatus.rawValue` as posted.
        public var prepaymentStatus: String
        /// «Просрочка»: the order is late and the client gets the late-penalty reduction (`meta.is_delayed`).
        public var isDelayed: Bool
        public var approve: Bool
        public var operatorIDs: [String]
        public var items: [Item]

        public init(
            clientID: String = "", newClientName: String = "", newClientPhone: String = "",
            newClientEmail: String = "", address: String = "", start: String = "", end: String = "",
            description: String = "", estimatedTotal: String = "", prepayment: String = "",
            prepaymentStatus: String = "pending", isDelayed: Bool = false, approve: Bool = false,
            operatorIDs: [String] = [], items: [Item] = []
        ) {
            self.clientID = clientID
            self.newClientName = newClientName
            self.newClientPhone = newClientPhone
            self.newClientEmail = newClientEmail
            self.address = address
            self.start = start
            self.end = end
            self.description = description
            self.estimatedTotal = estimatedTotal
            self.prepayment = prepayment
            self.prepaymentStatus = prepaymentStatus
            self.isDelayed = isDelayed
            self.approve = approve
            self.operatorIDs = operatorIDs
            self.items = items
        }
    }

    /// One item row as text.
    public struct Item: Sendable {
        /// The saved line's id (edit), "" for a new row.
        public var lineID: String
        public var kind: ItemType?
        public var refID: String
        public var quantity: String
        public var shifts: String
        public var hours: String

        public init(
            lineID: String = "", kind: ItemType? = nil, refID: String = "", quantity: String = "",
            shifts: String = "", hours: String = ""
        ) {
            self.lineID = lineID
            self.kind = kind
            self.refID = refID
            self.quantity = quantity
            self.shifts = shifts
            self.hours = hours
        }
    }

    public struct ClientOption: Sendable {
        public var id: String
        public var name: String
        public var phone: String
        /// Copied into «Адрес» by app.js when the client is picked and the address is empty.
        public var address: String

        public init(id: String, name: String, phone: String, address: String = "") {
            self.id = id
            self.name = name
            self.phone = phone
            self.address = address
        }
    }

    /// An active catalogue entry for the item picker.
    public struct CatalogOption: Sendable {
        public var kind: ItemType
        public var id: String
        public var name: String
        /// Equipment code (`EX-01`), shown after the name.
        public var code: String?
        /// «м³», «усл.», «ч».
        public var unit: String
        /// Kopecks: the hourly rate for equipment, the unit price otherwise.
        public var price: Int64?
        /// Kopecks per shift (equipment only).
        public var dailyRate: Int64?

        public init(
            kind: ItemType, id: String, name: String, code: String? = nil, unit: String = "",
            price: Int64? = nil, dailyRate: Int64? = nil
        ) {
            self.kind = kind
            self.id = id
            self.name = name
            self.code = code
            self.unit = unit
            self.price = price
            self.dailyRate = dailyRate
        }
    }

    public struct OperatorOption: Sendable {
        public var id: String
        public var name: String
        public var phone: String

        public init(id: String, name: String, phone: String = "") {
            self.id = id
            self.name = name
            self.phone = phone
        }
    }

    /// A double booking: another active order holds the same machine or operator in an overlapping period.
    public struct Conflict: Sendable {
        public var orderID: String
        public var orderNumber: String
        /// «Экскаватор JCB 3CX» or «Оператор Иван Петров».
        public var resource: String
        public var start: Date
        public var end: Date?

        public init(orderID: String, orderNumber: String, resource: String, start: Date, end: Date?) {
            self.orderID = orderID
            self.orderNumber = orderNumber
            self.resource = resource
            self.start = start
            self.end = end
        }
    }

    public var context: PageContext
    public var mode: Mode
    public var values: Values
    /// Keys are field names: `client_id`, `new_client_name`, `new_client_phone`, `new_client_email`, `address`,
    /// `start`, `end`, `description`, `estimated_total`, `prepayment`, `prepayment_status`, `is_delayed`,
    /// `operator_ids`, `items`,
    /// `items[0][ref_id]`, `items[0][quantity]`, `items[0][shifts]`, `items[0][hours]`…
    public var errors: FormErrors
    /// A message for the whole form («Не удалось сохранить заявку»).
    public var formError: String?
    public var conflicts: [Conflict]
    public var clients: [ClientOption]
    public var catalog: [CatalogOption]
    public var operators: [OperatorOption]
    /// The money fields (prepayment, its status, the late-penalty switch) are for those who may set prices
    /// (`OrderPolicy.maySetPrices`): false shows them read-only.
    public var canEditPrepayment: Bool

    public init(
        context: PageContext, mode: Mode = .create, values: Values = Values(), errors: FormErrors = [:],
        formError: String? = nil, conflicts: [Conflict] = [], clients: [ClientOption] = [],
        catalog: [CatalogOption] = [], operators: [OperatorOption] = [], canEditPrepayment: Bool = true
    ) {
        self.context = context
        self.mode = mode
        self.values = values
        self.errors = errors
        self.formError = formError
        self.conflicts = conflicts
        self.clients = clients
        self.catalog = catalog
        self.operators = operators
        self.canEditPrepayment = canEditPrepayment
    }
}
