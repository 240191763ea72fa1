import Foundation
import Testing

@testable import Domain

/// One answer per role to who may change what a client pays and who sees all orders (docs/security.md).
@Suite struct AccessPolicyTests {
    @Test(arguments: [(Role.admin, true), (.manager, true), (.operator, false), (.accountant, false)])
    func onlyAdminsAndManagersSetPrices(role: Role, may: Bool) {
        #expect(AccessPolicy.maySetPrices(role) == may)
    }

    @Test(arguments: [(Role.admin, true), (.manager, true), (.operator, false), (.accountant, true)])
    func operatorsSeeOnlyTheirOwnOrders(role: Role, may: Bool) {
        #expect(AccessPolicy.maySeeAllOrders(role) == may)
    }

    @Test func limitsCatchALineAndAnOrderAboveThem() {
        let context = PricingContext(
            start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 3600),
            referenceTime: Date(timeIntervalSince1970: 3600))
        func item(quantity: Decimal, price: Decimal) -> PricingItem {
            PricingItem(name: "X", itemType: .service, quantity: quantity, unitPrice: price)
        }
        let fine = PriceCalculator.price([item(quantity: 1000, price: 1_000_000)], context: context)
        #expect(MoneyLimits.violation(of: fine) == nil)
        let bigLine = PriceCalculator.price(
            [item(quantity: 1, price: 1), item(quantity: 9_999_999.99, price: 999_999_999.99)], context: context)
        #expect(MoneyLimits.violation(of: bigLine)?.line == 1)
        let bigOrder = PriceCalculator.price(
            Array(repeating: item(quantity: 1000, price: 1_000_000), count: 11), context: context)
        #expect(MoneyLimits.violation(of: bigOrder)?.line == nil)
        #expect(MoneyLimits.violation(of: bigOrder)?.message == MoneyLimits.orderTotalMessage)
    }
}
