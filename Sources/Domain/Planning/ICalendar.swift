import Foundation

/// An iCalendar (RFC 5545) document of events, as an operator's calendar feed sends it: times in UTC (`…Z`, so no
/// VTIMEZONE is needed), lines ended by CRLF and folded at 75 octets without splitting a UTF-8 character, text
/// values escaped (`\\`, `\;`, `\,`, `\n`).
public struct ICalendar: Sendable {
    public struct Event: Sendable, Equatable {
        public var uid: String
        public var stamp: Date
        public var start: Date
        public var end: Date
        public var summary: String
        public var location: String
        public var description: String
        public var url: String
        /// `CONFIRMED` or `TENTATIVE`.
        public var status: String

        public init(
            uid: String, stamp: Date, start: Date, end: Date, summary: String, location: String = "",
            description: String = "", url: String = "", status: String = "CONFIRMED"
        ) {
            self.uid = uid
            self.stamp = stamp
            self.start = start
            self.end = end
            self.summary = summary
            self.location = location
            self.description = description
            self.url = url
            self.status = status
        }
    }

    public var name: String
    public var events: [Event]

    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    /// The whole document.
    public func render() -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Ringo Uchet//Planning//RU", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + Self.escape(name),
        ]
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:" + Self.escape(event.uid), "DTSTAMP:" + Self.utc(event.stamp)]
            lines += ["DTSTART:" + Self.utc(event.start), "DTEND:" + Self.utc(event.end)]
            lines.append("SUMMARY:" + Self.escape(event.summary))
            if !event.location.isEmpty { lines.append("LOCATION:" + Self.escape(event.location)) }
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + Self.escape(event.description)) }
            if !event.url.isEmpty { lines.append("URL:" + event.url) }
            lines += ["STATUS:" + event.status, "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined()
    }

    /// `20261205T090000Z`.
    public static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int = 2) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.year, 4) + pad(parts.month) + pad(parts.day) + "T" + pad(parts.hour) + pad(parts.minute)
            + pad(parts.second) + "Z"
    }

    /// A TEXT value: backslash, semicolon and comma escaped, line breaks as `\n`.
    public static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\r": continue
            default:
                // Other control characters are not allowed in a TEXT value.
                if scalar.value < 0x20 && scalar != "\t" { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// One content line with its CRLF, folded so that no line is longer than 75 octets; a continuation starts
    /// with a space, which counts in its 75.
    public static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.append(character)
            octets += size
        }
        return result + "\r\n"
    }
}
