import Foundation
import Testing

@testable import Domain

@Suite struct DecimalParserTests {
    @Test func acceptsPlainNumbers() {
        #expect(DecimalParser.parse("2450") == dec("2450"))
        #expect(DecimalParser.parse("-5.10") == dec("-5.1"))
        #expect(DecimalParser.parse("0.000001") == dec("0.000001"))
        #expect(DecimalParser.parse("55.755800", maxFractionDigits: 6) == dec("55.7558"))
    }

    @Test func limitsFractionDigits() {
        #expect(DecimalParser.parse("1.234", maxFractionDigits: 2) == nil)
        #expect(DecimalParser.parse("1.23", maxFractionDigits: 2) == dec("1.23"))
        #expect(DecimalParser.parse("1", maxFractionDigits: 0) == dec("1"))
        #expect(DecimalParser.parse("1.0", maxFractionDigits: 0) == nil)
    }

    @Test func limitsIntegerDigitsIgnoringLeadingZeros() {
        #expect(DecimalParser.parse("1234", maxIntegerDigits: 3) == nil)
        #expect(DecimalParser.parse("000123", maxIntegerDigits: 3) == dec("123"))
        #expect(DecimalParser.parse("-999.99", maxIntegerDigits: 3) == dec("-999.99"))
    }

    @Test func commaOnlyWhenAllowed() {
        #expect(DecimalParser.parse("2450,50") == nil)
        #expect(DecimalParser.parse("2450,50", allowsComma: true) == dec("2450.5"))
        #expect(DecimalParser.parse("2,450.50", allowsComma: true) == nil)
    }

    @Test(arguments: ["", "-", ".", ".5", "5.", "+1", "1e5", "0x10", " 1", "1 ", "1_000", "--1", "1-", "∞", "12a"])
    func rejectsGarbage(text: String) {
        #expect(DecimalParser.parse(text) == nil)
    }

    @Test func rejectsMoreDigitsThanADecimalHolds() {
        #expect(DecimalParser.parse(String(repeating: "9", count: 38)) != nil)
        #expect(DecimalParser.parse(String(repeating: "9", count: 39)) == nil)
    }
}

@Suite struct DecimalRoundingTests {
    @Test func halfUpGoesAwayFromZero() {
        #expect(dec("2.345").rounded(scale: 2) == dec("2.35"))
        #expect(dec("-2.345").rounded(scale: 2) == dec("-2.35"))
        #expect(dec("2.5").rounded(scale: 0, mode: .halfUp) == 3)
    }

    @Test func otherModes() {
        #expect(dec("2.345").rounded(scale: 2, mode: .halfEven) == dec("2.34"))
        #expect(dec("2.355").rounded(scale: 2, mode: .halfEven) == dec("2.36"))
        #expect(dec("-2.5").rounded(scale: 0, mode: .floor) == -3)
        #expect(dec("2.1").rounded(scale: 0, mode: .ceiling) == 3)
        #expect(dec("-2.9").rounded(scale: 0, mode: .ceiling) == -2)
    }

    @Test(
        arguments: [
            ("5", 2, "5.00"), ("45.0465", 6, "45.046500"), ("1.005", 2, "1.01"), ("0", 2, "0.00"), ("-5.1", 2, "-5.10"),
            ("3", 1, "3.0"), ("2.45", 0, "2"), ("2.5", 0, "3"), ("-0.001", 2, "0.00"),
            ("123456789012.345", 2, "123456789012.35"),
        ] as [(String, Int, String)])
    func fixedString(value: String, scale: Int, text: String) {
        #expect(dec(value).fixedString(scale: scale) == text)
    }

    @Test func plainStringAndWholeNumbers() {
        #expect(dec("3.50").plainString == "3.5")
        #expect(dec("5.00").plainString == "5")
        #expect(dec("5").isWholeNumber)
        #expect(!dec("5.5").isWholeNumber)
        #expect(dec("-5").isWholeNumber)
    }
}
