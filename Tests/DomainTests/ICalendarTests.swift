import Foundation
import Testing

@testable import Domain

@Suite struct ICalendarTests {
    @Test func textIsEscapedAndTimesAreUTC() {
        #expect(ICalendar.escape("a,b;c\\d\ne\r") == "a\\,b\\;c\\\\d\\ne")
        #expect(ICalendar.utc(date("2026-12-05T09:30:05+03:00")) == "20261205T063005Z")
    }

    @Test func longLinesFoldAt75OctetsWithoutSplittingALetter() {
        let line = "SUMMARY:" + String(repeating: "Экскаватор ", count: 20)
        let folded = ICalendar.fold(line)
        #expect(folded.hasSuffix("\r\n"))
        // "\r\n" is one Character: drop the final line end by its scalars.
        let physical = String(String.UnicodeScalarView(folded.unicodeScalars.dropLast(2))).components(
            separatedBy: "\r\n")
        #expect(physical.count > 3)
        for (index, part) in physical.enumerated() {
            #expect(part.utf8.count <= 75)
            if index > 0 { #expect(part.hasPrefix(" ")) }
        }
        // Unfolding gives the line back.
        #expect(
            physical.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
        #expect(ICalendar.fold("SHORT:1") == "SHORT:1\r\n")
    }

    @Test func documentHasTheRequiredPropertiesAndOnlyCRLF() {
        let event = ICalendar.Event(
            uid: "o1@ringo", stamp: date("2026-12-01T00:00:00Z"), start: date("2026-12-05T06:00:00Z"),
            end: date("2026-12-05T15:00:00Z"), summary: "Заявка № 12", location: "ул. Садовая, 5",
            description: "Клиент: ООО Ромашка\nТехника: JCB")
        let text = ICalendar(name: "Смены", events: [event]).render()
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(text.contains("\r\nDTSTART:20261205T060000Z\r\n"))
        #expect(text.contains("\r\nLOCATION:ул. Садовая\\, 5\r\n"))
        #expect(text.contains("DESCRIPTION:Клиент: ООО Ромашка\\nТехника: JCB"))
        #expect(text.components(separatedBy: "BEGIN:VEVENT").count == 2)
    }
}
