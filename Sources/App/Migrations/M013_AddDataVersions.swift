import Fluent
import SQLKit

/// A counter per data set, bumped by triggers on every write to the tables the order JSON is built from.
/// Readers compare it with the version of a cached response (see `ResponseCache`); triggers make the
/// check hold for writes from any instance and any code path.
struct AddDataVersions: AsyncMigration {
    static let orderTables: [(table: String, updateColumns: String?)] = [
        ("orders", nil), ("order_items", nil), ("order_operators", nil), ("order_status_logs", nil),
        ("order_photos", nil), ("clients", "name, phone"), ("users", "first_name, last_name, phone"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        try await database.schema("data_versions")
            .field("name", .string, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        try await sql.insert(into: "data_versions").columns("name", "value").values(SQLBind("orders"), SQLBind(0)).run()
        let bump = "UPDATE data_versions SET value = value + 1 WHERE name = 'orders'"
        if sql.dialect.name == "postgresql" {
            let function: String =
                "CREATE OR REPLACE FUNCTION ringo_bump_orders_version() RETURNS trigger AS $$ "
                + "BEGIN \(bump); RETURN NULL; END $$ LANGUAGE plpgsql"
            try await sql.raw(SQLQueryString(function)).run()
            for (table, columns) in Self.orderTables {
                let events = columns.map { "INSERT OR DELETE OR UPDATE OF \($0)" } ?? "INSERT OR UPDATE OR DELETE"
                let trigger: String =
                    "CREATE TRIGGER trg_\(table)_version AFTER \(events) ON \(table) "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION ringo_bump_orders_version()"
                try await sql.raw(SQLQueryString(trigger)).run()
            }
        } else {
            for (table, columns) in Self.orderTables {
                for (suffix, event) in [
                    ("ai", "INSERT"), ("ad", "DELETE"), ("au", columns.map { "UPDATE OF \($0)" } ?? "UPDATE"),
                ] {
                    let trigger = "CREATE TRIGGER trg_\(table)_version_\(suffix) AFTER \(event) ON \(table) "
                    try await sql.raw(SQLQueryString(trigger + "BEGIN \(bump); END")).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        if sql.dialect.name == "postgresql" {
            for (table, _) in Self.orderTables {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS trg_\(table)_version ON \(table)")).run()
            }
            try await sql.raw("DROP FUNCTION IF EXISTS ringo_bump_orders_version()").run()
        } else {
            for (table, _) in Self.orderTables {
                for suffix in ["ai", "ad", "au"] {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS trg_\(table)_version_\(suffix)")).run()
                }
            }
        }
        try await database.schema("data_versions").delete()
    }
}
