import Foundation

/// A completed order as it counts towards a client's debt: its total, billed on the day it was completed.
public struct BilledOrder: Sendable, Hashable {
    public var orderID: UUID
    /// When the order was completed (`end_dt`); its debt ages from this day.
    public var completedAt: Date
    /// `total_amount` of the order.
    public var total: Money

    public init(orderID: UUID, completedAt: Date, total: Money) {
        self.orderID = orderID
        self.completedAt = completedAt
        self.total = total
    }
}

/// Unpaid amounts grouped by how many days ago the order was completed.
public struct AgeingBuckets: Sendable, Hashable {
    /// 0–30 days.
    public var upTo30Days: Money
    /// 31–60 days.
    public var days31To60: Money
    /// 61–90 days.
    public var days61To90: Money
    /// 91 days and older.
    public var over90Days: Money

    public init(
        upTo30Days: Money = .zero, days31To60: Money = .zero, days61To90: Money = .zero, over90Days: Money = .zero
    ) {
        self.upTo30Days = upTo30Days
        self.days31To60 = days31To60
        self.days61To90 = days61To90
        self.over90Days = over90Days
    }

    public var total: Money {
        upTo30Days + days31To60 + days61To90 + over90Days
    }

    /// Adds `amount` to the bucket for an order `ageInDays` old.
    public mutating func add(_ amount: Money, ageInDays: Int) {
        switch ageInDays {
        case ...30: upTo30Days += amount
        case 31...60: days31To60 += amount
        case 61...90: days61To90 += amount
        default: over90Days += amount
        }
    }
}

/// What is still unpaid of one order after payments were applied.
public struct OpenOrder: Sendable, Hashable {
    public var orderID: UUID
    public var completedAt: Date
    /// Whole calendar days (Moscow) from completion to the as-of date; never negative.
    public var ageInDays: Int
    public var outstanding: Money

    public init(orderID: UUID, completedAt: Date, ageInDays: Int, outstanding: Money) {
        self.orderID = orderID
        self.completedAt = completedAt
        self.ageInDays = ageInDays
        self.outstanding = outstanding
    }
}

/// A client's account on a given day.
public struct ClientBalance: Sendable, Hashable {
    /// Σ totals of the client's completed orders.
    public var billed: Money
    /// Σ payments received.
    public var paid: Money
    /// `billed − paid`: positive means the client owes us, negative means we hold their money (a credit).
    public var balance: Money
    /// The debt by age; `ageing.total == debt` unless an order total or the payments are negative.
    public var ageing: AgeingBuckets
    /// Orders not yet fully paid, oldest first.
    public var openOrders: [OpenOrder]

    public init(billed: Money, paid: Money, balance: Money, ageing: AgeingBuckets, openOrders: [OpenOrder]) {
        self.billed = billed
        self.paid = paid
        self.balance = balance
        self.ageing = ageing
        self.openOrders = openOrders
    }

    /// What the client owes (0 when in credit).
    public var debt: Money { balance.clampedToZero }
    /// What the client has paid in advance (0 when in debt).
    public var credit: Money { (-balance).clampedToZero }
}

/// Client balance and debt ageing.
///
/// Balance = billed (totals of completed orders) − paid. Payments are not tied to orders: they settle the
/// oldest debt first (FIFO by completion time, ties in the given order), and what stays unpaid of each order is
/// put into a bucket by the order's age in whole Moscow calendar days: 0–30, 31–60, 61–90, over 90.
/// Orders with a zero or negative total only change `billed`; an order completed after `asOf` counts as 0 days old.
public enum ClientLedger {
    public static func balance(
        of orders: [BilledOrder], totalPaid: Money, asOf: Date, calendar: Calendar = BusinessTime.calendar
    ) -> ClientBalance {
        let billed = orders.map(\.total).sum()
        let fifo = orders.enumerated().sorted {
            ($0.element.completedAt, $0.offset) < ($1.element.completedAt, $1.offset)
        }.map(\.element)

        var unallocated = totalPaid.clampedToZero
        var ageing = AgeingBuckets()
        var openOrders: [OpenOrder] = []
        for order in fifo where order.total.isPositive {
            let settled = Swift.min(unallocated, order.total)
            unallocated -= settled
            let outstanding = order.total - settled
            guard outstanding.isPositive else { continue }
            let age = ageInDays(from: order.completedAt, to: asOf, calendar: calendar)
            ageing.add(outstanding, ageInDays: age)
            openOrders.append(
                OpenOrder(
                    orderID: order.orderID, completedAt: order.completedAt, ageInDays: age, outstanding: outstanding))
        }
        return ClientBalance(
            billed: billed, paid: totalPaid, balance: billed - totalPaid, ageing: ageing, openOrders: openOrders)
    }

    /// Whole calendar days from the day of `start` to the day of `end` in `calendar`'s time zone (23:59 → next
    /// day 00:01 is 1 day); 0 when `end` is on or before `start`'s day.
    public static func ageInDays(from start: Date, to end: Date, calendar: Calendar = BusinessTime.calendar) -> Int {
        let days =
            calendar.dateComponents([.day], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: end))
            .day ?? 0
        return Swift.max(days, 0)
    }
}
