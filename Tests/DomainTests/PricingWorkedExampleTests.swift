import Foundation
import Testing

@testable import Domain

/// Every worked example of docs/domain-rules.md#pricing-worked-examples, with our figures where the original's
/// differ (noted as `original:`).
@Suite struct PricingWorkedExampleTests {
    @Test func t1EquipmentHourlyRoundsToHalfHour() throws {
        // setup
        let item = PricingItem(name: "Экскаватор", itemType: .equipment, unitPrice: 120)
        // MUT
        let snapshot = PriceCalculator.price([item], context: context(hours: dec("3.25"), prepayment: 100))
        // validate
        let position = try #require(snapshot.positions.first)
        #expect(position.quantity == "3.5")
        #expect(position.unitPrice == money("120"))
        #expect(position.notes == "Hourly rate (3.5 h)")
        #expect(position.lineTotal == money("420"))
        #expect(snapshot.summary.subtotal == money("420.00"))
        #expect(snapshot.summary.total == money("420.00"))
        #expect(snapshot.summary.balance == money("320.00"))
    }

    @Test func t2EquipmentDailyRateAfterThreshold() throws {
        let item = PricingItem(name: "Экскаватор", itemType: .equipment, unitPrice: 150, dailyRate: 800)
        let snapshot = PriceCalculator.price([item], context: context(hours: 10, prepayment: 100))
        let position = try #require(snapshot.positions.first)
        #expect(position.quantity == "1")
        #expect(position.unitPrice == money("800.00"))
        #expect(position.notes == "Daily rate (1 day(s))")
        #expect(snapshot.summary.total == money("800.00"))
        #expect(snapshot.summary.balance == money("700.00"))
    }

    @Test func t3NegativeMaterialQuantityCountsAsZero() throws {
        let item = PricingItem(name: "Щебень", itemType: .material, quantity: -5, unitPrice: 50)
        let snapshot = PriceCalculator.price([item], context: context(prepayment: 100))
        let position = try #require(snapshot.positions.first)
        #expect(position.quantity == "0.00")
        #expect(position.notes == "Materials")
        #expect(snapshot.summary.total == money("0.00"))
        #expect(snapshot.summary.balance == money("0.00"))
    }

    @Test func t4LatePenaltyIsAReductionForTheClient() {
        let item = PricingItem(name: "Планировка", itemType: .service, quantity: 1, unitPrice: 1000)
        let late = context(prepayment: 100, plannedEnd: specNow.addingTimeInterval(-3600))
        let snapshot = PriceCalculator.price([item], context: late)
        #expect(snapshot.positions.first?.notes == "Fixed service")
        #expect(snapshot.summary.subtotal == money("1000.00"))
        #expect(snapshot.summary.latePenalty == money("100.00"))
        #expect(snapshot.summary.discountTotal == money("100.00"))
        #expect(snapshot.summary.total == money("900.00"))
        #expect(snapshot.summary.balance == money("800.00"))
    }

    @Test func e5ShiftsAndHoursWithDailyRate() throws {
        let item = PricingItem(
            name: "MST 644 S", itemType: .equipment, unitPrice: 2450, shifts: 2, hours: 3, dailyRate: 30000)
        let snapshot = PriceCalculator.price([item], context: context(prepayment: 5000))
        let position = try #require(snapshot.positions.first)
        #expect(position.quantity == "5")
        #expect(position.unitPrice == money("2450.00"))
        // The original wrote «2 смен, 3.0 ч»; we use the correct plural
        // (docs/domain-rules.md#display-quantity-and-unit).
        #expect(position.notes == "2 смены, 3.0 ч")
        #expect(snapshot.summary.total == money("67350.00"))
        #expect(snapshot.summary.balance == money("62350.00"))
    }

    @Test func e6DiscountAndTaxAreCountedOnce() throws {
        let item = PricingItem(
            name: "Услуга", itemType: .service, quantity: 1, unitPrice: 1000, taxRate: 20, discount: 10)
        let snapshot = PriceCalculator.price([item], context: context())
        let position = try #require(snapshot.positions.first)
        #expect(position.discount == money("100.00"))
        #expect(position.taxAmount == money("180.00"))
        #expect(position.lineTotal == money("1080.00"))
        #expect(snapshot.summary.subtotal == money("900.00"))
        #expect(snapshot.summary.taxTotal == money("180.00"))
        #expect(snapshot.summary.discountTotal == money("100.00"))
        #expect(snapshot.summary.total == money("1080.00"))  // original: 1160.00
    }

