import Domain
import Foundation
import PostgresNIO
import SQLKit

/// Keeps a machine or an operator out of two overlapping active orders.
///
/// Each active order holds one `bookings` row per machine and operator over its time range. The service
/// checks for conflicts and answers 409 with them; on PostgreSQL an exclusion constraint also rejects the
/// loser of two concurrent transactions, which is mapped to the same 409.
struct BookingGuard {
    let sql: any SQLDatabase
    let timeZone: TimeZone

    struct Resource: Hashable, Sendable {
        enum Kind: String, Sendable { case equipment, `operator` }
        var kind: Kind
        var id: Int
    }

    struct Conflict: Sendable {
        var orderID: String
        var number: String
        var resource: Resource
        var resourceName: String
        var start: Date
        var end: Date
    }

    static func range(start: Date, end: Date?) -> TimeRange {
        TimeRange.booking(start: start, end: end)
    }

    static func resources(lines: [OrderLine], operatorIDs: [Int]) -> [Resource] {
        let machines = lines.filter { $0.itemType == .equipment }.compactMap(\.refID).map {
            Resource(kind: .equipment, id: $0)
        }
        let people = operatorIDs.map { Resource(kind: .operator, id: $0) }
        return Array(Set(machines + people)).sorted { ($0.kind.rawValue, $0.id) < ($1.kind.rawValue, $1.id) }
    }

    func conflicts(for orderID: String, range: TimeRange, resources: [Resource]) async throws -> [Conflict] {
        guard !resources.isEmpty else { return [] }
        var found: [Conflict] = []
        for kind in [Resource.Kind.equipment, .operator] {
            let ids = resources.filter { $0.kind == kind }.map(\.id)
            guard !ids.isEmpty else { continue }
            let nameColumn: any SQLExpression =
                kind == .equipment
                ? SQLRaw("(SELECT name FROM equipment WHERE equipment.id = b.resource_id)")
                : SQLRaw("(SELECT first_name || ' ' || last_name FROM users WHERE users.id = b.resource_id)")
            let rows = try await sql.select()
                .column(SQLColumn("order_id", table: "b"))
                .column(SQLColumn("number", table: "o"))
                .column(SQLColumn("resource_id", table: "b"))
                .column(SQLColumn("start_at", table: "b"))
                .column(SQLColumn("end_at", table: "b"))
                .column(nameColumn, as: "resource_name")
                .from(SQLAlias(SQLIdentifier("bookings"), as: SQLIdentifier("b")))
                .join(SQLAlias(SQLIdentifier("orders"), as: SQLIdentifier("o")), on: SQLRaw("o.id = b.order_id"))
                .where(SQLColumn("resource_type", table: "b"), .equal, SQLBind(kind.rawValue))
                .where(SQLColumn("resource_id", table: "b"), .in, SQLBind.group(ids))
                .where(SQLColumn("start_at", table: "b"), .lessThan, SQLBind(range.end))
                .where(SQLColumn("end_at", table: "b"), .greaterThan, SQLBind(range.start))
                .where(SQLColumn("order_id", table: "b"), .notEqual, SQLBind(orderID))
                .orderBy(SQLColumn("start_at", table: "b"))
                .all()
            for row in rows {
                found.append(
                    Conflict(
                        orderID: try row.decode(column: "order_id", as: String.self),
                        number: try row.decode(column: "number", as: String.self),
                        resource: Resource(kind: kind, id: try row.decode(column: "resource_id", as: Int.self)),
                        resourceName: (try? row.decode(column: "resource_name", as: String?.self) ?? "") ?? "",
                        start: try row.decode(column: "start_at", as: Date.self),
                        end: try row.decode(column: "end_at", as: Date.self)))
            }
        }
        return found
    }

    /// Replaces the order's bookings; throws `OrderError.busy` when another order holds one of the resources.
    func book(orderID: String, range: TimeRange, resources: [Resource]) async throws {
        let conflicts = try await conflicts(for: orderID, range: range, resources: resources)
        if !conflicts.isEmpty { throw OrderError.busy(conflicts) }
        try await release(orderID: orderID)
        guard !resources.isEmpty else { return }
        var insert = sql.insert(into: "bookings").columns(
            "order_id", "resource_type", "resource_id", "start_at", "end_at")
        for resource in resources {
            insert = insert.values(
                SQLBind(orderID), SQLBind(resource.kind.rawValue), SQLBind(resource.id), SQLBind(range.start),
                SQLBind(range.end))
        }
        try await insert.run()
    }

    func release(orderID: String) async throws {
        try await sql.delete(from: "bookings").where("order_id", .equal, orderID).run()
    }

    /// The API's 409: `{"detail", "conflicts": [{order, number, resource, resource_id, resource_name, start, end}]}`.
    static func conflictError(_ conflicts: [Conflict], timeZone: TimeZone) -> APIError {
        let items: [JSONValue] = conflicts.map { conflict in
            .object([
                "order": .string(conflict.orderID), "number": .string(conflict.number),
                "resource": .string(conflict.resource.kind.rawValue),
                "resource_id": .number(Decimal(conflict.resource.id)),
                "resource_name": .string(conflict.resourceName),
                "start": .string(ISOTime.format(conflict.start, in: timeZone)),
                "end": .string(ISOTime.format(conflict.end, in: timeZone)),
            ])
        }
        let names = conflicts.map { "«\($0.resourceName)» в заявке \($0.number)" }
        let detail = "Ресурс уже занят в это время: " + Array(Set(names)).sorted().joined(separator: ", ") + "."
        return APIError.conflict(detail, extra: ["conflicts": .array(items)])
    }

    /// True for PostgreSQL's exclusion-constraint violation (SQLSTATE 23P01).
    static func isExclusionViolation(_ error: any Error) -> Bool {
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23P01" { return true }
        return String(reflecting: error).contains("23P01")
    }
}
