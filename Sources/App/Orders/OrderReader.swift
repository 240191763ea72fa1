import Domain
import FluentKit
import Foundation
import SQLKit

/// Builds the order JSON of the original API for a batch of orders with a fixed number of queries
/// (orders with client and manager, items, operators, status logs, photos), written straight to JSON text.
struct OrderReader {
    let sql: any SQLDatabase
    let rows: FastRows
    let timeZone: TimeZone

    init(sql: any SQLDatabase, timeZone: TimeZone) {
        self.sql = sql
        self.rows = FastRows(sql: sql)
        self.timeZone = timeZone
    }

    init(db: any Database, timeZone: TimeZone) throws {
        self.rows = try FastRows(db: db)
        self.sql = rows.sql
        self.timeZone = timeZone
    }

    private struct Person {
        var id: Int
        var firstName: String
        var lastName: String
        var phone: String
    }

    /// A line as stored: its columns (`line`, metadata left unparsed), the metadata text, and the figures
    /// priced when it was saved (`LineFigures`).
    private struct Item {
        var id: Int
        var line: OrderLine
        var metadata: String
        var lineTotal: Int64
        var displayQuantity: String
        var displayUnit: String
    }

    private struct Log {
        var id: Int
        var from: String
        var to: String
        var actorID: Int?
        var actorName: String?
        var comment: String
        var attachmentURL: String
        var createdAt: Date
    }

    /// The JSON objects of the given orders, in the given order; unknown ids are skipped.
    /// `warnings` (when given) is added to each object as a top-level `"warnings"` array.
    func render(ids: [String], into writer: inout JSONWriter, warnings: [String]? = nil) async throws {
        guard !ids.isEmpty else { return }
        let rows = try await self.rows.all(
            """
            SELECT o.id, o.number, o.client_id, o.address, o.geo_lat, o.geo_lng, o.start_at, o.end_at, o.description,
                   o.status, o.manager_id, o.created_by_id, o.prepayment_amount, o.prepayment_status, o.total_amount,
                   o.estimated_total, o.price_snapshot, o.attachments, o.meta, o.started_at, o.completed_at,
                   o.created_at, o.updated_at,
                   c.name AS client_name, c.phone AS client_phone,
                   m.first_name AS manager_first_name, m.last_name AS manager_last_name, m.phone AS manager_phone
            FROM orders o
            LEFT JOIN clients c ON c.id = o.client_id
            LEFT JOIN users m ON m.id = o.manager_id
            WHERE o.id IN (\(binds: ids))
            """
        )
        var byID: [String: FastRow] = [:]
        for row in rows { byID[try row.decode(column: "id", as: String.self)] = row }

        let items = try await loadItems(ids)
        let operators = try await loadOperators(ids)
        let logs = try await loadLogs(ids)
        let photoReader = PhotoReader(sql: sql, timeZone: timeZone)
        let photos = try await photoReader.load(orderIDs: ids)

        for id in ids {
            guard let row = byID[id] else { continue }
            try write(
                row, items: items[id] ?? [], operators: operators[id] ?? [], logs: logs[id] ?? [],
                photos: (photos[id] ?? [], photoReader), warnings: warnings, into: &writer)
        }
    }

    private func loadItems(_ ids: [String]) async throws -> [String: [Item]] {
        let rows = try await self.rows.all(
            """
            SELECT id, order_id, item_type, ref_id, name_snapshot, quantity, unit, unit_price, manual_price, tax_rate,
                   discount, fuel_expense, repair_expense, metadata, line_total, display_quantity, display_unit
            FROM order_items WHERE order_id IN (\(binds: ids)) ORDER BY order_id, position
            """
        )
        var result: [String: [Item]] = [:]
        for row in rows {
            result[try row.decode(column: "order_id", as: String.self), default: []].append(
                Item(
                    id: try row.decode(column: "id", as: Int.self),
                    line: try OrderLine(row: row, metadata: [:]),
                    metadata: try row.decode(column: "metadata", as: String.self),
                    lineTotal: try row.decode(column: "line_total", as: Int64.self),
                    displayQuantity: try row.decode(column: "display_quantity", as: String.self),
                    displayUnit: try row.decode(column: "display_unit", as: String.self)))
        }
        return result
    }

    private func loadOperators(_ ids: [String]) async throws -> [String: [Person]] {
        let rows = try await self.rows.all(
            """
            SELECT oo.order_id, u.id, u.first_name, u.last_name, u.phone
            FROM order_operators oo JOIN users u ON u.id = oo.user_id
            WHERE oo.order_id IN (\(binds: ids)) ORDER BY oo.order_id, u.id
            """
        )
        var result: [String: [Person]] = [:]
        for row in rows {
            result[try row.decode(column: "order_id", as: String.self), default: []].append(
                Person(
                    id: try row.decode(column: "id", as: Int.self),
                    firstName: try row.decode(column: "first_name", as: String.self),
                    lastName: try row.decode(column: "last_name", as: String.self),
                    phone: try row.decode(column: "phone", as: String.self)))
        }
        return result
    }

