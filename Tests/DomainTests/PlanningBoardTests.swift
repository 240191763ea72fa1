import Foundation
import Testing

@testable import Domain

@Suite struct PlanningBoardTests {
    let calendar = BusinessTime.calendar(in: TimeZone(identifier: "Europe/Moscow") ?? .current)
    /// Monday 7 December 2026, 00:00 in Moscow.
    var monday: Date { date("2026-12-07T00:00:00+03:00") }

    func week() -> PlanningPeriod {
        PlanningPeriod(first: monday.addingTimeInterval(9 * 3600), span: .week, calendar: calendar)
    }

    func order(_ number: String, _ start: String, _ end: String?, status: OrderStatus = .created) -> PlanningOrder {
        PlanningOrder(
            id: "id-" + number, number: number, status: status, start: date(start), end: end.map { date($0) },
            client: "ООО Ромашка", address: "ул. Садовая 5")
    }

    let machines = [
        PlanningResourceInfo(id: 1, name: "JCB 3CX", detail: "EXC-1", group: "Экскаваторы"),
        PlanningResourceInfo(id: 2, name: "Shacman", detail: "DUMP-1", group: "Самосвалы"),
    ]

    @Test func periodsStartAtMidnightAndSpanTheirDays() throws {
        let period = week()
        #expect(period.start == monday)
        #expect(period.days.count == 7)
        #expect(period.end == date("2026-12-14T00:00:00+03:00"))
        let month = PlanningPeriod(first: date("2026-12-15T10:00:00+03:00"), span: .month, calendar: calendar)
        #expect(month.days.count == 31)
        #expect(month.end == date("2027-01-15T00:00:00+03:00"))
        #expect(PlanningPeriod(first: monday, span: .twoWeeks, calendar: calendar).days.count == 14)
        let custom = try #require(PlanningPeriod(first: monday, last: monday, calendar: calendar))
        #expect(custom.days.count == 1)
        #expect(PlanningPeriod(first: monday, last: monday.addingTimeInterval(-86_400), calendar: calendar) == nil)
        #expect(PlanningSpan.month.shift(monday, by: -1, calendar: calendar) == date("2026-11-07T00:00:00+03:00"))
    }

    @Test func anOrderWithoutEndIsADayLongBarAndCountsADay() {
        let board = PlanningBoard(
            period: week(), resources: machines,
            orders: [1: [order("12", "2026-12-08T09:00:00+03:00", nil)]])
        let bar = board.rows[0].bars[0]
        #expect(bar.order.hasOpenEnd)
        #expect(bar.startHour == 24 + 9)
        #expect(bar.lengthHours == 24)
        #expect(abs(bar.left - 33.0 / 168) < 1e-9)
        #expect(abs(bar.width - 24.0 / 168) < 1e-9)
        #expect(board.rows[0].busy == 86_400)
        #expect(PlanningBoard.percent(board.rows[0].utilisation) == 14)  // 1 of 7 days
        #expect(board.rows[1].bars.isEmpty)
        #expect(board.rows[1].utilisation == 0)
        // The fleet: one day of fourteen machine-days.
        #expect(PlanningBoard.percent(board.utilisation) == 7)
    }

