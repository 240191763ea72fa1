import Foundation
import Testing

@testable import Domain

@Suite struct PricingRuleTests {
    @Test(arguments: [
        ("3.24", "3"), ("3.25", "3.5"), ("3.74", "3.5"), ("3.75", "4"), ("0.2", "0"), ("0.25", "0.5"), ("7.8", "8"),
        ("0", "0"), ("24", "24"),
    ])
    func roundHalfHour(hours: String, rounded: String) {
        #expect(PriceCalculator.roundHalfHour(dec(hours)) == dec(rounded))
    }

    @Test func durationHoursIsNeverNegative() {
        #expect(PriceCalculator.durationHours(from: specNow, to: specNow.addingTimeInterval(-60)) == 0)
        #expect(PriceCalculator.durationHours(from: specNow, to: specNow.addingTimeInterval(5400)) == dec("1.5"))
    }

    @Test func balanceIsNeverBelowZero() {
        let item = PricingItem(name: "Услуга", itemType: .service, unitPrice: 1000)
        let snapshot = PriceCalculator.price([item], context: context(prepayment: 5000))
        #expect(snapshot.summary.total == money("1000.00"))
        #expect(snapshot.summary.prepayment == money("5000.00"))
        #expect(snapshot.summary.balance == .zero)
    }

    @Test func emptyOrderCostsNothingEvenWhenLate() {
        let snapshot = PriceCalculator.price([], context: context(prepayment: 100, isDelayed: true))
        #expect(snapshot.positions.isEmpty)
        #expect(snapshot.summary.latePenalty == .zero)
        #expect(snapshot.summary.total == .zero)
        #expect(snapshot.summary.balance == .zero)
        #expect(snapshot.generatedAt == specNow)
    }

    @Test func finishedBeforePlannedEndIsNotLate() {
        let start = date("2025-12-01T08:00:00Z")
        let onTime = PricingContext(
            start: start, end: date("2025-12-01T12:00:00Z"), referenceTime: specNow,
            plannedEnd: date("2025-12-01T13:00:00Z"))
        #expect(!onTime.isLate)
        // Still open and past the planned end at the reference time: late.
        let open = PricingContext(
            start: start, end: nil, referenceTime: specNow, plannedEnd: date("2025-12-01T13:00:00Z"))
        #expect(open.isLate)
        // Ending exactly at the planned end is on time.
        let exact = PricingContext(
            start: start, end: date("2025-12-01T13:00:00Z"), referenceTime: specNow,
            plannedEnd: date("2025-12-01T13:00:00Z"))
        #expect(!exact.isLate)
    }

