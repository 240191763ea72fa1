import Domain
import FluentKit
import Foundation
import SQLKit

/// One order as the API's JSON (`OrderReader`) and the order pages (`OrderPageData`) show it.
struct OrderDetails: Sendable {
    struct Person: Sendable {
        var id: Int
        var firstName: String
        var lastName: String
        var phone: String

        /// «Имя Фамилия», or the phone when the user has no name.
        var displayName: String { OrderPageData.fullName(firstName, lastName, phone: phone) }
    }

    struct Client: Sendable {
        var name: String
        var phone: String
        var email: String
        var address: String
    }

    /// A line as stored: its columns (`line`, metadata left unparsed), the metadata text, and the figures
    /// priced when it was saved (`LineFigures`).
    struct Item: Sendable {
        var id: Int
        var line: OrderLine
        var metadata: String
        var lineTotal: Int64
        var displayQuantity: String
        var displayUnit: String

        /// The line with its metadata read (shifts, hours, daily rate, …), as pricing and the pages need it.
        var pricedLine: OrderLine {
            var priced = line
            let metadata = JSONValue.parse(self.metadata)?.objectValue ?? [:]
            priced.shifts = metadata["shifts"]?.decimalValue
            priced.hours = metadata["hours"]?.decimalValue
            priced.dailyRate = metadata["daily_rate"]?.decimalValue.map { Scaled.toInt($0, scale: 2) }
            priced.billingMode = metadata["billing_mode"]?.stringValue
            priced.note = metadata["note"]?.stringValue
            priced.extraMetadata = metadata.filter { !OrderLine.knownMetadataKeys.contains($0.key) }
            return priced
        }
    }

    struct Log: Sendable {
        var id: Int
        var from: String
        var to: String
        var actorID: Int?
        /// nil when the user is gone.
        var actor: Person?
        var comment: String
        var attachmentURL: String
        var createdAt: Date
    }

    var order: OrderRecord
    /// nil without a client or when its row is gone.
    var client: Client?
    /// nil without a manager or when the user is gone.
    var manager: Person?
    /// Ordered by name.
    var operators: [Person]
    var items: [Item]
    /// Newest first.
    var logs: [Log]
    var photos: [PhotoReader.Row]
}

/// The reads behind `OrderDetails`: a fixed number of queries for any batch of orders (orders with client and
/// manager, items, operators, status logs, photos), decoded with `FastRows`.
struct OrderQueries {
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

    /// What a list card shows of an order: two queries for any number of orders.
    struct Summary: Decodable, Sendable {
        var id: String
        var number: String
        var status: String
        var address: String
        var startAt: Date
        var endAt: Date?
        var totalAmount: Int64
        var clientName: String?
        var operatorNames: [String] = []

        enum CodingKeys: String, CodingKey {
            case id, number, status, address
            case startAt = "start_at"
            case endAt = "end_at"
            case totalAmount = "total_amount"
            case clientName = "client_name"
        }
    }

    private struct OperatorName: Decodable {
        var orderID: String
        var firstName: String
        var lastName: String
        var phone: String

        enum CodingKeys: String, CodingKey {
            case orderID = "order_id"
            case firstName = "first_name"
            case lastName = "last_name"
            case phone
        }
    }

    /// The list cards of the given orders, in the given order; unknown ids are skipped.
    func summaries(_ ids: [String]) async throws -> [Summary] {
        guard !ids.isEmpty else { return [] }
        let cards = try await sql.raw(
            """
            SELECT o.id, o.number, o.status, o.address, o.start_at, o.end_at, o.total_amount, c.name AS client_name
            FROM orders o LEFT JOIN clients c ON c.id = o.client_id
            WHERE o.id IN (\(binds: ids))
            """
        ).all(decoding: Summary.self)
        let names = try await sql.raw(
            """
            SELECT oo.order_id, u.first_name, u.last_name, u.phone FROM order_operators oo
            JOIN users u ON u.id = oo.user_id WHERE oo.order_id IN (\(binds: ids))
            ORDER BY u.first_name, u.last_name
            """
        ).all(decoding: OperatorName.self)
        var operators: [String: [String]] = [:]
        for name in names {
            operators[name.orderID, default: []].append(
                OrderPageData.fullName(name.firstName, name.lastName, phone: name.phone))
        }
        var byID: [String: Summary] = [:]
        for var card in cards {
            card.operatorNames = operators[card.id] ?? []
            byID[card.id] = card
        }
        return ids.compactMap { byID[$0] }
    }

