import Foundation
import SQLKit

/// One row read from the original's database. Numbers, JSON, UUIDs and dates are selected as text
/// (`::text`), so every column decodes the same way on any PostgreSQL version.
/// Read through `FastRows` (PostgresNIO's own decoding), which matters at a hundred thousand orders.
struct SourceRow {
    let row: FastRow

    func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int.self) }
    func optionalInt(_ column: String) throws -> Int? { try row.decode(column: column, as: Int?.self) }
    /// Text; SQL NULL reads as "".
    func text(_ column: String) throws -> String { try row.decode(column: column, as: String?.self) ?? "" }
    func optionalText(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
    func bool(_ column: String) throws -> Bool { try row.decode(column: column, as: Bool.self) }
    func date(_ column: String) throws -> Date { try row.decode(column: column, as: Date.self) }
    func optionalDate(_ column: String) throws -> Date? { try row.decode(column: column, as: Date?.self) }

    /// A `numeric` column (selected as text) scaled to an integer: `"2450.00"` at scale 2 → `245000`.
    func scaled(_ column: String, scale: Int = 2) throws -> Int64? {
        guard let text = try optionalText(column), !text.isEmpty else { return nil }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw SourceError.unreadable(column: column, value: text)
        }
        return Scaled.toInt(value, scale: scale)
    }
}

enum SourceError: Error, CustomStringConvertible {
    case unreadable(column: String, value: String)

    var description: String {
        switch self {
        case .unreadable(let column, let value): "unreadable number in \(column): \(value)"
        }
    }
}

/// Reads a table of the original in key order, a page at a time (keyset pagination), so memory stays flat
/// whatever the table's size.
struct SourceCursor {
    let sql: FastRows
    let table: String
    let columns: String
    /// `uuid` for the order tables' keys, `bigint` for the rest.
    let uuidKey: Bool
    let pageSize: Int
    private var lastKey: String?
    private var done = false

    init(sql: FastRows, table: String, columns: String, uuidKey: Bool = false, pageSize: Int) {
        self.sql = sql
        self.table = table
        self.columns = columns
        self.uuidKey = uuidKey
        self.pageSize = pageSize
    }

    mutating func next() async throws -> [SourceRow]? {
        guard !done else { return nil }
        var query: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM \(ident: table)"
        if let lastKey {
            if uuidKey {
                query += " WHERE id > CAST(\(bind: lastKey) AS uuid)"
            } else {
                query += " WHERE id > \(bind: Int(lastKey) ?? 0)"
            }
        }
        query += " ORDER BY id LIMIT \(unsafeRaw: String(pageSize))"
        let rows = try await sql.all(query).map(SourceRow.init(row:))
        if rows.count < pageSize { done = true }
        guard let last = rows.last else { return nil }
        lastKey = uuidKey ? try last.text("id") : String(try last.int("id"))
        return rows
    }
}

/// Which row of ours each imported row of the original became (`import_mappings`).
struct ImportMappings {
    let sql: any SQLDatabase

    /// Every mapping of a (small) source table: source id → our id.
    func all(_ table: String) async throws -> [String: String] {
        let rows = try await sql.select().columns("source_id", "target_id").from("import_mappings")
            .where("source_table", .equal, table).all()
        var result: [String: String] = [:]
        for row in rows {
            result[try row.decode(column: "source_id", as: String.self)] = try row.decode(
                column: "target_id", as: String.self)
        }
        return result
    }

    /// The mappings of these source ids only (for the large tables, a page at a time).
    func existing(_ table: String, _ ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns("source_id", "target_id").from("import_mappings")
            .where("source_table", .equal, table).where("source_id", .in, ids).all()
        var result: [String: String] = [:]
        for row in rows {
            result[try row.decode(column: "source_id", as: String.self)] = try row.decode(
                column: "target_id", as: String.self)
        }
        return result
    }

    func add(_ table: String, _ pairs: [(source: String, target: String)]) async throws {
        let now = Date()
        for chunk in pairs.chunked(200) {
            var insert = sql.insert(into: "import_mappings").columns(
                "source_table", "source_id", "target_id", "created_at")
            for pair in chunk {
                insert = insert.values(SQLBind(table), SQLBind(pair.source), SQLBind(pair.target), SQLBind(now))
            }
            try await insert.run()
        }
    }
}
