import Foundation
import Vapor

/// The fields of an `application/x-www-form-urlencoded` body, in posted order.
///
/// Repeated names (`operator_ids[]`) keep every value; bracketed rows (`items[0][ref_id]`) are grouped by
/// `rows(_:)`. Nothing here throws: a malformed pair is skipped.
struct WebForm: Sendable {
    private(set) var pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    init(encoded text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).compactMap { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = pieces.first, let name = Self.decode(rawName), !name.isEmpty else { return nil }
            let value = pieces.count > 1 ? Self.decode(pieces[1]) ?? "" : ""
            return (name, value)
        }
    }

    /// The body of the request, read after it has been collected. An empty or non-form body has no fields.
    init(request: Request) async throws {
        let buffer = try await request.body.collect(upTo: request.application.routes.defaultMaxBodySize.value)
        guard buffer.readableBytes > 0 else {
            self.init(pairs: [])
            return
        }
        self.init(encoded: String(buffer: buffer))
    }

    private static func decode(_ raw: Substring) -> String? {
        String(raw).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The first value of a field, trimmed; "" when absent.
    subscript(_ name: String) -> String {
        (pairs.first { $0.name == name }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The raw first value (not trimmed), `nil` when absent.
    func raw(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    func has(_ name: String) -> Bool { pairs.contains { $0.name == name } }

    /// Every value of a repeated field, e.g. `operator_ids[]`.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map { $0.value.trimmingCharacters(in: .whitespaces) }
    }

    /// Rows of `prefix[i][key]` fields, ordered by `i`: `[(index: 0, fields: ["ref_id": "3", …])]`.
    func rows(_ prefix: String) -> [(index: Int, fields: [String: String])] {
        var rows: [Int: [String: String]] = [:]
        let start = prefix + "["
        for (name, value) in pairs where name.hasPrefix(start) {
            let rest = name.dropFirst(start.count)
            guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.startIndex..<close]), index >= 0,
                index < 500
            else { continue }
            let tail = rest[rest.index(after: close)...]
            guard tail.hasPrefix("["), tail.hasSuffix("]"), tail.count > 2 else { continue }
            let key = String(tail.dropFirst().dropLast())
            if rows[index]?[key] == nil {
                rows[index, default: [:]][key] = value.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return rows.keys.sorted().map { ($0, rows[$0] ?? [:]) }
    }

    /// True when the request carries a form body (as opposed to JSON).
    static func isForm(_ request: Request) -> Bool {
        guard let type = request.headers.contentType else { return false }
        return type.type == "application" && type.subType == "x-www-form-urlencoded"
    }
}