    @Test func e7MixedOrder() throws {
        let items = [
            PricingItem(
                name: "MST 644 S", itemType: .equipment, unitPrice: 2450, discount: 5, shifts: 1, hours: dec("2.5"),
                dailyRate: 25000),
            PricingItem(name: "Песок", itemType: .material, quantity: 3, unitPrice: 1200),
            PricingItem(
                name: "Планировка", itemType: .service, quantity: 1, unitPrice: 5000,
                billingMode: PricingItem.perHourBillingMode),
        ]
        let snapshot = PriceCalculator.price(items, context: context(hours: 4, prepayment: 10000))
        try #require(snapshot.positions.count == 3)
        #expect(snapshot.positions[0].discount == money("1556.25"))
        #expect(snapshot.positions[0].lineTotal == money("29568.75"))
        #expect(snapshot.positions[0].quantity == "3.5")
        #expect(snapshot.positions[0].notes == "1 смена, 2.5 ч")
        #expect(snapshot.positions[1].lineTotal == money("3600.00"))
        #expect(snapshot.positions[2].quantity == "4")
        #expect(snapshot.positions[2].notes == "Service per hour")
        #expect(snapshot.positions[2].lineTotal == money("20000.00"))
        #expect(snapshot.summary.subtotal == money("53168.75"))
        #expect(snapshot.summary.discountTotal == money("1556.25"))
        #expect(snapshot.summary.total == money("53168.75"))  // original: 51612.50
        #expect(snapshot.summary.balance == money("43168.75"))
    }

    @Test func e8DurationOverADayIsBilledPerStartedDay() throws {
        let item = PricingItem(name: "Кран", itemType: .equipment, unitPrice: 2450, dailyRate: 23000)
        let snapshot = PriceCalculator.price([item], context: context(hours: 36))
        #expect(snapshot.positions.first?.quantity == "2")
        #expect(snapshot.positions.first?.notes == "Daily rate (2 day(s))")
        #expect(snapshot.summary.total == money("46000.00"))
    }

    @Test func e9ThresholdAppliesAfterRounding() {
        let item = PricingItem(name: "Кран", itemType: .equipment, unitPrice: 2450, dailyRate: 23000)
        let snapshot = PriceCalculator.price([item], context: context(hours: dec("7.8")))
        #expect(snapshot.summary.total == money("23000.00"))  // not 7.8 × 2450 = 19110
        let shorter = PriceCalculator.price([item], context: context(hours: dec("7.7")))
        #expect(shorter.positions.first?.quantity == "7.5")
        #expect(shorter.summary.total == money("18375.00"))  // 7.5 × 2450, below the threshold
    }

    @Test func e10ShiftWithoutDailyRateCostsEightHourlyRates() throws {
        let item = PricingItem(name: "Погрузчик", itemType: .equipment, unitPrice: 2450, shifts: 2, hours: 1)
        let snapshot = PriceCalculator.price([item], context: context())
        #expect(snapshot.positions.first?.quantity == "3")
        #expect(snapshot.summary.total == money("41650.00"))  // 2 × 8 × 2450 + 1 × 2450
    }

    @Test func e10ShiftLengthFollowsTheConfiguredThreshold() {
        let item = PricingItem(name: "Погрузчик", itemType: .equipment, unitPrice: 1000, shifts: 1)
        var tenHourShifts = context()
        tenHourShifts.dailyThresholdHours = 10
        #expect(PriceCalculator.price([item], context: tenHourShifts).summary.total == money("10000.00"))
    }

    @Test func e11LatePenaltyIsTakenFromTheTaxedAmount() {
        let item = PricingItem(name: "Бетон", itemType: .material, quantity: dec("2.5"), unitPrice: 800, taxRate: 20)
        let snapshot = PriceCalculator.price([item], context: context(isDelayed: true))
        #expect(snapshot.summary.subtotal == money("2000.00"))
        #expect(snapshot.summary.taxTotal == money("400.00"))
        #expect(snapshot.summary.latePenalty == money("240.00"))
        #expect(snapshot.summary.discountTotal == money("240.00"))
        #expect(snapshot.summary.total == money("2160.00"))  // original: 2560.00
    }

    @Test func issueCheckTwoUnitsWithDiscountAndTax() {
        let item = PricingItem(
            name: "Услуга", itemType: .service, quantity: 2, unitPrice: 1000, taxRate: 20, discount: 10)
        let snapshot = PriceCalculator.price([item], context: context())
        #expect(snapshot.summary.subtotal == money("1800.00"))
        #expect(snapshot.summary.taxTotal == money("360.00"))
        #expect(snapshot.summary.total == money("2160.00"))
    }
}
