import Fluent
import SQLKit

/// Versions finer than the one `orders` counter (`AddDataVersions`, bumped by every write), so that a write
/// invalidates only the cached responses it changed (docs/architecture.md#response-cache):
///
/// - `order_versions`: a counter per order, bumped by row triggers on every write to the order or to its items,
///   operators, status log and photos. A missing row is version 0.
/// - `data_versions.orders_structure`: bumped when which orders a list holds, or their order, can change: an order
///   added or deleted, a change of a column the list filters or sorts by (`structural`), an operator assigned or
///   removed, or a client's or user's name or phone (shown in every order of theirs).
///
/// A description, a price or a photo changes only that order's version: the cached details of other orders, and
/// the list pages without it, stay valid. Triggers keep this right for writes from any instance and any code path.
struct AddOrderVersions: AsyncMigration {
    /// The columns of `orders` that the list filters or sorts by, apart from the search text (`OrderListQuery`;
    /// lists searched or sorted by anything else use the `orders` counter).
    static let structural = [
        "status", "start_at", "end_at", "client_id", "manager_id", "created_at", "number", "number_value",
    ]
    /// The structural columns an update can change. `created_at` is set once, by the insert (which bumps the
    /// structure); saving an order writes it back, and on SQLite a timestamp read back to the microsecond is not
    /// always the stored value, so comparing it would bump the structure on every save.
    static let changeable = structural.filter { $0 != "created_at" }
    static let children = ["order_items", "order_operators", "order_status_logs", "order_photos"]

    func prepare(on database: any Database) async throws {
        try await database.schema("order_versions")
            .field("order_id", .string, .identifier(auto: false))
            .field("version", .int64, .required, .sql(.default(0)))
            .create()
        let sql = try database.sql()
        try await sql.insert(into: "data_versions").columns("name", "value")
            .values(SQLBind("orders_structure"), SQLBind(0)).run()
        let statements = sql.dialect.name == "postgresql" ? Self.postgres : Self.sqlite
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        if sql.dialect.name == "postgresql" {
            for table in ["orders"] + Self.children {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS trg_\(table)_order_version ON \(table)")).run()
            }
            for statement in [
                "DROP TRIGGER IF EXISTS trg_orders_structure ON orders",
                "DROP TRIGGER IF EXISTS trg_orders_structure_update ON orders",
                "DROP TRIGGER IF EXISTS trg_order_operators_structure ON order_operators",
                "DROP TRIGGER IF EXISTS trg_clients_structure ON clients",
                "DROP TRIGGER IF EXISTS trg_users_structure ON users",
                "DROP FUNCTION IF EXISTS ringo_bump_order_version()",
                "DROP FUNCTION IF EXISTS ringo_bump_orders_structure()",
            ] { try await sql.raw(SQLQueryString(statement)).run() }
        } else {
            for table in ["orders"] + Self.children {
                for suffix in ["ai", "au", "ad"] {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS trg_\(table)_order_version_\(suffix)"))
                        .run()
                }
            }
            for name in [
                "trg_orders_structure_ai", "trg_orders_structure_ad", "trg_orders_structure_au",
                "trg_order_operators_structure_ai", "trg_order_operators_structure_au",
                "trg_order_operators_structure_ad", "trg_clients_structure_ai", "trg_clients_structure_au",
                "trg_clients_structure_ad", "trg_users_structure_ai", "trg_users_structure_au",
                "trg_users_structure_ad",
            ] { try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name)").run() }
        }
        try await sql.delete(from: "data_versions").where("name", .equal, "orders_structure").run()
        try await database.schema("order_versions").delete()
    }

    static let bumpStructure = "UPDATE data_versions SET value = value + 1 WHERE name = 'orders_structure'"
    /// The clients' and users' columns that orders show (as `AddDataVersions` watches them).
    static let shown = ["clients": ["name", "phone"], "users": ["first_name", "last_name", "phone"]]

