import Foundation
import NIOCore

/// Writes JSON text directly, for hot read paths where `JSONEncoder` is the bottleneck.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// Opens the DRF page envelope `{"count":…,"next":…,"previous":…,"results":[`; `endPage` closes it.
    mutating func beginPage(count: Int, links: (next: String?, previous: String?)) {
        beginObject()
        field("count", count)
        field("next", links.next)
        field("previous", links.previous)
        key("results")
        beginArray()
    }

    mutating func endPage() {
        endArray()
        endObject()
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":`; the next value call writes the value without a comma.
    mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    mutating func value(_ text: String?) {
        separate()
        guard let text else { return appendLiteral("null") }
        appendQuoted(text)
    }

    mutating func value(_ number: Int?) {
        separate()
        guard let number else { return appendLiteral("null") }
        appendLiteral(String(number))
    }

    mutating func value(_ flag: Bool) {
        separate()
        appendLiteral(flag ? "true" : "false")
    }

    mutating func null() {
        separate()
        appendLiteral("null")
    }

    /// Already-serialised JSON (e.g. a stored JSON column) without the blanks around it; empty text becomes
    /// `fallback`. (`PostgresJSON.raw` writes the same.)
    mutating func raw(_ json: String, fallback: String = "null") {
        separate()
        let utf8 = json.utf8
        // Stored JSON columns are written by this program, without surrounding blanks; trim only if needed.
        guard let first = utf8.first, let last = utf8.last, !Self.isBlank(first), !Self.isBlank(last) else {
            let start = utf8.firstIndex { !Self.isBlank($0) }
            let end = utf8.lastIndex { !Self.isBlank($0) }
            guard let start, let end else { return appendLiteral(fallback) }
            return bytes.append(contentsOf: utf8[start...end])
        }
        appendLiteral(json)
    }

    /// An object already written as JSON text (`{…}`, e.g. by `OrderJSONStatement`); `warnings` (when given) is
    /// added to it as a last `"warnings": [...]` field.
    mutating func object(json: ByteBuffer, warnings: [String]? = nil) {
        separate()
        let text = json.readableBytesView
        guard let warnings, text.last == UInt8(ascii: "}") else { return bytes.append(contentsOf: text) }
        bytes.append(contentsOf: text.dropLast())
        needsComma.append(text.count > 2)
        key("warnings")
        beginArray()
        for warning in warnings { value(warning) }
        endArray()
        endObject()
    }

    mutating func field(_ name: String, _ text: String?) {
        key(name)
        value(text)
    }

    mutating func field(_ name: String, _ number: Int?) {
        key(name)
        value(number)
    }

    mutating func field(_ name: String, _ flag: Bool) {
        key(name)
        value(flag)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    mutating func rawField(_ name: String, _ json: String, fallback: String = "null") {
        key(name)
        raw(json, fallback: fallback)
    }

    private mutating func appendLiteral(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Almost every key and value needs no escaping: copy it in one go.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
                return
            }
            for byte in utf8 { appendEscaped(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Escapes as PostgreSQL's `to_json(text)` does, so that JSON built by the database matches (`PostgresJSON`).
    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
        case 0x08: bytes.append(contentsOf: [92, 98])
        case 0x0C: bytes.append(contentsOf: [92, 102])
        case 0x0A: bytes.append(contentsOf: [92, 110])
        case 0x0D: bytes.append(contentsOf: [92, 114])
        case 0x09: bytes.append(contentsOf: [92, 116])
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: bytes.append(byte)
        }
    }
}
