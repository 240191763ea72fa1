import Foundation
import Testing

@testable import Domain

/// The amount in words printed on invoices and acts, and the requisites' checks (docs/documents.md).
@Suite struct DocumentsWordingTests {
    @Test(arguments: [
        (Int64(0), "Ноль рублей 00 копеек"),
        (100, "Один рубль 00 копеек"),
        (201, "Два рубля 01 копейка"),
        (502, "Пять рублей 02 копейки"),
        (1_100, "Одиннадцать рублей 00 копеек"),
        (2_105, "Двадцать один рубль 05 копеек"),
        (100_000, "Одна тысяча рублей 00 копеек"),
        (200_000, "Две тысячи рублей 00 копеек"),
        (2_300_000, "Двадцать три тысячи рублей 00 копеек"),
        (2_111_299, "Двадцать одна тысяча сто двенадцать рублей 99 копеек"),
        (100_000_000, "Один миллион рублей 00 копеек"),
        (1_234_567_890, "Двенадцать миллионов триста сорок пять тысяч шестьсот семьдесят восемь рублей 90 копеек"),
        (200_000_000_000, "Два миллиарда рублей 00 копеек"),
    ])
    func amountInWords(kopecks: Int64, words: String) {
        #expect(AmountInWords.rubles(Money(kopecks: kopecks)) == words)
    }

    @Test func taxNumbersCheckTheirDigits() {
        #expect(Requisites.isValidINN("7707083893"))  // ПАО Сбербанк
        #expect(!Requisites.isValidINN("7707083894"))
        #expect(Requisites.isValidINN("500100732259"))
        #expect(!Requisites.isValidINN("500100732258"))
        #expect(!Requisites.isValidINN("77070838"))
        #expect(!Requisites.isValidINN("77070838a3"))
        #expect(Requisites.isValidKPP("773601001"))
        #expect(Requisites.isValidKPP("7736AB001"))
        #expect(!Requisites.isValidKPP("77360100"))
        #expect(Requisites.isValidOGRN("1027700132195"))  // ПАО Сбербанк
        #expect(!Requisites.isValidOGRN("1027700132196"))
    }

    @Test func accountsCheckTheirBankKey() {
        #expect(Requisites.isValidBIK("044525225"))
        #expect(!Requisites.isValidBIK("04452522"))
        #expect(Requisites.isValidAccount("30101810400000000225", bik: "044525225", correspondent: true))
        #expect(!Requisites.isValidAccount("30101810400000000226", bik: "044525225", correspondent: true))
        #expect(Requisites.isValidAccount("30101810145250000974", bik: "044525974", correspondent: true))
        #expect(!Requisites.isValidAccount("3010181014525000097", bik: "044525974", correspondent: true))
    }
}