    /// The details of the given orders, in the given order; unknown ids are skipped.
    func details(_ ids: [String]) async throws -> [OrderDetails] {
        guard !ids.isEmpty else { return [] }
        let orderRows = try await rows.all(
            """
            SELECT o.id, o.number, o.client_id, o.address, o.geo_lat, o.geo_lng, o.start_at, o.end_at, o.description,
                   o.status, o.manager_id, o.created_by_id, o.prepayment_amount, o.prepayment_status, o.total_amount,
                   o.estimated_total, o.price_snapshot, o.attachments, o.meta, o.started_at, o.completed_at,
                   o.created_at, o.updated_at,
                   c.name AS client_name, c.phone AS client_phone, c.email AS client_email, c.address AS client_address,
                   m.first_name AS manager_first_name, m.last_name AS manager_last_name, m.phone AS manager_phone
            FROM orders o
            LEFT JOIN clients c ON c.id = o.client_id
            LEFT JOIN users m ON m.id = o.manager_id
            WHERE o.id IN (\(binds: ids))
            """
        )
        var byID: [String: FastRow] = [:]
        for row in orderRows { byID[try row.decode(column: "id", as: String.self)] = row }
        let items = try await items(ids)
        let operators = try await operators(ids)
        let logs = try await logs(ids)
        let photos = try await PhotoReader(sql: sql, timeZone: timeZone).load(orderIDs: ids)
        return try ids.compactMap { id in
            guard let row = byID[id] else { return nil }
            var client: OrderDetails.Client?
            if let name = try row.decode(column: "client_name", as: String?.self) {
                client = OrderDetails.Client(
                    name: name, phone: try row.decode(column: "client_phone", as: String?.self) ?? "",
                    email: try row.decode(column: "client_email", as: String?.self) ?? "",
                    address: try row.decode(column: "client_address", as: String?.self) ?? "")
            }
            var manager: OrderDetails.Person?
            if let managerID = try row.decode(column: "manager_id", as: Int?.self),
                let phone = try row.decode(column: "manager_phone", as: String?.self)
            {
                manager = OrderDetails.Person(
                    id: managerID, firstName: try row.decode(column: "manager_first_name", as: String?.self) ?? "",
                    lastName: try row.decode(column: "manager_last_name", as: String?.self) ?? "", phone: phone)
            }
            return OrderDetails(
                order: try OrderRecord(row: row), client: client, manager: manager, operators: operators[id] ?? [],
                items: items[id] ?? [], logs: logs[id] ?? [], photos: photos[id] ?? [])
        }
    }

    private func items(_ ids: [String]) async throws -> [String: [OrderDetails.Item]] {
        let rows = try await self.rows.all(
            """
            SELECT id, order_id, item_type, ref_id, name_snapshot, quantity, unit, unit_price, manual_price, tax_rate,
                   discount, fuel_expense, repair_expense, metadata, line_total, display_quantity, display_unit
            FROM order_items WHERE order_id IN (\(binds: ids)) ORDER BY order_id, position, id
            """
        )
        var result: [String: [OrderDetails.Item]] = [:]
        for row in rows {
            result[try row.decode(column: "order_id", as: String.self), default: []].append(
                OrderDetails.Item(
                    id: try row.decode(column: "id", as: Int.self),
                    line: try OrderLine(row: row, metadata: [:]),
                    metadata: try row.decode(column: "metadata", as: String.self),
                    lineTotal: try row.decode(column: "line_total", as: Int64.self),
                    displayQuantity: try row.decode(column: "display_quantity", as: String.self),
                    displayUnit: try row.decode(column: "display_unit", as: String.self)))
        }
        return result
    }

