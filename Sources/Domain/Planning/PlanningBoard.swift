import Foundation

/// What the rows of the planning board are (docs/planning.md).
public enum PlanningResource: String, CaseIterable, Sendable {
    case equipment
    case `operator`

    public var title: String {
        switch self {
        case .equipment: "Техника"
        case .operator: "Операторы"
        }
    }
}

/// How many days the board shows from its first day.
public enum PlanningSpan: String, CaseIterable, Sendable {
    case week
    case twoWeeks = "2weeks"
    case month

    public var title: String {
        switch self {
        case .week: "Неделя"
        case .twoWeeks: "2 недели"
        case .month: "Месяц"
        }
    }

    /// The start of the day after the last shown day: 7 or 14 days on, or the same day of the next month.
    public func end(after firstDay: Date, calendar: Calendar) -> Date {
        let next: Date?
        switch self {
        case .week: next = calendar.date(byAdding: .day, value: 7, to: firstDay)
        case .twoWeeks: next = calendar.date(byAdding: .day, value: 14, to: firstDay)
        case .month: next = calendar.date(byAdding: .month, value: 1, to: firstDay)
        }
        return next ?? firstDay.addingTimeInterval(7 * 86_400)
    }

    /// How far «Назад» and «Вперёд» go: one span.
    public func shift(_ firstDay: Date, by steps: Int, calendar: Calendar) -> Date {
        let moved: Date?
        switch self {
        case .week: moved = calendar.date(byAdding: .day, value: 7 * steps, to: firstDay)
        case .twoWeeks: moved = calendar.date(byAdding: .day, value: 14 * steps, to: firstDay)
        case .month: moved = calendar.date(byAdding: .month, value: steps, to: firstDay)
        }
        return moved ?? firstDay
    }
}

/// Which rows the board keeps: all, only those free for a whole interval, or only those busy in it.
public enum PlanningAvailability: String, CaseIterable, Sendable {
    case all
    case free
    case busy

    public var title: String {
        switch self {
        case .all: "Все"
        case .free: "Только свободные"
        case .busy: "Только занятые"
        }
    }
}

/// The shown days: `[start, end)` in whole days of the company's time zone.
public struct PlanningPeriod: Sendable, Equatable {
    public let range: TimeRange
    /// The start of each shown day.
    public let days: [Date]

    /// From the start of the day holding `first` to the start of the day holding `last` plus one day.
    /// `nil` when `last` is before `first`.
    public init?(first: Date, last: Date, calendar: Calendar) {
        let start = calendar.startOfDay(for: first)
        let lastDay = calendar.startOfDay(for: last)
        guard lastDay >= start, let end = calendar.date(byAdding: .day, value: 1, to: lastDay) else { return nil }
        self.init(start: start, end: end, calendar: calendar)
    }

    /// The span's days from the start of the day holding `first`.
    public init(first: Date, span: PlanningSpan, calendar: Calendar) {
        let start = calendar.startOfDay(for: first)
        self.init(start: start, end: span.end(after: start, calendar: calendar), calendar: calendar)
    }

    private init(start: Date, end: Date, calendar: Calendar) {
        var days: [Date] = []
        var day = start
        while day < end, days.count < 400 {
            days.append(day)
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        self.days = days
        self.range = TimeRange.booking(start: start, end: end)
    }

    public var start: Date { range.start }
    public var end: Date { range.end }

    /// Where `date` falls, as a share of the period from 0 (its start) to 1 (its end), clamped.
    public func position(of date: Date) -> Double {
        guard range.duration > 0 else { return 0 }
        return min(1, max(0, date.timeIntervalSince(range.start) / range.duration))
    }
}

/// An order as the board draws it.
public struct PlanningOrder: Sendable, Equatable {
    public var id: String
    public var number: String
    public var status: OrderStatus
    public var start: Date
    /// `nil` while the end is not known (until completion).
    public var end: Date?
    public var client: String
    public var address: String

    public init(
        id: String, number: String, status: OrderStatus, start: Date, end: Date?, client: String = "",
        address: String = ""
    ) {
        self.id = id
        self.number = number
        self.status = status
        self.start = start
        self.end = end
        self.client = client
        self.address = address
    }

    /// The time it holds its machine or operator: the booking rule's range (an unknown end is one day).
    public var booking: TimeRange { TimeRange.booking(start: start, end: end) }

    /// True when the bar's end is the default length, not a known end.
    public var hasOpenEnd: Bool { booking.end != end }
}

/// One bar of a row: the order and where it sits on the period (shares of its width).
public struct PlanningBar: Sendable, Equatable {
    public var order: PlanningOrder
    public var left: Double
    public var width: Double
    /// The order started before or ends after the period (the bar is cut at the edge).
    public var startsBefore: Bool
    public var endsAfter: Bool
    /// Where the bar starts, in whole hours from the period's start, and how many hours it lasts (at least
    /// one): the page places bars on an hour grid.
    public var startHour: Int
    public var lengthHours: Int
}

/// One resource of the board, as the store reads it.
public struct PlanningResourceInfo: Sendable, Equatable {
    public var id: Int
    public var name: String
    /// A second line (the machine's code, the operator's phone).
    public var detail: String
    /// The heading the row is grouped under (the machine type; «Операторы»).
    public var group: String

    public init(id: Int, name: String, detail: String = "", group: String) {
        self.id = id
        self.name = name
        self.detail = detail
        self.group = group
    }
}

/// One row: a resource, its bars and its utilisation over the period.
public struct PlanningRow: Sendable, Equatable {
    public var resource: PlanningResourceInfo
    public var bars: [PlanningBar]
    /// Booked time inside the period, overlaps counted once.
    public var busy: TimeInterval
    /// `busy` over the period's length, 0…1.
    public var utilisation: Double

