import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit

/// Runs the read queries of hot paths and hands back rows to decode by column name. On PostgreSQL the rows
/// come straight from PostgresNIO and each cell is decoded by its `PostgresDecodable` type; SQLKit's generic
/// row decoding (a coding key and a dynamic cast per cell) was 40 % of the CPU of an uncached order list.
/// Elsewhere (SQLite, or an `SQLDatabase` wrapped by a test) the rows are SQLKit's.
struct FastRows: Sendable {
    let sql: any SQLDatabase
    let postgres: (any PostgresDatabase)?

    init(sql: any SQLDatabase, postgres: (any PostgresDatabase)? = nil) {
        self.sql = sql
        self.postgres = postgres
    }

    init(db: any Database) throws {
        self.init(sql: try db.sql(), postgres: db as? any PostgresDatabase)
    }

    func all(_ query: SQLQueryString) async throws -> [FastRow] {
        guard let postgres, let (text, binds) = postgresQuery(query) else {
            return try await sql.raw(query).all().map { FastRow(.sql($0)) }
        }
        return try await postgres.query(text, binds).get().rows.map { FastRow(.postgres($0.makeRandomAccess())) }
    }

    /// The query as PostgreSQL text and binds, when every bind is a string, an integer or a date (the hot reads
    /// bind only ids and moments); otherwise `nil` and SQLKit runs it.
    private func postgresQuery(_ query: SQLQueryString) -> (String, [PostgresData])? {
        var serializer = SQLSerializer(database: sql)
        query.serialize(to: &serializer)
        var binds: [PostgresData] = []
        for bind in serializer.binds {
            switch bind {
            case let text as String: binds.append(PostgresData(string: text))
            case let number as Int: binds.append(PostgresData(int: number))
            case let date as Date: binds.append(PostgresData(date: date))
            default: return nil
            }
        }
        return (serializer.sql, binds)
    }
}

/// One row of `FastRows`.
struct FastRow {
    enum Source {
        case postgres(PostgresRandomAccessRow)
        case sql(any SQLRow)
    }

    struct MissingColumn: Error, CustomStringConvertible {
        var column: String
        var description: String { "no column \(column) in the row" }
    }

    private let source: Source

    init(_ source: Source) { self.source = source }

    func decode<T: PostgresDecodable & Decodable>(column: String, as type: T.Type = T.self) throws -> T {
        switch source {
        case .postgres(let row):
            guard row.contains(column) else { throw MissingColumn(column: column) }
            return try row[column].decode(T.self)
        case .sql(let row):
            return try row.decode(column: column, as: T.self)
        }
    }
}
