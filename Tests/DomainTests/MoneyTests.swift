import Foundation
import Testing

@testable import Domain

@Suite struct MoneyTests {
    @Test(
        arguments: [
            ("11076.875", 1_107_688), ("2.344", 234), ("2.345", 235), ("-0.005", -1), ("-2.345", -235), ("0.004", 0),
            ("2450", 245_000),
        ] as [(String, Int64)])
    func roundingIsHalfUpToTheKopeck(input: String, kopecks: Int64) {
        #expect(Money(rounding: dec(input)).kopecks == kopecks)
    }

    @Test func roundingSaturatesInsteadOfTrapping() {
        #expect(Money(rounding: dec("1e30")) == .max)
        #expect(Money(rounding: dec("-1e30")) == .min)
    }

    @Test func exactlyRejectsMoreThanTwoDecimalsAndOverflow() {
        #expect(Money(exactly: dec("1.005")) == nil)
        #expect(Money(exactly: dec("1e30")) == nil)
        #expect(Money(exactly: dec("1.5"))?.kopecks == 150)
    }

    @Test(
        arguments: [
            (245_000, "2450.00"), (-510, "-5.10"), (5, "0.05"), (-5, "-0.05"), (0, "0.00"), (100, "1.00"),
            (1_107_688, "11076.88"),
        ] as [(Int64, String)])
    func plainStringHasTwoDecimalsAndADot(kopecks: Int64, text: String) {
        #expect(Money(kopecks: kopecks).plainString == text)
        #expect(Money(kopecks: kopecks).description == text)
    }

    @Test func extremesFormatWithoutTrapping() {
        #expect(Money.min.plainString == "-92233720368547758.08")
        #expect(Money.max.plainString == "92233720368547758.07")
    }

    @Test(
        arguments: [
            ("2450", 245_000), ("2450.5", 245_050), ("2450.50", 245_050), ("-5.1", -510), ("0.05", 5), ("007", 700),
        ]
            as [(String, Int64)])
    func parsesPlainAmounts(text: String, kopecks: Int64) {
        #expect(Money(string: text)?.kopecks == kopecks)
    }

    @Test(arguments: [
        "2450.505", "", "abc", "1e3", " 5", "5 ", "+5", "2,450", "2 450", ".5", "5.", "--5", "5-", "-", "2450.5.0",
        "١٢", "NaN", "99999999999999999999",
    ])
    func rejectsGarbageAndExtraDecimals(text: String) {
        #expect(Money(string: text) == nil)
    }

    @Test func arithmeticAndComparison() {
        var amount = money("100.10")
        amount += money("0.90")
        #expect(amount == money("101"))
        amount -= money("200")
        #expect(amount == money("-99"))
        #expect(-amount == money("99"))
        #expect(money("1.99") < money("2"))
        #expect([money("1.10"), money("2.20"), money("3.30")].sum() == money("6.60"))
        #expect([Money]().sum() == .zero)
        #expect(money("-5").clampedToZero == .zero)
        #expect(money("5").clampedToZero == money("5"))
        #expect(Money(rubles: 2450).decimal == dec("2450"))
        #expect(money("-5.10").decimal == dec("-5.1"))
    }

    @Test func percentRoundsHalfUp() {
        #expect(money("88615.00").percent(10) == money("8861.50"))
        #expect(money("88615.00").percent(dec("12.5")) == money("11076.88"))
    }

    @Test func encodesAsFixedScaleString() throws {
        let data = try JSONEncoder().encode([money("2450"), money("-5.1")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2450.00","-5.10"]"#)
    }

    @Test func decodesStringsAndNumbers() throws {
        let decoded = try JSONDecoder().decode([Money].self, from: Data(#"["2450.5", 2450.5, 7, "0.05"]"#.utf8))
        #expect(decoded == [money("2450.50"), money("2450.50"), money("7"), money("0.05")])
    }

    @Test(arguments: [#"["1.005"]"#, #"[1.005]"#, #"["abc"]"#, #"[true]"#])
    func decodingRejectsInvalidAmounts(json: String) {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode([Money].self, from: Data(json.utf8))
        }
    }
}
