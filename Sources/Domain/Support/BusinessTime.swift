import Foundation

/// The business's clock settings: the company works on Moscow time unless `TIME_ZONE` says otherwise
/// (docs/domain-rules.md#business-time). This is the one place the default is spelled.
public enum BusinessTime {
    /// The default company time zone's name.
    public static let defaultTimeZoneName = "Europe/Moscow"

    /// Europe/Moscow; UTC+3 all year since 2014, so the fixed offset is an exact fallback for a system without tzdata.
    public static let timeZone: TimeZone =
        TimeZone(identifier: defaultTimeZoneName) ?? TimeZone(secondsFromGMT: 3 * 3600) ?? .gmt

    /// A Gregorian calendar in `timeZone`, for "which day is it" questions (ageing, expense dates).
    public static var calendar: Calendar { calendar(in: timeZone) }

    /// A Gregorian calendar in the given zone (the configured company zone).
    public static func calendar(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
