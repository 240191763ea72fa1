import Domain
import Foundation
import SQLKit

/// The SQL of the planning board: the resources and the orders that touch a period (docs/planning.md#speed).
struct PlanningStore {
    let sql: any SQLDatabase

    /// Machines in service (not `inactive`), by group then code; operators who are active, by name.
    func resources(_ kind: PlanningResource, only ids: [Int]? = nil) async throws -> [PlanningResourceInfo] {
        switch kind {
        case .equipment:
            var query = sql.select().columns("id", "code", "name", "attributes").from("equipment")
                .where("status", .notEqual, "inactive")
            if let ids { query = query.where("id", .in, ids) }
            let rows = try await query.orderBy("code").all()
            let machines = try rows.map { row in
                let code = try row.decode(column: "code", as: String.self)
                let attributes = JSONValue.parse(try row.decode(column: "attributes", as: String.self))
                return PlanningResourceInfo(
                    id: try row.decode(column: "id", as: Int.self),
                    name: try row.decode(column: "name", as: String.self),
                    detail: code,
                    group: MachineType.group(code: code, attributeType: attributes?.objectValue?["type"]?.stringValue))
            }
            // Stable within a group: the code order of the query.
            let groups = Array(Set(machines.map(\.group))).sorted { lhs, rhs in
                (lhs == MachineType.other ? 1 : 0, lhs) < (rhs == MachineType.other ? 1 : 0, rhs)
            }
            return groups.flatMap { group in machines.filter { $0.group == group } }
        case .operator:
            var query = sql.select().columns("id", "first_name", "last_name", "phone").from("users")
                .where("role", .equal, "operator").where("is_active", .equal, true)
            if let ids { query = query.where("id", .in, ids) }
            let rows = try await query.orderBy("last_name").orderBy("first_name").orderBy("id").all()
            return try rows.map { row in
                let name = [
                    try row.decode(column: "first_name", as: String.self),
                    try row.decode(column: "last_name", as: String.self),
                ].filter { !$0.isEmpty }.joined(separator: " ")
                return PlanningResourceInfo(
                    id: try row.decode(column: "id", as: Int.self), name: name,
                    detail: try row.decode(column: "phone", as: String.self), group: PlanningResource.operator.title)
            }
        }
    }

    /// The orders (not cancelled) that may touch `range`, by the machine or operator they hold. A superset: an
    /// order whose end is known and before the range but which starts less than a day before it comes too; the
    /// board keeps only the bars that overlap (`PlanningBoard`).
    func orders(
        _ kind: PlanningResource, in range: TimeRange, only ids: [Int]? = nil
    ) async throws -> [Int: [PlanningOrder]] {
        let (table, condition) =
            kind == .equipment
            ? ("order_items", "r.order_id = o.id AND r.item_type = 'equipment' AND r.ref_id IS NOT NULL")
            : ("order_operators", "r.order_id = o.id")
        let resourceColumn = kind == .equipment ? "ref_id" : "user_id"
        var query = sql.select().distinct()
            .column(SQLColumn(resourceColumn, table: "r"), as: "resource_id")
            .columns(
                SQLColumn("id", table: "o"), SQLColumn("number", table: "o"), SQLColumn("status", table: "o"),
                SQLColumn("start_at", table: "o"), SQLColumn("end_at", table: "o"), SQLColumn("address", table: "o")
            )
            .column(SQLColumn("name", table: "c"), as: "client")
            .from(SQLAlias(SQLIdentifier("orders"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("r")), on: SQLRaw(condition))
            .join(
                SQLAlias(SQLIdentifier("clients"), as: SQLIdentifier("c")), method: SQLJoinMethod.left,
                on: SQLRaw("c.id = o.client_id")
            )
            .where(SQLColumn("status", table: "o"), .notEqual, SQLBind(OrderStatus.cancelled.rawValue))
            .where(SQLColumn("start_at", table: "o"), .lessThan, SQLBind(range.end))
            .where(
                SQLGroupExpression(
                    SQLBinaryExpression(
                        SQLBinaryExpression(SQLColumn("end_at", table: "o"), .greaterThan, SQLBind(range.start)),
                        .or,
                        SQLBinaryExpression(
                            SQLColumn("start_at", table: "o"), .greaterThan,
                            SQLBind(range.start.addingTimeInterval(-TimeRange.openEndedBookingLength))))))
        if let ids {
            query = query.where(SQLColumn(resourceColumn, table: "r"), .in, SQLBind.group(ids))
        }
        let rows = try await query.all()
        var result: [Int: [PlanningOrder]] = [:]
        for row in rows {
            let status = OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .created
            let order = PlanningOrder(
                id: try row.decode(column: "id", as: String.self),
                number: try row.decode(column: "number", as: String.self), status: status,
                start: try row.decode(column: "start_at", as: Date.self),
                end: try row.decode(column: "end_at", as: Date?.self),
                client: try row.decode(column: "client", as: String?.self) ?? "",
                address: try row.decode(column: "address", as: String.self))
            result[try row.decode(column: "resource_id", as: Int.self), default: []].append(order)
        }
        return result
    }

    // MARK: - Calendar feed

    func feedSecret(of userID: Int) async throws -> String? {
        try await sql.select().column("secret").from("calendar_feeds").where("user_id", .equal, userID).first()?
            .decode(column: "secret", as: String.self)
    }

    /// The user a feed's secret belongs to, when he is still an active user.
    func feedOwner(secret: String) async throws -> (id: Int, name: String, role: String)? {
        guard
            let row = try await sql.select()
                .columns(SQLColumn("id", table: "u"), SQLColumn("first_name", table: "u"))
                .columns(SQLColumn("last_name", table: "u"), SQLColumn("role", table: "u"))
                .from(SQLAlias(SQLIdentifier("calendar_feeds"), as: SQLIdentifier("f")))
                .join(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")), on: SQLRaw("u.id = f.user_id"))
                .where(SQLColumn("secret", table: "f"), .equal, SQLBind(secret))
                .where(SQLColumn("is_active", table: "u"), .equal, SQLBind(true))
                .first()
        else { return nil }
        let name = [
            try row.decode(column: "first_name", as: String.self), try row.decode(column: "last_name", as: String.self),
        ].filter { !$0.isEmpty }.joined(separator: " ")
        return (try row.decode(column: "id", as: Int.self), name, try row.decode(column: "role", as: String.self))
    }

    func replaceFeed(of userID: Int, secret: String, at now: Date) async throws {
        try await deleteFeed(of: userID)
        try await sql.insert(into: "calendar_feeds").columns("user_id", "secret", "created_at")
            .values(SQLBind(userID), SQLBind(secret), SQLBind(now)).run()
    }

    func deleteFeed(of userID: Int) async throws {
        try await sql.delete(from: "calendar_feeds").where("user_id", .equal, userID).run()
    }

    /// The machines of each of `orderIDs` by name, for the feed's descriptions.
    func machineNames(of orderIDs: [String]) async throws -> [String: [String]] {
        guard !orderIDs.isEmpty else { return [:] }
        let rows = try await sql.select().columns("order_id", "name_snapshot").from("order_items")
            .where("item_type", .equal, "equipment").where("order_id", .in, orderIDs)
            .orderBy("order_id").orderBy("position").all()
        var result: [String: [String]] = [:]
        for row in rows {
            result[try row.decode(column: "order_id", as: String.self), default: []].append(
                try row.decode(column: "name_snapshot", as: String.self))
        }
        return result
    }
}