    static var postgres: [String] {
        let changed = changeable.map { "OLD.\($0) IS DISTINCT FROM NEW.\($0)" }.joined(separator: " OR ")
        func bump(_ id: String) -> String {
            "INSERT INTO order_versions (order_id, version) VALUES (\(id), 1) "
                + "ON CONFLICT (order_id) DO UPDATE SET version = order_versions.version + 1"
        }
        var statements = [
            """
            CREATE OR REPLACE FUNCTION ringo_bump_order_version() RETURNS trigger AS $$
            BEGIN
              IF TG_TABLE_NAME = 'orders' THEN
                IF TG_OP = 'DELETE' THEN \(bump("OLD.id")); ELSE \(bump("NEW.id")); END IF;
              ELSE
                IF TG_OP IN ('UPDATE', 'DELETE') THEN \(bump("OLD.order_id")); END IF;
                IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.order_id IS DISTINCT FROM OLD.order_id) THEN
                  \(bump("NEW.order_id"));
                END IF;
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """,
            "CREATE OR REPLACE FUNCTION ringo_bump_orders_structure() RETURNS trigger AS $$ "
                + "BEGIN \(bumpStructure); RETURN NULL; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER trg_orders_structure AFTER INSERT OR DELETE ON orders "
                + "FOR EACH STATEMENT EXECUTE FUNCTION ringo_bump_orders_structure()",
            "CREATE TRIGGER trg_orders_structure_update AFTER UPDATE ON orders FOR EACH ROW WHEN (\(changed)) "
                + "EXECUTE FUNCTION ringo_bump_orders_structure()",
            "CREATE TRIGGER trg_order_operators_structure AFTER INSERT OR UPDATE OR DELETE ON order_operators "
                + "FOR EACH STATEMENT EXECUTE FUNCTION ringo_bump_orders_structure()",
        ]
        for table in ["orders"] + children {
            statements.append(
                "CREATE TRIGGER trg_\(table)_order_version AFTER INSERT OR UPDATE OR DELETE ON \(table) "
                    + "FOR EACH ROW EXECUTE FUNCTION ringo_bump_order_version()")
        }
        for (table, columns) in shown.sorted(by: { $0.key < $1.key }) {
            statements.append(
                "CREATE TRIGGER trg_\(table)_structure AFTER INSERT OR DELETE OR UPDATE OF "
                    + "\(columns.joined(separator: ", ")) ON \(table) "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION ringo_bump_orders_structure()")
        }
        return statements
    }

    static var sqlite: [String] {
        func bump(_ id: String) -> String {
            "INSERT OR IGNORE INTO order_versions (order_id, version) VALUES (\(id), 0); "
                + "UPDATE order_versions SET version = version + 1 WHERE order_id = \(id);"
        }
        let changed = changeable.map { "OLD.\($0) IS NOT NEW.\($0)" }.joined(separator: " OR ")
        var statements = [
            "CREATE TRIGGER trg_orders_order_version_ai AFTER INSERT ON orders BEGIN \(bump("NEW.id")) END",
            "CREATE TRIGGER trg_orders_order_version_au AFTER UPDATE ON orders BEGIN \(bump("NEW.id")) END",
            "CREATE TRIGGER trg_orders_order_version_ad AFTER DELETE ON orders BEGIN \(bump("OLD.id")) END",
            "CREATE TRIGGER trg_orders_structure_ai AFTER INSERT ON orders BEGIN \(bumpStructure); END",
            "CREATE TRIGGER trg_orders_structure_ad AFTER DELETE ON orders BEGIN \(bumpStructure); END",
            "CREATE TRIGGER trg_orders_structure_au AFTER UPDATE ON orders WHEN \(changed) BEGIN \(bumpStructure); END",
        ]
        for table in children {
            statements += [
                "CREATE TRIGGER trg_\(table)_order_version_ai AFTER INSERT ON \(table) "
                    + "BEGIN \(bump("NEW.order_id")) END",
                "CREATE TRIGGER trg_\(table)_order_version_au AFTER UPDATE ON \(table) "
                    + "BEGIN \(bump("OLD.order_id")) \(bump("NEW.order_id")) END",
                "CREATE TRIGGER trg_\(table)_order_version_ad AFTER DELETE ON \(table) "
                    + "BEGIN \(bump("OLD.order_id")) END",
            ]
        }
        let watched: [(table: String, columns: [String]?)] =
            [("order_operators", nil)] + shown.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (table, columns) in watched {
            let update = columns.map { "UPDATE OF \($0.joined(separator: ", "))" } ?? "UPDATE"
            for (suffix, event) in [("ai", "INSERT"), ("au", update), ("ad", "DELETE")] {
                statements.append(
                    "CREATE TRIGGER trg_\(table)_structure_\(suffix) AFTER \(event) ON \(table) "
                        + "BEGIN \(bumpStructure); END")
            }
        }
        return statements
    }
}