    private func loadLogs(_ ids: [String]) async throws -> [String: [Log]] {
        let rows = try await self.rows.all(
            """
            SELECT l.id, l.order_id, l.from_status, l.to_status, l.actor_id, l.comment, l.attachment_url, l.created_at,
                   u.first_name, u.last_name
            FROM order_status_logs l LEFT JOIN users u ON u.id = l.actor_id
            WHERE l.order_id IN (\(binds: ids)) ORDER BY l.order_id, l.created_at DESC, l.id DESC
            """
        )
        var result: [String: [Log]] = [:]
        for row in rows {
            let first = try row.decode(column: "first_name", as: String?.self)
            let last = try row.decode(column: "last_name", as: String?.self)
            let name = first.map { "\($0) \(last ?? "")".trimmingCharacters(in: .whitespaces) }
            result[try row.decode(column: "order_id", as: String.self), default: []].append(
                Log(
                    id: try row.decode(column: "id", as: Int.self),
                    from: try row.decode(column: "from_status", as: String.self),
                    to: try row.decode(column: "to_status", as: String.self),
                    actorID: try row.decode(column: "actor_id", as: Int?.self), actorName: name,
                    comment: try row.decode(column: "comment", as: String.self),
                    attachmentURL: try row.decode(column: "attachment_url", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self)))
        }
        return result
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
        _ row: FastRow, items: [Item], operators: [Person], logs: [Log],
        photos: (rows: [PhotoReader.Row], reader: PhotoReader), warnings: [String]?, into writer: inout JSONWriter
    ) throws {
        let status = OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .created
        let startAt = try row.decode(column: "start_at", as: Date.self)
        let endAt = try row.decode(column: "end_at", as: Date?.self)
        let total = try row.decode(column: "total_amount", as: Int64.self)
        let prepayment = try row.decode(column: "prepayment_amount", as: Int64.self)
        writer.beginObject()
        writer.field("id", try row.decode(column: "id", as: String.self))
        writer.field("number", try row.decode(column: "number", as: String.self))
        writer.key("client")
        if let clientID = try row.decode(column: "client_id", as: Int?.self) {
            writer.beginObject()
            writer.field("id", clientID)
            writer.field("name", try row.decode(column: "client_name", as: String?.self) ?? "")
            writer.field("phone", try row.decode(column: "client_phone", as: String?.self) ?? "")
            writer.endObject()
        } else {
            writer.null()
        }
        writer.field("address", try row.decode(column: "address", as: String.self))
        writer.field("geo_lat", try row.decode(column: "geo_lat", as: Int64?.self).map { Scaled.text($0, scale: 6) })
        writer.field("geo_lng", try row.decode(column: "geo_lng", as: Int64?.self).map { Scaled.text($0, scale: 6) })
        writer.field("start_dt", time(startAt))
        writer.field("end_dt", time(endAt))
        writer.field("description", try row.decode(column: "description", as: String.self))
        writer.field("status", status.rawValue)
        writer.field("status_display", status.title)
        writer.key("manager")
        if let managerID = try row.decode(column: "manager_id", as: Int?.self) {
            write(
                Person(
                    id: managerID, firstName: try row.decode(column: "manager_first_name", as: String?.self) ?? "",
                    lastName: try row.decode(column: "manager_last_name", as: String?.self) ?? "",
                    phone: try row.decode(column: "manager_phone", as: String?.self) ?? ""), into: &writer)
        } else {
            writer.null()
        }
        writer.key("operator")
        write(operators.first, into: &writer)
        writer.key("operators")
        writer.beginArray()
        for person in operators { write(person, into: &writer) }
        writer.endArray()
        writer.field("prepayment_amount", money(prepayment))
        writer.field("prepayment_status", try row.decode(column: "prepayment_status", as: String.self))
        writer.field("total_amount", money(total))
        writer.field("estimated_total", money(try row.decode(column: "estimated_total", as: Int64.self)))
        writer.field("balance", money(max(total - prepayment, 0)))
        writer.rawField("price_snapshot", try row.decode(column: "price_snapshot", as: String.self), fallback: "{}")
        writer.rawField("attachments", try row.decode(column: "attachments", as: String.self), fallback: "[]")
        writer.rawField("meta", try row.decode(column: "meta", as: String.self), fallback: "{}")
        writer.key("items")
        writer.beginArray()
        for item in items { write(item, into: &writer) }
        writer.endArray()
        writer.key("status_logs")
        writer.beginArray()
        for log in logs { write(log, into: &writer) }
        writer.endArray()
        writer.field("created_by", try row.decode(column: "created_by_id", as: Int?.self))
        writer.field("started_at", time(try row.decode(column: "started_at", as: Date?.self)))
        writer.field("completed_at", time(try row.decode(column: "completed_at", as: Date?.self)))
        writer.field("created_at", time(try row.decode(column: "created_at", as: Date.self)))
        writer.field("updated_at", time(try row.decode(column: "updated_at", as: Date.self)))
        writer.key("photos")
        writer.beginArray()
        for photo in photos.rows { photos.reader.write(photo, into: &writer) }
        writer.endArray()
        if let warnings {
            writer.key("warnings")
            writer.beginArray()
            for warning in warnings { writer.value(warning) }
            writer.endArray()
        }
        writer.endObject()
    }

    private func write(_ item: Item, into writer: inout JSONWriter) {
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

    private func write(_ log: Log, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", log.id)
        writer.field("from_status", log.from)
        writer.field("to_status", log.to)
        writer.field("actor", log.actorID)
        if let name = log.actorName { writer.field("actor_name", name) }
        writer.field("comment", log.comment)
        writer.field("attachment_url", log.attachmentURL)
        writer.field("created_at", time(log.createdAt))
        writer.endObject()
    }

    /// The `logs` array of the status-change response.
    func renderLogs(of orderID: String, into writer: inout JSONWriter) async throws {
        let logs = try await loadLogs([orderID])[orderID] ?? []
        writer.beginArray()
        for log in logs { write(log, into: &writer) }
        writer.endArray()
    }
}
