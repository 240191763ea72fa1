import Foundation

/// The business's clock settings: the company works on Moscow time (docs/domain-rules.md#business-time).
public enum BusinessTime {
    /// Europe/Moscow; UTC+3 all year since 2014, used as the fixed fallback when the system has no tz database.
    public static let timeZone: TimeZone = TimeZone(identifier: "Europe/Moscow") ?? TimeZone(secondsFromGMT: 3 * 3600)!

    /// A Gregorian calendar in `timeZone`, for "which day is it" questions (ageing, expense dates).
    public static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
