import Foundation

/// The order-level facts the pricing engine needs besides the lines (docs/domain-rules.md: sections
/// #configuration, #rounding and #late-penalty).
public struct PricingContext: Sendable, Hashable {
    /// `start_dt`.
    public var start: Date
    /// `end_dt`; `nil` while the order is open.
    public var end: Date?
    /// The moment used instead of "now" while `end` is `nil`, and stamped as the snapshot's `generated_at`.
    /// The caller passes its clock's now once, so one re-price gives one answer (fix for docs/original-bugs.md, 7.9).
    public var referenceTime: Date
    /// `prepayment_amount`, in roubles.
    public var prepayment: Decimal
    /// `meta.is_delayed`: the order is late whatever the dates say.
    public var isDelayed: Bool
    /// `meta.planned_end_dt`: the order is late when it ends (or, while open, `referenceTime` is) after this.
    public var plannedEnd: Date?
    /// Hours from which equipment is billed by the day, and the length of one shift (`PRICING_EQUIP_THRESHOLD`).
    public var dailyThresholdHours: Decimal
    /// The late-delivery reduction in percent of the order (`PRICING_LATE_PENALTY_PERCENT`).
    public var latePenaltyPercent: Decimal

    public init(
        start: Date,
        end: Date?,
        referenceTime: Date,
        prepayment: Decimal = 0,
        isDelayed: Bool = false,
        plannedEnd: Date? = nil,
        dailyThresholdHours: Decimal = 8,
        latePenaltyPercent: Decimal = 10
    ) {
        self.start = start
        self.end = end
        self.referenceTime = referenceTime
        self.prepayment = prepayment
        self.isDelayed = isDelayed
        self.plannedEnd = plannedEnd
        self.dailyThresholdHours = dailyThresholdHours
        self.latePenaltyPercent = latePenaltyPercent
    }

    /// `end`, or `referenceTime` while the order is open.
    public var effectiveEnd: Date {
        end ?? referenceTime
    }

    /// The order's length in fractional hours, never negative (`duration_hours` in docs/domain-rules.md#rounding).
    public var durationHours: Decimal {
        PriceCalculator.durationHours(from: start, to: effectiveEnd)
    }

    /// Late when flagged as delayed, or when it ended (or is still open) after the planned end
    /// (docs/domain-rules.md#late-penalty).
    public var isLate: Bool {
        if isDelayed { return true }
        guard let plannedEnd else { return false }
        return effectiveEnd > plannedEnd
    }
}
