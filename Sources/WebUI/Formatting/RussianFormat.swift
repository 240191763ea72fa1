import Domain
import Foundation

/// Russian formatting of money, numbers, dates and plurals, plus the matching parsers for form input.
///
/// Money is always integer kopecks (`Int64`). Dates are shown in the company time zone (Europe/Moscow by default),
/// never in UTC, so a `datetime-local` value survives an edit/save round trip unchanged (docs/ui.md#times-and-money).
/// Digit groups use U+202F (narrow no-break space), the currency sign is preceded by U+00A0; `Public/static/app.js`
/// formats preview amounts the same way (not with `Intl`, which uses U+00A0 for groups).
public enum RussianFormat {
    /// Narrow no-break space, used between digit groups: `12 345,00`.
    public static let groupSeparator = "\u{202F}"
    /// No-break space, used before the unit or currency sign: `12 345,00 ₽`.
    public static let unitSeparator = "\u{00A0}"

    // MARK: - Money

    /// `1234500` → «12 345,00 ₽»; negative amounts get a leading minus: «-500,00 ₽».
    public static func money(_ kopecks: Int64) -> String {
        return amount(kopecks) + unitSeparator + "₽"
    }

    /// `1234500` → «12 345,00» (no currency sign; for table cells with a «₽» column header).
    public static func amount(_ kopecks: Int64) -> String {
        let parts = Money(kopecks: kopecks).parts
        return (parts.isNegative ? "-" : "") + grouped(parts.rubles) + "," + parts.kopecks
    }

    /// Kopecks as a value for a money `<input>`: `1234550` → `12345,50`, `0` → `0,00`.
    public static func moneyInput(_ kopecks: Int64) -> String {
        let parts = Money(kopecks: kopecks).parts
        return (parts.isNegative ? "-" : "") + parts.rubles + "," + parts.kopecks
    }

    /// Parses a money amount typed by a user: `12 345,5`, `12345.50`, `12 345 ₽`, `-10`.
    /// Returns kopecks, or `nil` for empty or malformed input or more than two decimals.
    public static func parseMoney(_ text: String) -> Int64? {
        guard let (negative, whole, fraction) = splitNumber(text), fraction.count <= 2 else { return nil }
        guard let roubles = Int64(whole.isEmpty ? "0" : whole) else { return nil }
        let padded = fraction.padding(toLength: 2, withPad: "0", startingAt: 0)
        guard let cents = Int64(padded) else { return nil }
        let (product, overflow) = roubles.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        let value = product + cents
        return negative ? -value : value
    }

    /// Parses a decimal typed by a user (`2,5`, `8`, `0.25`) into a `Decimal`; `nil` when empty or malformed.
    public static func parseDecimal(_ text: String) -> Decimal? {
        guard let (negative, whole, fraction) = splitNumber(text) else { return nil }
        let literal = (negative ? "-" : "") + (whole.isEmpty ? "0" : whole) + (fraction.isEmpty ? "" : "." + fraction)
        return Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX"))
    }

    // MARK: - Numbers and plurals

    /// `12345` → «12 345».
    public static func integer(_ value: Int) -> String {
        let digits = grouped(String(value.magnitude))
        return value < 0 ? "-" + digits : digits
    }