    @Test func aFinishedOrderIgnoresTheReferenceTime() {
        let item = PricingItem(name: "Экскаватор", itemType: .equipment, unitPrice: 100)
        let start = date("2025-12-01T08:00:00Z")
        let finished = { (reference: Date) in
            PricingContext(start: start, end: date("2025-12-01T10:00:00Z"), referenceTime: reference)
        }
        #expect(PriceCalculator.price([item], context: finished(specNow)).summary.total == money("200"))
        #expect(
            PriceCalculator.price([item], context: finished(specNow.addingTimeInterval(86400))).summary.total
                == money("200"))
        let open = PricingContext(start: start, end: nil, referenceTime: date("2025-12-01T11:00:00Z"))
        #expect(PriceCalculator.price([item], context: open).summary.total == money("300"))
    }

    @Test func perLineRoundingIsHalfUp() throws {
        // tax 0.05 × 10 % = 0.005 → 0.01 (half-even would give 0.00)
        let tax = PriceCalculator.priceLine(
            PricingItem(name: "x", itemType: .material, unitPrice: dec("0.05"), taxRate: 10), context: context())
        #expect(tax.tax == money("0.01"))
        // discount 0.10 × 5 % = 0.005 → 0.01; net 0.09
        let discount = PriceCalculator.priceLine(
            PricingItem(name: "x", itemType: .material, unitPrice: dec("0.10"), discount: 5), context: context())
        #expect(discount.discount == money("0.01"))
        #expect(discount.net == money("0.09"))
        // net of an unrounded base: 3 × 3.335 = 10.005 → 10.01
        let net = PriceCalculator.priceLine(
            PricingItem(name: "x", itemType: .material, quantity: 3, unitPrice: dec("3.335")), context: context())
        #expect(net.net == money("10.01"))
    }

    @Test func latePenaltyRoundsHalfUp() {
        let item = PricingItem(name: "x", itemType: .service, unitPrice: dec("1000.05"))
        let snapshot = PriceCalculator.price([item], context: context(isDelayed: true))
        #expect(snapshot.summary.latePenalty == money("100.01"))  // 100.005
        #expect(snapshot.summary.total == money("900.04"))
    }

    @Test func lineTotalHelperMatchesTheSnapshot() {
        let items = [
            PricingItem(name: "Экскаватор", itemType: .equipment, unitPrice: 120),
            PricingItem(name: "Кран", itemType: .equipment, unitPrice: 2450, taxRate: 20, dailyRate: 23000),
            PricingItem(name: "MST", itemType: .equipment, unitPrice: 2450, discount: 5, shifts: 1, hours: 2),
            PricingItem(name: "Песок", itemType: .material, quantity: dec("2.5"), unitPrice: 800, taxRate: 20),
            PricingItem(name: "Навеска", itemType: .attachment, quantity: 1, unitPrice: 300, note: "Гидромолот"),
        ]
        let ctx = context(hours: 9)
        let snapshot = PriceCalculator.price(items, context: ctx)
        for (item, position) in zip(items, snapshot.positions) {
            #expect(PriceCalculator.lineTotal(item, context: ctx) == position.lineTotal)
        }
        // Duration-mode equipment is charged in the list too (the original's item line_total showed 0,
        // docs/original-bugs.md, 7.11).
        #expect(PriceCalculator.lineTotal(items[0], context: ctx) == money("1080.00"))
        #expect(snapshot.positions[4].notes == "Гидромолот")
    }

    @Test func attachmentWithoutNoteUsesTheDefaultNote() {
        let line = PriceCalculator.priceLine(
            PricingItem(name: "Ковш", itemType: .attachment, unitPrice: 100, note: ""), context: context())
        #expect(line.notes == "Attachment")
    }

    @Test func shiftsOnNonEquipmentAreIgnored() {
        let line = PriceCalculator.priceLine(
            PricingItem(name: "Услуга", itemType: .service, quantity: 2, unitPrice: 100, shifts: 3), context: context())
        #expect(line.mode == .quantity)
        #expect(line.lineTotal == money("200"))
    }

    @Test func perHourServiceWithoutDurationIsZero() {
        let item = PricingItem(
            name: "Услуга", itemType: .service, unitPrice: 5000, billingMode: PricingItem.perHourBillingMode)
        let ctx = PricingContext(start: specNow, end: specNow, referenceTime: specNow)
        #expect(PriceCalculator.price([item], context: ctx).positions.first?.quantity == "0.00")
    }

    @Test func engineClampsOutOfRangePercentages() {
        let overDiscounted = PriceCalculator.priceLine(
            PricingItem(name: "x", itemType: .material, unitPrice: 100, discount: 150), context: context())
        #expect(overDiscounted.net == .zero)
        let negative = PriceCalculator.priceLine(
            PricingItem(name: "x", itemType: .material, unitPrice: 100, taxRate: -20, discount: -10), context: context()
        )
        #expect(negative.lineTotal == money("100"))
    }

    @Test func absurdAmountsSaturateInsteadOfCrashing() {
        let huge = PricingItem(name: "x", itemType: .material, quantity: dec("1e20"), unitPrice: dec("1e20"))
        let snapshot = PriceCalculator.price([huge, huge], context: context(isDelayed: true))
        #expect(snapshot.summary.subtotal == .max)
        #expect(snapshot.summary.balance == .max)
    }

    @Test func validationIssuesNameTheFields() {
        let bad = PricingItem(
            name: "x", itemType: .equipment, quantity: -1, unitPrice: -1, taxRate: 101, discount: -1, shifts: -1,
            hours: -1, dailyRate: -1)
        #expect(
            bad.validationIssues.map(\.field) == [
                "quantity", "unit_price", "discount", "tax_rate", "shifts", "hours", "daily_rate",
            ])
        #expect(bad.validationIssues.allSatisfy { !$0.message.isEmpty })
        let good = PricingItem(name: "x", itemType: .service, unitPrice: 10, taxRate: 100, discount: 100)
        #expect(good.validationIssues.isEmpty)
    }

    @Test func snapshotEncodesToTheSpecShape() throws {
        let item = PricingItem(
            name: "Услуга", itemType: .service, quantity: 1, unitPrice: 1000, taxRate: 20, discount: 10)
        let snapshot = PriceCalculator.price([item], context: context(prepayment: 100))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(snapshot), as: UTF8.self)
        #expect(
            json == """
                {"generated_at":"2025-12-01T18:00:00Z","positions":[{"discount":"100.00","line_total":"1080.00",\
                "name":"Услуга","notes":"Fixed service","quantity":"1","tax_amount":"180.00","type":"service",\
                "unit_price":"1000.00"}],"summary":{"balance":"980.00","discount_total":"100.00",\
                "late_penalty":"0.00","prepayment":"100.00","subtotal":"900.00","tax_total":"180.00",\
                "total":"1080.00"}}
                """)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(PriceSnapshot.self, from: Data(json.utf8)) == snapshot)
    }

    @Test func itemTypeTitles() {
        #expect(ItemType.allCases.map(\.title) == ["Техника", "Услуга", "Материал", "Навеска"])
    }
}
