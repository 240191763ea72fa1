import SQLKit

/// The application's tables in a database (the current schema on PostgreSQL), and which of them hold rows.
/// `_fluent_migrations` counts as a table but not as data.
enum DatabaseContents {
    static func tables(_ sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString =
            sql.dialect.name == "postgresql"
            ? "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }

    static func inspect(_ sql: any SQLDatabase) async throws -> (tables: [String], tablesWithRows: [String]) {
        let tables = try await tables(sql)
        var withRows: [String] = []
        for table in tables where table != "_fluent_migrations" {
            if try await sql.raw("SELECT 1 AS present FROM \(ident: table) LIMIT 1").first() != nil {
                withRows.append(table)
            }
        }
        return (tables, withRows)
    }
}