    /// A decimal with a comma and at most `maxFractionDigits` digits, trailing zeros removed: `8.50` → «8,5».
    public static func decimal(_ value: Double, maxFractionDigits: Int = 2) -> String {
        let scale = pow(10.0, Double(maxFractionDigits))
        let rounded = (value * scale).rounded() / scale
        let negative = rounded < 0
        let magnitude = abs(rounded)
        let whole = Int64(magnitude.rounded(.down))
        let fractionValue = Int64(((magnitude - Double(whole)) * scale).rounded())
        var fraction = fractionValue == 0 ? "" : String(fractionValue)
        if !fraction.isEmpty {
            fraction = String(repeating: "0", count: maxFractionDigits - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        let head = (negative ? "-" : "") + grouped(String(whole))
        return fraction.isEmpty ? head : head + "," + fraction
    }

    /// A `Decimal` shown as by `decimal(_:maxFractionDigits:)`.
    public static func decimal(_ value: Decimal, maxFractionDigits: Int = 2) -> String {
        return decimal(NSDecimalNumber(decimal: value).doubleValue, maxFractionDigits: maxFractionDigits)
    }

    /// The Russian plural form for `count`: `plural(1, "смена", "смены", "смен")` → «смена»;
    /// 2–4 → «смены»; 0, 5–20, 11–14 → «смен»; 21 → «смена».
    public static func plural(_ count: Int, _ one: String, _ few: String, _ many: String) -> String {
        let n = count.magnitude
        let lastTwo = n % 100
        let last = n % 10
        if (11...14).contains(lastTwo) { return many }
        if last == 1 { return one }
        if (2...4).contains(last) { return few }
        return many
    }

    /// Count and word: `counted(5, "смена", "смены", "смен")` → «5 смен».
    public static func counted(_ count: Int, _ one: String, _ few: String, _ many: String) -> String {
        return integer(count) + unitSeparator + plural(count, one, few, many)
    }

    /// «2 смены», «1 смена», «5 смен».
    public static func shifts(_ count: Int) -> String {
        return counted(count, "смена", "смены", "смен")
    }

    /// Hours with one optional decimal: `8.5` → «8,5 ч».
    public static func hours(_ value: Double) -> String {
        return decimal(value, maxFractionDigits: 1) + unitSeparator + "ч"
    }

    // MARK: - Dates

    /// `24.11.2026`.
    public static func date(_ date: Date, in timeZone: TimeZone = BusinessTime.timeZone) -> String {
        let parts = components(date, timeZone)
        return pad(parts.day) + "." + pad(parts.month) + "." + String(parts.year)
    }

    /// `24.11.2026 14:30`.
    public static func dateTime(_ date: Date, in timeZone: TimeZone = BusinessTime.timeZone) -> String {
        return self.date(date, in: timeZone) + " " + time(date, in: timeZone)
    }

    /// `14:30`.
    public static func time(_ date: Date, in timeZone: TimeZone = BusinessTime.timeZone) -> String {
        let parts = components(date, timeZone)
        return pad(parts.hour) + ":" + pad(parts.minute)
    }

    /// `24.11` (list cards).
    public static func shortDate(_ date: Date, in timeZone: TimeZone = BusinessTime.timeZone) -> String {
        let parts = components(date, timeZone)
        return pad(parts.day) + "." + pad(parts.month)
    }

    /// A period: «24.11.2026 08:00 – 17:00» on one day, «24.11.2026 08:00 – 25.11.2026 12:00» across days,
    /// «24.11.2026 08:00 – …» when the end is unknown.
    public static func period(_ start: Date, _ end: Date?, in timeZone: TimeZone = BusinessTime.timeZone) -> String {
        let head = dateTime(start, in: timeZone) + " – "
        guard let end else { return head + "…" }
        if date(start, in: timeZone) == date(end, in: timeZone) {
            return head + time(end, in: timeZone)
        }
        return head + dateTime(end, in: timeZone)
    }

    /// The value of a `datetime-local` input in company time: `2026-11-24T14:30`.
    public static func dateTimeLocalInput(_ date: Date, in timeZone: TimeZone = BusinessTime.timeZone) -> String {
        return dateInput(date, in: timeZone) + "T" + time(date, in: timeZone)
    }

    /// The value of a `date` input in company time: `2026-11-24`.
    public static func dateInput(_ date: Date, in timeZone: TimeZone = BusinessTime.timeZone) -> String {
        let parts = components(date, timeZone)
        return String(parts.year) + "-" + pad(parts.month) + "-" + pad(parts.day)
    }

    /// Parses a `datetime-local` value (`2026-11-24T14:30`, seconds optional) as company time.
    public static func parseDateTimeLocal(_ text: String, in timeZone: TimeZone = BusinessTime.timeZone) -> Date? {
        let halves = text.trimmingCharacters(in: .whitespaces).split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count == 2, let day = dayParts(halves[0]) else { return nil }
        let clock = halves[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(clock.count), let hour = clock[0], let minute = clock[1] else { return nil }
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return makeDate(day.year, day.month, day.day, hour, minute, timeZone)
    }

    /// Parses a `date` input value (`2026-11-24`) as the start of that day in company time.
    public static func parseDateInput(_ text: String, in timeZone: TimeZone = BusinessTime.timeZone) -> Date? {
        guard let day = dayParts(Substring(text.trimmingCharacters(in: .whitespaces))) else { return nil }
        return makeDate(day.year, day.month, day.day, 0, 0, timeZone)
    }

    // MARK: - Statuses

    /// The label of an order status chip (`OrderStatus.title`, e.g. «В работе»).
    public static func status(_ status: OrderStatus) -> String {
        return status.title
    }

    // MARK: - Private helpers

    private struct Parts {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
    }

    private static func components(_ date: Date, _ timeZone: TimeZone) -> Parts {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return Parts(year: c.year ?? 0, month: c.month ?? 0, day: c.day ?? 0, hour: c.hour ?? 0, minute: c.minute ?? 0)
    }

    private static func makeDate(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int,
        _ timeZone: TimeZone
    ) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard let date = calendar.date(from: wanted) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }

    private static func dayParts(_ text: Substring) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
            let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return (year, month, day)
    }

    private static func pad(_ value: Int) -> String {
        return value < 10 ? "0\(value)" : "\(value)"
    }

    private static func grouped(_ digits: String) -> String {
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += groupSeparator }
            result.append(character)
        }
        return result
    }

    /// Splits `-12 345,50 ₽` into (true, "12345", "50"); `nil` for anything that is not a plain decimal.
    private static func splitNumber(_ text: String) -> (Bool, String, String)? {
        let ignored: Set<Character> = [" ", "\u{00A0}", "\u{202F}", "₽"]
        var cleaned = text.filter { !ignored.contains($0) }
        guard !cleaned.isEmpty else { return nil }
        let negative = cleaned.hasPrefix("-")
        if negative { cleaned.removeFirst() }
        let halves = cleaned.replacingOccurrences(of: ",", with: ".").split(
            separator: ".", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        let whole = String(halves[0])
        let fraction = halves.count == 2 ? String(halves[1]) : ""
        guard !(whole.isEmpty && fraction.isEmpty) else { return nil }
        let isDigits: (String) -> Bool = { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard isDigits(whole), isDigits(fraction), whole.count <= 15 else { return nil }
        return (negative, whole, fraction)
    }
}
