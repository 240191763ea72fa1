import Foundation
import Testing

@testable import Domain

/// `DebtAgeing`: the ageing rule of docs/domain-rules.md#client-ledger in the closed form the «Должники» query uses,
/// checked on worked examples and against `ClientLedger`.
@Suite struct DebtAgeingTests {
    private let asOf = date("2025-12-01T12:00:00+03:00")
    private let ids = (0..<4).map { _ in UUID() }

    /// A 10 000 (15 July), B 20 000 (20 September), C 30 000 (15 October), D 40 000 (25 November).
    private var orders: [BilledOrder] {
        [
            BilledOrder(orderID: ids[3], completedAt: date("2025-11-25T15:00:00+03:00"), total: money("40000")),
            BilledOrder(orderID: ids[0], completedAt: date("2025-07-15T15:00:00+03:00"), total: money("10000")),
            BilledOrder(orderID: ids[2], completedAt: date("2025-10-15T15:00:00+03:00"), total: money("30000")),
            BilledOrder(orderID: ids[1], completedAt: date("2025-09-20T15:00:00+03:00"), total: money("20000")),
        ]
    }

    @Test func theUnpaidPartOfOneDocument() {
        // 25 000 paid against 10 000 + 20 000 + 30 000 + 40 000, oldest first.
        let paid = money("25000")
        #expect(DebtAgeing.unpaidPart(total: money("10000"), billedBefore: .zero, paid: paid) == .zero)
        #expect(DebtAgeing.unpaidPart(total: money("20000"), billedBefore: money("10000"), paid: paid) == money("5000"))
        #expect(
            DebtAgeing.unpaidPart(total: money("30000"), billedBefore: money("30000"), paid: paid) == money("30000"))
        #expect(
            DebtAgeing.unpaidPart(total: money("40000"), billedBefore: money("60000"), paid: paid) == money("40000"))
        // Nothing paid: all of it; overpaid: nothing; a zero or negative total never owes.
        #expect(DebtAgeing.unpaidPart(total: money("500"), billedBefore: .zero, paid: .zero) == money("500"))
        #expect(DebtAgeing.unpaidPart(total: money("500"), billedBefore: money("100"), paid: money("900")) == .zero)
        #expect(DebtAgeing.unpaidPart(total: money("-300"), billedBefore: .zero, paid: .zero) == .zero)
        // A negative payment sum (refund records) counts as nothing paid.
        #expect(DebtAgeing.unpaidPart(total: money("500"), billedBefore: .zero, paid: money("-50")) == money("500"))
    }

    @Test func paymentsGoToTheOldestDocumentsFirst() {
        let parts = DebtAgeing.unpaidParts(of: orders, paid: money("25000"))
        #expect(parts.map(\.order.orderID) == [ids[1], ids[2], ids[3]])
        #expect(parts.map(\.unpaid) == [money("5000"), money("30000"), money("40000")])
    }

    @Test func cutoffsAreMoscowDayStarts() {
        // 1 December 2025 in Moscow: 30 days back is 1 November, 60 is 2 October, 90 is 2 September (00:00 MSK).
        let cutoffs = DebtAgeing.cutoffs(asOf: asOf)
        #expect(cutoffs.days30 == date("2025-11-01T00:00:00+03:00"))
        #expect(cutoffs.days60 == date("2025-10-02T00:00:00+03:00"))
        #expect(cutoffs.days90 == date("2025-09-02T00:00:00+03:00"))
        // 23:59 of 31 October (Moscow) is 31 days old; 00:00 of 1 November is 30.
        var buckets = AgeingBuckets()
        cutoffs.add(money("1"), billedAt: date("2025-10-31T23:59:00+03:00"), to: &buckets)
        cutoffs.add(money("2"), billedAt: date("2025-11-01T00:00:00+03:00"), to: &buckets)
        cutoffs.add(money("4"), billedAt: date("2026-01-10T10:00:00+03:00"), to: &buckets)
        cutoffs.add(money("8"), billedAt: date("2025-09-01T23:00:00+03:00"), to: &buckets)
        cutoffs.add(money("16"), billedAt: date("2025-09-02T00:30:00+03:00"), to: &buckets)
        #expect(buckets.upTo30Days == money("6"))
        #expect(buckets.days31To60 == money("1"))
        #expect(buckets.days61To90 == money("16"))
        #expect(buckets.over90Days == money("8"))
    }

    @Test func workedExampleOverdueIsOlderThan30Days() {
        // B's 5 000 is 72 days old, C is 47, D is 6: overdue 35 000 of a 75 000 debt.
        var buckets = AgeingBuckets()
        let cutoffs = DebtAgeing.cutoffs(asOf: asOf)
        for part in DebtAgeing.unpaidParts(of: orders, paid: money("25000")) {
            cutoffs.add(part.unpaid, billedAt: part.order.completedAt, to: &buckets)
        }
        #expect(
            buckets == AgeingBuckets(upTo30Days: money("40000"), days31To60: money("30000"), days61To90: money("5000")))
        #expect(DebtAgeing.overdue(buckets) == money("35000"))
    }

    @Test(arguments: ["0", "5000", "9999.99", "10000", "25000", "60000", "99999.99", "100000", "120000"])
    func theClosedFormGivesTheLedgersBuckets(paid: String) {
        let withOddities =
            orders + [
                BilledOrder(orderID: UUID(), completedAt: date("2025-08-01T10:00:00+03:00"), total: .zero),
                BilledOrder(orderID: UUID(), completedAt: date("2025-09-20T15:00:00+03:00"), total: money("1234.56")),
                BilledOrder(orderID: UUID(), completedAt: date("2025-12-03T09:00:00+03:00"), total: money("700")),
            ]
        let ledger = ClientLedger.balance(of: withOddities, totalPaid: money(paid), asOf: asOf)
        var buckets = AgeingBuckets()
        let cutoffs = DebtAgeing.cutoffs(asOf: asOf)
        let parts = DebtAgeing.unpaidParts(of: withOddities, paid: money(paid))
        for part in parts { cutoffs.add(part.unpaid, billedAt: part.order.completedAt, to: &buckets) }
        #expect(buckets == ledger.ageing)
        #expect(parts.map(\.unpaid) == ledger.openOrders.map(\.outstanding))
        // From the per-cutoff sums alone, as the «Должники» query gives them.
        var since = DebtAgeing.BilledSince(days30: .zero, days60: .zero, days90: .zero, all: .zero)
        for order in withOddities where order.total.isPositive {
            since.all += order.total
            if order.completedAt >= cutoffs.days90 { since.days90 += order.total }
            if order.completedAt >= cutoffs.days60 { since.days60 += order.total }
            if order.completedAt >= cutoffs.days30 { since.days30 += order.total }
        }
        #expect(DebtAgeing.buckets(since, paid: money(paid)) == ledger.ageing)
    }

    @Test func bucketsFromSumsWorkedExample() {
        // 100 000 billed: 40 000 in the last 30 days, 70 000 in 60, 90 000 in 90. 25 000 paid → 75 000 unpaid:
        // 40 000 до 30, 30 000 31–60, 5 000 61–90. 95 000 paid → 5 000, all of it до 30. Overpaid → nothing.
        let since = DebtAgeing.BilledSince(
            days30: money("40000"), days60: money("70000"), days90: money("90000"), all: money("100000"))
        #expect(
            DebtAgeing.buckets(since, paid: money("25000"))
                == AgeingBuckets(upTo30Days: money("40000"), days31To60: money("30000"), days61To90: money("5000")))
        #expect(DebtAgeing.buckets(since, paid: money("95000")) == AgeingBuckets(upTo30Days: money("5000")))
        #expect(DebtAgeing.buckets(since, paid: money("100000.01")) == AgeingBuckets())
        #expect(
            DebtAgeing.buckets(since, paid: .zero)
                == AgeingBuckets(
                    upTo30Days: money("40000"), days31To60: money("30000"), days61To90: money("20000"),
                    over90Days: money("10000")))
    }
}
