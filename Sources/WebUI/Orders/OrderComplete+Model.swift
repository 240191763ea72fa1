import Foundation

/// «Завершение заявки N». POST `Paths.completeOrder(id)`; the form is queued offline (`data-offline-queue`).
///
/// Posted fields: `_csrf`, `end` (`datetime-local`, company time), `comment`,
/// `equipment[i][line_id]`, `equipment[i][shifts]`, `equipment[i][hours]`, `equipment[i][fuel]`,
/// `equipment[i][repair]` (fuel/repair are money), `materials[i][line_id]`, `materials[i][quantity]`
/// (every non-equipment line: materials, services, attachments), `new_materials[i][ref_id]`,
/// `new_materials[i][quantity]` (materials from the catalogue that are not on the order yet; a row with an empty
/// `ref_id` is ignored, one blank row is always rendered and app.js adds more), and, when `canEditPay`,
/// `pay[i][operator_id]`, `pay[i][amount]` (money; blank = not set). Indexes run 0, 1, 2… without gaps.
public struct OrderCompleteModel: Sendable {
    public struct EquipmentLine: Sendable {
        public var lineID: String
        public var name: String
        public var shifts: String
        public var hours: String
        public var fuel: String
        public var repair: String

        public init(
            lineID: String, name: String, shifts: String = "", hours: String = "", fuel: String = "",
            repair: String = ""
        ) {
            self.lineID = lineID
            self.name = name
            self.shifts = shifts
            self.hours = hours
            self.fuel = fuel
            self.repair = repair
        }
    }

    public struct QuantityLine: Sendable {
        public var lineID: String
        public var name: String
        /// «м³», «шт», «усл.».
        public var unit: String
        public var quantity: String

        public init(lineID: String, name: String, unit: String = "", quantity: String = "") {
            self.lineID = lineID
            self.name = name
            self.unit = unit
            self.quantity = quantity
        }
    }

    /// A material being added on completion: the posted `ref_id` and quantity text.
    public struct NewMaterial: Sendable {
        public var refID: String
        public var quantity: String

        public init(refID: String = "", quantity: String = "") {
            self.refID = refID
            self.quantity = quantity
        }
    }

    public struct OperatorPay: Sendable {
        public var operatorID: String
        public var name: String
        /// Money input text.
        public var amount: String

        public init(operatorID: String, name: String, amount: String = "") {
            self.operatorID = operatorID
            self.name = name
            self.amount = amount
        }
    }

    public var context: PageContext
    public var orderID: String
    public var number: String
    public var clientName: String?
    public var address: String
    public var start: Date
    public var currentEnd: Date?
    /// `datetime-local` text; prefill with now or the planned end.
    public var end: String
    public var comment: String
    public var equipment: [EquipmentLine]
    public var materials: [QuantityLine]
    /// Active catalogue materials (`kind == .material`) offered in «Добавить материал».
    public var catalogMaterials: [OrderFormModel.CatalogOption]
    /// Rows of «Добавить материал» as posted; empty shows one blank row.
    public var newMaterials: [NewMaterial]
    public var pay: [OperatorPay]
    /// Admin and manager set operators' pay; operators do not see the section.
    public var canEditPay: Bool
    /// Keys: `end`, `comment`, `equipment[0][hours]`, `materials[1][quantity]`, `new_materials[0][ref_id]`,
    /// `new_materials[0][quantity]`, `pay[0][amount]`…
    public var errors: FormErrors
    public var formError: String?

    public init(
        context: PageContext, orderID: String, number: String, clientName: String?, address: String,
        start: Date, currentEnd: Date? = nil, end: String = "", comment: String = "",
        equipment: [EquipmentLine] = [], materials: [QuantityLine] = [],
        catalogMaterials: [OrderFormModel.CatalogOption] = [], newMaterials: [NewMaterial] = [],
        pay: [OperatorPay] = [], canEditPay: Bool = false, errors: FormErrors = [:], formError: String? = nil
    ) {
        self.context = context
        self.orderID = orderID
        self.number = number
        self.clientName = clientName
        self.address = address
        self.start = start
        self.currentEnd = currentEnd
        self.end = end
        self.comment = comment
        self.equipment = equipment
        self.materials = materials
        self.catalogMaterials = catalogMaterials
        self.newMaterials = newMaterials
        self.pay = pay
        self.canEditPay = canEditPay
        self.errors = errors
        self.formError = formError
    }
}
