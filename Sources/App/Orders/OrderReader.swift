import Domain
import FluentKit
import Foundation
import SQLKit

/// Writes the order JSON of the original API for a batch of orders straight to JSON text, from the
/// `OrderDetails` that `OrderQueries` loads (a fixed number of queries per batch).
struct OrderReader {
    let queries: OrderQueries
    var timeZone: TimeZone { queries.timeZone }
    var rows: FastRows { queries.rows }

    init(sql: any SQLDatabase, timeZone: TimeZone) {
        queries = OrderQueries(sql: sql, timeZone: timeZone)
    }

    init(db: any Database, timeZone: TimeZone) throws {
        queries = try OrderQueries(db: db, timeZone: timeZone)
    }

    private typealias Person = OrderDetails.Person

    /// The JSON objects of the given orders, in the given order; unknown ids are skipped.
    /// `warnings` (when given) is added to each object as a top-level `"warnings": [...]` array.
    /// On PostgreSQL the database writes them (`OrderJSONStatement`), elsewhere `OrderQueries` and this writer.
    func render(ids: [String], into writer: inout JSONWriter, warnings: [String]? = nil) async throws {
        guard !ids.isEmpty else { return }
        if let postgres = rows.postgres {
            for object in try await OrderJSONStatement(ids: ids, timeZone: timeZone).objects(on: postgres) {
                writer.object(json: object, warnings: warnings)
            }
            return
        }
        try await renderInSwift(ids: ids, into: &writer, warnings: warnings)
    }

    /// On PostgreSQL, the order's JSON in one statement when the caller may see it. `false` (nothing written) when it
    /// is missing or not theirs, and elsewhere: the caller then asks `OrderService.visibleOrder` and `render`s.
    func renderIfVisible(id: String, to caller: Caller, into writer: inout JSONWriter) async throws -> Bool {
        let id = id.lowercased()
        guard let postgres = rows.postgres, UUID(uuidString: id) != nil else { return false }
        let statement = OrderJSONStatement(
            ids: [id], timeZone: timeZone, callerID: caller.id, seesAllOrders: OrderPolicy.maySeeAllOrders(caller.role))
        guard let object = try await statement.objects(on: postgres).first else { return false }
        writer.object(json: object)
        return true
    }

    /// The Swift writer of the order JSON (SQLite); `OrderJSONTests` checks it writes what PostgreSQL writes.
    func renderInSwift(ids: [String], into writer: inout JSONWriter, warnings: [String]? = nil) async throws {
        guard !ids.isEmpty else { return }
        let photoReader = PhotoReader(sql: queries.sql, timeZone: timeZone)
        for details in try await queries.details(ids) {
            write(details, photoReader: photoReader, warnings: warnings, into: &writer)
        }
    }

    private func time(_ date: Date?) -> String? { date.map { ISOTime.format($0, in: timeZone) } }

    private func money(_ kopecks: Int64?) -> String? { kopecks.map { Scaled.text($0, scale: 2) } }

    private func write(_ person: Person?, into writer: inout JSONWriter) {
        guard let person else { return writer.null() }
        writer.beginObject()
        writer.field("id", person.id)
        writer.field("first_name", person.firstName)
        writer.field("last_name", person.lastName)
        writer.field("phone", person.phone)
        writer.endObject()
    }

