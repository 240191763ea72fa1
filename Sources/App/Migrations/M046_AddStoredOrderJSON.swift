import Fluent
import SQLKit

/// `order_json` on PostgreSQL: each order's JSON as of its version (`StoredOrderJSON`,
/// docs/architecture.md#stored-order-json). SQLite writes the order JSON in Swift and gets nothing.
///
/// - A name or phone of a client or user bumps the version of every order that shows it (the order JSON has the
///   client, the manager, the operators, the log's authors and the photos' uploaders).
/// - A deferred trigger on `order_versions` writes, at commit, the JSON of each order the transaction bumped. The
///   transaction holds the bumped version's row lock until then, so no other write to that order comes in between.
///   It does nothing until the program has installed `ringo_order_json` (`StoredOrderJSON.install`).
struct AddStoredOrderJSON: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        for statement in Self.postgres { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        guard sql.dialect.name == "postgresql" else { return }
        for statement in [
            "DROP TRIGGER IF EXISTS trg_order_versions_json ON order_versions",
            "DROP TRIGGER IF EXISTS trg_clients_order_json ON clients",
            "DROP TRIGGER IF EXISTS trg_users_order_json ON users",
            "DROP FUNCTION IF EXISTS ringo_store_order_json()",
            "DROP FUNCTION IF EXISTS ringo_bump_shown_orders()",
            "DROP FUNCTION IF EXISTS ringo_order_json(text)",
            "DROP FUNCTION IF EXISTS ringo_order_json_key()",
            "DROP TABLE IF EXISTS order_json",
        ] { try await sql.raw(SQLQueryString(statement)).run() }
    }

    static func bump(_ ids: String) -> String {
        "INSERT INTO order_versions (order_id, version) SELECT id, 1 FROM (\(ids)) shown "
            + "ON CONFLICT (order_id) DO UPDATE SET version = order_versions.version + 1"
    }

    static var postgres: [String] {
        let shownByUser = """
            SELECT id FROM orders WHERE manager_id = NEW.id
            UNION SELECT order_id FROM order_operators WHERE user_id = NEW.id
            UNION SELECT order_id FROM order_status_logs WHERE actor_id = NEW.id
            UNION SELECT order_id FROM order_photos WHERE uploaded_by_id = NEW.id
            ORDER BY 1
            """
        return [
            """
            CREATE TABLE order_json (
              order_id text PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
              version bigint NOT NULL,
              key text NOT NULL,
              json text NOT NULL)
            """,
            """
            CREATE OR REPLACE FUNCTION ringo_bump_shown_orders() RETURNS trigger AS $$
            BEGIN
              IF TG_TABLE_NAME = 'clients' THEN
                \(bump("SELECT id FROM orders WHERE client_id = NEW.id ORDER BY id"));
              ELSE
                \(bump(shownByUser));
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """,
            "CREATE TRIGGER trg_clients_order_json AFTER UPDATE OF name, phone ON clients FOR EACH ROW "
                + "WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.phone IS DISTINCT FROM NEW.phone) "
                + "EXECUTE FUNCTION ringo_bump_shown_orders()",
            "CREATE TRIGGER trg_users_order_json AFTER UPDATE OF first_name, last_name, phone ON users FOR EACH ROW "
                + "WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name "
                + "OR OLD.last_name IS DISTINCT FROM NEW.last_name OR OLD.phone IS DISTINCT FROM NEW.phone) "
                + "EXECUTE FUNCTION ringo_bump_shown_orders()",
            """
            CREATE OR REPLACE FUNCTION ringo_store_order_json() RETURNS trigger AS $$
            BEGIN
              IF to_regprocedure('ringo_order_json(text)') IS NULL THEN RETURN NULL; END IF;
              INSERT INTO order_json (order_id, version, key, json)
              SELECT order_id, version, ringo_order_json_key(), json FROM (
                SELECT ov.order_id, ov.version, ringo_order_json(ov.order_id) AS json FROM order_versions ov
                WHERE ov.order_id = NEW.order_id
                  AND NOT EXISTS (SELECT 1 FROM order_json j WHERE j.order_id = ov.order_id
                                  AND j.version = ov.version AND j.key = ringo_order_json_key())) current
              WHERE json IS NOT NULL
              ON CONFLICT (order_id) DO UPDATE SET version = excluded.version, key = excluded.key, json = excluded.json;
              RETURN NULL;
            END $$ LANGUAGE plpgsql
            """,
            "CREATE CONSTRAINT TRIGGER trg_order_versions_json AFTER INSERT OR UPDATE ON order_versions "
                + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ringo_store_order_json()",
        ]
    }
}
