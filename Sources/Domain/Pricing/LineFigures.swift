import Foundation

/// Which part of the revenue breakdown a priced line counts towards (docs/domain-rules.md#line-figures).
public enum RevenueGroup: String, CaseIterable, Sendable {
    /// Equipment lines.
    case equipment
    /// Services, and materials of the `soil` and `tool` categories (or of an unknown category).
    case services
    /// Attachments, and materials of the `attachment` category. The original left these out of both
    /// breakdowns, so the parts did not add up to the revenue.
    case attachments

    /// The group of a line: by item type, and for materials by `material_category`.
    public static func of(_ type: ItemType, materialCategory: String?) -> RevenueGroup {
        switch type {
        case .equipment: .equipment
        case .service: .services
        case .attachment: .attachments
        case .material: materialCategory == "attachment" ? .attachments : .services
        }
    }

    /// The Russian label shown in reports.
    public var title: String {
        switch self {
        case .equipment: "Техника"
        case .services: "Услуги и материалы"
        case .attachments: "Навесное оборудование"
        }
    }
}

/// The figures of one priced line that are stored with it: what the reports add up (the amount, the hours and
/// shifts, the hours the machine was booked for) and what the order JSON shows (`display_quantity`,
/// `display_unit`), so that reading an order never re-prices it.
public struct LineFigures: Sendable, Equatable {
    /// `net + tax`: the line's `line_total` (the same figure as in the price snapshot).
    public var lineTotal: Money
    /// Equipment: the reported extra hours (`metadata.hours`), or for lines priced by the order's duration the
    /// billed hours (rounded to the half hour); 0 for other lines.
    public var hours: Decimal
    /// Equipment: the reported shifts; 0 otherwise.
    public var shifts: Decimal
    /// Equipment: how long the machine was booked: shifts × the shift length (8 h) + hours; for lines priced
    /// by duration the rounded duration (also when billed by the day); 0 for other lines.
    public var bookedHours: Decimal
    public var revenueGroup: RevenueGroup
    /// `PricedLine.displayQuantity`, e.g. «2 смены, 3.0 ч».
    public var displayQuantity: String
    /// `PricedLine.displayUnit`, e.g. «смены».
    public var displayUnit: String

    public init(_ item: PricingItem, materialCategory: String?, context: PricingContext) {
        let priced = PriceCalculator.priceLine(item, context: context)
        lineTotal = priced.lineTotal
        displayQuantity = priced.displayQuantity
        displayUnit = priced.displayUnit
        revenueGroup = RevenueGroup.of(item.itemType, materialCategory: materialCategory)
        switch priced.mode {
        case .shiftsAndHours(let shifts, let hours):
            self.shifts = shifts
            self.hours = hours
            bookedHours = shifts * context.dailyThresholdHours + hours
        case .hourly(let hours):
            shifts = 0
            self.hours = hours
            bookedHours = hours
        case .daily:
            let hours = PriceCalculator.roundHalfHour(context.durationHours)
            shifts = 0
            self.hours = hours
            bookedHours = hours
        case .perHour, .quantity:
            shifts = 0
            hours = 0
            bookedHours = 0
        }
    }
}
