import Foundation
import Testing

@testable import Domain

@Suite struct LineDisplayTests {
    private func line(_ item: PricingItem, hours: Decimal = 1) -> PricedLine {
        PriceCalculator.priceLine(item, context: context(hours: hours))
    }

    private func equipment(shifts: Decimal? = nil, hours: Decimal? = nil, dailyRate: Decimal? = 30000) -> PricingItem {
        PricingItem(
            name: "MST", itemType: .equipment, unitPrice: 2450, shifts: shifts, hours: hours, dailyRate: dailyRate)
    }

    @Test(arguments: [
        ("1", "1 смена", "смена"), ("2", "2 смены", "смены"), ("4", "4 смены", "смены"), ("5", "5 смен", "смен"),
        ("11", "11 смен", "смен"), ("21", "21 смена", "смена"), ("22", "22 смены", "смены"),
        ("1.5", "1.5 смены", "смены"),
    ])
    func shiftsOnly(shifts: String, quantity: String, unit: String) {
        let priced = line(equipment(shifts: dec(shifts)))
        #expect(priced.displayQuantity == quantity)
        #expect(priced.displayUnit == unit)
    }

    @Test(arguments: [
        ("1", "1.0 ч", "час"), ("2", "2.0 ч", "часа"), ("4", "4.0 ч", "часа"), ("5", "5.0 ч", "часов"),
        ("2.5", "2.5 ч", "часа"), ("12", "12.0 ч", "часов"),
    ])
    func hoursOnly(hours: String, quantity: String, unit: String) {
        let priced = line(equipment(hours: dec(hours)))
        #expect(priced.displayQuantity == quantity)
        #expect(priced.displayUnit == unit)
    }

    @Test func shiftsAndHours() {
        let priced = line(equipment(shifts: 2, hours: 3))
        #expect(priced.displayQuantity == "2 смены, 3.0 ч")
        #expect(priced.displayUnit == "смены")
    }

    @Test func durationModeShowsWhatWasBilled() {
        let hourly = line(equipment(dailyRate: nil), hours: dec("3.25"))
        #expect(hourly.displayQuantity == "3.5")
        #expect(hourly.displayUnit == "часа")
        let daily = line(equipment(), hours: 36)
        #expect(daily.displayQuantity == "2")
        #expect(daily.displayUnit == "суток")
        #expect(line(equipment(), hours: 10).displayUnit == "сутки")
    }

    @Test func plainQuantityUsesTheLineUnit() {
        let sand = line(
            PricingItem(name: "Песок", itemType: .material, quantity: dec("2.50"), unitPrice: 10, unit: "м3"))
        #expect(sand.displayQuantity == "2.5")
        #expect(sand.displayUnit == "м3")
        let noUnit = line(PricingItem(name: "Услуга", itemType: .service, quantity: 1, unitPrice: 10))
        #expect(noUnit.displayQuantity == "1")
        #expect(noUnit.displayUnit == "-")
        let negative = line(PricingItem(name: "Песок", itemType: .material, quantity: -5, unitPrice: 10, unit: "т"))
        #expect(negative.displayQuantity == "0")
    }

    @Test func perHourServiceShowsHours() {
        let service = line(
            PricingItem(name: "Планировка", itemType: .service, unitPrice: 5000, billingMode: "per_hour", unit: "hour"),
            hours: 5)
        #expect(service.displayQuantity == "5")
        #expect(service.displayUnit == "часов")
    }

    @Test(
        arguments: [
            (0, "смен"), (1, "смена"), (3, "смены"), (14, "смен"), (101, "смена"), (112, "смен"), (-2, "смены"),
        ]
            as [(Int64, String)])
    func russianPluralRules(count: Int64, form: String) {
        #expect(RussianPlural.shift.form(for: count) == form)
    }
}
