import Domain
import Foundation

/// What a user may do with an order. The controller decides from role + status (+ assignment) and lists them.
public enum OrderAction: String, CaseIterable, Sendable {
    /// CREATED → APPROVED: POST `Paths.orderStatus` `status=APPROVED` (offline-queued).
    case approve
    /// APPROVED → IN_PROGRESS: POST `Paths.orderStatus` `status=IN_PROGRESS` (offline-queued).
    case start
    /// IN_PROGRESS → completion form: link to `Paths.completeOrder`.
    case complete
    /// → CANCELLED: POST `Paths.orderStatus` `status=CANCELLED`, `comment`, after a confirm step.
    case cancel
    /// Link to `Paths.editOrder`.
    case edit
    /// POST `Paths.deleteOrder` after a confirm step.
    case delete
    /// Link to `Paths.orderReceipt`: the completed order's receipt as PDF.
    case receipt
    /// Link to `Paths.invoicePDF(model.invoiceID)`: the order's issued invoice as PDF.
    case invoice
    /// POST `Paths.issueInvoice`: issue the completed order's invoice (it has none yet).
    case issueInvoice
    /// Link to `Paths.orderAct`: the completed order's act («Акт оказанных услуг») as PDF.
    case act
    /// POST `Paths.sendOrderDocument`: e-mail the receipt or the invoice to the client.
    case sendToClient

    /// «Одобрить», «Начать работу», «Завершить», «Отменить», «Редактировать», «Удалить», «Чек», «Счёт»,
    /// «Выставить счёт», «Акт», «Отправить клиенту».
    public var title: String {
        switch self {
        case .approve: "Одобрить"
        case .start: "Начать работу"
        case .complete: "Завершить"
        case .cancel: "Отменить"
        case .edit: "Редактировать"
        case .delete: "Удалить"
        case .receipt: "Чек"
        case .invoice: "Счёт"
        case .issueInvoice: "Выставить счёт"
        case .act: "Акт"
        case .sendToClient: "Отправить клиенту"
        }
    }
}

/// «Заявка N». GET `/orders/{id}`.
public struct OrderDetailModel: Sendable {
    public struct Person: Sendable {
        public var name: String
        public var phone: String

        public init(name: String, phone: String = "") {
            self.name = name
            self.phone = phone
        }
    }

    public struct Client: Sendable {
        public var name: String
        public var phone: String
        public var email: String

        public init(name: String, phone: String = "", email: String = "") {
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    /// One order line with its server-computed total.
    public struct Line: Sendable {
        public var name: String
        public var kind: ItemType
        /// «2 смены, 3 ч», «2,5 м³», «1 усл.» — formatted by the controller or with `RussianFormat`.
        public var quantityText: String
        /// Kopecks; hourly rate for equipment.
        public var unitPrice: Int64?
        /// Percent, 0 = none.
        public var discountPercent: Double
        /// Kopecks.
        public var total: Int64
        /// Kopecks (equipment, after completion).
        public var fuelExpense: Int64?
        public var repairExpense: Int64?

        public init(
            name: String, kind: ItemType, quantityText: String, unitPrice: Int64? = nil,
            discountPercent: Double = 0, total: Int64, fuelExpense: Int64? = nil, repairExpense: Int64? = nil
        ) {
            self.name = name
            self.kind = kind
            self.quantityText = quantityText
            self.unitPrice = unitPrice
            self.discountPercent = discountPercent
            self.total = total
            self.fuelExpense = fuelExpense
            self.repairExpense = repairExpense
        }
    }

    public struct StatusChange: Sendable {
        public var from: OrderStatus?
        public var to: OrderStatus
        public var actorName: String?
        public var comment: String
        public var at: Date

        public init(from: OrderStatus?, to: OrderStatus, actorName: String?, comment: String = "", at: Date) {
            self.from = from
            self.to = to
            self.actorName = actorName
            self.comment = comment
            self.at = at
        }
    }

    public struct Photo: Sendable {
        public var url: String
        public var kind: PhotoKind
        public var capturedAt: Date?
        public var note: String

        public init(url: String, kind: PhotoKind, capturedAt: Date? = nil, note: String = "") {
            self.url = url
            self.kind = kind
            self.capturedAt = capturedAt
            self.note = note
        }
    }

    public var context: PageContext
    public var id: String
    public var number: String
    public var status: OrderStatus
    public var createdAt: Date
    public var updatedAt: Date?
    public var start: Date
    public var end: Date?
    public var client: Client?
    public var address: String
    public var description: String
    public var manager: Person?
    public var operators: [Person]
    public var lines: [Line]
    /// Kopecks.
    public var total: Int64
    public var prepayment: Int64
    public var prepaymentStatus: PrepaymentStatus
    /// «Просрочка» is ticked (`meta.is_delayed`).
    public var isDelayed: Bool
    /// Kopecks: the late-penalty reduction inside `total` (0 when on time).
    public var latePenalty: Int64
    /// Newest first.
    public var history: [StatusChange]
    public var photos: [Photo]
    /// Buttons to show, in this order.
    public var actions: [OrderAction]
    /// Show money (lines' prices and totals); false hides them, e.g. for operators.
    public var showsMoney: Bool
    /// Show the photo upload form (`Paths.orderPhotos`): staff and the order's operators.
    public var canUploadPhotos: Bool
    /// The order's invoice, which `.invoice` links to.
    public var invoiceID: String?

    public init(
        context: PageContext, id: String, number: String, status: OrderStatus, createdAt: Date,
        updatedAt: Date? = nil, start: Date, end: Date? = nil, client: Client? = nil, address: String,
        description: String = "", manager: Person? = nil, operators: [Person] = [], lines: [Line] = [],
        total: Int64, prepayment: Int64 = 0, prepaymentStatus: PrepaymentStatus = .pending,
        isDelayed: Bool = false, latePenalty: Int64 = 0, history: [StatusChange] = [], photos: [Photo] = [],
        actions: [OrderAction] = [],
        showsMoney: Bool = true, canUploadPhotos: Bool = false, invoiceID: String? = nil
    ) {
        self.canUploadPhotos = canUploadPhotos
        self.invoiceID = invoiceID
        self.context = context
        self.id = id
        self.number = number
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.start = start
        self.end = end
        self.client = client
        self.address = address
        self.description = description
        self.manager = manager
        self.operators = operators
        self.lines = lines
        self.total = total
        self.prepayment = prepayment
        self.prepaymentStatus = prepaymentStatus
        self.isDelayed = isDelayed
        self.latePenalty = latePenalty
        self.history = history
        self.photos = photos
        self.actions = actions
        self.showsMoney = showsMoney
    }

    /// `max(total − prepayment, 0)`.
    public var balance: Int64 { max(total - prepayment, 0) }
}