    @Test func overlapsCountOnceAndBarsAreCutAtTheEdges() {
        let orders = [
            // 6 December 20:00 → 7 December 10:00: only 10 h inside the week.
            order("1", "2026-12-06T20:00:00+03:00", "2026-12-07T10:00:00+03:00", status: .completed),
            // Two overlapping ones (a completed order no longer holds its machine): 08:00–18:00 on the 9th.
            order("2", "2026-12-09T08:00:00+03:00", "2026-12-09T14:00:00+03:00", status: .completed),
            order("3", "2026-12-09T12:00:00+03:00", "2026-12-09T18:00:00+03:00"),
            // Sunday 13th 18:00, open: runs past the end (6 h inside).
            order("4", "2026-12-13T18:00:00+03:00", nil),
            // Cancelled and outside ones are not drawn.
            order("5", "2026-12-10T08:00:00+03:00", nil, status: .cancelled),
            order("6", "2026-12-01T08:00:00+03:00", "2026-12-02T08:00:00+03:00"),
        ]
        let board = PlanningBoard(period: week(), resources: machines, orders: [1: orders, 99: orders])
        let row = board.rows[0]
        #expect(row.bars.map(\.order.number) == ["1", "2", "3", "4"])
        #expect(row.bars[0].startsBefore && !row.bars[0].endsAfter)
        #expect(row.bars[0].startHour == 0 && row.bars[0].lengthHours == 10)
        #expect(row.bars[3].endsAfter && !row.bars[3].startsBefore)
        #expect(row.bars[3].startHour == 6 * 24 + 18 && row.bars[3].lengthHours == 6)
        #expect(row.busy == (10 + 10 + 6) * 3600)
        #expect(PlanningBoard.percent(row.utilisation) == 15)  // 26 of 168 hours
        #expect(board.rows.count == 2)  // resource 99 is unknown: dropped
    }

    @Test func freeAndBusyFiltersCheckTheWholeInterval() throws {
        let board = PlanningBoard(
            period: week(), resources: machines,
            orders: [1: [order("12", "2026-12-08T09:00:00+03:00", "2026-12-08T18:00:00+03:00")]])
        let morning = try #require(
            TimeRange(start: date("2026-12-08T06:00:00+03:00"), end: date("2026-12-08T09:00:00+03:00")))
        let day = try #require(
            TimeRange(start: date("2026-12-08T08:00:00+03:00"), end: date("2026-12-08T10:00:00+03:00")))
        #expect(board.keeping(.free, in: morning).rows.map(\.resource.id) == [1, 2])  // touching is free
        #expect(board.keeping(.free, in: day).rows.map(\.resource.id) == [2])
        #expect(board.keeping(.busy, in: day).rows.map(\.resource.id) == [1])
        #expect(board.keeping(.all, in: day).rows.count == 2)
        #expect(board.keeping(.busy, in: day).utilisation == board.utilisation)
        #expect(board.groups.map(\.name) == ["Экскаваторы", "Самосвалы"])
        let tuesday = try #require(
            TimeRange(start: date("2026-12-08T00:00:00+03:00"), end: date("2026-12-09T00:00:00+03:00")))
        #expect(board.day(tuesday).map(\.bars.count) == [1, 0])
    }

    @Test func busyTimeMergesAndClips() throws {
        let period = try #require(TimeRange(start: date("2026-12-07T00:00:00Z"), end: date("2026-12-08T00:00:00Z")))
        let ranges = try [
            ("2026-12-06T22:00:00Z", "2026-12-07T02:00:00Z"), ("2026-12-07T01:00:00Z", "2026-12-07T03:00:00Z"),
            ("2026-12-07T05:00:00Z", "2026-12-07T06:00:00Z"), ("2026-12-07T23:00:00Z", "2026-12-08T05:00:00Z"),
        ].map { try #require(TimeRange(start: date($0.0), end: date($0.1))) }
        #expect(PlanningBoard.busyTime(ranges, within: period) == (3 + 1 + 1) * 3600)
        #expect(PlanningBoard.busyTime([], within: period) == 0)
        #expect(PlanningBoard.percent(0.645) == 65)
        #expect(PlanningBoard.percent(1.5) == 100)
    }

    @Test func machinesAreGroupedByTypeFromAttributesOrCode() {
        #expect(MachineType.group(code: "EXC-MST-644S") == "Экскаваторы")
        #expect(MachineType.group(code: "dump-shacman") == "Самосвалы")
        #expect(MachineType.group(code: "TOW-ISUZU") == "Эвакуаторы")
        #expect(MachineType.group(code: "X-1") == MachineType.other)
        #expect(MachineType.group(code: "EXC-1", attributeType: " Гусеничные ") == "Гусеничные")
        #expect(MachineType.group(code: "EXC-1", attributeType: "  ") == "Экскаваторы")
    }
}
