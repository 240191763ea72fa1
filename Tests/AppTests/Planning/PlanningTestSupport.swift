import Domain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Orders on machines and operators for the planning tests, made through the API (so they are booked as usual).
extension TestApp {
    /// Creates an order with one machine line and the given operators; returns its id and number.
    func plannedOrder(
        token: String, machine: Int?, operators: [Int] = [], start: String, end: String? = nil,
        address: String = "ст. Елизаветинская, ул. Садовая 5"
    ) async throws -> (id: String, number: String) {
        var body: [String: Any] = ["start_dt": start, "address": address, "operator_ids": operators]
        if let machine { body["items"] = [["item_type": "equipment", "ref_id": machine, "metadata": ["shifts": 1]]] }
        if let end { body["end_dt"] = end }
        let reply = try await createOrder(token: token, body)
        try #require(reply.status == .created, "create: \(reply.status) \(reply.body)")
        return (try #require(reply.string("id")), try #require(reply.string("number")))
    }

    /// The machines on an order's lines.
    func machines(ofOrder id: String) async throws -> [Int] {
        try await db.sql().select().column("ref_id").from("order_items").where("order_id", .equal, id)
            .where("item_type", .equal, "equipment").all().map { try $0.decode(column: "ref_id", as: Int.self) }
    }

    func startOfOrder(_ id: String) async throws -> Date? {
        try await db.sql().select().column("start_at").from("orders").where("id", .equal, id).first()?
            .decode(column: "start_at", as: Date.self)
    }

    /// A company-time `yyyy-MM-ddTHH:mm:ss+03:00` stamp `days` from today at `hour`.
    static func companyStamp(daysFromToday days: Int, hour: Int) -> String {
        let calendar = BusinessTime.calendar
        let today = calendar.startOfDay(for: Date())
        let day = calendar.date(byAdding: .day, value: days, to: today) ?? today
        let moment = day.addingTimeInterval(Double(hour) * 3600)
        return ISOTime.format(moment, in: BusinessTime.timeZone)
    }
}

extension WebClient {
    /// Posts JSON as planning.js does: the CSRF token in `X-CSRF-Token`.
    @discardableResult
    func postJSON(_ path: String, _ object: [String: Any], csrf token: String? = nil) async throws -> Page {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await send(
            .POST, path, body: String(decoding: data, as: UTF8.self),
            headers: [
                "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": token ?? csrf,
            ])
    }
}

/// A minimal RFC 5545 reader for the feed tests: unfolds lines (CRLF followed by a space or tab), splits each
/// content line into name and value, and groups VEVENTs.
enum ICSReader {
    struct Problem: Error, CustomStringConvertible { var description: String }

    static func events(_ text: String) throws -> [[String: String]] {
        guard text.hasSuffix("\r\n") else { throw Problem(description: "no final CRLF") }
        // "\r\n" is one Character: drop the final line end by its scalars.
        let physical = String(String.UnicodeScalarView(text.unicodeScalars.dropLast(2))).components(separatedBy: "\r\n")
        var logical: [String] = []
        for line in physical {
            if line.contains("\n") || line.contains("\r") { throw Problem(description: "bare line break: \(line)") }
            if line.utf8.count > 75 { throw Problem(description: "line over 75 octets: \(line)") }
            if line.hasPrefix(" ") || line.hasPrefix("\t") {
                guard !logical.isEmpty else { throw Problem(description: "continuation first") }
                logical[logical.count - 1] += line.dropFirst()
            } else {
                logical.append(line)
            }
        }
        guard logical.first == "BEGIN:VCALENDAR", logical.last == "END:VCALENDAR" else {
            throw Problem(description: "not a VCALENDAR")
        }
        var events: [[String: String]] = []
        var current: [String: String]?
        for line in logical {
            guard let colon = line.firstIndex(of: ":") else { throw Problem(description: "no colon: \(line)") }
            let name = String(line[..<colon]).split(separator: ";").first.map(String.init) ?? ""
            let value = String(line[line.index(after: colon)...])
            if line == "BEGIN:VEVENT" {
                current = [:]
            } else if line == "END:VEVENT" {
                if let current { events.append(current) }
                current = nil
            } else if current != nil {
                current?[name] = unescape(value)
            }
        }
        return events
    }

    static func unescape(_ value: String) -> String {
        var result = ""
        var escaping = false
        for character in value {
            if escaping {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
