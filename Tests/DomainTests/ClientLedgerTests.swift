import Foundation
import Testing

@testable import Domain

@Suite struct ClientLedgerTests {
    private let asOf = date("2025-12-01T12:00:00+03:00")
    private let ids = (0..<4).map { _ in UUID() }

    /// A: 139 days old, B: 72, C: 47, D: 6 (given out of order on purpose).
    private var orders: [BilledOrder] {
        [
            BilledOrder(orderID: ids[3], completedAt: date("2025-11-25T15:00:00+03:00"), total: money("40000")),
            BilledOrder(orderID: ids[0], completedAt: date("2025-07-15T15:00:00+03:00"), total: money("10000")),
            BilledOrder(orderID: ids[2], completedAt: date("2025-10-15T15:00:00+03:00"), total: money("30000")),
            BilledOrder(orderID: ids[1], completedAt: date("2025-09-20T15:00:00+03:00"), total: money("20000")),
        ]
    }

    @Test func paymentsSettleTheOldestDebtFirst() {
        // MUT
        let result = ClientLedger.balance(of: orders, totalPaid: money("25000"), asOf: asOf)
        // validate: A (10 000) paid, B 15 000 of 20 000 paid, C and D open.
        #expect(result.billed == money("100000.00"))
        #expect(result.paid == money("25000.00"))
        #expect(result.balance == money("75000.00"))
        #expect(result.debt == money("75000.00"))
        #expect(result.credit == .zero)
        #expect(result.ageing.upTo30Days == money("40000.00"))
        #expect(result.ageing.days31To60 == money("30000.00"))
        #expect(result.ageing.days61To90 == money("5000.00"))
        #expect(result.ageing.over90Days == .zero)
        #expect(result.ageing.total == result.debt)
        #expect(result.openOrders.map(\.orderID) == [ids[1], ids[2], ids[3]])
        #expect(result.openOrders.map(\.ageInDays) == [72, 47, 6])
        #expect(result.openOrders.map(\.outstanding) == [money("5000"), money("30000"), money("40000")])
    }

    @Test func smallPaymentLeavesOldDebtOver90Days() {
        let result = ClientLedger.balance(of: orders, totalPaid: money("5000"), asOf: asOf)
        #expect(result.ageing.over90Days == money("5000.00"))
        #expect(result.ageing.days61To90 == money("20000.00"))
        #expect(result.ageing.total == money("95000.00"))
    }

    @Test func overpaymentIsACredit() {
        let result = ClientLedger.balance(of: orders, totalPaid: money("100500"), asOf: asOf)
        #expect(result.balance == money("-500.00"))
        #expect(result.credit == money("500.00"))
        #expect(result.debt == .zero)
        #expect(result.ageing == AgeingBuckets())
        #expect(result.openOrders.isEmpty)
    }

    @Test func noOrders() {
        let result = ClientLedger.balance(of: [], totalPaid: .zero, asOf: asOf)
        #expect(result.billed == .zero)
        #expect(result.balance == .zero)
        #expect(result.openOrders.isEmpty)
    }

    @Test func sameDayOrdersArePaidInTheGivenOrder() {
        let day = date("2025-11-20T10:00:00+03:00")
        let first = BilledOrder(orderID: ids[0], completedAt: day, total: money("100"))
        let second = BilledOrder(orderID: ids[1], completedAt: day, total: money("100"))
        let result = ClientLedger.balance(of: [first, second], totalPaid: money("150"), asOf: asOf)
        #expect(result.openOrders.map(\.orderID) == [ids[1]])
        #expect(result.openOrders.first?.outstanding == money("50"))
    }

    @Test(arguments: [(0, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3), (400, 3), (-3, 0)] as [(Int, Int)])
    func bucketBoundaries(age: Int, bucket: Int) {
        var buckets = AgeingBuckets()
        buckets.add(money("1"), ageInDays: age)
        let values = [buckets.upTo30Days, buckets.days31To60, buckets.days61To90, buckets.over90Days]
        #expect(values.firstIndex(of: money("1")) == bucket)
    }

    @Test func ageCountsMoscowCalendarDays() {
        // 23:59 and 00:01 Moscow time are on different days although only two minutes apart.
        #expect(
            ClientLedger.ageInDays(from: date("2025-11-30T23:59:00+03:00"), to: date("2025-12-01T00:01:00+03:00"))
                == 1)
        // 01:00 Moscow is still the previous day in UTC; Moscow decides.
        #expect(
            ClientLedger.ageInDays(from: date("2025-12-01T01:00:00+03:00"), to: date("2025-12-01T23:00:00+03:00"))
                == 0)
        #expect(ClientLedger.ageInDays(from: asOf.addingTimeInterval(86400 * 3), to: asOf) == 0)
        #expect(ClientLedger.ageInDays(from: date("2025-07-15T15:00:00+03:00"), to: asOf) == 139)
    }

    @Test func futureOrderCountsAsCurrent() {
        let future = BilledOrder(orderID: ids[0], completedAt: asOf.addingTimeInterval(86400), total: money("10"))
        let result = ClientLedger.balance(of: [future], totalPaid: .zero, asOf: asOf)
        #expect(result.ageing.upTo30Days == money("10"))
    }
}
