import Foundation

/// The priced order as stored in `order.price_snapshot` and used for receipts (docs/domain-rules.md#price-snapshot).
///
/// Encodes to the documented JSON with snake_case keys and money as `"0.00"` strings. `generated_at` follows the
/// encoder's date strategy (the API uses ISO 8601).
public struct PriceSnapshot: Codable, Sendable, Equatable {
    public var positions: [Position]
    public var summary: Summary
    public var generatedAt: Date

    public init(positions: [Position], summary: Summary, generatedAt: Date) {
        self.positions = positions
        self.summary = summary
        self.generatedAt = generatedAt
    }

    enum CodingKeys: String, CodingKey {
        case positions
        case summary
        case generatedAt = "generated_at"
    }

    /// One priced line.
    public struct Position: Codable, Sendable, Equatable {
        public var name: String
        public var type: ItemType
        /// The billed quantity as plain text: `"3.5"`, `"5"`, `"1"`; a zero quantity is `"0.00"` (example T3 in
        /// docs/domain-rules.md#pricing-worked-examples).
        public var quantity: String
        /// The price per billed unit (the daily rate for equipment billed by the day).
        public var unitPrice: Money
        public var taxAmount: Money
        /// The discount as an amount of money (the line's percent applied to its base).
        public var discount: Money
        /// Net of the discount, tax included: `net + tax`.
        public var lineTotal: Money
        public var notes: String

        public init(
            name: String, type: ItemType, quantity: String, unitPrice: Money, taxAmount: Money, discount: Money,
            lineTotal: Money, notes: String
        ) {
            self.name = name
            self.type = type
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.taxAmount = taxAmount
            self.discount = discount
            self.lineTotal = lineTotal
            self.notes = notes
        }

        enum CodingKeys: String, CodingKey {
            case name, type, quantity, notes
            case unitPrice = "unit_price"
            case taxAmount = "tax_amount"
            case discount
            case lineTotal = "line_total"
        }
    }

    /// The order totals. `total = subtotal + taxTotal − latePenalty`; `balance = max(total − prepayment, 0)`.
    public struct Summary: Codable, Sendable, Equatable {
        /// Σ net of the lines (after their discounts, before tax).
        public var subtotal: Money
        /// Σ tax of the lines.
        public var taxTotal: Money
        /// Σ line discounts + the late penalty (informational: both are already inside `total`).
        public var discountTotal: Money
        /// The reduction the client gets when the order is late.
        public var latePenalty: Money
        public var total: Money
        public var prepayment: Money
        /// What the client still owes; never below zero.
        public var balance: Money

        public init(
            subtotal: Money, taxTotal: Money, discountTotal: Money, latePenalty: Money, total: Money,
            prepayment: Money, balance: Money
        ) {
            self.subtotal = subtotal
            self.taxTotal = taxTotal
            self.discountTotal = discountTotal
            self.latePenalty = latePenalty
            self.total = total
            self.prepayment = prepayment
            self.balance = balance
        }

        enum CodingKeys: String, CodingKey {
            case subtotal
            case taxTotal = "tax_total"
            case discountTotal = "discount_total"
            case latePenalty = "late_penalty"
            case total, prepayment, balance
        }
    }
}
