import Domain
import Foundation
import Testing

@testable import WebUI

@Suite struct FormattingTests {
    let nnbsp = "\u{202F}"
    let nbsp = "\u{00A0}"

    @Test func moneyFromKopecks() {
        #expect(RussianFormat.money(1_234_500) == "12\(nnbsp)345,00\(nbsp)₽")
        #expect(RussianFormat.money(0) == "0,00\(nbsp)₽")
        #expect(RussianFormat.money(5) == "0,05\(nbsp)₽")
        #expect(RussianFormat.money(-50_000) == "-500,00\(nbsp)₽")
        #expect(RussianFormat.money(123_456_789_01) == "123\(nnbsp)456\(nnbsp)789,01\(nbsp)₽")
    }

    @Test func parsesMoneyTypedByUsers() {
        let expected: Int64 = 1_234_550
        #expect(RussianFormat.parseMoney("12 345,5") == expected)
        #expect(RussianFormat.parseMoney("12345.50") == expected)
        #expect(RussianFormat.parseMoney("12\u{202F}345,50\u{00A0}₽") == expected)
        #expect(RussianFormat.parseMoney("-10") == Int64(-1000))
        #expect(RussianFormat.parseMoney(",5") == Int64(50))
        #expect(RussianFormat.moneyInput(expected) == "12345,50")
        #expect(RussianFormat.parseMoney(RussianFormat.moneyInput(expected)) == expected)
    }

    @Test(arguments: ["", "1,234", "12a", "1.2.3", "--1", "₽"])
    func rejectsMalformedMoney(_ text: String) {
        #expect(RussianFormat.parseMoney(text) == nil)
    }

    @Test func decimals() {
        #expect(RussianFormat.decimal(8.5) == "8,5")
        #expect(RussianFormat.decimal(8.0) == "8")
        #expect(RussianFormat.decimal(0.25) == "0,25")
        #expect(RussianFormat.decimal(1234.5) == "1\(nnbsp)234,5")
        #expect(RussianFormat.hours(8.25) == "8,3\(nbsp)ч")
        #expect(RussianFormat.parseDecimal("2,5") == Decimal(string: "2.5"))
        #expect(RussianFormat.parseDecimal("x") == nil)
    }

    @Test func plurals() {
        #expect(RussianFormat.shifts(1) == "1\(nbsp)смена")
        #expect(RussianFormat.shifts(2) == "2\(nbsp)смены")
        #expect(RussianFormat.shifts(5) == "5\(nbsp)смен")
        #expect(RussianFormat.shifts(11) == "11\(nbsp)смен")
        #expect(RussianFormat.shifts(12) == "12\(nbsp)смен")
        #expect(RussianFormat.shifts(21) == "21\(nbsp)смена")
        #expect(RussianFormat.shifts(22) == "22\(nbsp)смены")
        #expect(RussianFormat.shifts(0) == "0\(nbsp)смен")
        #expect(RussianFormat.plural(111, "a", "b", "c") == "c")
    }

    @Test func datesInCompanyTime() {
        // 2026-11-24 11:30 UTC = 14:30 in Moscow.
        let date = Date(timeIntervalSince1970: 1_795_519_800)
        #expect(RussianFormat.date(date) == "24.11.2026")
        #expect(RussianFormat.dateTime(date) == "24.11.2026 14:30")
        #expect(RussianFormat.shortDate(date) == "24.11")
        #expect(RussianFormat.dateTime(date, in: TimeZone(identifier: "UTC")!) == "24.11.2026 11:30")
        #expect(RussianFormat.dateTimeLocalInput(date) == "2026-11-24T14:30")
        #expect(RussianFormat.dateInput(date) == "2026-11-24")
    }

    @Test func datetimeLocalRoundTripDoesNotShift() {
        let date = Date(timeIntervalSince1970: 1_795_519_800)
        let text = RussianFormat.dateTimeLocalInput(date)
        #expect(RussianFormat.parseDateTimeLocal(text) == date)
        #expect(RussianFormat.parseDateTimeLocal("2026-11-24T14:30:00") == date)
        #expect(RussianFormat.parseDateTimeLocal("2026-02-30T10:00") == nil)
        #expect(RussianFormat.parseDateTimeLocal("2026-11-24 14:30") == nil)
        #expect(RussianFormat.parseDateTimeLocal("2026-11-24T25:00") == nil)
        #expect(RussianFormat.parseDateInput("2026-11-24") == date.addingTimeInterval(-(14 * 3600 + 30 * 60)))
    }

    @Test func periods() {
        let start = Date(timeIntervalSince1970: 1_795_519_800)
        #expect(RussianFormat.period(start, start.addingTimeInterval(3600)) == "24.11.2026 14:30 – 15:30")
        #expect(RussianFormat.period(start, start.addingTimeInterval(86_400)) == "24.11.2026 14:30 – 25.11.2026 14:30")
        #expect(RussianFormat.period(start, nil) == "24.11.2026 14:30 – …")
    }

    @Test func statusTitles() {
        #expect(RussianFormat.status(.inProgress) == "В работе")
        #expect(RussianFormat.status(.completed) == "Завершён")
    }
}
