import Foundation

/// A half-open interval of time `[start, end)`: a booking that ends at 12:00 does not clash with one that
/// starts at 12:00.
public struct TimeRange: Hashable, Sendable, Codable {
    /// How long an order without an end occupies its machines and operators: one day (24 h) from its start.
    /// Active orders get `end_dt` only at completion, so this is what double-booking checks normally see.
    public static let openEndedBookingLength: TimeInterval = 24 * 60 * 60

    public let start: Date
    public let end: Date

    /// A range from `start` to `end`; `nil` when `end` is before `start`. `start == end` is an empty range that
    /// overlaps nothing.
    public init?(start: Date, end: Date) {
        guard end >= start else { return nil }
        self.start = start
        self.end = end
    }

    /// The time an order blocks for booking checks: `[start, end)`, or `[start, start + 1 day)` when the order
    /// has no end or its end is not after its start (an order always blocks at least something).
    public static func booking(start: Date, end: Date?) -> TimeRange {
        if let end, end > start {
            return TimeRange(uncheckedStart: start, end: end)
        }
        return TimeRange(uncheckedStart: start, end: start.addingTimeInterval(openEndedBookingLength))
    }

    private init(uncheckedStart start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public var duration: TimeInterval {
        end.timeIntervalSince(start)
    }

    public var isEmpty: Bool {
        start == end
    }

    /// `true` when the two ranges share at least one instant; touching ends do not overlap, empty ranges never do.
    public func overlaps(_ other: TimeRange) -> Bool {
        start < other.end && other.start < end && !isEmpty && !other.isEmpty
    }

    /// `true` when `date` lies in `[start, end)`.
    public func contains(_ date: Date) -> Bool {
        start <= date && date < end
    }

    private enum CodingKeys: String, CodingKey {
        case start, end
    }

    /// Decoding enforces `end >= start` like `init?(start:end:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.decode(Date.self, forKey: .start)
        let end = try container.decode(Date.self, forKey: .end)
        guard end >= start else {
            throw DecodingError.dataCorruptedError(
                forKey: .end, in: container, debugDescription: "end is before start")
        }
        self.init(uncheckedStart: start, end: end)
    }

    /// The first of `others` that overlaps this range (for "machine busy" messages), if any.
    public func firstOverlap(in others: some Sequence<TimeRange>) -> TimeRange? {
        others.first { overlaps($0) }
    }
}
