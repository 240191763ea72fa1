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
    /// The hash of the source row as read (`SourceCursor`), which tells a later run whether it changed.
    func fingerprint() throws -> String? { try optionalText("fingerprint") }

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
struct SourceCursor: Sendable {
    let sql: FastRows
    let table: String
    let columns: String
    /// `uuid` for the order tables' keys, `bigint` for the rest.
    let uuidKey: Bool
    let pageSize: Int
    /// An SQL expression over the row, read as `fingerprint`: by default the md5 of the whole row's text.
    let fingerprint: String
    private var lastKey: String?
    private var done = false

    init(
        sql: FastRows, table: String, columns: String, uuidKey: Bool = false, pageSize: Int, fingerprint: String? = nil
    ) {
        self.sql = sql
        self.table = table
        self.columns = columns
        self.uuidKey = uuidKey
        self.pageSize = pageSize
        self.fingerprint = fingerprint ?? "md5(\(table)::text)"
    }

    mutating func next() async throws -> [SourceRow]? {
        guard !done else { return nil }
        var query: SQLQueryString =
            "SELECT \(unsafeRaw: columns), \(unsafeRaw: fingerprint) AS fingerprint FROM \(ident: table)"
        if let lastKey {
            if uuidKey {
                query += " WHERE \(ident: table).id > CAST(\(bind: lastKey) AS uuid)"
            } else {
                query += " WHERE \(ident: table).id > \(bind: Int(lastKey) ?? 0)"
            }
        }
        // The table's own key (its index), not an output column of that name (`id::text AS id` would sort text).
        query += " ORDER BY \(ident: table).id LIMIT \(unsafeRaw: String(pageSize))"
        let rows = try await sql.all(query).map(SourceRow.init(row:))
        if rows.count < pageSize { done = true }
        guard let last = rows.last else { return nil }
        lastKey = uuidKey ? try last.text("id") : String(try last.int("id"))
        return rows
    }
}

/// Which row of ours each imported row of the original became (`import_mappings`), and a hash of the source row
/// as it was imported (`fingerprint`), by which a later run sees that it changed (docs/import.md#re-import).
struct ImportMappings {
    struct Mapping: Sendable {
        var target: String
        /// Nil for a row imported before fingerprints were kept; `linked` for a row matched to one of ours.
        var fingerprint: String?

        /// A row matched to one we already had is ours, never updated from the original.
        static let linked = "linked"

        /// The source row changed since it was imported (a row of ours it was matched to never does).
        func changed(_ current: String?) -> Bool {
            guard let fingerprint, fingerprint != Self.linked, let current else { return false }
            return fingerprint != current
        }
    }

    let sql: any SQLDatabase

    /// Every mapping of a (small) source table: source id → our id.
    func all(_ table: String) async throws -> [String: Mapping] {
        try await mappings(
            sql.select().columns("source_id", "target_id", "fingerprint").from("import_mappings")
                .where("source_table", .equal, table))
    }

    /// The mappings of these source ids only (for the large tables, a page at a time).
    func existing(_ table: String, _ ids: [String]) async throws -> [String: Mapping] {
        guard !ids.isEmpty else { return [:] }
        return try await mappings(
            sql.select().columns("source_id", "target_id", "fingerprint").from("import_mappings")
                .where("source_table", .equal, table).where("source_id", .in, ids))
    }

    private func mappings(_ query: SQLSelectBuilder) async throws -> [String: Mapping] {
        var result: [String: Mapping] = [:]
        for row in try await query.all() {
            result[try row.decode(column: "source_id", as: String.self)] = Mapping(
                target: try row.decode(column: "target_id", as: String.self),
                fingerprint: try row.decode(column: "fingerprint", as: String?.self))
        }
        return result
    }

    func add(_ table: String, _ pairs: [(source: String, target: String, fingerprint: String?)]) async throws {
        let now = Date()
        for chunk in pairs.chunked(200) {
            var insert = sql.insert(into: "import_mappings").columns(
                "source_table", "source_id", "target_id", "created_at", "fingerprint")
            for pair in chunk {
                insert = insert.values(
                    SQLBind(table), SQLBind(pair.source), SQLBind(pair.target), SQLBind(now), SQLBind(pair.fingerprint))
            }
            try await insert.run()
        }
    }

    /// Records the source rows' fingerprints as they are now: after an update, or the first time for rows
    /// imported before fingerprints were kept.
    func remember(_ table: String, _ fingerprints: [(source: String, fingerprint: String)]) async throws {
        for chunk in fingerprints.chunked(500) {
            var cases: SQLQueryString = "CASE source_id"
            for pair in chunk { cases += " WHEN \(bind: pair.source) THEN \(bind: pair.fingerprint)" }
            let update = sql.update("import_mappings").set("fingerprint", to: cases + " END")
                .where("source_id", .in, chunk.map(\.source))
            try await update.where("source_table", .equal, SQLBind(table)).run()
        }
    }
}
