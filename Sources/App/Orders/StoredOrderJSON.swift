import Crypto
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Each order's JSON kept in `order_json` on PostgreSQL, written by the database when the order's writing
/// transaction commits, so that a list page reads 50 stored texts instead of writing 50 orders
/// (docs/architecture.md#stored-order-json).
///
/// - `ringo_order_json(id)` writes one order's JSON with `OrderJSONStatement.orderJSON`, in the company's zone.
///   The program installs it when it migrates, under a key: a hash of its text, so of the JSON's shape and zone.
/// - A stored JSON carries the order's version (`order_versions`, bumped by triggers on every write to the order,
///   its lines, operators, log and photos, and to a name or phone it shows) and the key it was written under.
///   `OrderJSONStatement` reads it only when both are current, and otherwise writes the order from its rows.
/// - A deferred trigger on `order_versions` writes the JSON of every order a transaction bumped, at its commit,
///   in that transaction; `refresh` writes the rest (orders from before the migration, a key that changed).
///
/// The version and the JSON are read in one snapshot, and every change to what the JSON shows bumps the version in
/// the changing transaction, so a stored JSON whose version is current is the order as it is now.
enum StoredOrderJSON {
    /// The function's text for the company's zone (an IANA name).
    static func functionSQL(timeZone: String) -> String {
        let order = OrderJSONStatement.orderJSON(zone: PostgresJSON.quote(timeZone) + "::text")
        // PL/pgSQL keeps its statements' plans for the session; an SQL function's would be planned at each call
        // from a trigger (a few milliseconds for this statement).
        return """
            CREATE OR REPLACE FUNCTION ringo_order_json(wanted text) RETURNS text LANGUAGE plpgsql STABLE AS $ringo$
            BEGIN
              RETURN (SELECT \(order.json)
                      FROM orders o
                      \(order.joins)
                      WHERE o.id = wanted);
            END $ringo$
            """
    }

    private static let keys = NIOLockedValueBox<[String: String]>([:])

    /// The key of the JSON written in this zone by this program.
    static func key(timeZone: String) -> String {
        if let key = keys.withLockedValue({ $0[timeZone] }) { return key }
        let digest = SHA256.hash(data: Data(functionSQL(timeZone: timeZone).utf8))
        let key = digest.prefix(12).map { String(format: "%02x", $0) }.joined()
        keys.withLockedValue { $0[timeZone] = key }
        return key
    }

    /// Installs the function for `timeZone` unless the current schema has it under the same key. Runs while the
    /// program migrates, under the migration lock. A changed key leaves every stored JSON stale until `refresh`.
    static func install(on sql: any SQLDatabase, timeZone: String) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        let key = key(timeZone: timeZone)
        let installed = try await sql.raw(
            """
            SELECT obj_description(p.oid, 'pg_proc') AS key FROM pg_proc p
            WHERE p.proname = 'ringo_order_json' AND p.pronamespace = current_schema()::regnamespace
            """
        ).first()?.decode(column: "key", as: String?.self)
        guard installed != key else { return }
        try await sql.raw(SQLQueryString(functionSQL(timeZone: timeZone))).run()
        try await sql.raw(
            SQLQueryString(
                "CREATE OR REPLACE FUNCTION ringo_order_json_key() RETURNS text LANGUAGE sql IMMUTABLE "
                    + "AS $ringo$ SELECT \(PostgresJSON.quote(key))::text $ringo$")
        ).run()
        try await sql.raw(SQLQueryString("COMMENT ON FUNCTION ringo_order_json(text) IS \(PostgresJSON.quote(key))"))
            .run()
    }

    /// Writes the JSON of up to `limit` orders whose stored JSON is missing or stale; returns how many.
    @discardableResult
    static func refresh(on sql: any SQLDatabase, limit: Int = 500) async throws -> Int {
        guard sql.dialect.name == "postgresql" else { return 0 }
        let rows = try await sql.raw(
            """
            WITH due AS (
              SELECT o.id, coalesce(ov.version, 0) AS version FROM orders o
              LEFT JOIN order_versions ov ON ov.order_id = o.id
              LEFT JOIN order_json j ON j.order_id = o.id
              WHERE j.order_id IS NULL OR j.key <> ringo_order_json_key() OR j.version <> coalesce(ov.version, 0)
              LIMIT \(bind: limit))
            INSERT INTO order_json (order_id, version, key, json)
            SELECT id, version, ringo_order_json_key(), ringo_order_json(id) FROM due
            ON CONFLICT (order_id) DO UPDATE SET version = excluded.version, key = excluded.key, json = excluded.json
            WHERE order_json.version < excluded.version OR order_json.key <> excluded.key
            RETURNING 1 AS written
            """
        ).all()
        return rows.count
    }
}

/// Writes the stored JSON that no commit wrote: orders from before `order_json` existed, and every order after the
/// program's JSON changed (a new key). Every ten minutes, in batches, for at most a minute of each run.
struct StoredOrderJSONRefreshJob: Job {
    static let name = "orders.stored_json"
    static let maxAttempts = 3
    static let batch = 500
    static let timeLimit: TimeInterval = 60

    static func run(_ context: JobContext) async throws -> JSONValue? {
        let sql = try context.db.sql()
        let started = Date()
        var written = 0
        while Date().timeIntervalSince(started) < timeLimit {
            let batchWritten = try await StoredOrderJSON.refresh(on: sql, limit: batch)
            written += batchWritten
            if batchWritten == 0 { break }
        }
        return .object(["written": .number(Decimal(written))])
    }
}
