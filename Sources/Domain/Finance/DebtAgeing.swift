import Foundation

/// The ageing rule of `ClientLedger` in closed form, so that a database can apply it to every client at once
/// (`DebtQueries`, the «Должники» page) and give the ledger's figures (docs/domain-rules.md#client-ledger).
///
/// Payments settle the oldest documents first. So a document with a positive total is unpaid by what the payments
/// leave of it after the older documents took their share (`unpaidPart`: Σ of the older documents is enough), and
/// the buckets need only Σ of the documents newer than each cutoff (`buckets`).
public enum DebtAgeing {
    /// What stays unpaid of a document of `total` when `paid` is applied to the documents oldest first and the
    /// documents before it total `billedBefore` (positive totals only). Zero and negative totals owe nothing.
    public static func unpaidPart(total: Money, billedBefore: Money, paid: Money) -> Money {
        guard total.isPositive else { return .zero }
        let leftForThis = (paid.clampedToZero - billedBefore.clampedToZero).clampedToZero
        return (total - Swift.min(leftForThis, total))
    }

    /// The unpaid part of each document, oldest first (ties keep their order); documents fully paid are left out.
    public static func unpaidParts(of documents: [BilledOrder], paid: Money) -> [(order: BilledOrder, unpaid: Money)] {
        let oldestFirst = documents.enumerated().sorted {
            ($0.element.completedAt, $0.offset) < ($1.element.completedAt, $1.offset)
        }.map(\.element)
        var billedBefore = Money.zero
        var parts: [(order: BilledOrder, unpaid: Money)] = []
        for document in oldestFirst where document.total.isPositive {
            let unpaid = unpaidPart(total: document.total, billedBefore: billedBefore, paid: paid)
            billedBefore += document.total
            if unpaid.isPositive { parts.append((document, unpaid)) }
        }
        return parts
    }

    /// The moments where the buckets change for a given as-of moment: a document billed at or after `days30`
    /// is at most 30 whole calendar days old, at or after `days60` at most 60, at or after `days90` at most 90.
    public struct Cutoffs: Sendable, Hashable {
        /// The start of the day 30 days before the as-of day.
        public var days30: Date
        public var days60: Date
        public var days90: Date

        public init(days30: Date, days60: Date, days90: Date) {
            self.days30 = days30
            self.days60 = days60
            self.days90 = days90
        }

        /// Adds `amount` billed at `billedAt` to its bucket: the same bucket as
        /// `AgeingBuckets.add(_:ageInDays: ClientLedger.ageInDays(from: billedAt, to: asOf))`.
        public func add(_ amount: Money, billedAt: Date, to buckets: inout AgeingBuckets) {
            if billedAt >= days30 {
                buckets.upTo30Days += amount
            } else if billedAt >= days60 {
                buckets.days31To60 += amount
            } else if billedAt >= days90 {
                buckets.days61To90 += amount
            } else {
                buckets.over90Days += amount
            }
        }
    }

    /// The cutoffs for `asOf` in `calendar`'s time zone (the company's: whole Moscow calendar days).
    public static func cutoffs(asOf: Date, calendar: Calendar = BusinessTime.calendar) -> Cutoffs {
        let today = calendar.startOfDay(for: asOf)
        func daysBack(_ days: Int) -> Date {
            calendar.date(byAdding: .day, value: -days, to: today) ?? today.addingTimeInterval(-Double(days) * 86_400)
        }
        return Cutoffs(days30: daysBack(30), days60: daysBack(60), days90: daysBack(90))
    }

    /// Σ of a client's positive order totals billed at or after each cutoff, and of all of them: what a database
    /// sums per client in one pass.
    public struct BilledSince: Sendable, Hashable {
        public var days30: Money
        public var days60: Money
        public var days90: Money
        public var all: Money

        public init(days30: Money, days60: Money, days90: Money, all: Money) {
            self.days30 = days30
            self.days60 = days60
            self.days90 = days90
            self.all = all
        }
    }

    /// The debt by age from per-cutoff sums alone. Payments settle the oldest documents first, so what stays unpaid
    /// is the newest `all − paid` of the documents: the newest bucket holds as much of it as it can, then the next.
    /// Gives `ClientLedger.balance(...).ageing`.
    public static func buckets(_ billed: BilledSince, paid: Money) -> AgeingBuckets {
        let unpaid = billed.all - paid.clampedToZero
        guard unpaid.isPositive else { return AgeingBuckets() }
        let upTo30 = Swift.min(billed.days30, unpaid)
        let upTo60 = Swift.min(billed.days60, unpaid)
        let upTo90 = Swift.min(billed.days90, unpaid)
        return AgeingBuckets(
            upTo30Days: upTo30, days31To60: upTo60 - upTo30, days61To90: upTo90 - upTo60, over90Days: unpaid - upTo90)
    }

    /// Overdue: the debt older than 30 days (the «31–60», «61–90» and «больше 90 дней» buckets); the «Должники»
    /// page sorts by it.
    public static func overdue(_ buckets: AgeingBuckets) -> Money {
        buckets.days31To60 + buckets.days61To90 + buckets.over90Days
    }
}
