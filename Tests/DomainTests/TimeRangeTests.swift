import Foundation
import Testing

@testable import Domain

@Suite struct TimeRangeTests {
    private let nine = date("2025-12-01T09:00:00+03:00")
    private let noon = date("2025-12-01T12:00:00+03:00")
    private let three = date("2025-12-01T15:00:00+03:00")

    private func range(_ start: Date, _ end: Date) throws -> TimeRange {
        try #require(TimeRange(start: start, end: end))
    }

    @Test func rejectsAnEndBeforeTheStart() {
        #expect(TimeRange(start: noon, end: nine) == nil)
        #expect(TimeRange(start: noon, end: noon)?.isEmpty == true)
    }

    @Test func touchingRangesDoNotOverlap() throws {
        #expect(try !range(nine, noon).overlaps(range(noon, three)))
        #expect(try !range(noon, three).overlaps(range(nine, noon)))
    }

    @Test func overlappingRanges() throws {
        let morning = try range(nine, noon)
        #expect(try morning.overlaps(range(nine.addingTimeInterval(3600), three)))
        #expect(try morning.overlaps(range(nine.addingTimeInterval(600), nine.addingTimeInterval(1200))))  // inside
        #expect(try range(nine.addingTimeInterval(-60), three).overlaps(morning))  // around
        #expect(morning.overlaps(morning))
    }

    @Test func emptyRangesOverlapNothing() throws {
        let empty = try range(nine.addingTimeInterval(3600), nine.addingTimeInterval(3600))
        #expect(try !empty.overlaps(range(nine, noon)))
        #expect(try !range(nine, noon).overlaps(empty))
    }

    @Test func openEndedOrderBlocksOneDay() throws {
        let booking = TimeRange.booking(start: nine, end: nil)
        #expect(booking.duration == 86400)
        #expect(booking.end == date("2025-12-02T09:00:00+03:00"))
        #expect(try booking.overlaps(range(date("2025-12-02T08:59:00+03:00"), date("2025-12-02T10:00:00+03:00"))))
        #expect(try !booking.overlaps(range(date("2025-12-02T09:00:00+03:00"), date("2025-12-02T10:00:00+03:00"))))
        // An end that is not after the start is treated like no end.
        #expect(TimeRange.booking(start: nine, end: nine).duration == 86400)
        #expect(TimeRange.booking(start: nine, end: noon).end == noon)
    }

    @Test func containsIsHalfOpen() throws {
        let morning = try range(nine, noon)
        #expect(morning.contains(nine))
        #expect(!morning.contains(noon))
    }

    @Test func firstOverlapFindsTheClash() throws {
        let others = try [range(nine, noon), range(noon, three)]
        #expect(try range(date("2025-12-01T13:00:00+03:00"), three).firstOverlap(in: others) == others[1])
        #expect(try range(three, three.addingTimeInterval(60)).firstOverlap(in: others) == nil)
    }

    @Test func decodingChecksTheOrder() throws {
        let decoder = JSONDecoder()
        #expect(throws: DecodingError.self) {
            _ = try decoder.decode(TimeRange.self, from: Data(#"{"start": 100, "end": 50}"#.utf8))
        }
        let good = try decoder.decode(TimeRange.self, from: Data(#"{"start": 50, "end": 100}"#.utf8))
        #expect(good.duration == 50)
    }
}
