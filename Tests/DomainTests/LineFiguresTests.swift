import Foundation
import Testing

@testable import Domain

/// The per-line figures the reports sum (the examples of docs/domain-rules.md#line-figures), and invoice
/// numbering (docs/domain-rules.md#invoice-numbering).
@Suite struct LineFiguresTests {
    private let context = PricingContext(
        start: date("2025-03-10T08:00:00+03:00"), end: date("2025-03-11T19:00:00+03:00"),
        referenceTime: date("2025-03-11T19:00:00+03:00"))

    @Test func equipmentWithShiftsAndHours() {
        let item = PricingItem(
            name: "MST 644 S", itemType: .equipment, unitPrice: 2450, discount: 10, shifts: 2, hours: 3,
            dailyRate: 30000)
        let figures = LineFigures(item, materialCategory: nil, context: context)
        // 2 × 30 000 + 3 × 2 450 = 67 350, − 10 % = 60 615
        #expect(figures.lineTotal == money("60615.00"))
        #expect(figures.hours == 3)
        #expect(figures.shifts == 2)
        // a shift books the machine for 8 h
        #expect(figures.bookedHours == 19)
        #expect(figures.revenueGroup == .equipment)
        var taxed = item
        taxed.taxRate = 20
        #expect(LineFigures(taxed, materialCategory: nil, context: context).lineTotal == money("72738.00"))
    }

    @Test func equipmentPricedByDurationBooksTheRoundedDuration() {
        let short = PricingContext(
            start: date("2025-03-10T09:00:00+03:00"), end: date("2025-03-10T13:20:00+03:00"),
            referenceTime: date("2025-03-10T13:20:00+03:00"))
        let item = PricingItem(name: "SY35U", itemType: .equipment, unitPrice: 2450)
        let figures = LineFigures(item, materialCategory: nil, context: short)
        // 4 h 20 min → 4.5 h
        #expect(figures.hours == dec("4.5"))
        #expect(figures.bookedHours == dec("4.5"))
        #expect(figures.lineTotal == money("11025.00"))
        // 35 h with a daily rate: billed as 2 days, booked for the 35 h
        let daily = LineFigures(
            PricingItem(name: "MST", itemType: .equipment, unitPrice: 2450, dailyRate: 30000), materialCategory: nil,
            context: context)
        #expect(daily.lineTotal == money("60000.00"))
        #expect(daily.bookedHours == 35)
    }

    @Test func servicesMaterialsAndAttachmentsGoToTheirGroups() {
        let service = PricingItem(
            name: "Планировка участка", itemType: .service, quantity: 2, unitPrice: 5000, taxRate: 20)
        let figures = LineFigures(service, materialCategory: nil, context: context)
        #expect(figures.lineTotal == money("12000.00"))
        #expect(figures.revenueGroup == .services)
        #expect(figures.bookedHours == 0)
        let soil = PricingItem(name: "Чернозем", itemType: .material, quantity: 10, unitPrice: 1200)
        #expect(LineFigures(soil, materialCategory: "soil", context: context).revenueGroup == .services)
        #expect(LineFigures(soil, materialCategory: "tool", context: context).revenueGroup == .services)
        let hammer = PricingItem(name: "Гидромолот", itemType: .material, quantity: 1, unitPrice: 4000)
        #expect(LineFigures(hammer, materialCategory: "attachment", context: context).revenueGroup == .attachments)
        #expect(LineFigures(hammer, materialCategory: "attachment", context: context).lineTotal == money("4000.00"))
        let bucket = PricingItem(name: "Ковш", itemType: .attachment, unitPrice: 1500)
        #expect(LineFigures(bucket, materialCategory: nil, context: context).revenueGroup == .attachments)
    }

    @Test func invoiceNumbersKeepTheOriginalsShapeWithTheYearsSequence() {
        #expect(InvoiceNumber.prefix(year: 2025, month: 3) == "INV-202503-")
        #expect(InvoiceNumber.make(year: 2025, month: 3, sequence: 7) == "INV-202503-0007")
        #expect(InvoiceNumber.make(year: 2025, month: 4, sequence: 8) == "INV-202504-0008")
        #expect(InvoiceNumber.make(year: 2025, month: 3, sequence: 10_000) == "INV-202503-10000")
        #expect(InvoiceNumber.sequence(of: "INV-202503-0006", year: 2025) == 6)
        #expect(InvoiceNumber.sequence(of: "INV-202512-10000", year: 2025) == 10_000)
        #expect(InvoiceNumber.sequence(of: "INV-202412-0006", year: 2025) == nil)
        #expect(InvoiceNumber.sequence(of: "INV-202503-x1", year: 2025) == nil)
        #expect(InvoiceNumber.sequence(of: "INV-2025", year: 2025) == nil)
    }
}
