/// A sum of money in Russian words, as invoices and acts print it: «Двадцать три тысячи рублей 00 копеек».
///
/// Roubles are spelled out with the right gender (thousands are feminine: «одна тысяча», «две тысячи»; roubles
/// masculine: «один рубль», «два рубля») and plural forms; kopecks stay as two digits, as in accounting practice.
public enum AmountInWords {
    public static func rubles(_ money: Money) -> String {
        let kopecks = money.kopecks.magnitude
        let rubles = kopecks / 100
        let cents = kopecks % 100
        var words = spell(rubles, gender: .masculine)
        words += " " + RussianPlural.ruble.form(for: Int64(rubles % 1000))
        words += " " + (cents < 10 ? "0\(cents)" : "\(cents)") + " " + RussianPlural.kopeck.form(for: Int64(cents))
        if money.kopecks < 0 { words = "минус " + words }
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    enum Gender { case masculine, feminine }

    private static let scales: [(plural: RussianPlural, gender: Gender)] = [
        (RussianPlural(one: "тысяча", few: "тысячи", many: "тысяч"), .feminine),
        (RussianPlural(one: "миллион", few: "миллиона", many: "миллионов"), .masculine),
        (RussianPlural(one: "миллиард", few: "миллиарда", many: "миллиардов"), .masculine),
        (RussianPlural(one: "триллион", few: "триллиона", many: "триллионов"), .masculine),
        (RussianPlural(one: "квадриллион", few: "квадриллиона", many: "квадриллионов"), .masculine),
    ]

    /// `number` in words, the last group in `gender`: «двадцать одна тысяча сто два».
    static func spell(_ number: UInt64, gender: Gender) -> String {
        guard number > 0 else { return "ноль" }
        var groups: [UInt64] = []
        var rest = number
        while rest > 0 {
            groups.append(rest % 1000)
            rest /= 1000
        }
        var parts: [String] = []
        for index in stride(from: groups.count - 1, through: 0, by: -1) where groups[index] > 0 {
            let group = groups[index]
            if index == 0 {
                parts.append(hundreds(group, gender: gender))
            } else {
                let scale = scales[index - 1]
                parts.append(hundreds(group, gender: scale.gender) + " " + scale.plural.form(for: Int64(group)))
            }
        }
        return parts.joined(separator: " ")
    }

    private static let units = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
    private static let teens = [
        "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
        "семнадцать", "восемнадцать", "девятнадцать",
    ]
    private static let tens = [
        "", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто",
    ]
    private static let hundredWords = [
        "", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот",
    ]

    /// 1…999 in words.
    private static func hundreds(_ number: UInt64, gender: Gender) -> String {
        var words: [String] = []
        let hundred = Int(number / 100)
        let lastTwo = Int(number % 100)
        if hundred > 0 { words.append(hundredWords[hundred]) }
        if (10...19).contains(lastTwo) {
            words.append(teens[lastTwo - 10])
        } else {
            if lastTwo / 10 > 1 { words.append(tens[lastTwo / 10]) }
            let unit = lastTwo % 10
            if unit == 1 {
                words.append(gender == .feminine ? "одна" : "один")
            } else if unit == 2 {
                words.append(gender == .feminine ? "две" : "два")
            } else if unit > 0 {
                words.append(units[unit])
            }
        }
        return words.joined(separator: " ")
    }
}

extension RussianPlural {
    public static let ruble = RussianPlural(one: "рубль", few: "рубля", many: "рублей")
    public static let kopeck = RussianPlural(one: "копейка", few: "копейки", many: "копеек")
}
