import Foundation

/// The owner's dashboard period (docs/ui.md#audit-log): the month, quarter or year that holds today, or the days
/// from–to, and the period just before it to compare with. Calendar days in the company zone, both bounds
/// inclusive, as the reports read `?from=&to=`.
struct DashboardPeriod: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case month, quarter, year, custom
    }

    var kind: Kind
    /// `yyyy-MM-dd`, inclusive.
    var from: String
    var to: String
    var previousFrom: String
    var previousTo: String

    /// From the query's `period`, `from`, `to`; `today` is the company's calendar day. A from–to that cannot be
    /// read falls back to the month, with the messages in `errors`.
    static func make(
        period: String?, from: String?, to: String?, today: String, errors: inout [String: String]
    ) -> DashboardPeriod {
        let todayNumber = dayNumber(today) ?? 0
        let (year, month, _) = ISOTime.civilDate(fromDays: todayNumber)
        let rawFrom = (from ?? "").trimmingCharacters(in: .whitespaces)
        let rawTo = (to ?? "").trimmingCharacters(in: .whitespaces)
        var kind = Kind(rawValue: period ?? "") ?? (rawFrom.isEmpty && rawTo.isEmpty ? .month : .custom)
        if kind == .custom {
            let start = dayNumber(rawFrom)
            let end = dayNumber(rawTo)
            if start == nil { errors["from"] = rawFrom.isEmpty ? "Укажите начало периода." : "Неверная дата." }
            if end == nil { errors["to"] = rawTo.isEmpty ? "Укажите конец периода." : "Неверная дата." }
            if let start, let end, end < start {
                errors["to"] = "Конец периода должен быть не раньше его начала."
            }
            if let start, let end, start <= end { return custom(start, end) }
            kind = .month
        }
        switch kind {
        case .quarter:
            let first = (month - 1) / 3 * 3 + 1
            return months(year: year, month: first, count: 3, kind: .quarter)
        case .year: return months(year: year, month: 1, count: 12, kind: .year)
        default: return months(year: year, month: month, count: 1, kind: .month)
        }
    }

    /// `count` whole months from `year`-`month`, and the `count` months before them.
    static func months(year: Int, month: Int, count: Int, kind: Kind) -> DashboardPeriod {
        let start = ISOTime.daysFromCivil(year: year, month: month, day: 1)
        let next = monthStart(year: year, month: month, adding: count)
        let previous = monthStart(year: year, month: month, adding: -count)
        return DashboardPeriod(
            kind: kind, from: text(start), to: text(next - 1), previousFrom: text(previous), previousTo: text(start - 1)
        )
    }

    /// Whole calendar months compare with as many months before; other spans with as many days before.
    static func custom(_ start: Int64, _ end: Int64) -> DashboardPeriod {
        let (y1, m1, d1) = ISOTime.civilDate(fromDays: start)
        let (y2, m2, _) = ISOTime.civilDate(fromDays: end)
        let monthCount = (y2 - y1) * 12 + (m2 - m1) + 1
        if d1 == 1, end + 1 == monthStart(year: y2, month: m2, adding: 1) {
            let previous = monthStart(year: y1, month: m1, adding: -monthCount)
            return DashboardPeriod(
                kind: .custom, from: text(start), to: text(end), previousFrom: text(previous),
                previousTo: text(start - 1))
        }
        let length = end - start + 1
        return DashboardPeriod(
            kind: .custom, from: text(start), to: text(end), previousFrom: text(start - length),
            previousTo: text(start - 1))
    }

    static func monthStart(year: Int, month: Int, adding months: Int) -> Int64 {
        let index = year * 12 + (month - 1) + months
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        return ISOTime.daysFromCivil(year: y, month: index - y * 12 + 1, day: 1)
    }

    static func dayNumber(_ text: String) -> Int64? {
        guard let day = ISOTime.parseDay(text) else { return nil }
        return ISOTime.daysFromCivil(year: day.year, month: day.month, day: day.day)
    }

    static func text(_ days: Int64) -> String {
        let (year, month, day) = ISOTime.civilDate(fromDays: days)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(year)-\(pad(month))-\(pad(day))"
    }
}