    private func write(
        _ details: OrderDetails, photoReader: PhotoReader, warnings: [String]?, into writer: inout JSONWriter
    ) {
        let order = details.order
        writer.beginObject()
        writer.field("id", order.id)
        writer.field("number", order.number)
        writer.key("client")
        if let clientID = order.clientID {
            writer.beginObject()
            writer.field("id", clientID)
            writer.field("name", details.client?.name ?? "")
            writer.field("phone", details.client?.phone ?? "")
            writer.endObject()
        } else {
            writer.null()
        }
        writer.field("address", order.address)
        writer.field("geo_lat", order.geoLat.map { Scaled.text($0, scale: 6) })
        writer.field("geo_lng", order.geoLng.map { Scaled.text($0, scale: 6) })
        writer.field("start_dt", time(order.startAt))
        writer.field("end_dt", time(order.endAt))
        writer.field("description", order.description)
        writer.field("status", order.status.rawValue)
        writer.field("status_display", order.status.title)
        writer.key("manager")
        if let managerID = order.managerID {
            write(details.manager ?? Person(id: managerID, firstName: "", lastName: "", phone: ""), into: &writer)
        } else {
            writer.null()
        }
        // The API lists operators by id; the pages by name.
        let operators = details.operators.sorted { $0.id < $1.id }
        writer.key("operator")
        write(operators.first, into: &writer)
        writer.key("operators")
        writer.beginArray()
        for person in operators { write(person, into: &writer) }
        writer.endArray()
        writer.field("prepayment_amount", money(order.prepayment))
        writer.field("prepayment_status", order.prepaymentStatus)
        writer.field("total_amount", money(order.totalAmount))
        writer.field("estimated_total", money(order.estimatedTotal))
        writer.field("balance", money(max(order.totalAmount - order.prepayment, 0)))
        writer.rawField("price_snapshot", order.priceSnapshot, fallback: "{}")
        writer.rawField("attachments", order.attachments, fallback: "[]")
        writer.rawField("meta", order.meta, fallback: "{}")
        writer.key("items")
        writer.beginArray()
        for item in details.items { write(item, into: &writer) }
        writer.endArray()
        writer.key("status_logs")
        writer.beginArray()
        for log in details.logs { write(log, into: &writer) }
        writer.endArray()
        writer.field("created_by", order.createdByID)
        writer.field("started_at", time(order.startedAt))
        writer.field("completed_at", time(order.completedAt))
        writer.field("created_at", time(order.createdAt))
        writer.field("updated_at", time(order.updatedAt))
        writer.key("photos")
        writer.beginArray()
        for photo in details.photos { photoReader.write(photo, into: &writer) }
        writer.endArray()
        if let warnings {
            writer.key("warnings")
            writer.beginArray()
            for warning in warnings { writer.value(warning) }
            writer.endArray()
        }
        writer.endObject()
    }

    private func write(_ item: OrderDetails.Item, into writer: inout JSONWriter) {
        let line = item.line
        writer.beginObject()
        writer.field("id", item.id)
        writer.field("item_type", line.itemType.rawValue)
        writer.field("ref_id", line.refID)
        writer.field("name_snapshot", line.name)
        writer.field("quantity", money(line.quantity))
        writer.field("unit", line.unit)
        writer.field("unit_price", money(line.unitPrice))
        writer.field("manual_price", line.manualPrice)
        writer.field("tax_rate", money(line.taxRate))
        writer.field("discount", money(line.discount))
        writer.field("fuel_expense", money(line.fuelExpense))
        writer.field("repair_expense", money(line.repairExpense))
        writer.rawField("metadata", item.metadata, fallback: "{}")
        writer.field("display_quantity", item.displayQuantity)
        writer.field("display_unit", item.displayUnit)
        writer.field("line_total", money(item.lineTotal))
        writer.endObject()
    }

    private func write(_ log: OrderDetails.Log, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", log.id)
        writer.field("from_status", log.from)
        writer.field("to_status", log.to)
        writer.field("actor", log.actorID)
        if let actor = log.actor {
            writer.field("actor_name", "\(actor.firstName) \(actor.lastName)".trimmingCharacters(in: .whitespaces))
        }
        writer.field("comment", log.comment)
        writer.field("attachment_url", log.attachmentURL)
        writer.field("created_at", time(log.createdAt))
        writer.endObject()
    }

    /// The `logs` array of the status-change response.
    func renderLogs(of orderID: String, into writer: inout JSONWriter) async throws {
        let logs = try await queries.logs([orderID])[orderID] ?? []
        writer.beginArray()
        for log in logs { write(log, into: &writer) }
        writer.endArray()
    }
}
