import Foundation

/// ISO 8601 formatting and parsing without `DateFormatter` (it is slow and not thread-safe to share).
///
/// Output is in the company time zone with its offset, e.g. `2025-12-01T12:00:00+03:00`.
/// Input accepts `Z`, an offset, or no zone (then read in the company time zone).
enum ISOTime {
    static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(offset)
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = civilDate(fromDays: days)
        let hour = secondOfDay / 3600
        let minute = secondOfDay / 60 % 60
        let second = secondOfDay % 60
        let sign = offset >= 0 ? "+" : "-"
        let offsetMinutes = abs(offset) / 60
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(Int(hour))):\(pad(Int(minute))):\(pad(Int(second)))"
            + "\(sign)\(pad(offsetMinutes / 60)):\(pad(offsetMinutes % 60))"
    }

    /// `YYYY-MM-DD` of the instant in the given zone.
    static func day(of date: Date, in timeZone: TimeZone) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(timeZone.secondsFromGMT(for: date))
        let (year, month, day) = civilDate(fromDays: seconds.floorDivided(by: 86_400).quotient)
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))"
    }

    static func parse(_ raw: String, defaultTimeZone: TimeZone) -> Date? {
        let text = Array(raw.trimmingCharacters(in: .whitespaces).utf8)
        guard text.count >= 10, let year = number(text, 0, 4), text[4] == UInt8(ascii: "-"),
            let month = number(text, 5, 2), text[7] == UInt8(ascii: "-"), let day = number(text, 8, 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        var index = 10
        if index < text.count {
            guard text[index] == UInt8(ascii: "T") || text[index] == UInt8(ascii: " "), text.count >= index + 6,
                let parsedHour = number(text, index + 1, 2), text[index + 3] == UInt8(ascii: ":"),
                let parsedMinute = number(text, index + 4, 2), parsedHour < 24, parsedMinute < 60
            else { return nil }
            hour = parsedHour
            minute = parsedMinute
            index += 6
            if index < text.count, text[index] == UInt8(ascii: ":") {
                guard let parsedSecond = number(text, index + 1, 2), parsedSecond < 60 else { return nil }
                second = parsedSecond
                index += 3
                if index < text.count, text[index] == UInt8(ascii: ".") {
                    var end = index + 1
                    while end < text.count, text[end] >= 48, text[end] <= 57 { end += 1 }
                    guard end > index + 1 else { return nil }
                    fraction = Double("0" + String(decoding: text[index..<end], as: UTF8.self)) ?? 0
                    index = end
                }
            }
        }
        var offsetSeconds: Int?
        if index < text.count {
            let marker = text[index]
            if marker == UInt8(ascii: "Z") || marker == UInt8(ascii: "z") {
                guard index + 1 == text.count else { return nil }
                offsetSeconds = 0
            } else if marker == UInt8(ascii: "+") || marker == UInt8(ascii: "-") {
                let rest = text.count - index - 1
                guard let offsetHour = number(text, index + 1, 2) else { return nil }
                var offsetMinute = 0
                if rest == 5, text[index + 3] == UInt8(ascii: ":"), let value = number(text, index + 4, 2) {
                    offsetMinute = value
                } else if rest == 4, let value = number(text, index + 3, 2) {
                    offsetMinute = value
                } else if rest != 2 {
                    return nil
                }
                let magnitude = offsetHour * 3600 + offsetMinute * 60
                offsetSeconds = marker == UInt8(ascii: "-") ? -magnitude : magnitude
            } else {
                return nil
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = Double(days * 86_400 + Int64(hour * 3600 + minute * 60 + second)) + fraction
        if let offsetSeconds { return Date(timeIntervalSince1970: local - Double(offsetSeconds)) }
        // A naive value is wall-clock time in the company zone; find the offset valid at that moment.
        let guess = Date(timeIntervalSince1970: local)
        let offset = defaultTimeZone.secondsFromGMT(
            for: guess.addingTimeInterval(-Double(defaultTimeZone.secondsFromGMT(for: guess))))
        return Date(timeIntervalSince1970: local - Double(offset))
    }

    /// Parses `YYYY-MM-DD` into its parts.
    static func parseDay(_ raw: String) -> (year: Int, month: Int, day: Int)? {
        let text = Array(raw.utf8)
        guard text.count == 10, let year = number(text, 0, 4), text[4] == UInt8(ascii: "-"),
            let month = number(text, 5, 2), text[7] == UInt8(ascii: "-"), let day = number(text, 8, 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return (year, month, day)
    }

    /// Midnight at the start of a calendar day in a zone.
    static func startOfDay(_ raw: String, in timeZone: TimeZone) -> Date? {
        guard parseDay(raw) != nil else { return nil }
        return parse(raw + "T00:00:00", defaultTimeZone: timeZone)
    }

    private static func number(_ text: [UInt8], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= text.count else { return nil }
        var value = 0
        for index in start..<(start + length) {
            let byte = text[index]
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-date algorithms.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilDate(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = self / divisor
        var remainder = self % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