    /// True when no bar overlaps `interval`.
    public func isFree(in interval: TimeRange) -> Bool {
        !bars.contains { $0.order.booking.overlaps(interval) }
    }
}

/// The board: rows of resources over a period with their orders as bars, and the utilisation of each row and of
/// the whole fleet. Pure: the orders come in from the store (docs/planning.md#utilisation).
public struct PlanningBoard: Sendable, Equatable {
    /// What the rows are.
    public var resource: PlanningResource
    public var period: PlanningPeriod
    public var rows: [PlanningRow]
    /// Every row's booked time over every row's time (all resources, whatever `rows` keeps after a filter).
    public var utilisation: Double
    /// How many resources `utilisation` covers.
    public var resourceCount: Int

    /// `orders` by resource id; orders of unknown resources are dropped, cancelled orders are not drawn.
    public init(
        resource: PlanningResource = .equipment, period: PlanningPeriod, resources: [PlanningResourceInfo],
        orders: [Int: [PlanningOrder]]
    ) {
        self.resource = resource
        self.period = period
        var rows: [PlanningRow] = []
        var busyTotal: TimeInterval = 0
        for resource in resources {
            let own = (orders[resource.id] ?? [])
                .filter { $0.status != .cancelled && $0.booking.overlaps(period.range) }
                .sorted { ($0.start, $0.number) < ($1.start, $1.number) }
            let bars = own.map { order in
                let range = order.booking
                let left = period.position(of: range.start)
                let first = Self.hours(from: period.start, to: max(range.start, period.start))
                let last = Self.hours(from: period.start, to: min(range.end, period.end))
                return PlanningBar(
                    order: order, left: left, width: period.position(of: range.end) - left,
                    startsBefore: range.start < period.start, endsAfter: range.end > period.end, startHour: first,
                    lengthHours: max(1, last - first))
            }
            let busy = Self.busyTime(own.map(\.booking), within: period.range)
            busyTotal += busy
            rows.append(
                PlanningRow(
                    resource: resource, bars: bars, busy: busy,
                    utilisation: period.range.duration > 0 ? busy / period.range.duration : 0))
        }
        self.rows = rows
        resourceCount = rows.count
        let available = period.range.duration * Double(rows.count)
        utilisation = available > 0 ? busyTotal / available : 0
    }

    /// The rows free for the whole `interval` (`.free`) or busy at some point of it (`.busy`); the fleet's
    /// utilisation stays that of every resource.
    public func keeping(_ availability: PlanningAvailability, in interval: TimeRange) -> PlanningBoard {
        var copy = self
        switch availability {
        case .all: break
        case .free: copy.rows = rows.filter { $0.isFree(in: interval) }
        case .busy: copy.rows = rows.filter { !$0.isFree(in: interval) }
        }
        return copy
    }

    /// The rows by group, groups in the order they first appear.
    public var groups: [(name: String, rows: [PlanningRow])] {
        var order: [String] = []
        var byName: [String: [PlanningRow]] = [:]
        for row in rows {
            if byName[row.resource.group] == nil { order.append(row.resource.group) }
            byName[row.resource.group, default: []].append(row)
        }
        return order.map { ($0, byName[$0] ?? []) }
    }

    /// Each row with the bars that touch `day` (a phone's day list).
    public func day(_ day: TimeRange) -> [(row: PlanningRow, bars: [PlanningBar])] {
        rows.map { row in (row, row.bars.filter { $0.order.booking.overlaps(day) }) }
    }

    /// The time covered by `ranges` inside `period`, overlapping parts counted once.
    public static func busyTime(_ ranges: [TimeRange], within period: TimeRange) -> TimeInterval {
        let clipped = ranges.compactMap { range -> (Date, Date)? in
            let start = max(range.start, period.start)
            let end = min(range.end, period.end)
            return end > start ? (start, end) : nil
        }.sorted { $0.0 < $1.0 }
        var total: TimeInterval = 0
        var current: (Date, Date)?
        for (start, end) in clipped {
            if let open = current, start <= open.1 {
                current = (open.0, max(open.1, end))
            } else {
                if let open = current { total += open.1.timeIntervalSince(open.0) }
                current = (start, end)
            }
        }
        if let open = current { total += open.1.timeIntervalSince(open.0) }
        return total
    }

    static func hours(from start: Date, to date: Date) -> Int {
        Int((date.timeIntervalSince(start) / 3600).rounded(.toNearestOrAwayFromZero))
    }

    /// A share as a whole percent, rounded half up («загрузка 64 %»).
    public static func percent(_ share: Double) -> Int {
        Int((min(1, max(0, share)) * 100).rounded(.toNearestOrAwayFromZero))
    }
}

/// The heading a machine is grouped under on the board: the `type` of its attributes when set, else the kind its
/// code starts with (`EXC-…` is an excavator), else «Прочая техника».
public enum MachineType {
    static let prefixes: [(String, String)] = [
        ("EXC", "Экскаваторы"), ("MAN", "Манипуляторы"), ("LOAD", "Погрузчики"), ("DUMP", "Самосвалы"),
        ("WRECK", "Ломовозы"), ("TOW", "Эвакуаторы"), ("TRACTOR", "Тракторы"), ("CRANE", "Краны"),
    ]
    public static let other = "Прочая техника"

    public static func group(code: String, attributeType: String? = nil) -> String {
        if let type = attributeType?.trimmingCharacters(in: .whitespacesAndNewlines), !type.isEmpty { return type }
        let prefix = code.uppercased().split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
        return prefixes.first { $0.0 == prefix }?.1 ?? other
    }
}