    private func operators(_ ids: [String]) async throws -> [String: [OrderDetails.Person]] {
        let rows = try await self.rows.all(
            """
            SELECT oo.order_id, u.id, u.first_name, u.last_name, u.phone
            FROM order_operators oo JOIN users u ON u.id = oo.user_id
            WHERE oo.order_id IN (\(binds: ids)) ORDER BY oo.order_id, u.first_name, u.last_name, u.id
            """
        )
        var result: [String: [OrderDetails.Person]] = [:]
        for row in rows {
            result[try row.decode(column: "order_id", as: String.self), default: []].append(
                OrderDetails.Person(
                    id: try row.decode(column: "id", as: Int.self),
                    firstName: try row.decode(column: "first_name", as: String.self),
                    lastName: try row.decode(column: "last_name", as: String.self),
                    phone: try row.decode(column: "phone", as: String.self)))
        }
        return result
    }

    func logs(_ ids: [String]) async throws -> [String: [OrderDetails.Log]] {
        let rows = try await self.rows.all(
            """
            SELECT l.id, l.order_id, l.from_status, l.to_status, l.actor_id, l.comment, l.attachment_url, l.created_at,
                   u.first_name, u.last_name, u.phone
            FROM order_status_logs l LEFT JOIN users u ON u.id = l.actor_id
            WHERE l.order_id IN (\(binds: ids)) ORDER BY l.order_id, l.created_at DESC, l.id DESC
            """
        )
        var result: [String: [OrderDetails.Log]] = [:]
        for row in rows {
            let actorID = try row.decode(column: "actor_id", as: Int?.self)
            var actor: OrderDetails.Person?
            if let actorID, let first = try row.decode(column: "first_name", as: String?.self) {
                actor = OrderDetails.Person(
                    id: actorID, firstName: first,
                    lastName: try row.decode(column: "last_name", as: String?.self) ?? "",
                    phone: try row.decode(column: "phone", as: String?.self) ?? "")
            }
            result[try row.decode(column: "order_id", as: String.self), default: []].append(
                OrderDetails.Log(
                    id: try row.decode(column: "id", as: Int.self),
                    from: try row.decode(column: "from_status", as: String.self),
                    to: try row.decode(column: "to_status", as: String.self),
                    actorID: actorID, actor: actor,
                    comment: try row.decode(column: "comment", as: String.self),
                    attachmentURL: try row.decode(column: "attachment_url", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self)))
        }
        return result
    }
}

extension OrderRecord {
    /// An order from a row with the columns of `OrderStore.columns`.
    init(row: FastRow) throws {
        self.init(
            id: try row.decode(column: "id", as: String.self),
            number: try row.decode(column: "number", as: String.self),
            clientID: try row.decode(column: "client_id", as: Int?.self),
            address: try row.decode(column: "address", as: String.self),
            geoLat: try row.decode(column: "geo_lat", as: Int64?.self),
            geoLng: try row.decode(column: "geo_lng", as: Int64?.self),
            startAt: try row.decode(column: "start_at", as: Date.self),
            endAt: try row.decode(column: "end_at", as: Date?.self),
            description: try row.decode(column: "description", as: String.self),
            status: OrderStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .created,
            managerID: try row.decode(column: "manager_id", as: Int?.self),
            createdByID: try row.decode(column: "created_by_id", as: Int?.self),
            prepayment: try row.decode(column: "prepayment_amount", as: Int64.self),
            prepaymentStatus: try row.decode(column: "prepayment_status", as: String.self),
            totalAmount: try row.decode(column: "total_amount", as: Int64.self),
            estimatedTotal: try row.decode(column: "estimated_total", as: Int64.self),
            priceSnapshot: try row.decode(column: "price_snapshot", as: String.self),
            attachments: try row.decode(column: "attachments", as: String.self),
            meta: try row.decode(column: "meta", as: String.self),
            startedAt: try row.decode(column: "started_at", as: Date?.self),
            completedAt: try row.decode(column: "completed_at", as: Date?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
