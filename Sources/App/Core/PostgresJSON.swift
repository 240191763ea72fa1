import Foundation

/// PostgreSQL expressions that write JSON text byte for byte as `JSONWriter` writes it: no blanks, strings
/// escaped as `JSONWriter.appendQuoted` escapes them (PostgreSQL's `to_json(text)` escapes the same characters
/// the same way), money and coordinates as `Scaled.text`, moments as `ISOTime.format`. Used to build a hot
/// read's JSON in the database (docs/architecture.md#order-json); `OrderJSONTests` compares the two writers.
///
/// Every function returns a `Part`: an SQL expression of type `text` that is never NULL, or a literal that
/// merges with its neighbours, so that an object is one `concat(…)` call.
enum PostgresJSON {
    enum Part {
        case literal(String)
        case expression(String)
    }

    /// `{"key":value,…}`. A field with an empty key comes from `optionalField` and writes its own comma and key.
    static func object(_ fields: [(key: String, value: [Part])]) -> [Part] {
        var parts: [Part] = [.literal("{")]
        for (index, field) in fields.enumerated() {
            if field.key.isEmpty {  // a conditional field (`optionalField`) writes its own key and comma
                parts += field.value
                continue
            }
            parts.append(.literal((index == 0 ? "" : ",") + "\"\(field.key)\":"))
            parts += field.value
        }
        parts.append(.literal("}"))
        return parts
    }

    /// `,"key":value` when `condition` holds, nothing otherwise (never the first field).
    static func optionalField(_ key: String, _ value: [Part], when condition: String) -> (key: String, value: [Part]) {
        (
            "",
            [.expression("CASE WHEN \(condition) THEN \(concat([.literal(",\"\(key)\":")] + value)) ELSE '' END")]
        )
    }

    /// One SQL expression of type `text` joining the parts.
    static func concat(_ parts: [Part]) -> String {
        var merged: [String] = []
        var pending: String?
        for part in parts {
            switch part {
            case .literal(let text): pending = (pending ?? "") + text
            case .expression(let sql):
                if let literal = pending { merged.append(quote(literal)) }
                pending = nil
                merged.append(sql)
            }
        }
        if let literal = pending { merged.append(quote(literal)) }
        if merged.count == 1 { return merged[0] }
        // A function takes at most 100 arguments; long objects are joined from chunks.
        let chunks = stride(from: 0, to: merged.count, by: 90).map {
            "concat(" + merged[$0..<min($0 + 90, merged.count)].joined(separator: ", ") + ")"
        }
        return chunks.count == 1 ? chunks[0] : "(" + chunks.joined(separator: " || ") + ")"
    }

    /// An SQL string literal.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A JSON string of a text expression that is never NULL.
    static func string(_ sql: String) -> [Part] { [.expression("to_json(\(sql))::text")] }

    /// A JSON number of an integer expression that is never NULL.
    static func number(_ sql: String) -> [Part] { [.expression("(\(sql))::text")] }

    /// A JSON number, or `null`.
    static func optionalNumber(_ sql: String) -> [Part] { [.expression("coalesce((\(sql))::text, 'null')")] }

    /// `true` or `false` (PostgreSQL's cast of a boolean to text writes these words).
    static func bool(_ sql: String) -> [Part] { [.expression("(\(sql))::text")] }

    /// A JSON string of an integer in units of 10^-scale, as `Scaled.text` writes it: `"-12.05"`. (A numeric
    /// product has the sum of its factors' scales, so `n * 0.01` prints exactly two decimals.)
    static func scaled(_ sql: String, scale: Int) -> [Part] {
        let unit = scale == 0 ? "1" : "0." + String(repeating: "0", count: scale - 1) + "1"
        return [.literal("\""), .expression("((\(sql))::numeric * \(unit))::text"), .literal("\"")]
    }

    /// `scaled`, or `null`.
    static func optionalScaled(_ sql: String, scale: Int) -> [Part] {
        [.expression("CASE WHEN (\(sql)) IS NULL THEN 'null' ELSE \(concat(scaled(sql, scale: scale))) END")]
    }

    /// A JSON string of a `timestamptz`, as `ISOTime.format` writes it in the zone named by `zone` (an SQL text
    /// expression): whole seconds and the zone's offset at that moment, `"2025-12-01T12:00:00+03:00"`.
    static func time(_ sql: String, zone: String) -> [Part] {
        let local = "timezone(\(zone), \(sql))"
        let offset = "(\(local) - timezone('UTC', \(sql)))"
        return [
            .literal("\""),
            .expression("to_char(\(local), 'YYYY-MM-DD\"T\"HH24:MI:SS')"),
            .expression(
                "CASE WHEN \(offset) < interval '0' THEN '-' || to_char(-\(offset), 'HH24:MI') "
                    + "ELSE '+' || to_char(\(offset), 'HH24:MI') END"),
            .literal("\""),
        ]
    }

    /// `time`, or `null`.
    static func optionalTime(_ sql: String, zone: String) -> [Part] {
        [.expression("CASE WHEN (\(sql)) IS NULL THEN 'null' ELSE \(concat(time(sql, zone: zone))) END")]
    }

    /// Stored JSON text as `JSONWriter.raw` writes it: without surrounding JSON blanks, `fallback` when empty.
    static func raw(_ sql: String, fallback: String) -> [Part] {
        [.expression("coalesce(nullif(btrim(\(sql), E' \\t\\n\\r'), ''), \(quote(fallback)))")]
    }

    /// The value of `sql` when it is one of `known`, else `otherwise` (as a record decodes an unknown enum case).
    static func oneOf(_ sql: String, _ known: [String], otherwise: String) -> String {
        "CASE WHEN (\(sql)) IN (\(known.map(quote).joined(separator: ", "))) THEN (\(sql)) ELSE \(quote(otherwise)) END"
    }

    /// A title by value (`status_display`); `otherwise` is an SQL text expression.
    static func title(of sql: String, _ titles: [(value: String, title: String)], otherwise: String) -> String {
        "CASE (\(sql)) " + titles.map { "WHEN \(quote($0.value)) THEN \(quote($0.title))" }.joined(separator: " ")
            + " ELSE \(otherwise) END"
    }

    /// `[element,…]` of the rows of `rows` (an SQL `FROM … WHERE …` tail) in `order`.
    static func array(of element: [Part], rows: String, orderBy order: String) -> [Part] {
        [
            .literal("["),
            .expression("coalesce((SELECT string_agg(\(concat(element)), ',' ORDER BY \(order)) \(rows)), '')"),
            .literal("]"),
        ]
    }

    /// The characters `String.trimmingCharacters(in: .whitespaces)` removes: Unicode's space separators and tab.
    static let spaceSeparators =
        " \t\u{A0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}"
        + "\u{2008}\u{2009}\u{200A}\u{202F}\u{205F}\u{3000}"

    /// `"first last"` without surrounding spaces, as the order JSON writes a person's name.
    static func fullName(_ first: String, _ last: String) -> String {
        "btrim(concat(\(first), ' ', \(last)), \(quote(spaceSeparators)))"
    }
}
