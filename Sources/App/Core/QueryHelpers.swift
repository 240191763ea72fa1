import FluentKit
import Foundation
import SQLKit
import Vapor

enum QueryFlag {
    static func parse(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "true", "1", "yes": true
        case "false", "0", "no": false
        default: nil
        }
    }
}

/// `?search=` as the original does it: every space-separated term must match (case-insensitive substring).
///
/// Searchable tables keep a `search_text` column: the searchable fields joined and lowercased in Swift,
/// because SQLite's `LOWER` only folds ASCII and our data is Cyrillic.
enum SearchFilter {
    static func text(_ parts: String?...) -> String {
        parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ").lowercased()
    }

    /// One condition per term; each term may match any of the given columns.
    static func terms(_ search: String, columns: [String] = ["search_text"]) -> [any SQLExpression] {
        search.split(whereSeparator: \.isWhitespace).prefix(8).map { term in
            let pattern = "%" + escapeLike(term.lowercased()) + "%"
            let matches: [any SQLExpression] = columns.map { column in
                SQLBinaryExpression(SQLRaw(column), .like, SQLBind(pattern))
            }
            return SQLGroupExpression(SQLList(matches, separator: SQLRaw(" OR ")))
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }

    static func count(table: String, filters: [any SQLExpression], on sql: any SQLDatabase) async throws -> Int {
        var select = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
        for filter in filters { select = select.where(filter) }
        guard let row = try await select.first() else { return 0 }
        return try row.decode(column: "n", as: Int.self)
    }
}

/// `?ordering=a,-b` restricted to known fields; unknown fields are ignored, as in the original.
enum OrderingParser {
    static func parse(
        _ raw: String?, allowed: [String: String], fallback: [String]
    ) -> [(column: String, descending: Bool)] {
        var result: [(String, Bool)] = []
        for part in (raw ?? "").split(separator: ",") {
            let field = part.trimmingCharacters(in: .whitespaces)
            let descending = field.hasPrefix("-")
            let name = descending ? String(field.dropFirst()) : field
            if let column = allowed[name] { result.append((column, descending)) }
        }
        if result.isEmpty {
            result = fallback.map { field in
                field.hasPrefix("-") ? (String(field.dropFirst()), true) : (field, false)
            }
        }
        return result
    }

    /// `parse` as the list of an SQL `ORDER BY`, ended by `tieBreaker` (a unique column, for stable pages).
    /// The columns come from `allowed` and `fallback`, never from the request.
    static func orderBy(
        _ raw: String?, allowed: [String: String], fallback: [String], then tieBreaker: String
    ) -> SQLQueryString {
        var clause: SQLQueryString = ""
        for (column, descending) in parse(raw, allowed: allowed, fallback: fallback) {
            clause += "\(unsafeRaw: column) \(unsafeRaw: descending ? "DESC" : "ASC"), "
        }
        clause += "\(unsafeRaw: tieBreaker)"
        return clause
    }
}

extension Database {
    /// The SQL interface of the database (both of our drivers are SQL databases).
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            throw APIError(status: .internalServerError, detail: "Внутренняя ошибка сервера.")
        }
        return sql
    }
}
